"""Disclosure fixtures: a SQLite ledger with a clock the test can move."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from redaction.ledger import Ledger


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 7, 6, 15, 0, tzinfo=UTC))


@pytest.fixture
def ledger(tmp_path: Path, clock: Clock) -> Iterator[Ledger]:
    with Ledger.open(f"sqlite:///{tmp_path / 'ledger.sqlite3'}", clock=clock) as opened:
        yield opened


@pytest.fixture
def document(tmp_path: Path) -> Path:
    """A request letter; only its hash and name may reach the ledger."""
    path = tmp_path / "letter-2026-07-01.pdf"
    path.write_bytes(b"%PDF-1.4 request letter CANARY-LETTER-BODY")
    return path
