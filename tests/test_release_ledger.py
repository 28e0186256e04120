"""Releases with the ledger, the validation gate and lawful exceptions, end to end:
real SQLite ledger, real GX runs, real files."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import CANARIES, REPO, SAMPLES, canary_hits, files_under, redact

from redaction.disclosure.lawful import grant_exception, revoke_exception
from redaction.disclosure.requests import decide_request, receive_request
from redaction.ledger import Ledger

DRIVERS = SAMPLES / "dmv_drivers.csv"
TODAY = date.today()


def _kinds(ledger: Ledger) -> list[str]:
    return [e.kind for e in ledger.entries()]


def _exception(
    ledger: Ledger,
    tmp_path: Path,
    *,
    recipient: str = "Denver Police Department",
    basis: str = "criminal_law_enforcement",
    categories: tuple[str, ...] = ("a_number",),
    valid_from: date = TODAY - timedelta(days=1),
    valid_to: date = TODAY + timedelta(days=30),
    datasets: tuple[str, ...] | None = None,
    exception_id: str = "EX-TEST-1",
) -> str:
    doc = tmp_path / f"request-{exception_id}.pdf"
    doc.write_bytes(b"%PDF- a written request")
    req = receive_request(
        ledger,
        requester="Det. Example",
        agency=recipient,
        received_on=TODAY,
        purpose="criminal_investigation",
        categories=list(categories),
        document=doc,
    )
    decide_request(ledger, req.id, decision="grant", reason="warrant on file", decided_by="Counsel")
    exc = grant_exception(
        ledger,
        request_id=req.id,
        recipient=recipient,
        basis=basis,
        categories=list(categories),
        valid_from=valid_from,
        valid_to=valid_to,
        authorized_by="Counsel",
        datasets=list(datasets) if datasets else None,
        exception_id=exception_id,
    )
    return exc.id


def test_release_is_validated_and_recorded(tmp_path):
    run = redact(
        "release",
        DRIVERS,
        "-d",
        "dmv_drivers",
        "-r",
        "Example Insurance Co",
        "-o",
        "outbox",
        "--json",
    )
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["validation"]["success"] is True
    assert result["validation"]["rows_checked"] == 200
    ledger = Ledger.open()
    assert _kinds(ledger) == ["validation", "release.intent", "release.finish"]
    assert ledger.verify().ok
    assert result["ledger_entry"] == ledger.head()
    files = files_under(tmp_path / ".redact", tmp_path / "outbox")
    assert canary_hits(sorted(set(CANARIES.values())), [run.out, run.err], files) == []


def test_failed_validation_quarantines_and_exits_5(tmp_path, monkeypatch):
    schemas = tmp_path / "schemas"
    (schemas / "datasets").mkdir(parents=True)
    (schemas / "policy.yaml").write_text((REPO / "schemas" / "policy.yaml").read_text())
    contract = (REPO / "schemas" / "datasets" / "dmv_vehicles.yaml").read_text()
    # The contract now allows fewer title codes than the data holds: a contract
    # expectation the output fails.
    contract = contract.replace(
        "{name: title_status, type: string, category: releasable}",
        "{name: title_status, type: string, category: releasable, allowed_values: [CLEAR]}",
    )
    (schemas / "datasets" / "dmv_vehicles.yaml").write_text(contract)
    monkeypatch.setenv("REDACT_SCHEMAS", str(schemas))
    run = redact(
        "release", SAMPLES / "dmv_vehicles.csv", "-d", "dmv_vehicles", "-r", "R", "-o", "outbox"
    )
    assert run.code == 5, run.err
    msg = " ".join(run.err.split())
    assert "title_status" in msg and "quarantined" in msg
    assert not any((tmp_path / "outbox").glob("*.csv"))
    quarantined = list((tmp_path / "quarantine").glob("*.csv"))
    assert len(quarantined) == 1
    ledger = Ledger.open()
    validations = [e for e in ledger.entries() if e.kind == "validation"]
    assert validations and validations[0].payload["passed"] is False
    assert "release.intent" not in _kinds(ledger)


def test_exception_releases_only_its_categories(tmp_path):
    ledger = Ledger.open()
    exc = _exception(ledger, tmp_path)
    ledger.close()
    run = redact(
        "release",
        DRIVERS,
        "-d",
        "dmv_drivers",
        "-r",
        "Denver Police Department",
        "-o",
        "outbox",
        "--exception",
        exc,
        "--json",
    )
    assert run.code == 0, run.err
    cols = {c["column"]: c for c in json.loads(run.out)["columns"]}
    assert cols["a_number"]["action"] == "release"
    assert cols["visa_class"]["action"] == "null"
    body = (tmp_path / "outbox" / "dmv_drivers.csv").read_text()
    assert CANARIES["a_number"] in body  # released under the exception
    assert CANARIES["country_of_birth"] not in body  # not covered
    entries = Ledger.open().entries()
    intent = next(e for e in entries if e.kind == "release.intent")
    assert intent.payload["exception_id"] == exc


REFUSALS = [
    # (case, exception settings, release recipient, dataset, expected reason)
    (
        "expired",
        {"valid_from": TODAY - timedelta(days=30), "valid_to": TODAY - timedelta(days=1)},
        None,
        "dmv_drivers",
        "expired",
    ),
    (
        "not yet valid",
        {"valid_from": TODAY + timedelta(days=2), "valid_to": TODAY + timedelta(days=9)},
        None,
        "dmv_drivers",
        "not_yet_valid",
    ),
    ("wrong recipient", {}, "Example Insurance Co", "dmv_drivers", "wrong_recipient"),
    ("dataset out of scope", {"datasets": ("dmv_vehicles",)}, None, "dmv_drivers", "out_of_scope"),
    ("no covered column", {"categories": ("a_number",)}, None, "dmv_vehicles", "out_of_scope"),
    ("unknown id", None, None, "dmv_drivers", "unknown"),
    ("revoked", {"revoke": True}, None, "dmv_drivers", "revoked"),
]


@pytest.mark.parametrize(
    ("case", "settings", "recipient", "dataset", "reason"), REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_refused_exception_publishes_nothing_and_is_recorded(
    tmp_path, case, settings, recipient, dataset, reason
):
    ledger = Ledger.open()
    if settings is None:
        exc = "EX-DOES-NOT-EXIST"
    else:
        settings = dict(settings)
        revoke = settings.pop("revoke", False)
        exc = _exception(ledger, tmp_path, **settings)
        if revoke:
            revoke_exception(ledger, exc, reason="request withdrawn", revoked_by="Counsel")
    ledger.close()
    source = SAMPLES / ("dmv_vehicles.csv" if dataset == "dmv_vehicles" else "dmv_drivers.csv")
    run = redact(
        "release",
        source,
        "-d",
        dataset,
        "-r",
        recipient or "Denver Police Department",
        "-o",
        "outbox",
        "--exception",
        exc,
    )
    assert run.code == 4, run.err
    assert reason.replace("_", " ") in " ".join(run.err.split())
    assert not (tmp_path / "outbox").exists() or not any((tmp_path / "outbox").iterdir())
    refusals = [e.payload for e in Ledger.open().entries() if e.kind == "refusal"]
    assert [r["reason_code"] for r in refusals] == [reason]


def test_new_york_profile_limits_immigration_agencies_to_court_orders(tmp_path):
    ledger = Ledger.open()
    exc = _exception(ledger, tmp_path, recipient="U.S. Immigration and Customs Enforcement")
    ledger.close()
    run = redact(
        "release",
        DRIVERS,
        "-d",
        "dmv_drivers",
        "-r",
        "U.S. Immigration and Customs Enforcement",
        "-o",
        "outbox",
        "--exception",
        exc,
        "--profile",
        "new_york",
    )
    assert run.code == 4, run.err
    assert "court_order" in run.err
    refusal = next(e.payload for e in Ledger.open().entries() if e.kind == "refusal")
    assert refusal["reason_code"] == "basis_not_allowed"


def test_profile_is_recorded_and_changes_decisions(tmp_path):
    run = redact(
        "release",
        DRIVERS,
        "-d",
        "dmv_drivers",
        "-r",
        "R",
        "-o",
        "outbox",
        "--profile",
        "new_york",
        "--json",
        "--no-validate",
    )
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["profile"] == "new_york"
    cols = {c["column"]: c["action"] for c in result["columns"]}
    assert cols["license_type"] == "null"  # New York: federal-standards status withheld whole
    intent = next(e for e in Ledger.open().entries() if e.kind == "release.intent")
    assert intent.payload["profile"] == "new_york"


def test_unreachable_ledger_publishes_nothing(tmp_path):
    run = redact(
        "release", DRIVERS, "-d", "dmv_drivers", "-r", "R", "-o", "outbox",
        "--ledger", "postgresql://nobody@127.0.0.1:9/none", "--no-validate",
    )  # fmt: skip
    assert run.code == 6, run.err
    assert not (tmp_path / "outbox" / "dmv_drivers.csv").exists()


def test_crash_between_publish_and_record_leaves_an_orphan_reconcile_finds(tmp_path, monkeypatch):
    from redaction.errors import LedgerUnavailable

    real = Ledger.finish_release

    def down_after_rename(self, intent_seq, outcome, output_sha256=None, **kw):
        if outcome == "published":  # the database goes away right after the rename
            raise LedgerUnavailable("ledger database unreachable", reason="unreachable")
        return real(self, intent_seq, outcome, output_sha256, **kw)

    monkeypatch.setattr(Ledger, "finish_release", down_after_rename)
    run = redact(
        "release", DRIVERS, "-d", "dmv_drivers", "-r", "R", "-o", "outbox", "--no-validate"
    )
    assert run.code == 6, run.err
    assert "reconcile" in run.err
    assert (tmp_path / "outbox" / "dmv_drivers.csv").exists()
    monkeypatch.setattr(Ledger, "finish_release", real)
    check = redact("ledger", "reconcile", "--outbox", "outbox", "--json")
    assert check.code == 6, check.err
    assert "dmv_drivers.csv" in check.out
