"""Alembic environment: runs on the connection ``redaction.ledger.migrate`` hands in."""

from __future__ import annotations

from alembic import context

from redaction.ledger.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=context.config.get_main_option("version_table") or "ledger_schema_version",
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
