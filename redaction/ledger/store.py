"""The ledger store: open, append under a lock, read back, verify.

Appends are serialised so concurrent processes never fork the chain: on PostgreSQL each
append transaction takes ``pg_advisory_xact_lock`` before reading the head; on SQLite it
starts with ``BEGIN IMMEDIATE``, which takes the database's write lock. The chain row
and its typed rows are written in the same transaction.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from redaction.errors import LedgerError, LedgerUnavailable, RedactionError
from redaction.ledger import migrate
from redaction.ledger.chain import GENESIS, canonical_json, entry_hash, format_stamp, utcnow
from redaction.ledger.config import display_url, resolve_url
from redaction.ledger.heads import (
    PublishedHead,
    ledger_head_path,
    outbox_head_path,
    publish_head,
    read_head,
)
from redaction.ledger.models import Base
from redaction.ledger.payloads import clean_payload
from redaction.ledger.projection import project
from redaction.ledger.records import Entry, ReleaseRecord, VerifyResult

ENTRIES = Base.metadata.tables["ledger_entries"]
TYPED = {name: t for name, t in Base.metadata.tables.items() if name != "ledger_entries"}

#: Outcomes of a two-phase release's finish.
FINISH_OUTCOMES = frozenset({"published", "failed", "quarantined", "not_published"})

Clock = Callable[[], datetime]


def _sqlite_engine(url: URL) -> Engine:
    assert url.database is not None
    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how a transaction starts (below).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout = 60000")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock at once: two appenders never both read the
        # same head. Readers ask for DEFERRED so they do not queue behind writers.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _first_line(exc: OperationalError) -> str:
    """The driver's first line ("database is locked", "connection refused"), cut short.

    Connection-level messages carry hosts, ports and states, not data; a statement's
    parameters are hidden (``hide_parameters``) and detail lines are dropped.
    """
    text = str(exc.orig).strip().splitlines()
    return f"{type(exc.orig).__name__}: {text[0][:200]}" if text else type(exc.orig).__name__


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on a sidecar file, across processes (filelock: ``fcntl`` on
    POSIX, ``msvcrt`` on Windows, where the hand-written ``fcntl`` lock took none).

    Creating a SQLite ledger switches it to WAL and runs the migrations; a journal-mode
    switch racing another process's first write transaction can deadlock both until
    the busy timeout, so first opens take turns.
    """
    from filelock import FileLock

    with FileLock(path):
        yield


def _enable_wal(database: str) -> None:
    """WAL lets readers (verify, reports) run while a release appends. The mode is
    stored in the file, so it is set once, when the ledger is created."""
    import sqlite3

    raw = sqlite3.connect(database, timeout=60, isolation_level=None)
    try:
        raw.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()


class Ledger:
    """An append-only, hash-chained ledger in SQLite or PostgreSQL.

    Open it with :meth:`open`; close it (or use it as a context manager) when done.
    """

    def __init__(self, engine: Engine, url: URL, clock: Clock = utcnow):
        self.engine = engine
        self.url = url
        self._clock = clock

    # ------------------------------------------------------------------ open/close
    @classmethod
    def open(cls, url: str | None = None, *, clock: Clock | None = None) -> Ledger:
        """Open (and create or migrate) the ledger at ``url``.

        Args:
            url: a SQLAlchemy URL; ``None`` reads ``$REDACT_LEDGER_URL``, else the
                embedded SQLite file (see :mod:`redaction.ledger.config`).
            clock: returns the current aware time; tests pass a fixed clock.

        Raises:
            LedgerUnavailable: the database cannot be reached (transient, exit 6).
            UsageError: the URL is malformed or names an unsupported database.
        """
        resolved = resolve_url(url)
        try:
            if resolved.get_backend_name() == "sqlite":
                engine = _sqlite_engine(resolved)
                if migrate.current_revision(engine) != migrate.head_revision():
                    assert resolved.database is not None
                    with _file_lock(Path(resolved.database + ".lock")):
                        _enable_wal(resolved.database)
                        migrate.upgrade(engine)
            else:
                engine = create_engine(resolved, pool_pre_ping=True, hide_parameters=True)
                migrate.upgrade(engine)
        except OperationalError as exc:
            raise LedgerUnavailable(
                f"cannot open the ledger at {display_url(resolved)} ({_first_line(exc)})",
                reason="ledger_unavailable",
                hint="check that the database is running and the URL is right "
                "(--ledger or REDACT_LEDGER_URL)",
            ) from None
        except SQLAlchemyError as exc:
            raise LedgerError(
                f"cannot open the ledger at {display_url(resolved)} ({type(exc).__name__})",
                reason="ledger_error",
            ) from None
        return cls(engine, resolved, clock or utcnow)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def now(self) -> datetime:
        """The ledger's clock (aware); tests open the ledger with a fixed one."""
        return self._clock()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except RedactionError:
            raise
        except OperationalError as exc:
            raise LedgerUnavailable(
                f"ledger at {display_url(self.url)} failed ({_first_line(exc)})",
                reason="ledger_unavailable",
            ) from None
        except SQLAlchemyError as exc:
            # The driver's message may echo parameters; name the error type only.
            raise LedgerError(
                f"ledger at {display_url(self.url)} refused the write ({type(exc).__name__})",
                reason="ledger_error",
                hint="run `redact ledger verify`; the table may have been altered by hand",
            ) from None

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._errors(), self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": migrate.APPEND_LOCK})
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._errors(), self.engine.connect() as raw:
            if self.dialect == "postgresql":
                # One snapshot for the whole read (verification compares tables).
                conn = raw.execution_options(isolation_level="REPEATABLE READ")
            else:
                conn = raw.execution_options(sqlite_begin="DEFERRED")
            with conn.begin():
                yield conn

    # ------------------------------------------------------------------ append
    def append(self, kind: str, payload: Mapping[str, Any]) -> Entry:
        """Append one entry (and its typed rows) to the chain.

        Raises:
            LedgerError: unknown kind, unexpected or missing payload key (exit 6).
            LedgerUnavailable: the database cannot be reached.
        """
        return self._append(kind, payload)

    def _append(
        self,
        kind: str,
        payload: Mapping[str, Any],
        check: Callable[[Connection], None] | None = None,
    ) -> Entry:
        clean = clean_payload(kind, payload)
        rows = project(kind, clean)
        body = canonical_json(clean)
        with self._write() as conn:
            if check is not None:
                check(conn)
            last = conn.execute(
                select(ENTRIES.c.seq, ENTRIES.c.hash, ENTRIES.c.created_at)
                .order_by(ENTRIES.c.seq.desc())
                .limit(1)
            ).first()
            seq = 1 if last is None else last.seq + 1
            prev = GENESIS if last is None else last.hash
            created_at = format_stamp(self._clock())
            if last is not None and created_at < last.created_at:
                # Keep created_at monotonic along the chain even if a clock steps back,
                # so "the head at the end of a quarter" is well defined.
                created_at = last.created_at
            digest = entry_hash(seq, kind, clean, prev, created_at)
            conn.execute(
                insert(ENTRIES).values(
                    seq=seq,
                    kind=kind,
                    payload=body,
                    prev_hash=prev,
                    hash=digest,
                    created_at=created_at,
                )
            )
            for table, row in rows:
                conn.execute(insert(TYPED[table]).values(entry_seq=seq, **row))
        return Entry(seq, kind, clean, prev, digest, created_at)

    # ------------------------------------------------------------------ releases
    def begin_release(
        self,
        record: ReleaseRecord,
        *,
        output_sha256: str | None = None,
        outbox: Path | None = None,
        output_file: str | None = None,
    ) -> Entry:
        """Record the intent to publish, committed before the publish.

        Args:
            record: the release.
            output_sha256: the staged output's hash, when known before publishing;
                reconciliation compares the outbox file against it.
            outbox: the folder the run publishes into (absolute).
            output_file: the staged file's identity (``file_identity``), which the
                rename carries into the outbox: reconciliation tells this run's file
                from a rerun's with the same bytes.
        """
        payload = record.to_payload(output_sha256=output_sha256)
        payload["outbox"] = None if outbox is None else os.path.abspath(outbox)
        payload["output_file"] = output_file
        return self.append("release.intent", payload)

    def finish_release(
        self,
        intent_seq: int,
        outcome: str,
        output_sha256: str | None = None,
        *,
        reason: str | None = None,
    ) -> Entry:
        """Record what became of an intent: ``published``, ``failed``, ``quarantined``
        or ``not_published``. An intent is finished at most once.

        Raises:
            LedgerError: no such intent, or it is already finished.
        """
        if outcome not in FINISH_OUTCOMES:
            raise LedgerError(
                f"unknown release outcome {outcome!r}",
                reason="bad_payload",
                hint=f"one of {', '.join(sorted(FINISH_OUTCOMES))}",
            )
        releases, outcomes = TYPED["releases"], TYPED["release_outcomes"]
        with self._read() as conn:
            intent = conn.execute(
                select(releases.c.release_id).where(
                    releases.c.entry_seq == intent_seq, releases.c.phase == "intent"
                )
            ).first()
        if intent is None:
            raise LedgerError(f"no release intent at seq {intent_seq}", reason="no_intent")

        def not_finished(conn: Connection) -> None:
            done = conn.execute(
                select(outcomes.c.entry_seq).where(outcomes.c.intent_seq == intent_seq)
            ).first()
            if done is not None:
                raise LedgerError(
                    f"release intent at seq {intent_seq} is already finished "
                    f"(seq {done.entry_seq})",
                    reason="already_finished",
                )

        payload = {
            "release_id": intent.release_id,
            "intent_seq": intent_seq,
            "outcome": outcome,
            "output_sha256": output_sha256,
            "reason": reason,
        }
        return self._append("release.finish", payload, check=not_finished)

    def record_refusal(
        self,
        *,
        subject: str,
        reason_code: str,
        exception_id: str | None = None,
        request_id: str | None = None,
        recipient: str | None = None,
        dataset: str | None = None,
        release_id: str | None = None,
        basis: str | None = None,
    ) -> Entry:
        """Record a refusal: ``subject`` is what was refused (``exception_use``,
        ``exception_grant``, ``request_grant``, ``release``...), ``reason_code`` why.

        Both are folded to lower-case ids (``Guard-Hit`` -> ``guard_hit``) so that a
        refusal is never lost to the spelling of its code."""
        return self.append(
            "refusal",
            {
                "subject": _token(subject),
                "reason_code": _token(reason_code),
                "exception_id": exception_id,
                "request_id": request_id,
                "recipient": recipient,
                "dataset": dataset,
                "release_id": release_id,
                "basis": basis,
            },
        )

    def record_validation(
        self,
        *,
        release_id: str,
        source_name: str,
        passed: bool,
        expectations: int,
        failures: int,
        failed_checks: Iterable[str] = (),
        rows: int | None = None,
    ) -> Entry:
        """Record a validation outcome: counts and check names, never a value."""
        return self.append(
            "validation",
            {
                "release_id": release_id,
                "source_name": source_name,
                "passed": passed,
                "expectations": expectations,
                "failures": failures,
                "failed_checks": list(failed_checks),
                "rows": rows,
            },
        )

    # ------------------------------------------------------------------ reading
    def head(self) -> str:
        """The hash of the newest entry (:data:`GENESIS` for an empty ledger)."""
        with self._read() as conn:
            h = conn.execute(select(ENTRIES.c.hash).order_by(ENTRIES.c.seq.desc()).limit(1))
            return h.scalar() or GENESIS

    def head_before(self, stamp: str) -> tuple[str, int]:
        """``(hash, seq)`` of the newest entry created before ``stamp`` (canonical UTC)."""
        with self._read() as conn:
            row = conn.execute(
                select(ENTRIES.c.hash, ENTRIES.c.seq)
                .where(ENTRIES.c.created_at < stamp)
                .order_by(ENTRIES.c.seq.desc())
                .limit(1)
            ).first()
        return (row.hash, row.seq) if row else (GENESIS, 0)

    def count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(select(func.count()).select_from(ENTRIES)).scalar_one())

    def entries(
        self,
        *,
        kinds: Iterable[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        seqs: Iterable[int] | None = None,
    ) -> list[Entry]:
        """Entries in seq order, each checked against its own hash.

        Args:
            kinds: only these kinds.
            since, until: canonical UTC stamps; ``since <= created_at < until``.
            seqs: only these sequence numbers.

        Raises:
            LedgerError: an entry does not match its hash (the ledger was altered;
                ``redact ledger verify`` names where).
        """
        q = select(ENTRIES).order_by(ENTRIES.c.seq)
        if kinds is not None:
            q = q.where(ENTRIES.c.kind.in_(list(kinds)))
        if since is not None:
            q = q.where(ENTRIES.c.created_at >= since)
        if until is not None:
            q = q.where(ENTRIES.c.created_at < until)
        if seqs is not None:
            q = q.where(ENTRIES.c.seq.in_(sorted(set(seqs))))
        with self._read() as conn:
            rows = conn.execute(q).all()
        return [_checked(r) for r in rows]

    def entries_for(self, table: str, **where: Any) -> list[Entry]:
        """Entries whose typed rows in ``table`` match ``where``, checked against the
        chain: the typed table serves as an index, the state comes from the entries."""
        t = TYPED[table]
        q = select(t.c.entry_seq).distinct()
        for column, value in where.items():
            q = q.where(t.c[column] == value)
        with self._read() as conn:
            seqs = [r.entry_seq for r in conn.execute(q)]
        if not seqs:
            return []
        found = self.entries(seqs=seqs)
        if len(found) != len(seqs):
            raise LedgerError(
                f"table {table} names entries the chain does not hold",
                reason="broken_chain",
                hint="run `redact ledger verify` to see where",
            )
        for e in found:
            if not any(
                tb == table and _matches(row, where) for tb, row in project(e.kind, e.payload)
            ):
                raise LedgerError(
                    f"table {table} row at seq {e.seq} differs from its chain entry",
                    reason="broken_chain",
                    hint="run `redact ledger verify` to see where",
                )
        return found

    def orphans(self) -> list[Entry]:
        """Release intents with no finish, oldest first (checked against the chain)."""
        releases, outcomes = TYPED["releases"], TYPED["release_outcomes"]
        finished = select(outcomes.c.intent_seq)
        q = select(releases.c.entry_seq).where(
            releases.c.phase == "intent", releases.c.entry_seq.not_in(finished)
        )
        with self._read() as conn:
            seqs = [r.entry_seq for r in conn.execute(q)]
        return self.entries(seqs=seqs) if seqs else []

    def verify(
        self, head: str | None = None, published: Sequence[PublishedHead] = ()
    ) -> VerifyResult:
        """Walk the chain and rebuild every typed row from it; the chain must hold
        ``head`` and every ``published`` head (see :mod:`.verify`)."""
        from redaction.ledger.verify import verify

        with self._read() as conn:
            return verify(conn, head, published)

    def publish_head(self, entry: Entry, outbox: Path) -> None:
        """Save ``entry`` as the head a release left, beside ``outbox`` and beside the
        ledger (see :mod:`.heads`)."""
        publish_head(self.url, outbox, entry.seq, entry.hash, entry.created_at)

    def published_heads(self, outboxes: Iterable[Path] = ()) -> list[PublishedHead]:
        """The heads saved beside the ledger and beside each of ``outboxes``."""
        paths = [ledger_head_path(self.url), *(outbox_head_path(o) for o in outboxes)]
        return [h for h in map(read_head, paths) if h is not None]


def file_identity(path: Path) -> str:
    """``device:inode:mtime_ns`` of a file: kept by a rename, and (with the mtime)
    unlike a later file that reuses a freed inode."""
    st = os.stat(path, follow_symlinks=False)
    return f"{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}"


def _token(code: str) -> str:
    folded = re.sub(r"[^a-z0-9_]+", "_", str(code).lower()).strip("_")[:60]
    if not folded:
        return "unspecified"
    return folded if folded[0].isalpha() else f"r_{folded}"


def _matches(row: Mapping[str, Any], where: Mapping[str, Any]) -> bool:
    return all(row.get(k) == v for k, v in where.items())


def _checked(r: Any) -> Entry:
    try:
        payload = json.loads(r.payload)
    except ValueError:
        payload = None
    if (
        not isinstance(payload, dict)
        or entry_hash(r.seq, r.kind, payload, r.prev_hash, r.created_at) != r.hash
        or canonical_json(payload) != r.payload
    ):
        raise LedgerError(
            f"ledger entry seq {r.seq} does not match its hash",
            reason="broken_chain",
            hint="run `redact ledger verify` to see where the chain breaks",
        )
    return Entry(r.seq, r.kind, payload, r.prev_hash, r.hash, r.created_at)
