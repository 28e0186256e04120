"""Appending, reading back and two-phase releases, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import publish
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from redaction.errors import ExitCode, LedgerError
from redaction.ledger import GENESIS, Ledger, ReleaseRecord
from redaction.ledger.chain import entry_hash
from redaction.ledger.store import TYPED

Record = Callable[..., ReleaseRecord]


def test_empty_ledger_has_genesis_head_and_verifies(ledger: Ledger) -> None:
    assert ledger.head() == GENESIS
    result = ledger.verify()
    assert result.ok and result.entries == 0


def test_append_links_each_entry_to_the_previous(ledger: Ledger, record: Record) -> None:
    intent = publish(ledger, record(1))
    (finish,) = ledger.entries(seqs=[2])
    second = ledger.record_validation(
        release_id=record(1).release_id,
        source_name="dmv_1.csv",
        passed=True,
        expectations=5,
        failures=0,
    )
    assert (intent.seq, finish.seq, second.seq) == (1, 2, 3)
    assert intent.prev_hash == GENESIS and finish.prev_hash == intent.hash
    assert second.prev_hash == finish.hash
    assert second.hash == entry_hash(
        3, "validation", second.payload, finish.hash, second.created_at
    )
    assert ledger.head() == second.hash
    assert ledger.verify().ok


def test_release_writes_one_typed_row_per_withheld_column(ledger: Ledger, record: Record) -> None:
    publish(ledger, record(1))
    with ledger.engine.connect() as conn:
        rows = conn.execute(select(TYPED["withheld_columns"]).order_by(text("ordinal"))).all()
    assert [(r.column_name, r.category, r.action, r.count) for r in rows] == [
        ("citizenship", "citizenship_status", "drop", 100),
        ("license_type", "sb251_credential", "generalize", 100),
    ]


@pytest.mark.parametrize(
    ("payload", "needle"),
    [
        # a key the kind does not declare: could be anything, a cell value included
        ({"extra_values": ["A123456789"]}, "unexpected key 'extra_values'"),
        # a required key missing
        ({"passed": None}, "passed must be true or false"),
    ],
)
def test_payload_with_unexpected_or_bad_keys_is_refused(
    ledger: Ledger, payload: dict[str, Any], needle: str
) -> None:
    base = {
        "release_id": "00000000-0000-0000-0000-000000000001",
        "source_name": "x.csv",
        "passed": True,
        "expectations": 1,
        "failures": 0,
        "failed_checks": [],
    }
    with pytest.raises(LedgerError) as info:
        ledger.append("validation", {**base, **payload})
    assert needle in str(info.value)
    assert "A123456789" not in str(info.value)
    assert info.value.exit_code == ExitCode.LEDGER
    assert ledger.head() == GENESIS
    if ledger.dialect == "sqlite":  # nothing of the refused payload reached the file
        for path in Path(ledger.url.database or "").parent.glob("ledger.sqlite3*"):
            assert b"A123456789" not in path.read_bytes()


def test_unknown_kind_is_refused(ledger: Ledger) -> None:
    with pytest.raises(LedgerError, match="unknown ledger entry kind"):
        ledger.append("cell_dump", {})


def test_two_phase_release_and_single_finish(ledger: Ledger, record: Record) -> None:
    intent = ledger.begin_release(record(1), output_sha256="c" * 64)
    finish = ledger.finish_release(intent.seq, "published", "c" * 64)
    assert finish.payload["intent_seq"] == intent.seq
    with pytest.raises(LedgerError, match="already finished"):
        ledger.finish_release(intent.seq, "failed")
    with pytest.raises(LedgerError, match="no release intent"):
        ledger.finish_release(99, "published")
    assert ledger.orphans() == []
    assert ledger.verify().ok


def test_intent_without_finish_is_an_orphan(ledger: Ledger, record: Record) -> None:
    intent = ledger.begin_release(record(1))
    done = ledger.begin_release(record(2))
    ledger.finish_release(done.seq, "published")
    orphans = ledger.orphans()
    assert [o.seq for o in orphans] == [intent.seq]
    assert orphans[0].payload["output_name"] == "dmv_1.csv"


def test_rows_are_append_only_in_the_database(ledger: Ledger, record: Record) -> None:
    publish(ledger, record(1))
    with pytest.raises(DBAPIError), ledger.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE releases SET rows = 1")
    with pytest.raises(DBAPIError), ledger.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM ledger_entries")
    assert ledger.verify().ok


def test_created_at_never_goes_back(ledger_url: str, record: Record) -> None:
    # the clock steps back a day after the first entry and stays there
    times = itertools.chain(
        [datetime(2026, 7, 2, tzinfo=UTC)], itertools.repeat(datetime(2026, 7, 1, tzinfo=UTC))
    )
    with Ledger.open(ledger_url, clock=lambda: next(times)) as ledger:
        a = publish(ledger, record(1))
        b = publish(ledger, record(2))
        assert {e.created_at for e in ledger.entries()} == {a.created_at}
    assert b.created_at == a.created_at


def test_reopening_keeps_the_chain(ledger_url: str, record: Record) -> None:
    with Ledger.open(ledger_url) as ledger:
        publish(ledger, record(1))
        head = ledger.head()
    with Ledger.open(ledger_url) as ledger:
        assert ledger.head() == head
        assert publish(ledger, record(2)).prev_hash == head


def test_record_from_a_plan_lists_only_withheld_columns(ledger: Ledger) -> None:
    import pyarrow as pa

    from redaction.plan_model import ColumnDecision, Evidence, Plan

    schema = pa.schema([("id", pa.int64()), ("citizenship", pa.string()), ("notes", pa.string())])
    plan = Plan(
        source_schema=schema,
        decisions=(
            ColumnDecision("id", "release", None, "releasable"),
            ColumnDecision(
                "citizenship",
                "drop",
                "citizenship_status",
                "name",
                (Evidence("name:citizenship_status", "column name"),),
            ),
            ColumnDecision("notes", "scrub", "status_notes", "contract"),
        ),
        policy_id="colorado",
        dataset="dmv_drivers",
    )
    rec = ReleaseRecord.from_plan(
        plan,
        release_id="00000000-0000-0000-0000-00000000000a",
        source_name="x.csv",
        source_sha256="a" * 64,
        profile="colorado",
        recipient="Acme",
        rows=7,
        output_name="x.csv",
        started_at=datetime(2026, 7, 1, tzinfo=UTC),
    )
    assert rec.columns == (
        ("citizenship", "citizenship_status", "drop", "name:citizenship_status"),
        ("notes", "status_notes", "scrub", "default"),
    )
    assert publish(ledger, rec).payload["columns"][0]["count"] == 7


def test_refusal_codes_are_folded_to_ids_not_lost(ledger: Ledger) -> None:
    entry = ledger.record_refusal(subject="Release", reason_code="Guard-Hit: value/a_number")
    assert (entry.payload["subject"], entry.payload["reason_code"]) == (
        "release",
        "guard_hit_value_a_number",
    )
