"""``drop``: the column is removed from the output."""

from __future__ import annotations

import pyarrow as pa

from redaction.plan_model import ColumnDecision


def transform(arr: pa.Array, decision: ColumnDecision) -> tuple[None, int]:
    return None, len(arr) - arr.null_count
