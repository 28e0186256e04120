"""A GX expectation that runs "must not match this regex" in Arrow's RE2, always.

GX's ``expect_column_values_to_not_match_regex`` calls pandas' ``str.contains``. pandas
3.1 sends a pattern with ``\\s`` (always) or ``\\b``/``\\d``/``\\w`` (on any non-ASCII
value, e.g. an accented name) through Python's ``re`` value by value. With the policy's
guard pattern (3.7 kB, with ``\\s``) that made the gate ~30x slower than reading the file
(100k rows x 12 guarded columns: 7.8 s). The release path's streaming guard matches in
RE2 (``pyarrow.compute``); this runs the same engine, so the gate and the guard agree.

Imported by :mod:`redaction.validation.gx_runner` after GX itself; defining the classes
registers them with GX.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]  # no pandas-stubs in the env
import pyarrow as pa
import pyarrow.compute as pc
from great_expectations.execution_engine.pandas_execution_engine import PandasExecutionEngine
from great_expectations.expectations.core.expect_column_values_to_not_match_regex import (
    ExpectColumnValuesToNotMatchRegex,
)
from great_expectations.expectations.metrics.map_metric_provider.column_condition_partial import (
    column_condition_partial,
)
from great_expectations.expectations.metrics.map_metric_provider.column_map_metric_provider import (
    ColumnMapMetricProvider,
)

METRIC = "column_values.redaction_not_match_regex_arrow"


class ColumnValuesNotMatchRegexArrow(ColumnMapMetricProvider):
    """True where a (non-null) value does not match ``regex`` in RE2."""

    condition_metric_name = METRIC
    condition_value_keys = ("regex",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, regex: str, **kwargs: Any) -> pd.Series:
        # astype(str) is a no-op for Arrow-backed text and gives Arrow text otherwise
        # (numbers, JSON values), the same text GX's own regex expectations match.
        arrow = column.astype(str).array.__arrow_array__()
        matched = pc.fill_null(pc.match_substring_regex(arrow, regex), False)
        if isinstance(matched, pa.ChunkedArray):
            matched = matched.combine_chunks()
        hits = matched.to_numpy(zero_copy_only=False)
        return pd.Series(np.logical_not(hits), index=column.index)


class ExpectColumnValuesToNotMatchRegexInArrow(ExpectColumnValuesToNotMatchRegex):
    """GX's ``expect_column_values_to_not_match_regex``, matched in RE2 (pyarrow)."""

    map_metric = METRIC
