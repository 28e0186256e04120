"""The release flow run for real against a Prefect test server: bytes published,
artifacts written (and what they say), the ledger entry, exceptions by tag."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pcsv
import pytest
from flow_helpers import COURT, RECIPIENT, artifacts, by_type, flow_run_id, table_rows
from prefect import flow, tags, task

from flows._common import NO_PERSIST, transient_only
from flows.release import release_extract
from redaction.errors import ExceptionRefused, LedgerUnavailable, PolicyError, ValidationFailed
from redaction.ledger import Ledger

pytestmark = pytest.mark.prefect
SAMPLE_CSV = Path(__file__).resolve().parents[2] / "sample_data" / "dmv_drivers.csv"


def _release(ledger_url: str, **kw):
    args = {
        "source": str(SAMPLE_CSV),
        "recipient": RECIPIENT,
        "outbox": "outbox",
        "dataset": "dmv_drivers",
        "ledger_url": ledger_url,
    }
    return release_extract(**{**args, **kw}, return_state=True)


def test_release_publishes_and_writes_artifacts(prefect_server, ledger_url):
    state = _release(ledger_url)
    assert state.is_completed(), state.message
    result = state.result()
    out = Path("outbox/dmv_drivers.csv")
    assert out.exists() and not Path("outbox/.redact-staging").exists()
    table = pcsv.read_csv(out)
    assert table.num_rows == 200 == result["rows"]
    assert table.column("citizenship_status").null_count == 200  # withheld for every row
    assert result["exception"] is None

    with Ledger.open(ledger_url) as ledger:
        assert ledger.verify().ok
        assert ledger.head() == result["ledger_entry"]

    found = artifacts(flow_run_id(state))
    (tbl,) = by_type(found, "table")
    (md,) = by_type(found, "markdown")
    # keyed by dataset and recipient: releases to other recipients keep their own
    assert tbl.key == "release-dmv-drivers-example-insurance-columns"
    assert md.key == "release-dmv-drivers-example-insurance"
    rows = table_rows(tbl)
    cols = {r["column"]: r for r in rows}
    assert cols["citizenship_status"]["action"] in ("null", "drop")
    assert cols["citizenship_status"]["category"] == "citizenship_status"
    assert "driver_id" not in cols  # released columns are not listed as withheld
    assert {r["ledger_entry"] for r in rows} == {result["ledger_entry"]}
    assert {r["validation"] for r in rows} == {"passed"}
    assert {r["exception"] for r in rows} == {None}
    assert all(r["rows"] == 200 for r in rows)
    assert set(rows[0]) == {
        "column",
        "action",
        "category",
        "rows",
        "changed",
        "exception",
        "validation",
        "ledger_entry",
    }
    assert result["ledger_entry"] in md.data
    assert "validation passed: 200 row(s)" in md.data
    assert "**lawful exception**: none" in md.data


def test_exception_tag_releases_the_covered_category(prefect_server, ledger_url, court_exception):
    with tags(f"lawful-exception:{court_exception}"):
        state = _release(ledger_url, recipient=COURT)
    assert state.is_completed(), state.message
    result = state.result()
    assert result["exception"] == court_exception
    table = pcsv.read_csv("outbox/dmv_drivers.csv")
    assert table.column("citizenship_status").null_count < 200  # released under it
    assert table.column("a_number").null_count == 200  # not covered: still withheld
    with Ledger.open(ledger_url) as ledger:
        (entry,) = ledger.entries_for("releases", release_id=result["release_id"])
        assert entry.payload["exception_id"] == court_exception
    (md,) = by_type(artifacts(flow_run_id(state)), "markdown")
    assert f"**lawful exception**: {court_exception}" in md.data
    assert "citizenship_status" in md.data.split("released under the exception**:")[1]


def test_exception_parameter_and_tag_are_the_same_thing(
    prefect_server, ledger_url, court_exception
):
    with tags(f"lawful-exception:{court_exception}"):
        state = _release(ledger_url, recipient=COURT, exception_id=court_exception)
    assert state.is_completed(), state.message


def test_unknown_exception_tag_fails_before_reading(prefect_server, ledger_url):
    # The source does not exist: had the run read anything first, it would fail with
    # missing_file, not with the exception's refusal.
    with tags("lawful-exception:EXC-NOPE"):
        state = _release(ledger_url, source="no/such/extract.csv")
    assert state.is_failed()
    exc = state.result(raise_on_failure=False)
    assert isinstance(exc, ExceptionRefused) and exc.reason == "unknown"
    assert not Path("outbox/extract.csv").exists()
    with Ledger.open(ledger_url) as ledger:
        (refusal,) = ledger.entries_for("refusals")
        assert refusal.payload["reason_code"] == "unknown"
    (md,) = by_type(artifacts(flow_run_id(state)), "markdown")
    assert "not published" in md.data and "`unknown`" in md.data


def test_tag_and_parameter_naming_different_exceptions_fail(
    prefect_server, ledger_url, court_exception
):
    with tags("lawful-exception:EXC-OTHER"):
        state = _release(ledger_url, recipient=COURT, exception_id=court_exception)
    assert state.is_failed()
    exc = state.result(raise_on_failure=False)
    assert isinstance(exc, PolicyError) and exc.reason == "exception_conflict"
    assert not Path("outbox").exists()  # refused before the outbox was even created
    with Ledger.open(ledger_url) as ledger:
        (refusal,) = ledger.entries_for("refusals")
        assert refusal.payload["reason_code"] == "exception_conflict"


def test_retries_only_transient_errors(prefect_server):
    calls = {"transient": 0, "terminal": 0}

    @task(retries=2, retry_delay_seconds=0, retry_condition_fn=transient_only, **NO_PERSIST)
    def flaky() -> str:
        calls["transient"] += 1
        if calls["transient"] == 1:
            raise LedgerUnavailable("ledger unreachable", reason="unreachable")
        return "ok"

    @task(retries=2, retry_delay_seconds=0, retry_condition_fn=transient_only, **NO_PERSIST)
    def refused() -> None:
        calls["terminal"] += 1
        raise ValidationFailed("3 checks failed", reason="validation_failed")

    @flow(persist_result=False)
    def both() -> None:
        flaky()
        refused(return_state=True)

    both()
    assert calls == {"transient": 2, "terminal": 1}
