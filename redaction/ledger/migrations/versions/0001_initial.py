"""The first ledger schema: the hash chain, its typed tables, append-only triggers.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "ledger_entries",
    "releases",
    "release_outcomes",
    "withheld_columns",
    "requests",
    "request_decisions",
    "request_notices",
    "exceptions",
    "exception_revocations",
    "refusals",
    "validations",
)

# Rows are never updated or deleted: a correction is a new entry. The triggers stop an
# accidental UPDATE/DELETE; a determined owner can drop them, and verification (which
# rebuilds every typed row from the hash chain) is what detects that.
PG_FUNCTION = """
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger table % is append-only', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def _triggers_up() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(PG_FUNCTION)
        for t in TABLES:
            op.execute(
                f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
                "FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()"
            )
    elif dialect == "sqlite":
        for t in TABLES:
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {t}_no_{event.lower()} BEFORE {event} ON {t} "
                    f"BEGIN SELECT RAISE(ABORT, 'ledger table {t} is append-only'); END"
                )


def _triggers_down() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for t in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}")
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}")
        op.execute("DROP FUNCTION IF EXISTS ledger_append_only()")
    elif dialect == "sqlite":
        for t in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {t}_no_delete")


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_ledger_entries")),
        sa.UniqueConstraint("hash", name=op.f("uq_ledger_entries_hash")),
    )
    op.create_index(
        op.f("ix_ledger_entries_created_at"), "ledger_entries", ["created_at"], unique=False
    )
    op.create_table(
        "exception_revocations",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("exception_id", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=1024), nullable=False),
        sa.Column("revoked_by", sa.String(length=256), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["ledger_entries.seq"],
            name=op.f("fk_exception_revocations_entry_seq_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("entry_seq", name=op.f("pk_exception_revocations")),
    )
    op.create_index(
        op.f("ix_exception_revocations_exception_id"),
        "exception_revocations",
        ["exception_id"],
        unique=False,
    )
    op.create_table(
        "exceptions",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("exception_id", sa.String(length=64), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=256), nullable=False),
        sa.Column("basis", sa.String(length=64), nullable=False),
        sa.Column("categories", sa.String(length=1024), nullable=False),
        sa.Column("datasets", sa.String(length=1024), nullable=True),
        sa.Column("valid_from", sa.String(length=10), nullable=False),
        sa.Column("valid_to", sa.String(length=10), nullable=False),
        sa.Column("authorized_by", sa.String(length=256), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["ledger_entries.seq"],
            name=op.f("fk_exceptions_entry_seq_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("entry_seq", name=op.f("pk_exceptions")),
    )
    op.create_index(
        op.f("ix_exceptions_exception_id"), "exceptions", ["exception_id"], unique=False
    )
    op.create_table(
        "refusals",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("subject", sa.String(length=32), nullable=False),
        sa.Column("reason_code", sa.String(length=64), nullable=False),
        sa.Column("exception_id", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("recipient", sa.String(length=256), nullable=True),
        sa.Column("dataset", sa.String(length=128), nullable=True),
        sa.Column("release_id", sa.String(length=64), nullable=True),
        sa.Column("basis", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_seq"], ["ledger_entries.seq"], name=op.f("fk_refusals_entry_seq_ledger_entries")
        ),
        sa.PrimaryKeyConstraint("entry_seq", name=op.f("pk_refusals")),
    )
    op.create_index(op.f("ix_refusals_exception_id"), "refusals", ["exception_id"], unique=False)
    op.create_table(
        "release_outcomes",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("release_id", sa.String(length=64), nullable=False),
        sa.Column(
            "intent_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("output_sha256", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["ledger_entries.seq"],
            name=op.f("fk_release_outcomes_entry_seq_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("entry_seq", name=op.f("pk_release_outcomes")),
    )
    op.create_index(
        op.f("ix_release_outcomes_intent_seq"), "release_outcomes", ["intent_seq"], unique=False
    )
    op.create_index(
        op.f("ix_release_outcomes_release_id"), "release_outcomes", ["release_id"], unique=False
    )
    op.create_table(
        "releases",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("release_id", sa.String(length=64), nullable=False),
        sa.Column("phase", sa.String(length=16), nullable=False),
        sa.Column("source_name", sa.String(length=512), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("dataset", sa.String(length=128), nullable=True),
        sa.Column("profile", sa.String(length=128), nullable=False),
        sa.Column("recipient", sa.String(length=256), nullable=False),
        sa.Column("exception_id", sa.String(length=64), nullable=True),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("output_name", sa.String(length=512), nullable=False),
        sa.Column("output_sha256", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("started_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_seq"], ["ledger_entries.seq"], name=op.f("fk_releases_entry_seq_ledger_entries")
        ),
        sa.PrimaryKeyConstraint("entry_seq", name=op.f("pk_releases")),
    )
    op.create_index(op.f("ix_releases_exception_id"), "releases", ["exception_id"], unique=False)
    op.create_index(op.f("ix_releases_recipient"), "releases", ["recipient"], unique=False)
    op.create_index(op.f("ix_releases_release_id"), "releases", ["release_id"], unique=False)
    op.create_table(
        "request_decisions",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=1024), nullable=False),
        sa.Column("decided_by", sa.String(length=256), nullable=False),
        sa.Column("decided_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["ledger_entries.seq"],
            name=op.f("fk_request_decisions_entry_seq_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("entry_seq", name=op.f("pk_request_decisions")),
    )
    op.create_index(
        op.f("ix_request_decisions_request_id"), "request_decisions", ["request_id"], unique=False
    )
    op.create_table(
        "request_notices",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("noticed_on", sa.String(length=10), nullable=False),
        sa.Column("noticed_by", sa.String(length=256), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["ledger_entries.seq"],
            name=op.f("fk_request_notices_entry_seq_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("entry_seq", name=op.f("pk_request_notices")),
    )
    op.create_index(
        op.f("ix_request_notices_request_id"), "request_notices", ["request_id"], unique=False
    )
    op.create_table(
        "requests",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("requester", sa.String(length=256), nullable=False),
        sa.Column("agency", sa.String(length=256), nullable=False),
        sa.Column("received_on", sa.String(length=10), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("categories", sa.String(length=1024), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("document_name", sa.String(length=256), nullable=False),
        sa.Column("notice_due", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_seq"], ["ledger_entries.seq"], name=op.f("fk_requests_entry_seq_ledger_entries")
        ),
        sa.PrimaryKeyConstraint("entry_seq", name=op.f("pk_requests")),
    )
    op.create_index(op.f("ix_requests_request_id"), "requests", ["request_id"], unique=False)
    op.create_table(
        "validations",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("release_id", sa.String(length=64), nullable=False),
        sa.Column("source_name", sa.String(length=512), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("expectations", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("failed_checks", sa.Text(), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["ledger_entries.seq"],
            name=op.f("fk_validations_entry_seq_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("entry_seq", name=op.f("pk_validations")),
    )
    op.create_index(op.f("ix_validations_release_id"), "validations", ["release_id"], unique=False)
    op.create_table(
        "withheld_columns",
        sa.Column(
            "entry_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("ordinal", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("release_id", sa.String(length=64), nullable=False),
        sa.Column("column_name", sa.String(length=512), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=128), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_seq"],
            ["ledger_entries.seq"],
            name=op.f("fk_withheld_columns_entry_seq_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("entry_seq", "ordinal", name=op.f("pk_withheld_columns")),
    )
    op.create_index(
        op.f("ix_withheld_columns_release_id"), "withheld_columns", ["release_id"], unique=False
    )
    _triggers_up()


def downgrade() -> None:
    _triggers_down()
    op.drop_index(op.f("ix_withheld_columns_release_id"), table_name="withheld_columns")
    op.drop_table("withheld_columns")
    op.drop_index(op.f("ix_validations_release_id"), table_name="validations")
    op.drop_table("validations")
    op.drop_index(op.f("ix_requests_request_id"), table_name="requests")
    op.drop_table("requests")
    op.drop_index(op.f("ix_request_notices_request_id"), table_name="request_notices")
    op.drop_table("request_notices")
    op.drop_index(op.f("ix_request_decisions_request_id"), table_name="request_decisions")
    op.drop_table("request_decisions")
    op.drop_index(op.f("ix_releases_release_id"), table_name="releases")
    op.drop_index(op.f("ix_releases_recipient"), table_name="releases")
    op.drop_index(op.f("ix_releases_exception_id"), table_name="releases")
    op.drop_table("releases")
    op.drop_index(op.f("ix_release_outcomes_release_id"), table_name="release_outcomes")
    op.drop_index(op.f("ix_release_outcomes_intent_seq"), table_name="release_outcomes")
    op.drop_table("release_outcomes")
    op.drop_index(op.f("ix_refusals_exception_id"), table_name="refusals")
    op.drop_table("refusals")
    op.drop_index(op.f("ix_exceptions_exception_id"), table_name="exceptions")
    op.drop_table("exceptions")
    op.drop_index(op.f("ix_exception_revocations_exception_id"), table_name="exception_revocations")
    op.drop_table("exception_revocations")
    op.drop_index(op.f("ix_ledger_entries_created_at"), table_name="ledger_entries")
    op.drop_table("ledger_entries")
