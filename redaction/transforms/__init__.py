"""Transforms: one small module per action, registered by name. Pure functions on Arrow.

``apply(plan, batch)`` returns a new record batch in the plan's output schema and the
number of values each column's transform changed. The caller's batch is never modified.
"""

from __future__ import annotations

from collections.abc import Callable

import pyarrow as pa

from redaction.plan_model import ColumnDecision, Plan
from redaction.transforms import drop, generalize, nested, null, release, scrub

#: ``transform(array, decision) -> (new array or None when dropped, values changed)``
Transform = Callable[[pa.Array, ColumnDecision], tuple[pa.Array | None, int]]

REGISTRY: dict[str, Transform] = {
    "release": release.transform,
    "drop": drop.transform,
    "null": null.transform,
    "scrub": scrub.transform,
    "generalize": generalize.transform,
}

_CHECKS: dict[str, Callable[[ColumnDecision], None]] = {
    "scrub": scrub.check,
    "generalize": generalize.check,
}


def get(name: str) -> Transform:
    """The transform registered as ``name``; an unknown name lists the known ones."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(
            f"unknown transform '{name}' (known: {', '.join(sorted(REGISTRY))})"
        ) from None


def check_plan(plan: Plan) -> None:
    """Every decision names a known transform with valid settings."""
    for top in plan.decisions:
        for d in (top, *top.leaves):
            get(d.action)
            if d.action in _CHECKS and not (d.leaves and d.action == "scrub"):
                _CHECKS[d.action](d)


def apply(plan: Plan, batch: pa.RecordBatch) -> tuple[pa.RecordBatch, dict[str, int]]:
    """Apply ``plan`` to one record batch.

    Returns the redacted batch (schema: ``plan.output_schema``) and, for each withheld
    column, how many values the transform changed.
    """
    arrays: list[pa.Array] = []
    counts: dict[str, int] = {}
    for decision, arr in zip(plan.decisions, batch.columns, strict=True):
        if decision.leaves and decision.action in ("release", "scrub"):
            out, changed = nested.transform(arr, decision, REGISTRY)
        else:
            out, changed = REGISTRY[decision.action](arr, decision)
        if decision.withheld:
            counts[decision.column] = changed
        if out is not None:
            arrays.append(out)
    return pa.RecordBatch.from_arrays(arrays, schema=plan.output_schema), counts
