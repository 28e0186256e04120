"""The written-request register."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from redaction.disclosure import (
    Decision,
    Purpose,
    decide_request,
    get_request,
    list_requests,
    mark_noticed,
    receive_request,
)
from redaction.errors import ExceptionRefused, UsageError
from redaction.ledger import Ledger


def _receive(ledger: Ledger, document: Path, **changes: object) -> object:
    args: dict[str, object] = {
        "requester": "Det. R. Alvarez",
        "agency": "Denver Police Department",
        "received_on": date(2026, 7, 1),
        "purpose": "criminal_investigation",
        "categories": ["citizenship_status", "country_of_birth"],
        "document": document,
    }
    args.update(changes)
    return receive_request(ledger, **args)  # type: ignore[arg-type]


def test_request_keeps_hash_and_name_of_document_never_its_content(
    ledger: Ledger, document: Path
) -> None:
    req = _receive(ledger, document, request_id="REQ-1")
    assert req == get_request(ledger, "REQ-1")
    assert req.document_sha256 == hashlib.sha256(document.read_bytes()).hexdigest()  # type: ignore[attr-defined]
    assert req.document_name == "letter-2026-07-01.pdf"  # type: ignore[attr-defined]
    assert req.notice_due == date(2026, 7, 4)  # type: ignore[attr-defined]
    raw = Path(ledger.url.database or "").read_bytes()
    assert b"CANARY-LETTER-BODY" not in raw


def test_decision_is_recorded_and_a_later_one_supersedes(ledger: Ledger, document: Path) -> None:
    _receive(ledger, document, request_id="REQ-1")
    decide_request(ledger, "REQ-1", decision="grant", reason="warrant", decided_by="J. Doe")
    later = decide_request(
        ledger, "REQ-1", decision="deny", reason="warrant withdrawn", decided_by="J. Doe"
    )
    assert later.decision is Decision.DENY
    assert [e.kind for e in ledger.entries()] == [
        "request.received",
        "request.decided",
        "request.decided",
    ]


def test_civil_immigration_enforcement_is_recorded_but_never_granted(
    ledger: Ledger, document: Path
) -> None:
    req = _receive(ledger, document, request_id="REQ-ICE", purpose="civil_immigration_enforcement")
    assert req.purpose is Purpose.CIVIL_IMMIGRATION_ENFORCEMENT  # type: ignore[attr-defined]
    with pytest.raises(ExceptionRefused) as info:
        decide_request(ledger, "REQ-ICE", decision="grant", reason="-", decided_by="J. Doe")
    assert info.value.reason == "civil_immigration_enforcement"
    refusal = ledger.entries(kinds=["refusal"])[-1].payload
    assert refusal["subject"] == "request_grant" and refusal["request_id"] == "REQ-ICE"
    denied = decide_request(ledger, "REQ-ICE", decision="deny", reason="EO", decided_by="J. Doe")
    assert denied.decision is Decision.DENY


def test_overdue_lists_only_requests_past_notice_and_not_noticed(
    ledger: Ledger, document: Path
) -> None:
    _receive(ledger, document, request_id="OLD", received_on=date(2026, 7, 1))
    _receive(ledger, document, request_id="NOTICED", received_on=date(2026, 7, 1))
    _receive(ledger, document, request_id="RECENT", received_on=date(2026, 7, 5))
    mark_noticed(ledger, "NOTICED", noticed_on=date(2026, 7, 2), noticed_by="clerk")
    overdue = list_requests(ledger, overdue_on=date(2026, 7, 6))
    assert [r.id for r in overdue] == ["OLD"]
    assert [r.id for r in list_requests(ledger)] == ["OLD", "NOTICED", "RECENT"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"purpose": "curiosity"}, "bad_purpose"),  # not in the closed vocabulary
        ({"categories": ["shoe_size"]}, "bad_categories"),  # not a policy category
        ({"letter": Path("/nonexistent/letter.pdf")}, "bad_document"),
        ({"request_id": "has spaces"}, "bad_request_id"),
    ],
)
def test_bad_requests_are_usage_errors(
    ledger: Ledger, document: Path, changes: dict[str, object], reason: str
) -> None:
    letter = changes.pop("letter", document)
    with pytest.raises(UsageError) as info:
        _receive(ledger, letter, **changes)  # type: ignore[arg-type]
    assert info.value.reason == reason
    assert ledger.count() == 0


def test_duplicate_and_unknown_ids(ledger: Ledger, document: Path) -> None:
    _receive(ledger, document, request_id="REQ-1")
    with pytest.raises(UsageError, match="already exists"):
        _receive(ledger, document, request_id="REQ-1")
    with pytest.raises(UsageError, match="no written request"):
        get_request(ledger, "REQ-404")
