"""The Plan: for every column of one extract, the decision and the reason.

A plan is data, computed before any output is written (``redaction.plan.plan``) and
then applied batch by batch (``redaction.transforms.apply``). It carries column names,
category ids, rule ids and counts, never a cell's content, so it can be printed, logged,
stored in the ledger and attached to a Prefect artifact as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import pyarrow as pa

Action = Literal["release", "drop", "null", "scrub", "generalize"]
ACTIONS: tuple[str, ...] = get_args(Action)
#: Actions that withhold something (everything but ``release``).
WITHHOLDING: frozenset[str] = frozenset(ACTIONS) - {"release"}


@dataclass(frozen=True)
class Evidence:
    """Why a column got its decision.

    ``rule`` is a stable id: ``contract`` (declared by the dataset contract),
    ``contract:undeclared`` (not in the contract: withheld), ``name:<category>``
    (column-name rule), ``value:<detector>`` (value detector), ``exception:<id>``
    (released under a lawful exception), ``chance:<detector>`` (a strong detector's few
    look-alike hits: scrubbed, column kept), ``leaf:<path>`` (a withheld leaf of a nested
    column), ``default`` (nothing matched).
    """

    rule: str
    detail: str
    matched: int = 0
    scanned: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "detail": self.detail,
            "matched": self.matched,
            "scanned": self.scanned,
        }


@dataclass(frozen=True)
class ColumnDecision:
    """The decision for one column (a top-level name, or a dotted path for nested data)."""

    column: str
    action: Action
    category: str | None
    reason: str
    evidence: tuple[Evidence, ...] = ()
    #: Settings of the transform: ``generalize`` takes ``values``/``to``; ``scrub`` takes
    #: ``pattern`` and ``marker``. Never holds extract values, only policy values.
    params: Mapping[str, Any] = field(default_factory=dict)
    #: For a struct or list column: one decision per leaf path (``a.b``, ``a[].b``), from
    #: which this column's own decision is derived. Empty for a flat column.
    leaves: tuple[ColumnDecision, ...] = ()

    @property
    def withheld(self) -> bool:
        return self.action in WITHHOLDING

    @property
    def guarded(self) -> bool:
        """Released as ordinary data, so value detectors must find nothing in it.

        A column released under a lawful exception holds protected data by design."""
        return self.action == "release" and not any(
            e.rule.startswith("exception:") for e in self.evidence
        )

    def to_dict(self) -> dict[str, Any]:
        out = {
            "column": self.column,
            "action": self.action,
            "category": self.category,
            "reason": self.reason,
            "evidence": [e.to_dict() for e in self.evidence],
        }
        if self.leaves:
            out["leaves"] = [d.to_dict() for d in self.leaves]
        return out


@dataclass(frozen=True)
class Plan:
    """Decisions for every column of ``source_schema``, in the source's column order."""

    source_schema: pa.Schema
    decisions: tuple[ColumnDecision, ...]
    policy_id: str
    dataset: str | None = None
    exception_id: str | None = None

    def decision(self, column: str) -> ColumnDecision:
        for d in self.decisions:
            if d.column == column:
                return d
        raise KeyError(column)

    def columns_with(self, *actions: str) -> list[str]:
        return [d.column for d in self.decisions if d.action in actions]

    @property
    def output_schema(self) -> pa.Schema:
        """The schema the output must have: the source's, minus dropped columns.

        Nulled, scrubbed and generalized columns keep their type; schema metadata that
        describes the source (pandas' index metadata) is not carried over.
        """
        dropped = set(self.columns_with("drop"))
        fields = [f for f in self.source_schema if f.name not in dropped]
        return pa.schema(fields)

    def to_dict(self) -> dict[str, Any]:
        return {
            "policy": self.policy_id,
            "dataset": self.dataset,
            "exception": self.exception_id,
            "columns": [d.to_dict() for d in self.decisions],
        }
