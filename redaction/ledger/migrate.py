"""Alembic migrations shipped in the package, run programmatically when a ledger opens.

Concurrent openers are serialised (an advisory lock on PostgreSQL, ``BEGIN IMMEDIATE``
on SQLite), so eight processes opening a fresh ledger at once migrate it once.

Opening a ledger that is already at the newest revision (every open but the first)
reads the version table with plain SQLAlchemy: Alembic (with Mako and Pygments, ~9 MB
resident) is imported only when a migration runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "ledger_schema_version"
#: The newest revision in ``migrations/versions`` (a test checks it is the head Alembic
#: reads from the scripts): bump it with every new migration.
HEAD_REVISION = "0001_initial"
#: ``pg_advisory_xact_lock`` keys (arbitrary, fixed): one for migrations, one for appends.
MIGRATION_LOCK = 0x5245_4441_4354_0001
APPEND_LOCK = 0x5245_4441_4354_0002


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("version_table", VERSION_TABLE)
    return cfg


def head_revision() -> str | None:
    return HEAD_REVISION


def current_revision(engine: Engine) -> str | None:
    """The database's revision (``None`` before the first migration), as Alembic's
    ``MigrationContext.get_current_revision`` reads it."""
    # A read: on SQLite it must not queue behind (or block) writers.
    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        heads = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
        if len(heads) <= 1:
            return heads[0] if heads else None
        # Several heads: Alembic raises, naming the table.
        from alembic.runtime.migration import MigrationContext

        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        return ctx.get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the ledger's schema to the newest revision (no-op when it is there)."""
    if current_revision(engine) == head_revision():
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        ctx = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        if ctx.get_current_revision() == head_revision():
            return
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
