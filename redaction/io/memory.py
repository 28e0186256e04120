"""Arrow memory in a release: which allocator it goes to, and freed pages given back.

pyarrow allocates through mimalloc by default. Under mimalloc every thread keeps the
pages it freed for its own reuse, and a release frees on one thread what another
allocated (the reader, the redaction, the guard, the writer and the gate each run on a
thread of their own), so pages pile up beside the data that is live. The release hands
them back after every batch, yet its peak stays well above what it holds.

The system allocator lowers a Parquet release's peak at the same speed, and slows a
CSV release (parsing text makes many small allocations, which mimalloc serves faster):
the measurements are in ``bench/MEASUREMENTS.md``.

So ``redact release`` uses the system allocator for a Parquet source and keeps
pyarrow's default for CSV and JSON-lines. A library caller's process is left alone; an
``ARROW_DEFAULT_MEMORY_POOL`` the user set always wins (README, Benchmarks).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from redaction.errors import UsageError
from redaction.types import detect_format

#: The variable by which a user chooses pyarrow's allocator (read by pyarrow itself).
POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"


@contextmanager
def release_pool(source: Path, fmt: str | None = None) -> Iterator[None]:
    """Allocate through the system allocator while a Parquet ``source`` is released,
    then restore the pool that was the default before (buffers remember their pool,
    so whatever outlives the block is freed where it was allocated)."""
    try:
        parquet = detect_format(source, fmt) == "parquet"
    except UsageError:
        parquet = False  # the release itself reports the unknown format
    if not parquet or os.environ.get(POOL_VARIABLE):
        yield
        return
    previous = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(previous)


def give_back() -> None:
    """Hand the calling thread's free Arrow pages back to the system.

    Arrow's allocator keeps what was freed for reuse, and under mimalloc each thread
    keeps its own: a batch made on one thread and freed on another stays resident beside
    the data that is live. Every thread of a release that allocates (reader, guard,
    writer, gate) calls this after each batch or chunk; without it the peak grows with
    the freed pages (~13 MB of a Parquet release's, ~2x a chunk in the file gate)."""
    pa.default_memory_pool().release_unused()
