"""Verification covers every ledger table, every column: an edit anywhere is named by
table, seq and column (issue 15, defect 5). The quarterly report reads these tables'
entries, so a projection edited by hand must never verify as intact."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import publish
from sqlalchemy import Boolean

from redaction.ledger import Ledger, ReleaseRecord
from redaction.ledger.models import Base

Tamper = Callable[[str], None]

HEX = "ab" * 32
STAMP = "2026-07-01T12:00:00.000000Z"
RELEASE_ID = "00000000-0000-0000-0000-000000000001"

#: One payload of every kind, in an order the chain accepts.
PAYLOADS: list[tuple[str, dict[str, object]]] = [
    (
        "request.received",
        {
            "request_id": "REQ-1",
            "requester": "Det. Example",
            "agency": "Denver PD",
            "received_on": "2026-07-01",
            "purpose": "criminal_investigation",
            "categories": ["a_number"],
            "document_sha256": HEX,
            "document_name": "request.pdf",
            "notice_due": "2026-07-04",
        },
    ),
    (
        "request.decided",
        {
            "request_id": "REQ-1",
            "decision": "grant",
            "reason": "warrant on file",
            "decided_by": "Counsel",
            "decided_at": STAMP,
        },
    ),
    ("request.noticed", {"request_id": "REQ-1", "noticed_on": "2026-07-02", "noticed_by": "Clerk"}),
    (
        "exception.granted",
        {
            "exception_id": "EX-1",
            "request_id": "REQ-1",
            "recipient": "Denver PD",
            "basis": "criminal_law_enforcement",
            "categories": ["a_number"],
            "datasets": ["dmv_drivers"],
            "valid_from": "2026-07-01",
            "valid_to": "2026-12-31",
            "authorized_by": "Counsel",
        },
    ),
    (
        "exception.revoked",
        {"exception_id": "EX-1", "revoked_at": STAMP, "reason": "closed", "revoked_by": "Counsel"},
    ),
    (
        "refusal",
        {
            "subject": "exception_use",
            "reason_code": "revoked",
            "exception_id": "EX-1",
            "recipient": "Denver PD",
        },
    ),
    (
        "validation",
        {
            "release_id": RELEASE_ID,
            "source_name": "dmv.csv",
            "passed": True,
            "expectations": 7,
            "failures": 0,
            "failed_checks": [],
            "rows": 100,
        },
    ),
]

#: Columns that are keys (changing them is a row missing plus a row unaccounted for).
KEYS = {"entry_seq", "ordinal"}


def _other(table: str, column: str, value: object) -> str:
    """SQL for a different value of the same type (SQLite hands booleans back as 0/1)."""
    if isinstance(Base.metadata.tables[table].c[column].type, Boolean):
        return f"({column} = FALSE)"
    if isinstance(value, int):
        return f"{column} + 1"
    return "'tampered'"


@pytest.fixture
def full(ledger: Ledger, record: Callable[..., ReleaseRecord]) -> Ledger:
    for kind, payload in PAYLOADS:
        ledger.append(kind, payload)
    intent = ledger.begin_release(record(0, release_id=RELEASE_ID), output_sha256=HEX)
    ledger.finish_release(intent.seq, "published", HEX)
    publish(ledger, record(1))
    assert ledger.verify().ok
    return ledger


def _cases() -> list[tuple[str, str]]:
    return [
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        if table.name != "ledger_entries"
        for column in table.columns
        if column.name not in KEYS
    ]


def test_every_typed_table_is_covered() -> None:
    # the case list below spans every projection table the ledger defines
    assert {t for t, _ in _cases()} == set(Base.metadata.tables) - {"ledger_entries"}


@pytest.mark.parametrize(("table", "column"), _cases())
def test_an_edit_to_any_column_of_any_table_is_named(
    full: Ledger, tamper: Tamper, table: str, column: str
) -> None:
    with full.engine.connect() as conn:
        row = conn.exec_driver_sql(
            f"SELECT entry_seq, {column} FROM {table} ORDER BY entry_seq LIMIT 1"
        ).first()
    assert row is not None, f"the fixture wrote no {table} row"
    seq, value = row
    new = "'tampered'" if value is None else _other(table, column, value)
    tamper(f"UPDATE {table} SET {column} = {new} WHERE entry_seq = {seq}")
    result = full.verify()
    assert not result.ok
    assert (result.broken_seq, result.table) == (seq, table)
    assert column in result.first.problem  # type: ignore[union-attr]
