"""The register, exceptions, ledger and report through the command line, on a real
PostgreSQL ledger: the path an agency's clerk and its CI jobs take."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import publish
from sqlalchemy import create_engine

from redaction.disclosure import check_exception
from redaction.errors import ExceptionRefused
from redaction.ledger import Ledger, ReleaseRecord

CANARY = "A123456789"  # an A-number that must appear in no ledger row or output


def _record(n: int, recipient: str, exception_id: str | None = None) -> ReleaseRecord:
    return ReleaseRecord(
        release_id=str(uuid.uuid4()),
        source_name=f"drivers_{n}.csv",
        source_sha256=hashlib.sha256(b"src").hexdigest(),
        dataset="dmv_drivers",
        profile="colorado",
        recipient=recipient,
        exception_id=exception_id,
        rows=10,
        output_name=f"drivers_{n}.csv",
        columns=(("a_number", "a_number", "null", "name:a_number"),),
        started_at=datetime.now(UTC),
    )


@pytest.mark.postgres
def test_clerk_workflow_on_postgres(
    pg_url: str, redact: Callable[..., Any], tmp_path: Path
) -> None:
    letter = tmp_path / "subpoena.pdf"
    letter.write_bytes(f"subpoena naming {CANARY}".encode())
    L = ["--ledger", pg_url]
    run = redact
    r = run(
        "request", "add", "--requester", "ADA Kim", "--agency", "Denver DA",
        "--received", "2026-07-01", "--purpose", "court_proceeding",
        "--categories", "a_number,country_of_birth", "--document", str(letter),
        "--id", "REQ-7", *L,
    )  # fmt: skip
    assert r.code == 0, r.err
    r = run("request", "decide", "REQ-7", "--decision", "grant", "--reason", "subpoena 26-1",
            "--decided-by", "Records Officer", *L)  # fmt: skip
    assert r.code == 0, r.err

    # civil immigration enforcement: refused (exit 4) and recorded
    r = run("exception", "grant", "--request", "REQ-7", "--recipient", "Denver DA",
            "--basis", "civil_immigration_enforcement", "--categories", "a_number",
            "--valid-from", "2026-07-01", "--valid-to", "2026-12-31",
            "--authorized-by", "CDO", *L)  # fmt: skip
    assert r.code == 4
    assert "never a lawful basis" in r.err

    r = run("exception", "grant", "--request", "REQ-7", "--recipient", "Denver DA",
            "--basis", "court_order", "--categories", "a_number",
            "--valid-from", "2026-07-01", "--valid-to", "2026-12-31",
            "--authorized-by", "CDO", "--datasets", "dmv_drivers", "--id", "EXC-7",
            "--json", *L)  # fmt: skip
    assert r.code == 0, r.err
    assert json.loads(r.out)["categories"] == ["a_number"]

    with Ledger.open(pg_url) as ledger:
        exc = check_exception(
            ledger, "EXC-7", recipient="Denver DA", dataset="dmv_drivers", at=datetime.now(UTC)
        )
        assert exc.categories == frozenset({"a_number"})
        with pytest.raises(ExceptionRefused):
            check_exception(
                ledger, "EXC-7", recipient="ICE ERO", dataset="dmv_drivers", at=datetime.now(UTC)
            )
        intent = ledger.begin_release(_record(1, "Denver DA", "EXC-7"))
        ledger.finish_release(intent.seq, "published", "b" * 64)
        publish(ledger, _record(2, "Acme Insurance"))

    r = run("request", "list", "--overdue", "--today", "2026-07-06", "--json", *L)
    assert [x["id"] for x in json.loads(r.out)] == ["REQ-7"]
    r = run("exception", "list", "--json", *L)
    assert json.loads(r.out)[0]["id"] == "EXC-7"

    # the report states the head; verify --head checks the chain passes through it
    now = datetime.now(UTC)
    quarter = f"{now.year}Q{(now.month - 1) // 3 + 1}"
    r = run("report", "--quarter", quarter, "--out", str(tmp_path / "rep"), "--json", *L)
    assert r.code == 0, r.err
    report = json.loads(r.out)
    assert ["summary", "releases", "", "2"] in report["rows"]
    assert [
        "refusals_by_reason",
        "civil_immigration_enforcement",
        "exception_grant",
        "1",
    ] in report["rows"]
    r = run("ledger", "verify", "--head", report["head"], *L)
    assert r.code == 0, r.err

    # nothing of the letter's content reached the ledger or the report
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        dump = json.dumps([list(map(str, row)) for row in conn.exec_driver_sql(
            "SELECT payload FROM ledger_entries")])  # fmt: skip
    engine.dispose()
    assert CANARY not in dump
    for path in (tmp_path / "rep").iterdir():
        assert CANARY not in path.read_text()

    # tamper with a typed row by hand: verify exits 6 naming seq and table
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        conn.exec_driver_sql("UPDATE exceptions SET recipient = 'ICE ERO'")
    engine.dispose()
    r = run("ledger", "verify", *L)
    assert r.code == 6
    assert "table exceptions" in r.err and "recipient" in r.err


@pytest.mark.postgres
def test_reconcile_reports_orphans_and_records_clear_ones(
    pg_url: str, redact: Callable[..., Any], tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    published = outbox / "drivers_1.csv"
    published.write_text("id,name\n1,x\n")
    with Ledger.open(pg_url) as ledger:
        ledger.begin_release(
            _record(1, "Acme"), output_sha256=hashlib.sha256(published.read_bytes()).hexdigest()
        )
        ledger.begin_release(_record(2, "Acme"), output_sha256="c" * 64)  # never published
    r = redact("ledger", "reconcile", "--outbox", str(outbox), "--json", "--ledger", pg_url)
    assert r.code == 6
    assert [o["status"] for o in json.loads(r.out)] == ["published", "missing"]
    r = redact("ledger", "reconcile", "--outbox", str(outbox), "--record", "--ledger", pg_url)
    assert r.code == 0, r.err
    r = redact("ledger", "reconcile", "--outbox", str(outbox), "--ledger", pg_url)
    assert r.code == 0 and "every release intent" in r.out
    with Ledger.open(pg_url) as ledger:
        outcomes = [e.payload["outcome"] for e in ledger.entries(kinds=["release.finish"])]
        assert outcomes == ["published", "not_published"]
        assert ledger.verify().ok


def test_default_ledger_is_under_the_working_directory(
    redact: Callable[..., Any], tmp_path: Path
) -> None:
    # a fresh default ledger does not verify as intact unless asked (issue 18)
    assert redact("ledger", "verify").code == 6
    r = redact("ledger", "verify", "--allow-empty")
    assert r.code == 0
    assert "working directory" in r.err
    assert (tmp_path / ".redact" / "ledger.sqlite3").is_file()
    r = redact("ledger", "verify", "--allow-empty", "--head", "f" * 64)
    assert r.code == 6 and "does not pass through" in r.err


def test_unreachable_ledger_exits_6_without_the_password(redact: Callable[..., Any]) -> None:
    r = redact(
        "ledger", "verify", "--ledger", "postgresql://u:hunter2@127.0.0.1:1/x?connect_timeout=2"
    )
    assert r.code == 6
    assert "hunter2" not in r.err
