"""Lawful exceptions: granting, revoking, and every way a use is refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from redaction.disclosure import (
    Basis,
    check_exception,
    decide_request,
    get_exception,
    grant_exception,
    list_exceptions,
    receive_request,
    revoke_exception,
)
from redaction.errors import ExceptionRefused, ExitCode, UsageError
from redaction.ledger import Ledger

AT = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def granted_request(ledger: Ledger, document: Path) -> str:
    receive_request(
        ledger,
        requester="Clerk of Court",
        agency="Denver District Court",
        received_on=date(2026, 7, 1),
        purpose="court_proceeding",
        categories=["citizenship_status", "country_of_birth", "a_number"],
        document=document,
        request_id="REQ-1",
    )
    decide_request(ledger, "REQ-1", decision="grant", reason="order 26CV1", decided_by="CDO")
    return "REQ-1"


@pytest.fixture
def grant(ledger: Ledger, granted_request: str) -> Callable[..., object]:
    def make(**changes: object) -> object:
        args: dict[str, object] = {
            "request_id": granted_request,
            "recipient": "Denver District Court",
            "basis": "court_order",
            "categories": ["citizenship_status", "country_of_birth"],
            "valid_from": date(2026, 7, 10),
            "valid_to": date(2026, 7, 31),
            "authorized_by": "Chief Data Officer",
            "datasets": ["dmv_drivers"],
            "exception_id": "EXC-1",
        }
        args.update(changes)
        return grant_exception(ledger, **args)  # type: ignore[arg-type]

    return make


def test_granted_exception_covers_its_release(ledger: Ledger, grant: Callable[..., object]) -> None:
    grant()
    exc = check_exception(
        ledger, "EXC-1", recipient="denver district court", dataset="dmv_drivers", at=AT
    )
    assert exc.id == "EXC-1"
    assert exc.categories == frozenset({"citizenship_status", "country_of_birth"})
    assert exc.basis is Basis.COURT_ORDER
    assert [e.id for e in list_exceptions(ledger)] == ["EXC-1"]
    assert ledger.entries(kinds=["refusal"]) == []


# Every refusal: (how to set it up, recipient, dataset, when, reason code).
REFUSALS = [
    # no such exception
    ("none", "Denver District Court", "dmv_drivers", AT, "unknown"),
    # revoked before the release
    ("revoke", "Denver District Court", "dmv_drivers", AT, "revoked"),
    # the release runs before valid_from
    (
        "grant",
        "Denver District Court",
        "dmv_drivers",
        datetime(2026, 7, 9, tzinfo=UTC),
        "not_yet_valid",
    ),
    # the release runs the day after valid_to
    ("grant", "Denver District Court", "dmv_drivers", datetime(2026, 8, 1, tzinfo=UTC), "expired"),
    # another recipient
    ("grant", "Acme Insurance", "dmv_drivers", AT, "wrong_recipient"),
    # a dataset the exception does not name
    ("grant", "Denver District Court", "dmv_vehicles", AT, "out_of_scope"),
    # an extract without a contract, under an exception scoped to datasets
    ("grant", "Denver District Court", None, AT, "out_of_scope"),
    # the written request was later decided as deny
    ("deny_later", "Denver District Court", "dmv_drivers", AT, "request_not_granted"),
]


@pytest.mark.parametrize(("setup", "recipient", "dataset", "at", "reason"), REFUSALS)
def test_every_refusal_is_raised_and_recorded(
    ledger: Ledger,
    grant: Callable[..., object],
    setup: str,
    recipient: str,
    dataset: str | None,
    at: datetime,
    reason: str,
) -> None:
    if setup != "none":
        grant()
    if setup == "revoke":
        revoke_exception(
            ledger,
            "EXC-1",
            reason="order vacated",
            revoked_by="CDO",
            at=datetime(2026, 7, 12, tzinfo=UTC),
        )
    if setup == "deny_later":
        decide_request(ledger, "REQ-1", decision="deny", reason="vacated", decided_by="CDO")
    with pytest.raises(ExceptionRefused) as info:
        check_exception(ledger, "EXC-1", recipient=recipient, dataset=dataset, at=at)
    assert info.value.reason == reason
    assert info.value.exit_code == ExitCode.REFUSED
    refusal = ledger.entries(kinds=["refusal"])[-1].payload
    assert refusal["subject"] == "exception_use"
    assert refusal["reason_code"] == reason
    assert refusal["exception_id"] == "EXC-1"
    assert refusal["recipient"] == recipient and refusal["dataset"] == dataset
    assert ledger.verify().ok


@pytest.mark.parametrize(
    "basis", ["civil_immigration_enforcement", "Civil-Immigration-Enforcement"]
)
def test_civil_immigration_enforcement_basis_is_refused_and_recorded(
    ledger: Ledger, grant: Callable[..., object], basis: str
) -> None:
    with pytest.raises(ExceptionRefused) as info:
        grant(basis=basis)
    assert info.value.reason == "civil_immigration_enforcement"
    assert "never a lawful basis" in str(info.value)
    refusal = ledger.entries(kinds=["refusal"])[-1].payload
    assert (refusal["subject"], refusal["reason_code"]) == (
        "exception_grant",
        "civil_immigration_enforcement",
    )
    assert list_exceptions(ledger) == []


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        # a category the written request did not ask for
        ({"categories": ["visa_class"]}, "categories_not_requested"),
    ],
)
def test_grant_refusals_are_recorded(
    ledger: Ledger, grant: Callable[..., object], changes: dict[str, object], reason: str
) -> None:
    with pytest.raises(ExceptionRefused) as info:
        grant(**changes)
    assert info.value.reason == reason
    assert ledger.entries(kinds=["refusal"])[-1].payload["reason_code"] == reason


def test_grant_needs_a_granted_request(ledger: Ledger, document: Path) -> None:
    receive_request(
        ledger,
        requester="x",
        agency="y",
        received_on=date(2026, 7, 1),
        purpose="research",
        categories=["itin"],
        document=document,
        request_id="REQ-P",
    )
    with pytest.raises(ExceptionRefused) as info:
        grant_exception(
            ledger,
            request_id="REQ-P",
            recipient="y",
            basis="state_law",
            categories=["itin"],
            valid_from=date(2026, 7, 1),
            valid_to=date(2026, 7, 2),
            authorized_by="z",
        )
    assert info.value.reason == "request_not_granted"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"basis": "because"}, "bad_basis"),  # not a lawful basis at all
        ({"categories": ["eye_color"]}, "bad_categories"),  # not a policy category
        ({"valid_to": date(2026, 7, 1)}, "bad_validity"),  # ends before it starts
    ],
)
def test_malformed_grants_are_usage_errors(
    ledger: Ledger, grant: Callable[..., object], changes: dict[str, object], reason: str
) -> None:
    with pytest.raises(UsageError) as info:
        grant(**changes)
    assert info.value.reason == reason


def test_revoke_is_recorded_once(ledger: Ledger, grant: Callable[..., object]) -> None:
    grant()
    revoked = revoke_exception(ledger, "EXC-1", reason="order vacated", revoked_by="CDO")
    assert revoked.revoked_reason == "order vacated"
    assert get_exception(ledger, "EXC-1").status(revoked.revoked_at) == "revoked"  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="already revoked"):
        revoke_exception(ledger, "EXC-1", reason="again", revoked_by="CDO")


@pytest.mark.parametrize(
    "recipient",
    [
        "Denver District Court",  # the request's agency
        "  clerk of COURT ",  # the requester, spaces and case aside
    ],
)
def test_grant_to_the_requester_or_its_agency_needs_no_force(grant, recipient) -> None:
    exc = grant(recipient=recipient)
    assert exc.recipient_override is None


def test_grant_to_someone_who_did_not_ask_is_refused_and_recorded(ledger, grant) -> None:
    with pytest.raises(ExceptionRefused) as info:
        grant(recipient="Example Insurance Co")
    assert info.value.reason == "recipient_not_requester"
    assert info.value.exit_code == ExitCode.REFUSED
    assert "--force --reason" in str(info.value)
    refusal = ledger.entries(kinds=["refusal"])[-1].payload
    assert refusal["subject"] == "exception_grant"
    assert refusal["reason_code"] == "recipient_not_requester"
    assert refusal["recipient"] == "Example Insurance Co"
    assert list_exceptions(ledger) == []


def test_a_forced_grant_records_why_the_recipient_differs(ledger, grant) -> None:
    why = "order 26CV1 names the Sheriff's records unit as receiving office"
    exc = grant(recipient="Denver Sheriff Records", force_recipient=why)
    assert exc.recipient_override == why
    assert get_exception(ledger, "EXC-1").recipient_override == why
    assert list_exceptions(ledger)[0].recipient_override == why
    (override,) = ledger.entries(kinds=["exception.recipient_override"])
    assert override.payload["exception_id"] == "EXC-1"
    assert override.payload["reason"] == why
    assert ledger.verify().ok
    used = check_exception(
        ledger, "EXC-1", recipient="Denver Sheriff Records", dataset="dmv_drivers", at=AT
    )
    assert used.id == "EXC-1"


def test_force_without_a_reason_is_a_usage_error(grant) -> None:
    with pytest.raises(UsageError) as info:
        grant(recipient="Denver Sheriff Records", force_recipient="  ")
    assert info.value.exit_code == ExitCode.USAGE


def test_grant_command_needs_force_and_a_reason_for_another_recipient(tmp_path) -> None:
    from tests.helpers import redact

    letter = tmp_path / "letter.txt"
    letter.write_text("a written request")
    db = ["--ledger", f"sqlite:///{tmp_path / 'cli.sqlite3'}"]
    assert redact(
        "request", "add", "--id", "REQ-9", "--requester", "Clerk of Court",
        "--agency", "Denver District Court", "--received", "2026-07-01",
        "--purpose", "court_proceeding", "--categories", "citizenship_status",
        "--document", letter, *db,
    ).code == 0  # fmt: skip
    assert redact(
        "request", "decide", "REQ-9", "--decision", "grant", "--reason", "order",
        "--decided-by", "CDO", *db,
    ).code == 0  # fmt: skip
    grant = [
        "exception", "grant", "--id", "EXC-9", "--request", "REQ-9",
        "--recipient", "Denver Sheriff Records", "--basis", "court_order",
        "--categories", "citizenship_status", "--valid-from", "2026-07-01",
        "--valid-to", "2030-12-31", "--authorized-by", "CDO", *db,
    ]  # fmt: skip
    refused = redact(*grant)
    assert refused.code == 4 and "--force --reason" in " ".join(refused.err.split())
    assert redact(*grant, "--force").code == 2  # no reason
    assert redact(*grant, "--reason", "order names the Sheriff").code == 2  # no --force
    forced = redact(*grant, "--force", "--reason", "order names the Sheriff", "--json")
    assert forced.code == 0, forced.err
    assert json.loads(forced.out)["recipient_override"] == "order names the Sheriff"
    shown = redact("exception", "show", "EXC-9", *db, "--json")
    assert json.loads(shown.out)["recipient_override"] == "order names the Sheriff"


def test_a_category_a_profile_adds_can_be_requested_and_granted(
    ledger: Ledger, document: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Categories come from the policy pack, so a profile's own category is grantable."""
    profiles = tmp_path / "schemas" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "deferred_action.yaml").write_text(
        "extends: colorado\nprofile: deferred_action\ntitle: deferred action\n"
        "basis: a test profile\ncategories:\n"
        "  - id: deferred_action_status\n    title: Deferred action status\n"
        "    basis: a test category\n    action: 'null'\n    names: ['\\bdaca\\b']\n",
        encoding="utf-8",
    )
    args: dict[str, object] = {
        "requester": "Clerk of Court",
        "agency": "Denver District Court",
        "received_on": date(2026, 7, 1),
        "purpose": "court_proceeding",
        "categories": ["deferred_action_status"],
        "document": document,
    }
    with pytest.raises(UsageError) as info:  # not in the shipped pack
        receive_request(ledger, **args, request_id="REQ-0")  # type: ignore[arg-type]
    assert info.value.reason == "bad_categories"

    monkeypatch.setenv("REDACT_SCHEMAS", str(tmp_path / "schemas"))
    receive_request(ledger, **args, request_id="REQ-2")  # type: ignore[arg-type]
    decide_request(ledger, "REQ-2", decision="grant", reason="order 26CV2", decided_by="CDO")
    grant_exception(
        ledger,
        request_id="REQ-2",
        recipient="Denver District Court",
        basis="court_order",
        categories=["deferred_action_status"],
        valid_from=date(2026, 7, 10),
        valid_to=date(2026, 7, 31),
        authorized_by="Chief Data Officer",
        exception_id="EXC-2",
    )
    exc = check_exception(
        ledger, "EXC-2", recipient="Denver District Court", dataset="dmv_drivers", at=AT
    )
    assert exc.categories == frozenset({"deferred_action_status"})
