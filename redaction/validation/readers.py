"""Read a staged output chunk by chunk, as pandas frames GX can validate.

Memory stays bounded by one chunk: Parquet through ``ParquetFile(pre_buffer=False)
.iter_batches``, CSV through ``pyarrow.csv.open_csv`` (every column as text, only empty
fields as null), JSON-lines a chunk of lines at a time. Only the columns some row check
needs are read; the column list is known from the file's header or footer (for JSON-lines,
the keys seen while reading).

Parsers echo the offending text in their error messages, so a read error becomes an
:class:`Unreadable` carrying a reason code and a row count only.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd  # type: ignore[import-untyped]  # no pandas-stubs in the env
import pyarrow as pa

from redaction.detect import is_text
from redaction.io.memory import give_back
from redaction.io.readers import parquet_dictionary_columns as _dictionary_columns

#: pyarrow CSV block size: 1 MB parses as fast as 4 MB or 16 MB here and holds ~100 MB
#: less at 125k-row chunks (the reader keeps several blocks in flight).
_CSV_BLOCK_BYTES = 1 << 20
#: A file with a record longer than one block is read again in these.
_CSV_RETRY_BLOCK_BYTES = 32 << 20


class Unreadable(Exception):
    """The file could not be read to the end; ``reason`` is a code, never parser text."""

    def __init__(self, reason: str, rows_read: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.rows_read = rows_read


@dataclass
class Source:
    """An opened output file.

    Attributes:
        columns: column names in file order. For JSON-lines it fills up while ``chunks``
            is consumed (keys in order of first appearance).
        arrow_types: column -> ``str(pa_type)`` as stored (Parquet), or as read (CSV,
            all "string"); None for JSON-lines, whose types are checked value by value.
        chunks: frames of at most ``chunk_rows`` rows holding the requested columns.
        footer_rows: the row count the Parquet footer declares, else None.
    """

    columns: list[str]
    arrow_types: dict[str, str] | None
    chunks: Iterator[pd.DataFrame]
    footer_rows: int | None = None
    rows_without_chunks: int = 0


def open_source(
    path: Path,
    fmt: str,
    *,
    needed: Iterable[str],
    as_text: Iterable[str],
    chunk_rows: int,
    csv_delimiter: str = ",",
    by_value: Iterable[str] = (),
) -> Source:
    """Open ``path`` for chunked reading of the ``needed`` columns that it has.

    Args:
        needed: columns some row check reads; others are skipped.
        as_text: columns compared with value sets; Parquet casts them to text so a code
            ``7`` in an int64 column matches the policy's ``"7"``.
        by_value: CSV columns with checks on their values (not only on nulls): held as
            dictionaries when their values repeat (Parquet text columns are read as
            dictionaries whenever the file stores them so, at no extra cost).
    """
    needed = list(dict.fromkeys(needed))
    if fmt == "parquet":
        return _parquet(path, needed, set(as_text), chunk_rows)
    if fmt == "csv":
        return _csv(path, needed, chunk_rows, csv_delimiter, set(by_value))
    if fmt == "jsonl":
        return _jsonl(path, needed, chunk_rows)
    raise ValueError(f"unknown format {fmt!r}")


def _parquet(path: Path, needed: list[str], as_text: set[str], chunk_rows: int) -> Source:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path, pre_buffer=False)
        schema = pf.schema_arrow
    except (pa.ArrowException, OSError):
        # from None: the parser's message may quote the file.
        raise Unreadable("unreadable_parquet") from None
    columns = list(schema.names)
    wanted = [c for c in columns if c in set(needed)]
    footer_rows = pf.metadata.num_rows
    types = {f.name: str(f.type) for f in schema}
    # Text columns stored with a small dictionary are read as dictionaries: the frame
    # holds them as Categoricals and a rule is decided once per distinct value.
    dictionaries = [c for c in _dictionary_columns(pf) if c in set(wanted)]
    if dictionaries:
        try:
            pf = pq.ParquetFile(path, pre_buffer=False, read_dictionary=dictionaries)
        except (pa.ArrowException, OSError):
            raise Unreadable("unreadable_parquet") from None

    def chunks() -> Iterator[pd.DataFrame]:
        rows = 0
        try:
            batches = pf.iter_batches(batch_size=chunk_rows, columns=wanted)
            for table in _rechunk(batches, chunk_rows):
                rows += table.num_rows
                frame = _to_frame(table, as_text)
                del table  # the frame holds what it needs
                give_back()
                yield frame
        except pa.ArrowException:
            raise Unreadable("unreadable_parquet", rows) from None

    if not wanted:
        # No row check reads a column: the footer's count is the file's row count.
        return Source(columns, types, iter(()), footer_rows, rows_without_chunks=footer_rows)
    return Source(columns, types, chunks(), footer_rows)


def _csv(
    path: Path, needed: list[str], chunk_rows: int, delimiter: str, by_value: set[str]
) -> Source:
    import pyarrow.csv as pcsv

    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh, delimiter=delimiter), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        raise Unreadable("unreadable_csv") from None
    types = dict.fromkeys(header, "string")
    if not header:
        return Source([], types, iter(()))
    wanted = [c for c in header if c in set(needed)]
    convert = pcsv.ConvertOptions(
        # Every column as text: inference would turn ZIP codes into numbers and an
        # all-empty first block into type null.
        column_types=dict.fromkeys(header, pa.string()),
        strings_can_be_null=True,
        # Only an empty field is null: "NA" or "NULL" are values like any other.
        null_values=[""],
        quoted_strings_can_be_null=True,
        # An empty projection means "all columns" to pyarrow; one column still counts rows.
        include_columns=wanted or header[:1],
    )
    read = pcsv.ReadOptions(block_size=_CSV_BLOCK_BYTES)
    parse = pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True)
    options = {"read_options": read, "parse_options": parse, "convert_options": convert}

    def chunks() -> Iterator[pd.DataFrame]:
        rows = 0
        repeated = _repeated(path, by_value & set(wanted), options)
        if repeated:
            types = dict(convert.column_types)
            types.update(dict.fromkeys(repeated, pa.dictionary(pa.int32(), pa.string())))
            convert.column_types = types
        for block in (_CSV_BLOCK_BYTES, _CSV_RETRY_BLOCK_BYTES):
            try:
                read.block_size = block
                reader = pcsv.open_csv(path, **options)
                # After a failed read in small blocks, the rows already validated are
                # read again and skipped: the same records, in the same order.
                for table in _rechunk(_skip_rows(reader, rows), chunk_rows):
                    rows += table.num_rows
                    if not wanted:
                        table = table.select([])
                    frame = _to_frame(table, set())
                    del table  # the frame holds what it needs
                    give_back()
                    yield frame
                return
            except pa.ArrowException:
                # A record longer than a block cannot be parsed in that block size.
                if block == _CSV_RETRY_BLOCK_BYTES:
                    raise Unreadable("unreadable_csv", rows) from None

    return Source(header, types, chunks())


def _skip_rows(batches: Iterable[pa.RecordBatch], skip: int) -> Iterator[pa.RecordBatch]:
    """``batches`` without their first ``skip`` rows."""
    for batch in batches:
        if skip >= batch.num_rows:
            skip -= batch.num_rows
            continue
        yield batch.slice(skip) if skip else batch
        skip = 0


def _jsonl(path: Path, needed: list[str], chunk_rows: int) -> Source:
    seen: dict[str, None] = {}
    columns: list[str] = []
    src = Source(columns, None, iter(()))

    def frame(records: list[dict[str, Any]]) -> pd.DataFrame:
        for rec in records:
            for key in rec:
                if key not in seen:
                    seen[key] = None
                    columns.append(key)
        # Object dtype keeps JSON's own types for the type checks; a missing key reads as
        # null (a key missing from every row fails the column list).
        data = {c: pd.Series([r.get(c) for r in records], dtype=object) for c in needed}
        return pd.DataFrame(data, index=pd.RangeIndex(len(records)))

    def chunks() -> Iterator[pd.DataFrame]:
        records: list[dict[str, Any]] = []
        rows = 0
        try:
            with path.open("rb") as fh:
                for line in fh:
                    if not line.strip():
                        continue
                    rec = json.loads(line)
                    if not isinstance(rec, dict):
                        raise Unreadable("jsonl_line_not_object", rows)
                    records.append(rec)
                    rows += 1
                    if len(records) >= chunk_rows:
                        yield frame(records)
                        records = []
        except (OSError, ValueError):
            raise Unreadable("unreadable_jsonl", rows) from None
        if records:
            yield frame(records)

    src.chunks = chunks()
    return src


def _repeated(
    path: Path, columns: set[str], options: dict[str, Any], sample_rows: int = 10_000
) -> set[str]:
    """Which of ``columns`` repeat their values: at most a quarter distinct in the first
    ``sample_rows`` rows (or the first block, if shorter).

    Those are parsed straight into dictionaries (Categoricals in the frame), so their
    value checks are decided once per distinct value; pyarrow's CSV conversion builds
    the dictionary for ~10% more than plain text, ~5x less than encoding afterwards. A
    column that repeats only at the start stays correct, just no faster.
    """
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    if not columns:
        return set()
    # One small block on this thread: no read-ahead of blocks that are not looked at.
    head = pcsv.ReadOptions(block_size=1 << 20, use_threads=False)
    try:
        first = next(iter(pcsv.open_csv(path, **{**options, "read_options": head})), None)
    except pa.ArrowException:
        return set()  # the full read reports it
    if first is None:
        return set()
    out = set()
    for name in columns:
        if name in first.schema.names:
            sample = first.column(name).slice(0, sample_rows)
            if len(sample) and pc.count_distinct(sample).as_py() <= len(sample) // 4:
                out.add(name)
    return out


def _rechunk(batches: Iterable[pa.RecordBatch], chunk_rows: int) -> Iterator[pa.Table]:
    """Regroup record batches into tables of exactly ``chunk_rows`` rows (the last fewer)."""
    pending: list[pa.RecordBatch] = []
    held = 0
    for batch in batches:
        while batch.num_rows:
            take = min(batch.num_rows, chunk_rows - held)
            pending.append(batch.slice(0, take))
            held += take
            batch = batch.slice(take)
            if held == chunk_rows:
                # The batches are let go before the chunk is handed on: only one
                # chunk's data is alive while it is validated.
                table = _table(pending)
                pending, held = [], 0
                yield table
    if held:
        table = _table(pending)
        pending = []
        yield table


def _table(batches: list[pa.RecordBatch]) -> pa.Table:
    """One table of ``batches``. Where a column's type differs between them (a
    dictionary in one, plain values or a narrower dictionary in another: see
    ``stream.compact``), every piece of it is decoded to its plain value type first."""
    first = batches[0].schema
    if all(b.schema.equals(first) for b in batches[1:]):
        return pa.Table.from_batches(batches)
    columns = []
    for i in range(len(first.names)):
        pieces = [b.column(i) for b in batches]
        if len({str(piece.type) for piece in pieces}) > 1:
            pieces = [_plain(piece) for piece in pieces]
        columns.append(pa.chunked_array(pieces))
    return pa.Table.from_arrays(columns, names=first.names)


def _plain(col: pa.Array) -> pa.Array:
    return col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col


def _to_frame(table: pa.Table, as_text: set[str]) -> pd.DataFrame:
    """A pandas view of ``table`` backed by Arrow memory (no copy of string data).

    Text dictionaries become Categoricals (their distinct values once, and codes).
    """
    import pyarrow.compute as pc

    arrays = []
    for name, col in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_dictionary(col.type) and not is_text(col.type.value_type):
            col = col.cast(col.type.value_type)
        if name in as_text and not is_text(col.type):
            # Nested types have no text form: compared as they are (and cannot match).
            with contextlib.suppress(pa.ArrowInvalid, pa.ArrowNotImplementedError):
                col = pc.cast(col, pa.string())
        arrays.append(col)
    table = pa.Table.from_arrays(arrays, names=table.column_names)
    # One dictionary per column: pandas builds a Categorical from many chunks with
    # different dictionaries ~3x slower.
    table = table.unify_dictionaries()
    arrays = [
        pa.chunked_array([col.combine_chunks()]) if pa.types.is_dictionary(col.type) else col
        for col in table.columns
    ]
    table = pa.Table.from_arrays(arrays, names=table.column_names)
    return table.to_pandas(types_mapper=_pandas_type)


def _pandas_type(t: pa.DataType) -> Any:
    """Arrow-backed pandas types, except dictionaries: pandas' own Categorical."""
    return None if pa.types.is_dictionary(t) else pd.ArrowDtype(t)
