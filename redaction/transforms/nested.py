"""``nested``: a struct or list column transformed leaf by leaf.

Each leaf path's decision (``decision.leaves``) runs its own transform on the leaf's
values; the struct and list arrays are rebuilt around them, so the rest of every record
and the schema are kept (a nulled leaf holds typed nulls). Released text leaves are
guarded here with the plan's guard pattern (``params["guard"]``): a protected value in
one fails the run as the streaming guard does for a flat column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from redaction.detect import is_text, matches
from redaction.errors import GuardHit
from redaction.nested import rebuild
from redaction.plan_model import ColumnDecision

if TYPE_CHECKING:  # the registry's module imports this one
    from redaction.transforms import Transform


def transform(
    arr: pa.Array, decision: ColumnDecision, registry: Mapping[str, Transform]
) -> tuple[pa.Array, int]:
    """Apply the decisions of a nested column's leaves, each with its transform from
    ``registry`` (passed in by the registry's own module, which imports this one)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    by_path = {d.column: d for d in decision.leaves}
    guard = decision.params.get("guard")
    changed = 0

    def leaf(path: str, values: pa.Array) -> pa.Array:
        nonlocal changed
        d = by_path.get(path)
        if d is None or d.action == "release":
            if guard and is_text(values.type) and (d is None or d.guarded):
                hits = int(pc.sum(matches(values, str(guard))).as_py() or 0)
                if hits:
                    raise GuardHit(
                        f"column '{decision.column}': leaf '{path}' is planned for release "
                        f"but holds protected values ({hits} value(s) in this batch)",
                        column=decision.column,
                        detectors=["nested"],
                        hint="withhold the leaf in the dataset contract, or pass "
                        "--on-guard-hit withhold to withhold the column",
                    )
            return values
        out, n = registry[d.action](values, d)
        changed += n
        assert out is not None, "a leaf cannot be dropped: it is nulled"
        return out

    return rebuild(decision.column, arr, leaf), changed
