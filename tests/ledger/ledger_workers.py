"""Worker functions for the concurrency tests, in a module that imports only the
ledger, so forkserver children (which preload it) start in milliseconds."""

from __future__ import annotations

from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from redaction.ledger import Ledger, ReleaseRecord


def append_one(url: str, rec: ReleaseRecord, barrier: Barrier, out: Queue[int]) -> None:
    """Open the ledger first, then append at the same moment as the others."""
    with Ledger.open(url) as ledger:
        barrier.wait(timeout=60)
        out.put(ledger.begin_release(rec).seq)


def open_and_append(url: str, rec: ReleaseRecord, barrier: Barrier, out: Queue[int]) -> None:
    """Open (and maybe migrate) a fresh ledger at the same moment as the others."""
    barrier.wait(timeout=60)
    with Ledger.open(url) as ledger:
        out.put(ledger.begin_release(rec).seq)
