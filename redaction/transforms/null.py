"""``null``: every value of the column becomes a typed null.

The column keeps its name and type (``pa.nulls(n, type)``), so the output schema is the
input's; pandas' ``df[c] = None`` would turn it into Arrow type ``null`` instead. Every row
is nulled, not only those holding a value, so the pattern of nulls reveals nothing.
"""

from __future__ import annotations

import pyarrow as pa

from redaction.plan_model import ColumnDecision


def transform(arr: pa.Array, decision: ColumnDecision) -> tuple[pa.Array, int]:
    return pa.nulls(len(arr), type=arr.type), len(arr) - arr.null_count
