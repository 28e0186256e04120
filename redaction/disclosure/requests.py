"""The written-request register: requests received, decided, and noticed.

A request keeps the requester, agency, date received, stated purpose, the categories
asked for, and the document's SHA-256 and file name (never its content). New York's
Green Light law requires notice to the person within three days of a request, so each
request carries ``notice_due``, dated by the profile's ``exceptions.notice_days``;
``list_requests(overdue_on=...)`` shows the ones past due and not yet marked noticed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from redaction.disclosure.vocab import (
    Decision,
    Purpose,
    check_id,
    new_id,
    parse_categories,
    parse_enum,
)
from redaction.errors import ExceptionRefused, UsageError
from redaction.io.digest import sha256_file
from redaction.ledger import Entry, Ledger
from redaction.ledger.chain import parse_stamp

KINDS = ("request.received", "request.decided", "request.noticed")


@dataclass(frozen=True)
class WrittenRequest:
    id: str
    requester: str
    agency: str
    received_on: date
    purpose: Purpose
    categories: frozenset[str]
    document_sha256: str
    document_name: str
    notice_due: date
    decision: Decision | None = None
    decision_reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    noticed_on: date | None = None
    noticed_by: str | None = None

    @property
    def granted(self) -> bool:
        return self.decision is Decision.GRANT

    def overdue(self, today: date) -> bool:
        """Notice is past due and not yet given."""
        return self.noticed_on is None and today > self.notice_due

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "requester": self.requester,
            "agency": self.agency,
            "received_on": self.received_on.isoformat(),
            "purpose": str(self.purpose),
            "categories": sorted(self.categories),
            "document_sha256": self.document_sha256,
            "document_name": self.document_name,
            "notice_due": self.notice_due.isoformat(),
            "decision": None if self.decision is None else str(self.decision),
            "decision_reason": self.decision_reason,
            "decided_by": self.decided_by,
            "decided_at": None if self.decided_at is None else self.decided_at.isoformat(),
            "noticed_on": None if self.noticed_on is None else self.noticed_on.isoformat(),
            "noticed_by": self.noticed_by,
        }


def fold(entries: Iterable[Entry]) -> dict[str, WrittenRequest]:
    """Requests by id, from their ledger entries in seq order."""
    out: dict[str, WrittenRequest] = {}
    for e in entries:
        p = e.payload
        rid = str(p["request_id"])
        if e.kind == "request.received":
            out[rid] = WrittenRequest(
                id=rid,
                requester=p["requester"],
                agency=p["agency"],
                received_on=date.fromisoformat(p["received_on"]),
                purpose=Purpose(p["purpose"]),
                categories=frozenset(p["categories"]),
                document_sha256=p["document_sha256"],
                document_name=p["document_name"],
                notice_due=date.fromisoformat(p["notice_due"]),
            )
        elif rid in out and e.kind == "request.decided":
            out[rid] = replace(
                out[rid],
                decision=Decision(p["decision"]),
                decision_reason=p["reason"],
                decided_by=p["decided_by"],
                decided_at=parse_stamp(p["decided_at"]),
            )
        elif rid in out and e.kind == "request.noticed":
            out[rid] = replace(
                out[rid],
                noticed_on=date.fromisoformat(p["noticed_on"]),
                noticed_by=p["noticed_by"],
            )
    return out


def get_request(ledger: Ledger, request_id: str) -> WrittenRequest:
    """The request's current state, folded from its entries.

    Raises:
        UsageError: no request has this id (reason ``unknown_request``).
    """
    entries = [
        *ledger.entries_for("requests", request_id=request_id),
        *ledger.entries_for("request_decisions", request_id=request_id),
        *ledger.entries_for("request_notices", request_id=request_id),
    ]
    found = fold(sorted(entries, key=lambda e: e.seq)).get(request_id)
    if found is None:
        raise UsageError(
            f"no written request {request_id!r} in the ledger",
            reason="unknown_request",
            hint="`redact request list` shows the register",
        )
    return found


def list_requests(ledger: Ledger, *, overdue_on: date | None = None) -> list[WrittenRequest]:
    """Every request, oldest first; with ``overdue_on``, only those whose notice is
    past due on that day and not yet given."""
    requests = list(fold(ledger.entries(kinds=KINDS)).values())
    if overdue_on is not None:
        requests = [r for r in requests if r.overdue(overdue_on)]
    return requests


def receive_request(
    ledger: Ledger,
    *,
    requester: str,
    agency: str,
    received_on: date,
    purpose: str,
    categories: Sequence[str],
    document: Path,
    request_id: str | None = None,
    notice_days: int | None = None,
) -> WrittenRequest:
    """Record a written request. The document is hashed; only its hash and file name
    are kept. Notice is due ``notice_days`` after it was received (default: the
    default profile's ``exceptions.notice_days``).

    Raises:
        UsageError: unknown purpose or category, unreadable document, id taken.
    """
    if notice_days is None:
        from redaction.policy import load_policy

        notice_days = load_policy().exceptions.notice_days
    purpose_ = parse_enum(Purpose, purpose, "purpose")
    cats = parse_categories(categories)
    if not document.is_file():
        raise UsageError(f"request document {document.name} not found", reason="bad_document")
    rid = check_id(request_id, "request") if request_id else new_id("REQ", received_on)
    if ledger.entries_for("requests", request_id=rid):
        raise UsageError(f"written request {rid!r} already exists", reason="duplicate_request")
    ledger.append(
        "request.received",
        {
            "request_id": rid,
            "requester": requester,
            "agency": agency,
            "received_on": received_on,
            "purpose": str(purpose_),
            "categories": sorted(cats),
            "document_sha256": sha256_file(document),
            "document_name": document.name,
            "notice_due": received_on + timedelta(days=notice_days),
        },
    )
    return get_request(ledger, rid)


def decide_request(
    ledger: Ledger,
    request_id: str,
    *,
    decision: str,
    reason: str,
    decided_by: str,
    at: datetime | None = None,
) -> WrittenRequest:
    """Record a decision; a later decision supersedes an earlier one.

    Raises:
        ExceptionRefused: a grant for civil immigration enforcement (the refusal is
            recorded in the ledger; reason ``civil_immigration_enforcement``).
    """
    decision_ = parse_enum(Decision, decision, "decision")
    request = get_request(ledger, request_id)
    if decision_ is Decision.GRANT and request.purpose is Purpose.CIVIL_IMMIGRATION_ENFORCEMENT:
        ledger.record_refusal(
            subject="request_grant",
            reason_code="civil_immigration_enforcement",
            request_id=request_id,
        )
        raise ExceptionRefused(
            f"request {request_id} is for civil immigration enforcement and cannot be "
            "granted; the refusal is recorded in the ledger",
            reason="civil_immigration_enforcement",
            hint="record the decision as deny",
        )
    ledger.append(
        "request.decided",
        {
            "request_id": request_id,
            "decision": str(decision_),
            "reason": reason,
            "decided_by": decided_by,
            "decided_at": at or ledger.now(),
        },
    )
    return get_request(ledger, request_id)


def mark_noticed(
    ledger: Ledger, request_id: str, *, noticed_on: date, noticed_by: str
) -> WrittenRequest:
    """Record that the person the request is about was given notice."""
    get_request(ledger, request_id)
    ledger.append(
        "request.noticed",
        {"request_id": request_id, "noticed_on": noticed_on, "noticed_by": noticed_by},
    )
    return get_request(ledger, request_id)
