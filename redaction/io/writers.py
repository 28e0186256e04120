"""Streaming writers: record batches in, one output file in the source's format."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from redaction.io.memory import give_back
from redaction.policy import CsvOptions
from redaction.types import Format

#: Where a writer writes: the staging file, or a wrapper of it (``publish.HashingFile``).
Sink = BinaryIO | io.RawIOBase


class Writer(Protocol):
    def write(self, batch: pa.RecordBatch) -> None: ...
    def close(self) -> None: ...


def _plain_schema(schema: pa.Schema) -> pa.Schema:
    # pandas' metadata describes the source frame (its index, dropped columns): drop it.
    meta = {k: v for k, v in (schema.metadata or {}).items() if k != b"pandas"}
    return schema.with_metadata(meta or None)


class CsvWriter:
    """Text columns quoted, nulls as empty fields: a withheld value and an empty string
    stay distinguishable. The source's delimiter is kept."""

    def __init__(self, f: Sink, schema: pa.Schema, options: CsvOptions):
        self._w = pcsv.CSVWriter(
            f,
            schema,
            write_options=pcsv.WriteOptions(
                include_header=True, delimiter=options.delimiter, quoting_style="needed"
            ),
        )

    def write(self, batch: pa.RecordBatch) -> None:
        self._w.write_batch(batch)

    def close(self) -> None:
        self._w.close()


class ParquetWriter:
    def __init__(self, f: Sink, schema: pa.Schema, options: CsvOptions):
        self._w = pq.ParquetWriter(f, _plain_schema(schema), compression="snappy")
        self._schema = _plain_schema(schema)

    def write(self, batch: pa.RecordBatch) -> None:
        self._w.write_batch(batch.replace_schema_metadata(self._schema.metadata))

    def close(self) -> None:
        self._w.close()


def _json_default(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, bytes):
        return v.decode("utf-8", errors="replace")
    if isinstance(v, dt.timedelta):
        return v.total_seconds()
    raise TypeError(f"cannot write a {type(v).__name__} value as JSON")


class JsonlWriter:
    """One JSON object per line, keys in the schema's order, UTF-8."""

    def __init__(self, f: Sink, schema: pa.Schema, options: CsvOptions):
        self._f = f

    def write(self, batch: pa.RecordBatch) -> None:
        lines = [
            json.dumps(row, ensure_ascii=False, default=_json_default, separators=(",", ":"))
            for row in batch.to_pylist()
        ]
        if lines:
            self._f.write(("\n".join(lines) + "\n").encode("utf-8"))

    def close(self) -> None:
        self._f.flush()


_WRITERS: dict[str, type[CsvWriter] | type[ParquetWriter] | type[JsonlWriter]] = {
    "csv": CsvWriter,
    "parquet": ParquetWriter,
    "jsonl": JsonlWriter,
}


def open_writer(fmt: Format, f: Sink, schema: pa.Schema, options: CsvOptions) -> Writer:
    return _WRITERS[fmt](f, schema, options)


class BackgroundWriter:
    """Writes each batch on a second thread while the caller reads and redacts the next.

    Arrow's writers release the GIL, so encoding batch N overlaps with guarding and
    transforming batch N+1. One batch is handed over at a time: ``write`` first waits
    until the previous batch is written, so this holds at most one batch beside the
    caller's (a queued batch as well cost ~15 MB of peak, no speed). After each batch the
    thread hands its free Arrow pages back (under mimalloc every thread keeps its own).
    An error on the writer thread is raised in the caller on its next ``write`` or on
    ``close``.
    """

    _DONE = object()

    def __init__(self, inner: Writer):
        import queue
        import threading

        self._inner = inner
        self._q: queue.Queue[object] = queue.Queue(maxsize=1)
        self._written = threading.Semaphore(1)  # released when the writer is idle
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="redact-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._q.get()
            if item is self._DONE:
                return
            if self._error is None:
                try:
                    self._inner.write(item)
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc
            del item  # not held while waiting for the next batch
            give_back()
            self._written.release()

    def write(self, batch: pa.RecordBatch) -> None:
        self._written.acquire()
        if self._error is not None:
            self._written.release()
            raise self._error
        self._q.put(batch)

    def close(self) -> None:
        self._q.put(self._DONE)
        self._thread.join()
        try:
            if self._error is not None:
                raise self._error
        finally:
            self._inner.close()


def output_name(source: Path) -> str:
    """The published file keeps the source's name (and so its format)."""
    return source.name
