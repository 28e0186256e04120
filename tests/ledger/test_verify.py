"""Tampering by hand is detected and named by seq and table."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from helpers import publish

from redaction.ledger import GENESIS, Ledger, ReleaseRecord

Record = Callable[..., ReleaseRecord]
Tamper = Callable[[str], None]


@pytest.fixture
def three(ledger: Ledger, record: Record) -> Ledger:
    """A ledger with three published releases: intents at seq 1, 3, 5, each followed by
    its finish (seq 2, 4, 6)."""
    for n in range(3):
        publish(ledger, record(n))
    assert ledger.verify().ok
    return ledger


@pytest.mark.parametrize(
    ("sql", "seq", "table", "problem"),
    [
        # a typed row edited: fewer rows released than the chain says
        ("UPDATE releases SET rows = 5 WHERE entry_seq = 3", 3, "releases", "rows"),
        # a withheld column quietly renamed
        (
            "UPDATE withheld_columns SET category = 'releasable' WHERE entry_seq = 5",
            5,
            "withheld_columns",
            "category",
        ),
        # a chain row's payload edited
        (
            "UPDATE ledger_entries SET payload = replace(payload, 'Acme', 'Acne') WHERE seq = 3",
            3,
            "ledger_entries",
            "hash does not match",
        ),
        # a chain row's timestamp moved
        (
            "UPDATE ledger_entries SET created_at = '2020-01-01T00:00:00.000000Z' WHERE seq = 1",
            1,
            "ledger_entries",
            "hash does not match",
        ),
        # a typed row deleted
        (
            "DELETE FROM withheld_columns WHERE entry_seq = 3 AND ordinal = 1",
            3,
            "withheld_columns",
            "missing",
        ),
        # a chain row deleted from the middle
        ("DELETE FROM ledger_entries WHERE seq = 3", 3, "ledger_entries", "entry missing"),
        # the newest chain row deleted: its typed rows give it away
        (
            "DELETE FROM ledger_entries WHERE seq = 6",
            6,
            "release_outcomes",
            "no matching chain entry",
        ),
    ],
)
def test_tampering_is_named_by_seq_and_table(
    three: Ledger, tamper: Tamper, sql: str, seq: int, table: str, problem: str
) -> None:
    tamper(sql)
    result = three.verify()
    assert not result.ok
    assert (result.broken_seq, result.table) == (seq, table)
    assert problem in result.first.problem  # type: ignore[union-attr]


def test_a_row_slipped_in_by_hand_is_detected(three: Ledger, tamper: Tamper) -> None:
    tamper("INSERT INTO refusals (entry_seq, subject, reason_code) VALUES (2, 'release', 'x')")
    result = three.verify()
    assert (result.broken_seq, result.table) == (2, "refusals")


def test_whole_tail_removed_is_caught_by_a_known_head(three: Ledger, tamper: Tamper) -> None:
    head = three.head()
    for sql in (
        "DELETE FROM release_outcomes WHERE entry_seq = 6",
        "DELETE FROM withheld_columns WHERE entry_seq = 5",
        "DELETE FROM releases WHERE entry_seq = 5",
        "DELETE FROM ledger_entries WHERE seq >= 5",
    ):
        tamper(sql)
    assert three.verify().ok  # consistent on its own...
    result = three.verify(head=head)  # ...but no longer passes through the head we kept
    assert not result.ok and result.head_found is False
    assert "does not pass through" in result.summary()


def test_verify_with_head(three: Ledger) -> None:
    middle = three.entries(seqs=[2])[0].hash
    assert three.verify(head=middle).ok
    assert three.verify(head=GENESIS).ok
    assert not three.verify(head="f" * 64).ok


def test_reading_an_altered_entry_refuses(three: Ledger, tamper: Tamper) -> None:
    from redaction.errors import LedgerError

    tamper("UPDATE ledger_entries SET payload = replace(payload, '100', '101') WHERE seq = 1")
    with pytest.raises(LedgerError, match="seq 1 does not match its hash"):
        three.entries()
