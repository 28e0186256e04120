"""Eight processes append at once; the chain never forks."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from multiprocessing.queues import Queue
from pathlib import Path

import ledger_workers
import pgcluster
import pytest
from helpers import publish

from redaction.ledger import Ledger, ReleaseRecord

WORKERS = 8


def _context() -> mp.context.BaseContext:
    """fork: the children inherit the imports, so the test measures appends rather than
    eight interpreters importing SQLAlchemy on two cores. The workers touch only the
    ledger (fresh engines, fresh connections), and CPython re-initialises the import
    and logging locks in a forked child, so threads in the test process cannot
    deadlock them. (forkserver measured 25 s per child under pytest here.)"""
    return mp.get_context("fork")


@pytest.mark.slow
def test_concurrent_appends_from_processes_keep_one_chain(
    ledger: Ledger, ledger_url: str, record: Callable[..., ReleaseRecord]
) -> None:
    publish(ledger, record(0))
    before = ledger.count()
    ctx = _context()
    barrier = ctx.Barrier(WORKERS)
    out: Queue[int] = ctx.Queue()
    procs = [
        ctx.Process(
            target=ledger_workers.append_one, args=(ledger_url, record(100 + n), barrier, out)
        )
        for n in range(WORKERS)
    ]
    for p in procs:
        p.start()
    seqs = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert sorted(seqs) == list(range(before + 1, before + WORKERS + 1))
    result = ledger.verify()
    assert result.ok, result.summary()
    assert result.entries == before + WORKERS


@pytest.mark.slow
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_concurrent_first_opens_migrate_once(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    record: Callable[..., ReleaseRecord],
) -> None:
    """Eight processes open a brand-new ledger at the same moment: one migrates it, and
    all eight appends land on one chain."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        server = request.getfixturevalue("pg_server")
        url = pgcluster.fresh_database(server)
    ctx = _context()
    barrier = ctx.Barrier(WORKERS)
    out: Queue[int] = ctx.Queue()
    procs = [
        ctx.Process(
            target=ledger_workers.open_and_append, args=(url, record(200 + n), barrier, out)
        )
        for n in range(WORKERS)
    ]
    for p in procs:
        p.start()
    seqs = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert sorted(seqs) == list(range(1, WORKERS + 1))
    with Ledger.open(url) as ledger:
        assert ledger.verify().ok
    if backend == "postgresql":
        pgcluster.drop_database(server, url)
