"""The shipped Alembic migrations: up on open, down and up again cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from redaction.ledger import Ledger, migrate
from redaction.ledger.models import TABLES


def _roundtrip(url: str) -> None:
    with Ledger.open(url) as ledger:
        assert set(TABLES) <= set(inspect(ledger.engine).get_table_names())
        with ledger.engine.begin() as conn:
            cfg = migrate._config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert not set(TABLES) & set(inspect(ledger.engine).get_table_names())
        assert migrate.current_revision(ledger.engine) is None
    with Ledger.open(url) as ledger:  # opening migrates again
        assert migrate.current_revision(ledger.engine) == migrate.head_revision()
        assert ledger.verify().ok


def test_sqlite_migrations_go_down_and_up(tmp_path: Path) -> None:
    _roundtrip(f"sqlite:///{tmp_path / 'm.sqlite3'}")


@pytest.mark.postgres
def test_postgres_migrations_go_down_and_up(pg_server: str) -> None:
    import pgcluster

    url = pgcluster.fresh_database(pg_server)
    try:
        _roundtrip(url)
    finally:
        pgcluster.drop_database(pg_server, url)


def test_head_revision_is_the_newest_script() -> None:
    # Opening a migrated ledger compares with HEAD_REVISION, without importing Alembic.
    scripts = ScriptDirectory.from_config(migrate._config())
    assert migrate.head_revision() == scripts.get_current_head()
