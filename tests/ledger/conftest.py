"""Ledger fixtures: every ledger test runs against SQLite and a real PostgreSQL."""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pgcluster
import pytest

from redaction.ledger import Ledger, ReleaseRecord


@pytest.fixture(scope="session")
def pg_database(pg_server: str) -> Iterator[str]:
    """One PostgreSQL ledger database for the session, migrated once (this runs the
    migrations on PostgreSQL); each test empties it first."""
    url = pgcluster.fresh_database(pg_server)
    Ledger.open(url).close()
    yield url
    pgcluster.drop_database(pg_server, url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty ledger database, one per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
        return
    url = request.getfixturevalue("pg_database")
    pgcluster.reset_ledger_database(url)
    yield url


@pytest.fixture
def ledger(ledger_url: str) -> Iterator[Ledger]:
    with Ledger.open(ledger_url) as opened:
        yield opened


def make_record(n: int = 0, **changes: object) -> ReleaseRecord:
    """A release of a 100-row extract with two withheld columns."""
    fields: dict[str, object] = {
        "release_id": str(uuid.UUID(int=n + 1)),
        "source_name": f"dmv_{n}.csv",
        "source_sha256": hashlib.sha256(f"source {n}".encode()).hexdigest(),
        "dataset": "dmv_drivers",
        "profile": "colorado",
        "recipient": "Acme Insurance",
        "exception_id": None,
        "rows": 100,
        "output_name": f"dmv_{n}.csv",
        "columns": (
            ("citizenship", "citizenship_status", "drop", "name:citizenship_status"),
            ("license_type", "sb251_credential", "generalize", "contract"),
        ),
        "started_at": datetime(2026, 7, 1, 12, 0, tzinfo=UTC),
    }
    fields.update(changes)
    return ReleaseRecord(**fields)  # type: ignore[arg-type]


@pytest.fixture
def tamper(ledger: Ledger) -> Callable[[str], None]:
    """Run SQL the way someone with database access would, append-only triggers off."""

    def run(sql: str) -> None:
        if ledger.dialect == "postgresql":
            with ledger.engine.begin() as conn:
                # Superuser only: disables triggers (and FK checks) for this session.
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                conn.exec_driver_sql(sql)
            return
        path = ledger.url.database
        assert path is not None
        with sqlite3.connect(path, isolation_level=None) as raw:
            names = [
                r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
            ]
            raw.execute("BEGIN IMMEDIATE")
            for name in names:
                raw.execute(f"DROP TRIGGER {name}")
            raw.execute(sql)
            raw.execute("COMMIT")

    return run


@pytest.fixture
def record() -> Callable[..., ReleaseRecord]:
    """``record(n, **changes)``: a distinct release record per ``n``."""
    return make_record
