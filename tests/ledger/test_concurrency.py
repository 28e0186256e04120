"""Eight processes append at once; the chain never forks."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Callable
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

import pytest

from redaction.ledger import Ledger, ReleaseRecord

WORKERS = 8


def _append_one(url: str, rec: ReleaseRecord, barrier: Barrier, out: Queue[int]) -> None:
    # Each process opens its own ledger (its own engine and connections), then all
    # append at the same moment.
    with Ledger.open(url) as ledger:
        barrier.wait(timeout=60)
        out.put(ledger.record_release(rec).seq)


@pytest.mark.slow
def test_concurrent_appends_from_processes_keep_one_chain(
    ledger: Ledger, ledger_url: str, record: Callable[..., ReleaseRecord]
) -> None:
    ledger.record_release(record(0))
    before = ledger.count()
    # fork: the children inherit the imports, so the test measures appends, not imports.
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(WORKERS)
    out: Queue[int] = ctx.Queue()
    procs = [
        ctx.Process(target=_append_one, args=(ledger_url, record(100 + n), barrier, out))
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
