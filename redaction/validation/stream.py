"""The gate on a release's output while it is written: every batch the writer is handed
is validated, and the staged file is bound to those batches by its digest.

Reading the staged file back costs a second parse of the whole output (for CSV, about
60% of the release's own time). The release already holds every output batch once, on
its way to the writer, so the gate takes them from there instead:

1. ``add(batch)`` hands each batch to a thread of the gate (a queue of one batch: the
   release waits rather than let batches pile up). That thread joins batches into
   chunks and runs the same GX suite as :func:`validate_file` on each, while the
   release reads, redacts and writes the next ones (Arrow works without the GIL).
2. The batches are validated as a reader of the file will see them. Parquet keeps
   Arrow's types. CSV is text: every column in the text Arrow's CSV writer gives it
   (its cast to string) and empty text as null, as the file gate reads CSV.
3. ``finish`` checks the file itself: its SHA-256 must equal the digest of the bytes
   the writer produced from these batches (``io.publish.HashingFile``), so the file
   that is published is the file that was validated, byte for byte. The column list
   and types come from the file (the Parquet footer, whose row count must also equal
   the rows validated; the CSV header).

Only formats written by Arrow's own writers are validated this way (``STREAMED``):
their encoding of a batch is Arrow's, tested against the file gate on every planted
failure kind (``tests/validation/test_validation_stream.py``). JSON-lines, written by
the project's own encoder, is read back by :func:`validate_file`.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from redaction.detect import is_text
from redaction.errors import UsageError
from redaction.io.digest import sha256_file
from redaction.validation.checks import row_checks, set_check_columns
from redaction.validation.gate import (
    DEFAULT_CHUNK_ROWS,
    RowPhase,
    _label,
    check_arguments,
    conclude,
)
from redaction.validation.outcome import ExpectationOutcome, ValidationOutcome
from redaction.validation.readers import Source, _rechunk, _to_frame
from redaction.validation.spec import ValidationSpec

if TYPE_CHECKING:
    from redaction.validation.gx_runner import GxRunner

#: Formats whose outputs are validated as they are written.
STREAMED: tuple[str, ...] = ("csv", "parquet")
#: The file check that binds the staged file to the validated batches.
FILE_MATCHES = "expect_file_to_match_validated_batches"

_DONE = object()
_STOP = object()


class _Stopped(Exception):
    """The release stopped streaming: the gate ends without an outcome."""


class StreamGate:
    """Validates one release's output batches on a thread of its own.

    Args:
        spec: what the output must satisfy; ``expected_rows`` is given to ``finish``.
        fmt: ``csv`` or ``parquet`` (``STREAMED``).
        schema: the output schema the writer writes.
        chunk_rows: rows per GX run.
        docs_dir: a folder for GX Data Docs of the run, or None.
        csv_delimiter: the CSV field separator (to read the staged file's header).
    """

    def __init__(
        self,
        spec: ValidationSpec,
        fmt: str,
        schema: pa.Schema,
        *,
        chunk_rows: int = DEFAULT_CHUNK_ROWS,
        docs_dir: Path | None = None,
        csv_delimiter: str = ",",
    ):
        check_arguments(fmt, chunk_rows)
        if fmt not in STREAMED:
            raise UsageError(
                f"a {fmt} output is validated from its file, not while it is written",
                reason="not_streamed",
                hint="use validate_file",
            )
        self._started = time.monotonic()
        self._spec, self._fmt, self._schema = spec, fmt, schema
        self._chunk_rows, self._docs_dir = chunk_rows, docs_dir
        self._delimiter = csv_delimiter
        checks = row_checks(spec, fmt)
        needed = {c.column for c in checks if c.column is not None}
        self._wanted = [n for n in schema.names if n in needed]
        self._as_text = set_check_columns(checks)
        self._rows = RowPhase(checks)
        self._runner: GxRunner | None = None
        self._read_error: str | None = None
        self._failure: BaseException | None = None
        self._queue: queue.Queue[object] = queue.Queue(maxsize=1)
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="redact-gate", daemon=True)
        self._thread.start()

    # ------------------------------------------------------------- release side

    def add(self, batch: pa.RecordBatch) -> None:
        """Hand one output batch to the gate (waits while the gate is a batch behind)."""
        self._put(batch)

    def finish(self, rows: int, path: Path, written_sha256: str) -> tuple[ValidationOutcome, str]:
        """Wait for the last chunk, check the staged file, and return the outcome with
        the staged file's SHA-256.

        Args:
            rows: rows the release read from its source (the row count the output must
                have).
            path: the staged file, closed and complete.
            written_sha256: the digest of the bytes the writer produced.

        Raises:
            Whatever stopped the gate's thread (a GX error): the release fails closed.
        """
        self._put(_DONE)
        self._closed = True
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        assert self._runner is not None  # set by the thread before its first chunk
        spec = dataclasses.replace(self._spec, expected_rows=rows)
        file_sha = sha256_file(path)
        columns, types, footer_rows = _file_layout(path, self._fmt, self._delimiter)
        rows_ok = footer_rows is None or footer_rows == self._rows.tally.rows
        bound = ExpectationOutcome(
            expectation=FILE_MATCHES,
            column=None,
            success=file_sha == written_sha256 and rows_ok,
            unexpected_count=0 if file_sha == written_sha256 and rows_ok else 1,
            element_count=1,
            check="file_digest",
        )
        source = Source(columns, types, iter(()))
        outcome = conclude(
            spec,
            self._fmt,
            source,
            self._rows,
            self._runner,
            self._read_error,
            self._started,
            extra=(bound,),
        )
        return outcome, file_sha

    def abort(self) -> None:
        """Stop the gate without an outcome (the release failed or starts again)."""
        if self._closed:
            return
        self._closed = True
        # Empty the queue so the stop marker fits, whatever the thread is doing.
        with contextlib.suppress(queue.Empty):
            while True:
                self._queue.get_nowait()
        with contextlib.suppress(queue.Full):
            self._queue.put_nowait(_STOP)
        self._thread.join()

    def _put(self, item: object) -> None:
        while True:
            if self._failure is not None or not self._thread.is_alive():
                self._closed = True
                raise self._failure or RuntimeError("the validation gate stopped")
            try:
                self._queue.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    # ---------------------------------------------------------------- gate side

    def _run(self) -> None:
        try:
            from redaction.validation.gx_runner import GxRunner

            # GX is imported here (5-7 s cold) while the release starts streaming.
            self._runner = GxRunner(_label(self._spec.dataset), self._docs_dir)
            source = Source(list(self._schema.names), None, self._chunks())
            # No read-ahead: the release makes a batch slower than GX validates one, so
            # the gate keeps up making its chunks on this thread, and holds one chunk.
            self._read_error = self._rows.run(
                source, self._fmt, self._runner, self._spec.dataset, read_ahead=False
            )
        except _Stopped:
            pass
        except BaseException as exc:  # handed to the release's thread
            self._failure = exc

    def _batches(self) -> Iterator[pa.RecordBatch]:
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if item is _STOP:
                raise _Stopped
            assert isinstance(item, pa.RecordBatch)
            yield self._view(item)
            del item

    def _chunks(self) -> Iterator[object]:
        for table in _rechunk(self._batches(), self._chunk_rows):
            frame = _to_frame(table, self._as_text)
            del table
            yield frame

    def _view(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """The checked columns of ``batch`` as a reader of the file will see them, held
        compactly (``compact``) while their chunk fills up and is validated."""
        if not self._wanted:
            # No row check names a column (only nested or numeric columns released):
            # the rows must still be counted, and a frame of no columns has no rows.
            # One byte a row of nulls carries the count.
            return pa.RecordBatch.from_arrays(
                [compact(pa.nulls(batch.num_rows, pa.int8()))], names=[ROWS_ONLY]
            )
        columns = [batch.column(name) for name in self._wanted]
        if self._fmt == "csv":
            columns = [csv_text(c) for c in columns]
        return pa.RecordBatch.from_arrays([compact(c) for c in columns], names=self._wanted)


#: The column a chunk carries when no row check names one: the row count, nothing else.
ROWS_ONLY = "__rows__"


def compact(col: pa.Array) -> pa.Array:
    """The same values in less memory: a column with no value as one byte per row, a
    dictionary with the narrowest indices its size allows. Both reach GX as a
    Categorical, as the file gate reads repeated values; nothing else changes."""
    if len(col) and col.null_count == len(col):
        return pa.DictionaryArray.from_arrays(pa.nulls(len(col), pa.int8()), _empty(col.type))
    if pa.types.is_dictionary(col.type):
        size = len(col.dictionary)
        narrow = pa.int8() if size <= 127 else pa.int16() if size <= 32767 else None
        if narrow is not None and col.type.index_type.bit_width > narrow.bit_width:
            return pa.DictionaryArray.from_arrays(pc.cast(col.indices, narrow), col.dictionary)
    return col


def _empty(t: pa.DataType) -> pa.Array:
    """A dictionary of no values for an all-null column of type ``t``."""
    return pa.array([], t.value_type if pa.types.is_dictionary(t) else t)


def csv_text(col: pa.Array) -> pa.Array:
    """A column as the file gate reads it back from CSV: the text Arrow's CSV writer
    writes for it (its cast to string), with empty text as null (an empty field). A
    dictionary stays one: its values are made text, and its rows holding empty text
    null."""
    if pa.types.is_dictionary(col.type):
        values = col.dictionary
        if not is_text(values.type):
            values = pc.cast(values, pa.string())
        indices = col.indices
        empty = pc.equal(pc.utf8_length(values), 0)
        if pc.any(empty).as_py():
            gone = pc.fill_null(pc.take(empty, indices), False)
            indices = pc.if_else(gone, pa.scalar(None, indices.type), indices)
        return pa.DictionaryArray.from_arrays(indices, values)
    if not is_text(col.type):
        col = pc.cast(col, pa.string())
    if len(col) == col.null_count:
        return col
    empty = pc.equal(pc.utf8_length(col), 0)
    if not pc.any(empty).as_py():
        return col
    return pc.if_else(empty, pa.scalar(None, col.type), col)


def _file_layout(
    path: Path, fmt: str, delimiter: str
) -> tuple[list[str], dict[str, str], int | None]:
    """The staged file's column names and types as stored, and (Parquet) the row count
    its footer declares (-1 if the footer cannot be read, which fails the file check)."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(path)
            stored, footer_rows = pf.schema_arrow, pf.metadata.num_rows
        except (pa.ArrowException, OSError):
            return [], {}, -1
        return list(stored.names), {f.name: str(f.type) for f in stored}, footer_rows
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh, delimiter=delimiter), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return [], {}, None
    return header, dict.fromkeys(header, "string"), None
