"""The ledger's tables: one hash chain and typed tables projected from it.

``ledger_entries`` is the chain. Every other table is a projection of chain payloads
(see :mod:`redaction.ledger.projection`): each row carries the ``entry_seq`` of the entry
it came from, so verification rebuilds every typed row from the chain and names any row
that was edited, deleted or slipped in by hand.

Timestamps and dates are stored as ISO-8601 text (UTC, ``Z`` suffix): the exact string
is hashed, and text round-trips identically through SQLite and PostgreSQL.
Nothing here holds an extract's cell values: names, counts, rule ids and hashes only.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: SQLite's INTEGER PRIMARY KEY is 64-bit already; PostgreSQL needs BIGINT.
SeqType = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _entry_fk() -> Mapped[int]:
    return mapped_column(SeqType, ForeignKey("ledger_entries.seq"), primary_key=True)


class LedgerEntry(Base):
    """One link of the chain. ``hash`` = sha256 of the canonical serialisation of
    ``seq``, ``kind``, ``payload``, ``prev_hash`` and ``created_at``."""

    __tablename__ = "ledger_entries"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[str] = mapped_column(String(32), index=True)


class Release(Base):
    """A release: ``phase`` is ``intent`` (two-phase, before publish) or ``complete``."""

    __tablename__ = "releases"

    entry_seq: Mapped[int] = _entry_fk()
    release_id: Mapped[str] = mapped_column(String(64), index=True)
    phase: Mapped[str] = mapped_column(String(16))
    source_name: Mapped[str] = mapped_column(String(512))
    source_sha256: Mapped[str] = mapped_column(String(64))
    dataset: Mapped[str | None] = mapped_column(String(128))
    profile: Mapped[str] = mapped_column(String(128))
    recipient: Mapped[str] = mapped_column(String(256), index=True)
    exception_id: Mapped[str | None] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(BigInteger)
    output_name: Mapped[str] = mapped_column(String(512))
    output_sha256: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[str] = mapped_column(String(32))


class ReleaseOutcome(Base):
    """The second phase of a two-phase release: what became of the intent."""

    __tablename__ = "release_outcomes"

    entry_seq: Mapped[int] = _entry_fk()
    release_id: Mapped[str] = mapped_column(String(64), index=True)
    intent_seq: Mapped[int] = mapped_column(SeqType, index=True)
    outcome: Mapped[str] = mapped_column(String(32))
    output_sha256: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(128))


class WithheldColumn(Base):
    """One withheld column of a release: its name, category, action, rule and count."""

    __tablename__ = "withheld_columns"

    entry_seq: Mapped[int] = _entry_fk()
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    release_id: Mapped[str] = mapped_column(String(64), index=True)
    column_name: Mapped[str] = mapped_column(String(512))
    category: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(128))
    count: Mapped[int] = mapped_column(BigInteger)


class WrittenRequest(Base):
    """A written request for status information. The document's hash and file name are
    kept, never its content."""

    __tablename__ = "requests"

    entry_seq: Mapped[int] = _entry_fk()
    request_id: Mapped[str] = mapped_column(String(64), index=True)
    requester: Mapped[str] = mapped_column(String(256))
    agency: Mapped[str] = mapped_column(String(256))
    received_on: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str] = mapped_column(String(64))
    categories: Mapped[str] = mapped_column(String(1024))
    document_sha256: Mapped[str] = mapped_column(String(64))
    document_name: Mapped[str] = mapped_column(String(256))
    notice_due: Mapped[str] = mapped_column(String(10))


class RequestDecision(Base):
    __tablename__ = "request_decisions"

    entry_seq: Mapped[int] = _entry_fk()
    request_id: Mapped[str] = mapped_column(String(64), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(1024))
    decided_by: Mapped[str] = mapped_column(String(256))
    decided_at: Mapped[str] = mapped_column(String(32))


class RequestNotice(Base):
    """The person the request is about was given notice (New York: within three days)."""

    __tablename__ = "request_notices"

    entry_seq: Mapped[int] = _entry_fk()
    request_id: Mapped[str] = mapped_column(String(64), index=True)
    noticed_on: Mapped[str] = mapped_column(String(10))
    noticed_by: Mapped[str] = mapped_column(String(256))


class LawfulExceptionRow(Base):
    __tablename__ = "exceptions"

    entry_seq: Mapped[int] = _entry_fk()
    exception_id: Mapped[str] = mapped_column(String(64), index=True)
    request_id: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(256))
    basis: Mapped[str] = mapped_column(String(64))
    categories: Mapped[str] = mapped_column(String(1024))
    datasets: Mapped[str | None] = mapped_column(String(1024))
    valid_from: Mapped[str] = mapped_column(String(10))
    valid_to: Mapped[str] = mapped_column(String(10))
    authorized_by: Mapped[str] = mapped_column(String(256))


class ExceptionRevocation(Base):
    __tablename__ = "exception_revocations"

    entry_seq: Mapped[int] = _entry_fk()
    exception_id: Mapped[str] = mapped_column(String(64), index=True)
    revoked_at: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(1024))
    revoked_by: Mapped[str] = mapped_column(String(256))


class Refusal(Base):
    """Something was refused: an exception grant (civil immigration enforcement...) or
    the use of an exception (expired, revoked, out of scope...)."""

    __tablename__ = "refusals"

    entry_seq: Mapped[int] = _entry_fk()
    subject: Mapped[str] = mapped_column(String(32))
    reason_code: Mapped[str] = mapped_column(String(64))
    exception_id: Mapped[str | None] = mapped_column(String(64), index=True)
    request_id: Mapped[str | None] = mapped_column(String(64))
    recipient: Mapped[str | None] = mapped_column(String(256))
    dataset: Mapped[str | None] = mapped_column(String(128))
    release_id: Mapped[str | None] = mapped_column(String(64))
    basis: Mapped[str | None] = mapped_column(String(64))


class ValidationOutcome(Base):
    """The outcome of validating a release's output: counts and check names only."""

    __tablename__ = "validations"

    entry_seq: Mapped[int] = _entry_fk()
    release_id: Mapped[str] = mapped_column(String(64), index=True)
    source_name: Mapped[str] = mapped_column(String(512))
    passed: Mapped[bool] = mapped_column(Boolean)
    expectations: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)
    failed_checks: Mapped[str] = mapped_column(Text)
    rows: Mapped[int | None] = mapped_column(BigInteger)


#: Every table of the ledger, chain first. Triggers make each one append-only.
TABLES: tuple[str, ...] = tuple(Base.metadata.tables)
