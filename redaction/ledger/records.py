"""The ledger's value objects: what callers hand in and what they get back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from redaction.ledger.chain import parse_stamp

if TYPE_CHECKING:
    from redaction.plan_model import Plan


@dataclass(frozen=True)
class ReleaseRecord:
    """One release, as the release path hands it to the ledger.

    ``columns`` lists every withheld column as ``(column, category, action, rule)``;
    a fifth element, when given, is the count of values withheld (default: ``rows``,
    since a withheld column is withheld for every row). ``category`` may be ``None`` for
    a column withheld because it could not be classified.
    """

    release_id: str
    source_name: str
    source_sha256: str
    dataset: str | None
    profile: str
    recipient: str
    exception_id: str | None
    rows: int
    output_name: str
    columns: tuple[tuple[Any, ...], ...]
    started_at: datetime

    @classmethod
    def from_plan(
        cls,
        plan: Plan,
        *,
        release_id: str,
        source_name: str,
        source_sha256: str,
        profile: str,
        recipient: str,
        rows: int,
        output_name: str,
        started_at: datetime,
    ) -> ReleaseRecord:
        """A record of ``plan``'s withheld columns; ``dataset`` and ``exception_id``
        come from the plan. A column's rule is its first evidence rule (``default``
        when it has none); its count is ``rows`` (uniform treatment)."""
        columns = tuple(
            (d.column, d.category, d.action, d.evidence[0].rule if d.evidence else "default")
            for d in plan.decisions
            if d.withheld
        )
        return cls(
            release_id=release_id,
            source_name=source_name,
            source_sha256=source_sha256,
            dataset=plan.dataset,
            profile=profile,
            recipient=recipient,
            exception_id=plan.exception_id,
            rows=rows,
            output_name=output_name,
            columns=columns,
            started_at=started_at,
        )

    def to_payload(self, *, output_sha256: str | None = None) -> dict[str, Any]:
        cols = []
        for col in self.columns:
            if len(col) not in (4, 5):
                raise ValueError(
                    "ReleaseRecord.columns: each entry is (column, category, action, rule[, count])"
                )
            name, category, action, rule = col[:4]
            cols.append(
                {
                    "column": name,
                    "category": category,
                    "action": action,
                    "rule": rule,
                    "count": col[4] if len(col) == 5 else self.rows,
                }
            )
        return {
            "release_id": self.release_id,
            "source_name": self.source_name,
            "source_sha256": self.source_sha256,
            "dataset": self.dataset,
            "profile": self.profile,
            "recipient": self.recipient,
            "exception_id": self.exception_id,
            "rows": self.rows,
            "output_name": self.output_name,
            "output_sha256": output_sha256,
            "started_at": self.started_at,
            "columns": cols,
        }


@dataclass(frozen=True)
class Entry:
    """One link of the chain as written (``payload`` is the canonical, clean form)."""

    seq: int
    kind: str
    payload: Mapping[str, Any]
    prev_hash: str
    hash: str
    created_at: str

    @property
    def created(self) -> datetime:
        return parse_stamp(self.created_at)


@dataclass(frozen=True)
class Problem:
    """One broken link: where (``seq``, ``table``) and what, never a value."""

    seq: int
    table: str
    problem: str

    def __str__(self) -> str:
        return f"seq {self.seq}, table {self.table}: {self.problem}"


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of :meth:`Ledger.verify`. ``problems`` is sorted by ``seq``."""

    entries: int
    head: str
    problems: tuple[Problem, ...] = ()
    #: The hash asked for with ``head=...`` (``None`` when none was asked for).
    expected_head: str | None = None
    #: Whether the chain passes through ``expected_head`` (``None`` when not asked).
    head_found: bool | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.head_found is not False

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    @property
    def broken_seq(self) -> int | None:
        return self.first.seq if self.first else None

    @property
    def table(self) -> str | None:
        return self.first.table if self.first else None

    def summary(self) -> str:
        if self.first:
            more = len(self.problems) - 1
            tail = f" ({more} more problem(s) after it)" if more else ""
            return f"ledger broken at {self.first}{tail}"
        if self.head_found is False:
            return f"the chain does not pass through head {self.expected_head}"
        return f"ledger intact: {self.entries} entries, head {self.head}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "expected_head": self.expected_head,
            "head_found": self.head_found,
            "problems": [
                {"seq": p.seq, "table": p.table, "problem": p.problem} for p in self.problems
            ],
        }


@dataclass(frozen=True)
class Orphan:
    """A release intent with no finish, and what the outbox says about it."""

    intent_seq: int
    release_id: str
    output_name: str
    recipient: str
    expected_sha256: str | None
    #: ``published`` (present, hash matches), ``present_unverified`` (present, no hash
    #: in the intent), ``mismatch`` (present, different hash), ``missing``.
    status: str
    actual_sha256: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


__all__: Sequence[str] = ("Entry", "Orphan", "Problem", "ReleaseRecord", "VerifyResult")
