"""Alembic migrations shipped in the package, run programmatically when a ledger opens.

Concurrent openers are serialised (an advisory lock on PostgreSQL, ``BEGIN IMMEDIATE``
on SQLite), so eight processes opening a fresh ledger at once migrate it once.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "ledger_schema_version"
#: ``pg_advisory_xact_lock`` keys (arbitrary, fixed): one for migrations, one for appends.
MIGRATION_LOCK = 0x5245_4441_4354_0001
APPEND_LOCK = 0x5245_4441_4354_0002


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("version_table", VERSION_TABLE)
    return cfg


@cache
def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    # A read: on SQLite it must not queue behind (or block) writers.
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return ctx.get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the ledger's schema to the newest revision (no-op when it is there)."""
    if current_revision(engine) == head_revision():
        return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        if ctx.get_current_revision() == head_revision():
            return
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
