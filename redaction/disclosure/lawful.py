"""Lawful exceptions: narrow, recorded authorisations to release named categories.

An exception names its basis, recipient, categories, optional dataset scope, validity
(UTC calendar dates, both inclusive) and the written request it answers. Civil
immigration enforcement is never a basis: a grant asking for it is refused, and the
refusal is recorded. :func:`check_exception` is what a release calls; every refusal it
raises is recorded in the ledger before it is raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import NoReturn

from redaction.disclosure.requests import get_request
from redaction.disclosure.vocab import (
    CIVIL_IMMIGRATION_ENFORCEMENT,
    Basis,
    Purpose,
    check_id,
    new_id,
    parse_categories,
    parse_enum,
)
from redaction.errors import ExceptionRefused, UsageError
from redaction.ledger import Entry, Ledger
from redaction.ledger.chain import parse_stamp

#: Reason codes :func:`check_exception` refuses with (stable: tests and reports key on them).
REFUSAL_REASONS = (
    "unknown",
    "revoked",
    "not_yet_valid",
    "expired",
    "wrong_recipient",
    "out_of_scope",
    "request_not_granted",
)

_HINTS = {
    "unknown": "`redact exception list` shows the recorded exceptions",
    "revoked": "a revoked exception releases nothing; a new request needs a new exception",
    "not_yet_valid": "run the release on or after the exception's valid_from date",
    "expired": "an expired exception releases nothing; a renewal is a new exception",
    "wrong_recipient": "an exception covers only the recipient it names",
    "out_of_scope": "the exception is limited to the datasets it names",
    "request_not_granted": "the written request it answers must be decided as grant",
}


@dataclass(frozen=True)
class LawfulException:
    id: str
    request_id: str
    recipient: str
    basis: Basis
    categories: frozenset[str]
    #: ``None``: any dataset; otherwise only these dataset contracts.
    datasets: frozenset[str] | None
    valid_from: date
    valid_to: date
    authorized_by: str
    granted_seq: int
    revoked_at: datetime | None = None
    revoked_reason: str | None = None
    revoked_by: str | None = None
    #: Why the recipient differs from the request's requester and agency (a forced
    #: grant); ``None`` for a grant to the requester.
    recipient_override: str | None = None

    def status(self, at: datetime) -> str:
        """``active``, ``revoked``, ``not_yet_valid`` or ``expired`` at ``at``."""
        day = at.astimezone(UTC).date()
        if self.revoked_at is not None and self.revoked_at <= at:
            return "revoked"
        if day < self.valid_from:
            return "not_yet_valid"
        if day > self.valid_to:
            return "expired"
        return "active"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "request_id": self.request_id,
            "recipient": self.recipient,
            "basis": str(self.basis),
            "categories": sorted(self.categories),
            "datasets": None if self.datasets is None else sorted(self.datasets),
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat(),
            "authorized_by": self.authorized_by,
            "revoked_at": None if self.revoked_at is None else self.revoked_at.isoformat(),
            "revoked_reason": self.revoked_reason,
            "revoked_by": self.revoked_by,
            "recipient_override": self.recipient_override,
        }


def fold(entries: Iterable[Entry]) -> dict[str, LawfulException]:
    out: dict[str, LawfulException] = {}
    overrides: dict[str, str] = {}
    for e in entries:
        p = e.payload
        xid = str(p["exception_id"])
        if e.kind == "exception.recipient_override":
            overrides[xid] = p["reason"]
        elif e.kind == "exception.granted":
            out[xid] = LawfulException(
                id=xid,
                request_id=p["request_id"],
                recipient=p["recipient"],
                basis=Basis(p["basis"]),
                categories=frozenset(p["categories"]),
                datasets=None if p["datasets"] is None else frozenset(p["datasets"]),
                valid_from=date.fromisoformat(p["valid_from"]),
                valid_to=date.fromisoformat(p["valid_to"]),
                authorized_by=p["authorized_by"],
                granted_seq=e.seq,
                recipient_override=overrides.get(xid),
            )
        elif e.kind == "exception.revoked" and xid in out and out[xid].revoked_at is None:
            out[xid] = replace(
                out[xid],
                revoked_at=parse_stamp(p["revoked_at"]),
                revoked_reason=p["reason"],
                revoked_by=p["revoked_by"],
            )
    return out


def _overrides(ledger: Ledger) -> list[Entry]:
    return ledger.entries(kinds=["exception.recipient_override"])


def _find(ledger: Ledger, exception_id: str) -> LawfulException | None:
    entries = [
        *ledger.entries_for("exceptions", exception_id=exception_id),
        *ledger.entries_for("exception_revocations", exception_id=exception_id),
        *(e for e in _overrides(ledger) if e.payload["exception_id"] == exception_id),
    ]
    return fold(sorted(entries, key=lambda e: e.seq)).get(exception_id)


def get_exception(ledger: Ledger, exception_id: str) -> LawfulException:
    """The exception's current state. Raises UsageError (``unknown_exception``)."""
    found = _find(ledger, exception_id)
    if found is None:
        raise UsageError(
            f"no lawful exception {exception_id!r} in the ledger",
            reason="unknown_exception",
            hint=_HINTS["unknown"],
        )
    return found


def list_exceptions(ledger: Ledger) -> list[LawfulException]:
    """Every exception, oldest first."""
    kinds = ("exception.recipient_override", "exception.granted", "exception.revoked")
    return list(fold(ledger.entries(kinds=kinds)).values())


_FORCE_HINT = (
    "grant it to the requester or its agency, or pass --force --reason TEXT to record "
    "why another recipient receives it"
)


def _refuse_grant(
    ledger: Ledger, code: str, message: str, *, hint: str | None = None, **fields: str | None
) -> NoReturn:
    ledger.record_refusal(subject="exception_grant", reason_code=code, **fields)
    raise ExceptionRefused(
        f"{message}; the refusal is recorded in the ledger", reason=code, hint=hint
    )


def grant_exception(
    ledger: Ledger,
    *,
    request_id: str,
    recipient: str,
    basis: str,
    categories: Sequence[str],
    valid_from: date,
    valid_to: date,
    authorized_by: str,
    datasets: Sequence[str] | None = None,
    exception_id: str | None = None,
    force_recipient: str | None = None,
) -> LawfulException:
    """Record a lawful exception answering a granted written request.

    The recipient must be the request's requester or agency (spaces and case aside):
    status data goes to whoever asked for it in writing. Another recipient is refused
    unless ``force_recipient`` gives the reason (a court order naming a receiving
    office, say); the reason is recorded in the ledger with the grant.

    Raises:
        ExceptionRefused: civil immigration enforcement (as the basis or the request's
            purpose), a request not granted, categories the request did not ask for,
            or a recipient who did not make the request (without ``force_recipient``).
            Each refusal is recorded in the ledger first.
        UsageError: an unknown basis or category, bad dates, an id already taken, an
            empty ``force_recipient`` reason.
    """
    if basis.strip().lower().replace("-", "_") == CIVIL_IMMIGRATION_ENFORCEMENT:
        _refuse_grant(
            ledger,
            CIVIL_IMMIGRATION_ENFORCEMENT,
            "civil immigration enforcement is never a lawful basis for an exception",
            request_id=request_id,
            recipient=recipient,
            basis=CIVIL_IMMIGRATION_ENFORCEMENT,
        )
    basis_ = parse_enum(Basis, basis, "basis")
    cats = parse_categories(categories)
    if valid_to < valid_from:
        raise UsageError("valid_to is before valid_from", reason="bad_validity")
    scope = None if not datasets else sorted({check_id(d, "dataset") for d in datasets})
    request = get_request(ledger, request_id)
    refusal = {"request_id": request_id, "recipient": recipient, "basis": str(basis_)}
    if request.purpose is Purpose.CIVIL_IMMIGRATION_ENFORCEMENT:
        _refuse_grant(
            ledger,
            CIVIL_IMMIGRATION_ENFORCEMENT,
            f"request {request_id} is for civil immigration enforcement",
            **refusal,
        )
    if not request.granted:
        _refuse_grant(
            ledger,
            "request_not_granted",
            f"request {request_id} is not decided as grant",
            **refusal,
        )
    if not cats <= request.categories:
        extra = ", ".join(sorted(cats - request.categories))
        _refuse_grant(
            ledger,
            "categories_not_requested",
            f"request {request_id} did not ask for: {extra}",
            **refusal,
        )
    requested_by = (request.requester, request.agency)
    other_recipient = not any(_same_recipient(recipient, r) for r in requested_by)
    if force_recipient is not None and not force_recipient.strip():
        raise UsageError("--force needs a --reason", reason="bad_force", hint=_FORCE_HINT)
    if other_recipient and force_recipient is None:
        _refuse_grant(
            ledger,
            "recipient_not_requester",
            f"request {request_id} was made by {request.requester} ({request.agency}), "
            f"not the recipient {recipient}",
            hint=_FORCE_HINT,
            **refusal,
        )
    xid = check_id(exception_id, "exception") if exception_id else new_id("EXC", valid_from)
    if _find(ledger, xid) is not None:
        raise UsageError(f"lawful exception {xid!r} already exists", reason="duplicate_exception")
    if other_recipient:
        assert force_recipient is not None
        ledger.append(
            "exception.recipient_override",
            {
                "exception_id": xid,
                "request_id": request_id,
                "recipient": recipient,
                "reason": force_recipient.strip(),
                "authorized_by": authorized_by,
            },
        )
    ledger.append(
        "exception.granted",
        {
            "exception_id": xid,
            "request_id": request_id,
            "recipient": recipient,
            "basis": str(basis_),
            "categories": sorted(cats),
            "datasets": scope,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "authorized_by": authorized_by,
        },
    )
    return get_exception(ledger, xid)


def revoke_exception(
    ledger: Ledger,
    exception_id: str,
    *,
    reason: str,
    revoked_by: str,
    at: datetime | None = None,
) -> LawfulException:
    """Revoke an exception from ``at`` (default now). Revoking twice is a usage error."""
    current = get_exception(ledger, exception_id)
    if current.revoked_at is not None:
        raise UsageError(f"lawful exception {exception_id} is already revoked", reason="revoked")
    ledger.append(
        "exception.revoked",
        {
            "exception_id": exception_id,
            "revoked_at": at or ledger.now(),
            "reason": reason,
            "revoked_by": revoked_by,
        },
    )
    return get_exception(ledger, exception_id)


def _same_recipient(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def exception_problem(
    ledger: Ledger,
    exc: LawfulException | None,
    *,
    recipient: str,
    dataset: str | None,
    at: datetime,
) -> str | None:
    """Why ``exc`` would not cover a release to ``recipient`` of ``dataset`` at ``at``
    (one of :data:`REFUSAL_REASONS`), or None when it would. Records nothing."""
    if exc is None:
        return "unknown"
    state = exc.status(at)
    if state != "active":
        return state
    if not _same_recipient(exc.recipient, recipient):
        return "wrong_recipient"
    if exc.datasets is not None and dataset not in exc.datasets:
        return "out_of_scope"
    return None if get_request(ledger, exc.request_id).granted else "request_not_granted"


def find_exception(ledger: Ledger, exception_id: str) -> LawfulException | None:
    """The exception's current state, or None when the register has no such id."""
    return _find(ledger, exception_id)


def check_exception(
    ledger: Ledger,
    exception_id: str,
    *,
    recipient: str,
    dataset: str | None,
    at: datetime,
) -> LawfulException:
    """The exception, if it covers a release to ``recipient`` of ``dataset`` at ``at``.

    Checks, in order: it exists, is not revoked, has begun, has not expired, names this
    recipient, covers this dataset (an exception scoped to datasets covers no extract
    without a dataset contract), and answers a request still decided as grant.

    Raises:
        ExceptionRefused: with ``reason`` one of :data:`REFUSAL_REASONS`; the refusal
            is recorded in the ledger before it is raised.
    """
    exc = _find(ledger, exception_id)
    code = exception_problem(ledger, exc, recipient=recipient, dataset=dataset, at=at)
    if code is None:
        assert exc is not None
        return exc
    ledger.record_refusal(
        subject="exception_use",
        reason_code=code,
        exception_id=exception_id if exc is not None else _safe_id(exception_id),
        recipient=recipient,
        dataset=dataset,
    )
    raise ExceptionRefused(
        f"lawful exception {exception_id!r} refused: {code.replace('_', ' ')}",
        reason=code,
        hint=_HINTS[code],
    )


def _safe_id(value: str) -> str | None:
    """An unknown id is recorded only if it looks like an id (never free text)."""
    try:
        return check_id(value, "exception")
    except UsageError:
        return None
