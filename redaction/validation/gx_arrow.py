"""GX expectations the gate adds: regex rules matched in Arrow's RE2, and rules over a
list of columns.

Regex in RE2. GX's ``expect_column_values_to_(not_)match_regex`` call pandas'
``str.contains``; pandas 3.1 sends a pattern with ``\\s`` (always) or ``\\b``/``\\d``/
``\\w`` (on any non-ASCII value, e.g. an accented name) through Python's ``re`` value by
value. With the policy's guard pattern (4.9 kB, with ``\\s``) that made the gate ~30x
slower than reading the file. The release path's streaming guard matches in RE2
(``pyarrow.compute``); these run the same engine, so the gate and the guard agree.

Rules over a list of columns. GX's cost per expectation per run is ~15 ms whatever the
row count (configuration copies, the metric graph, result serialisation); with one
expectation per column a 37-column extract paid ~0.5 s per chunk before reading a value.
``expect_multicolumn_values_to_*`` state one rule for several columns: a row is
unexpected if any of its listed columns breaks the rule, and nothing is ignored
(``ignore_row_if="never"``). The gate runs one of these per rule and, on a chunk where it
fails, the per-column expectations to say which columns and how many rows.

Distinct values. A column read from a Parquet dictionary arrives as a pandas
``Categorical``; its rule is decided once per distinct value and mapped to every row
through the codes (an exact per-row answer: a row's value is its category). All the
columns of one regex rule are matched in a single RE2 call, since each call compiles
the pattern (~4 ms for the guard pattern).

Imported by :mod:`redaction.validation.gx_runner` after GX itself; defining the classes
registers them with GX.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, ClassVar, Literal, TypeVar, cast

import numpy as np
import pandas as pd  # type: ignore[import-untyped]  # no pandas-stubs in the env
import pyarrow as pa
import pyarrow.compute as pc
from great_expectations.execution_engine.pandas_execution_engine import PandasExecutionEngine
from great_expectations.expectations.core.expect_column_values_to_match_regex import (
    ExpectColumnValuesToMatchRegex,
)
from great_expectations.expectations.core.expect_column_values_to_not_match_regex import (
    ExpectColumnValuesToNotMatchRegex,
)
from great_expectations.expectations.expectation import MulticolumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider.column_condition_partial import (
    column_condition_partial,
)
from great_expectations.expectations.metrics.map_metric_provider.column_map_metric_provider import (
    ColumnMapMetricProvider,
)
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_condition_partial import (  # noqa: E501
    multicolumn_condition_partial,
)
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_map_metric_provider import (  # noqa: E501
    MulticolumnMapMetricProvider,
)

from redaction.detect import alternatives, for_matching, is_text, joinable, without_benign

# ------------------------------------------------------------------ row-level helpers

_F = TypeVar("_F", bound=Callable[..., Any])


def _rows_of_columns(func: _F) -> _F:
    """GX's pandas multicolumn condition decorator, typed."""
    return cast(_F, multicolumn_condition_partial(engine=PandasExecutionEngine)(func))


def _text(series: pd.Series) -> tuple[pa.Array, np.ndarray | None]:
    """``series`` as Arrow text, and for a Categorical the codes mapping rows to values.

    A Categorical gives its categories (distinct values) and codes (-1 for null);
    anything else its own values, one per row (``astype(str)`` is a no-op for
    Arrow-backed text and gives the text form of numbers and JSON values).
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = series.cat.categories.to_numpy(dtype=object)
        values = pa.array([str(c) for c in cats], type=pa.large_string())
        return values, series.cat.codes.to_numpy()
    dtype = series.dtype
    text = isinstance(dtype, pd.ArrowDtype) and is_text(dtype.pyarrow_dtype)
    arrow = (series if text else series.astype(str)).array.__arrow_array__()
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks() if arrow.num_chunks != 1 else arrow.chunk(0)
    return arrow.cast(pa.large_string()), None


def matched(columns: list[pd.Series], regex: str, *, screen: bool = False) -> list[np.ndarray]:
    """Per column, per row: the value is not null and matches ``regex`` (RE2, search).

    One RE2 call for all columns: their values (distinct values for Categoricals) are
    concatenated, matched once and split again. With ``screen`` (for "must not match"
    rules, where matches are rare) the values are read as the release's guard reads
    them (``detect.for_matching``), and one search over all of them joined comes first:
    when it finds nothing, no value is matched alone.
    """
    parts = [_text(s) for s in columns]
    if not parts:
        return []
    values = pa.concat_arrays([v for v, _ in parts])
    if screen:
        # As the release's guard and scrub read text: NFKC (full-width letters and
        # digits as plain ones) and other scripts' digits as ASCII, when not all ASCII.
        norm = for_matching(values)
        if isinstance(norm, pa.ChunkedArray):
            norm = norm.combine_chunks()
        values = without_benign(norm, regex).cast(pa.large_string())
        # Each top-level alternative alone: RE2 runs the guard's ~25 kB alternation
        # ~40x slower than its parts one by one (``detect.guard_patterns``).
        present = [p for p in alternatives(regex) if _may_match(values, p)]
        if not present:
            return [np.zeros(len(s), dtype=bool) for s in columns]
        hit = pc.match_substring_regex(values, present[0])
        for p in present[1:]:
            hit = pc.or_(hit, pc.match_substring_regex(values, p))
        hits = pc.fill_null(hit, False)
    else:
        hits = pc.fill_null(pc.match_substring_regex(values, regex), False)
    flat = np.asarray(hits.to_numpy(zero_copy_only=False), dtype=bool)
    out = []
    start = 0
    for v, codes in parts:
        h = flat[start : start + len(v)]
        start += len(v)
        if codes is not None:
            h = h[codes] & (codes >= 0) if len(h) else np.zeros(len(codes), dtype=bool)
        out.append(h)
    return out


def _may_match(values: pa.Array, regex: str) -> bool:
    """False only if no value can match ``regex``: one RE2 search over all the values
    joined by line breaks, in multi-line mode.

    A filter that cannot miss: whatever a value matches alone appears in the joined text
    with the same surroundings at the value's ends (``^`` and ``$`` match at line ends in
    multi-line mode, ``\\b`` sees the line break as a non-word character). The joined text
    can also match across two values or after a line break inside a value: a false
    alarm, after which every value is matched alone. Matching 1M short values one by one
    costs ~0.13 s, mostly per-value call overhead; one search over the joined text ~0.03 s.
    """
    if len(values) == 0:
        return False
    if not joinable(regex):
        return True
    if values.null_count:
        values = pc.drop_null(values)
    listed = pa.LargeListArray.from_arrays(pa.array([0, len(values)], pa.int64()), values)
    joined = pc.binary_join(listed, pa.scalar("\n", pa.large_string()))
    return bool(pc.any(pc.match_substring_regex(joined, "(?m)" + regex)).as_py())


def _present(series: pd.Series) -> np.ndarray:
    return np.asarray(series.notna().to_numpy(), dtype=bool)


def _columns(frame: pd.DataFrame) -> list[pd.Series]:
    # By position: a repeated name must not turn a column into a frame.
    return [frame.iloc[:, i] for i in range(frame.shape[1])]


# ----------------------------------------------------------- one column, regex in RE2

NOT_MATCH_METRIC = "column_values.redaction_not_match_regex_arrow"
MATCH_METRIC = "column_values.redaction_match_regex_arrow"


class ColumnValuesNotMatchRegexArrow(ColumnMapMetricProvider):
    """True where a (non-null) value does not match ``regex`` in RE2."""

    condition_metric_name = NOT_MATCH_METRIC
    condition_value_keys = ("regex",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, regex: str, **kwargs: Any) -> pd.Series:
        (hits,) = matched([column], regex, screen=True)
        return pd.Series(~hits, index=column.index)


class ColumnValuesMatchRegexArrow(ColumnMapMetricProvider):
    """True where a (non-null) value matches ``regex`` in RE2."""

    condition_metric_name = MATCH_METRIC
    condition_value_keys = ("regex",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, regex: str, **kwargs: Any) -> pd.Series:
        (hits,) = matched([column], regex)
        return pd.Series(hits, index=column.index)


class ExpectColumnValuesToNotMatchRegexInArrow(ExpectColumnValuesToNotMatchRegex):
    """GX's ``expect_column_values_to_not_match_regex``, matched in RE2 (pyarrow)."""

    map_metric = NOT_MATCH_METRIC


class ExpectColumnValuesToMatchRegexInArrow(ExpectColumnValuesToMatchRegex):
    """GX's ``expect_column_values_to_match_regex``, matched in RE2 (pyarrow)."""

    map_metric = MATCH_METRIC


# ------------------------------------------------------------ a rule over many columns


class MulticolumnValuesNull(MulticolumnMapMetricProvider):
    """True where every listed column is null."""

    condition_metric_name = "multicolumn_values.redaction_null"

    @_rows_of_columns
    def _pandas(cls, column_list: pd.DataFrame, **kwargs: Any) -> pd.Series:
        return _rows(RULES[NULL](_columns(column_list), kwargs), column_list)


class MulticolumnValuesNotNull(MulticolumnMapMetricProvider):
    """True where no listed column is null."""

    condition_metric_name = "multicolumn_values.redaction_not_null"

    @_rows_of_columns
    def _pandas(cls, column_list: pd.DataFrame, **kwargs: Any) -> pd.Series:
        return _rows(RULES[NOT_NULL](_columns(column_list), kwargs), column_list)


class MulticolumnValuesNotMatchRegexArrow(MulticolumnMapMetricProvider):
    """True where no listed column holds a value matching ``regex`` in RE2."""

    condition_metric_name = "multicolumn_values.redaction_not_match_regex_arrow"
    condition_value_keys = ("regex",)

    @_rows_of_columns
    def _pandas(cls, column_list: pd.DataFrame, regex: str, **kwargs: Any) -> pd.Series:
        return _rows(RULES[NOT_MATCH](_columns(column_list), {"regex": regex}), column_list)


class MulticolumnValuesMatchRegexArrow(MulticolumnMapMetricProvider):
    """True where every non-null value of the listed columns matches ``regex`` in RE2."""

    condition_metric_name = "multicolumn_values.redaction_match_regex_arrow"
    condition_value_keys = ("regex",)

    @_rows_of_columns
    def _pandas(cls, column_list: pd.DataFrame, regex: str, **kwargs: Any) -> pd.Series:
        return _rows(RULES[MATCH](_columns(column_list), {"regex": regex}), column_list)


class MulticolumnValuesInSet(MulticolumnMapMetricProvider):
    """True where every non-null value of the listed columns is in ``value_set``."""

    condition_metric_name = "multicolumn_values.redaction_in_set"
    condition_value_keys = ("value_set",)

    @_rows_of_columns
    def _pandas(cls, column_list: pd.DataFrame, value_set: list[Any], **kwargs: Any) -> pd.Series:
        args = {"value_set": value_set}
        return _rows(RULES[IN_SET](_columns(column_list), args), column_list)


class MulticolumnValuesNotInSet(MulticolumnMapMetricProvider):
    """True where no listed column holds a value in ``value_set``."""

    condition_metric_name = "multicolumn_values.redaction_not_in_set"
    condition_value_keys = ("value_set",)

    @_rows_of_columns
    def _pandas(cls, column_list: pd.DataFrame, value_set: list[Any], **kwargs: Any) -> pd.Series:
        args = {"value_set": value_set}
        return _rows(RULES[NOT_IN_SET](_columns(column_list), args), column_list)


NULL = "expect_multicolumn_values_to_be_null"
NOT_NULL = "expect_multicolumn_values_to_not_be_null"
NOT_MATCH = "expect_multicolumn_values_to_not_match_regex_in_arrow"
MATCH = "expect_multicolumn_values_to_match_regex_in_arrow"
IN_SET = "expect_multicolumn_values_to_be_in_set"
NOT_IN_SET = "expect_multicolumn_values_to_not_be_in_set"

Rule = Callable[[list[pd.Series], dict[str, Any]], np.ndarray]


def _every(oks: list[np.ndarray]) -> np.ndarray:
    return np.asarray(np.logical_and.reduce(oks), dtype=bool)


#: Each rule over many columns, row by row (True: the row keeps the rule). The
#: per-rule expectations and the all-rules one run these same functions.
RULES: dict[str, Rule] = {
    NULL: lambda cols, kw: _every([~_present(s) for s in cols]),
    NOT_NULL: lambda cols, kw: _every([_present(s) for s in cols]),
    NOT_MATCH: lambda cols, kw: _every([~h for h in matched(cols, kw["regex"], screen=True)]),
    MATCH: lambda cols, kw: _every(
        [h | ~_present(s) for h, s in zip(matched(cols, kw["regex"]), cols, strict=True)]
    ),
    IN_SET: lambda cols, kw: _every([_in_set(s, kw["value_set"]) | ~_present(s) for s in cols]),
    NOT_IN_SET: lambda cols, kw: _every(
        [~(_in_set(s, kw["value_set"]) & _present(s)) for s in cols]
    ),
}


def _rows(ok: np.ndarray, frame: pd.DataFrame) -> pd.Series:
    return pd.Series(ok, index=frame.index)


def _in_set(series: pd.Series, value_set: list[Any]) -> np.ndarray:
    """``series.isin(value_set)``, GX's own test for its set expectations (a null is
    never in the set)."""
    found = series.isin(value_set)
    return np.asarray(found.to_numpy(dtype=bool, na_value=False), dtype=bool)


class MulticolumnRowsKeepRules(MulticolumnMapMetricProvider):
    """True where a row keeps every rule in ``rules`` (each: a rule of ``RULES``, its
    columns and its arguments)."""

    condition_metric_name = "multicolumn_values.redaction_rules"
    condition_value_keys = ("rules",)

    @_rows_of_columns
    def _pandas(
        cls, column_list: pd.DataFrame, rules: str | list[dict[str, Any]], **kwargs: Any
    ) -> pd.Series:
        # By position: a column listed twice is one column.
        at = {name: i for i, name in enumerate(column_list.columns)}
        ok = np.ones(len(column_list), dtype=bool)
        for rule in json.loads(rules) if isinstance(rules, str) else rules:
            cols = [column_list.iloc[:, at[c]] for c in rule["columns"]]
            ok &= RULES[rule["rule"]](cols, rule["kwargs"])
        return _rows(ok, column_list)


class _EveryRow(MulticolumnMapExpectation):
    """Base of the rules over many columns: no row is ignored, nulls included."""

    ignore_row_if: Literal["all_values_are_missing", "any_value_is_missing", "never"] = "never"

    library_metadata: ClassVar[dict[str, Any]] = {
        "maturity": "experimental",
        "tags": ["redaction"],
        "contributors": [],
    }


class ExpectMulticolumnValuesToBeNull(_EveryRow):
    """Every listed column is null in every row."""

    map_metric = "multicolumn_values.redaction_null"


class ExpectMulticolumnValuesToNotBeNull(_EveryRow):
    """No listed column is null in any row."""

    map_metric = "multicolumn_values.redaction_not_null"


class ExpectMulticolumnValuesToNotMatchRegexInArrow(_EveryRow):
    """No value of the listed columns matches ``regex`` (RE2)."""

    regex: str
    map_metric = "multicolumn_values.redaction_not_match_regex_arrow"
    success_keys = ("mostly", "regex")
    args_keys = ("column_list", "regex")


class ExpectMulticolumnValuesToMatchRegexInArrow(_EveryRow):
    """Every non-null value of the listed columns matches ``regex`` (RE2)."""

    regex: str
    map_metric = "multicolumn_values.redaction_match_regex_arrow"
    success_keys = ("mostly", "regex")
    args_keys = ("column_list", "regex")


class ExpectMulticolumnValuesToBeInSet(_EveryRow):
    """Every non-null value of the listed columns is in ``value_set``."""

    value_set: list[Any]
    map_metric = "multicolumn_values.redaction_in_set"
    success_keys = ("mostly", "value_set")
    args_keys = ("column_list", "value_set")


class ExpectMulticolumnValuesToNotBeInSet(_EveryRow):
    """No value of the listed columns is in ``value_set``."""

    value_set: list[Any]
    map_metric = "multicolumn_values.redaction_not_in_set"
    success_keys = ("mostly", "value_set")
    args_keys = ("column_list", "value_set")


class ExpectMulticolumnValuesToKeepRedactionRules(_EveryRow):
    """Every row keeps every listed rule (the gate's pass-or-fail run on a chunk).
    ``rules``: the rules as JSON text (``checks.combined``), or as a list."""

    rules: str | list[dict[str, Any]]
    map_metric = "multicolumn_values.redaction_rules"
    success_keys = ("mostly", "rules")
    args_keys = ("column_list", "rules")
