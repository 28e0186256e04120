"""Streaming readers: an extract in, Arrow record batches out, memory bounded by a batch.

Every reader can be iterated more than once (a release with no contract reads twice:
profile, then redact). CSV columns are read as text, exactly as written, whatever the
contract declares; declared types are checked value by value instead (``check_types``),
so ZIP codes keep their zeros and a column empty in the first block cannot break a read.
Errors name the file, column and record, never a value.

Messy files: a UTF-8 byte-order mark, CRLF, quoted embedded newlines and doubled quotes
are read as written; when no delimiter is given, ``,``, ``;``, ``|`` and tab are sniffed
from the first lines. A record that is not valid text in the file's encoding is never
guessed at: by default the read fails closed naming the record numbers (never the bytes);
with ``bad_records="quarantine"`` those records are left out and counted
(``Source.bad_records``).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import queue
import threading
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal, TypeVar

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from redaction.errors import InputError, UsageError
from redaction.io.digest import sha256_file
from redaction.io.memory import give_back
from redaction.literals import EMPTY, FALSE, NEWLINE, TRUE, ints, row_numbers, strings
from redaction.policy import Contract, CsvOptions
from redaction.types import (
    NULL_TOKENS,
    PARSEABLE,
    PLAIN_FORMS,
    ColumnType,
    Format,
    detect_format,
)

_T = TypeVar("_T")

BATCH_ROWS = 65_536
#: Parsed 1 MiB at a time (then joined into batches of ``batch_rows``): faster than 4 MiB
#: blocks and about 130 MB lighter. A read that fails is read again in 4 MiB blocks, as
#: before, so a record over 1 MiB still reads and an error names the same record.
CSV_BLOCK_BYTES = 1 << 20
CSV_RETRY_BLOCK_BYTES = 4 << 20
_NULL_TOKEN_VALUES = strings(NULL_TOKENS)

Progress = Callable[[int], None]
BadRecords = Literal["fail", "quarantine"]
#: Delimiters tried, in order of preference on a tie, when none is given.
SNIFF_DELIMITERS = (",", ";", "|", "\t")
SNIFF_BYTES = 64 << 10


class _Counting(io.RawIOBase):
    """A file wrapper that reports bytes read (for the progress bar) and hashes them.

    It cannot seek: every byte read passes once, in file order, through ``readinto``, so
    after a read to the end the digest is the file's SHA-256."""

    def __init__(self, f: BinaryIO, progress: Progress | None, quote: bytes = b'"'):
        self._f = f
        self._progress = progress
        self.sha256 = hashlib.sha256()
        self.bytes_read = 0
        self._quote = quote
        #: Quote characters seen: an odd count is the only way a quote can be left open.
        self.quotes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        n = self._f.readinto(b)  # type: ignore[attr-defined]
        if n:
            view = memoryview(b)[:n]
            self.sha256.update(view)
            self.quotes += view.tobytes().count(self._quote)
            self.bytes_read += n
            if self._progress:
                self._progress(n)
        return n or 0

    def digest_of(self, src: Source) -> None:
        """Record the digest on ``src`` if every byte of the file was read."""
        st = os.fstat(self._f.fileno())
        if self.bytes_read == st.st_size:
            src.read_digest = ((st.st_size, st.st_mtime_ns), self.sha256.hexdigest())

    def close(self) -> None:
        self._f.close()
        super().close()


@dataclass
class Source:
    """One extract file, opened lazily."""

    path: Path
    format: Format
    csv: CsvOptions
    batch_rows: int = BATCH_ROWS
    _schema: pa.Schema | None = None
    rows_total: int | None = None
    #: What a record that cannot be decoded does: fail the read, or be left out.
    bad_records_mode: BadRecords = "fail"
    #: Records left out by the last full read (``bad_records_mode="quarantine"``).
    bad_records: int = 0
    #: ((size, mtime_ns), SHA-256) of the bytes of the last read to the end of the file.
    read_digest: tuple[tuple[int, int], str] | None = None

    def sha256(self) -> str:
        """The file's SHA-256: taken while the file was last read through if it has not
        changed since (same size and modification time), else by reading it again."""
        st = self.path.stat()
        if self.read_digest is not None and self.read_digest[0] == (st.st_size, st.st_mtime_ns):
            return self.read_digest[1]
        return sha256_file(self.path)

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    @property
    def schema(self) -> pa.Schema:
        if self._schema is None:
            self._schema = _READERS[self.format].schema(self)
        return self._schema

    def batches(
        self, progress: Progress | None = None, *, dictionaries: bool = False, threads: bool = True
    ) -> Generator[pa.RecordBatch]:
        """The extract as record batches, in file order, from the start.

        With ``dictionaries``, text columns whose values repeat come as Arrow dictionary
        arrays (the caller decodes them: ``decode_dictionaries``): Parquet columns
        stored with a small dictionary, CSV columns that repeat in the first block.
        With ``threads=False``, Parquet columns are decoded on the calling thread only,
        not on Arrow's thread pool (for a caller that reads on a thread of its own)."""
        if self.format == "parquet":
            yield from _Parquet.batches(self, progress, dictionaries, threads)
        elif dictionaries and self.format == "csv":
            yield from _Csv.batches(self, progress, dictionaries=True)
        else:
            yield from _READERS[self.format].batches(self, progress)


def prefetch(items: Iterator[_T], *, held: int = 3) -> Iterator[_T]:
    """``items``, each made on a second thread while the caller works on the one before
    (Arrow reads and parses without the GIL). At most ``held`` items exist at once,
    counting the one the caller holds: 3 lets the next-but-one be read while one waits;
    2 holds only the caller's item and the one being read. An error of the producer is
    raised where its item would have come; a caller that stops early stops the
    producer, which closes its file.

    After each item the producer hands its thread's free Arrow pages back: under
    mimalloc every thread that allocates keeps its own free pages, so the items it makes
    and the caller frees would otherwise stay resident beside the caller's own (~13 MB
    of a Parquet release's peak)."""
    ahead: queue.Queue[tuple[_T | None, BaseException | None, bool]] = queue.Queue()
    slots = threading.Semaphore(held - 1)
    stop = threading.Event()

    def slot() -> bool:
        while not stop.is_set():
            if slots.acquire(timeout=0.05):
                return True
        return False

    def run() -> None:
        try:
            while slot():
                try:
                    item = next(items)
                except StopIteration:
                    ahead.put((None, None, True))
                    return
                ahead.put((item, None, False))
                del item
                give_back()
        except BaseException as exc:  # handed to the caller's thread
            ahead.put((None, exc, True))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=run, name="redact-reader", daemon=True)
    thread.start()
    try:
        while True:
            item, error, done = ahead.get()
            if error is not None:
                raise error
            if done:
                return
            slots.release()  # the caller holds this one: the producer may make the next
            yield item  # type: ignore[misc]  # not None unless done
            del item
    finally:
        stop.set()
        thread.join()


def decode_dictionaries(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """``batch`` with every column cast back to its type in ``schema`` (dictionaries read
    for speed become the plain text the file declares)."""
    if batch.schema.equals(schema):
        return batch
    arrays = [
        col if col.type == field.type else pc.cast(col, field.type)
        for col, field in zip(batch.columns, schema, strict=True)
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def open_source(
    path: Path | str,
    fmt: str | None = None,
    contract: Contract | None = None,
    *,
    batch_rows: int = BATCH_ROWS,
    delimiter: str | None = None,
    encoding: str | None = None,
    bad_records: BadRecords = "fail",
) -> Source:
    """Open an extract: checks that it exists, is a file and is not empty.

    Args:
        bad_records: ``"fail"`` (default): a record that cannot be decoded fails the read,
            naming its record number; ``"quarantine"``: such records are left out and
            counted in ``Source.bad_records``.
    """
    if bad_records not in ("fail", "quarantine"):
        raise UsageError(f"unknown bad_records mode '{bad_records}'", hint="use fail or quarantine")
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found", reason="missing_file")
    if not path.is_file():
        raise InputError(f"{path}: not a file", reason="not_a_file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: the file is empty", reason="empty_file")
    csv = contract.csv if contract else CsvOptions()
    if delimiter or encoding:
        csv = csv.model_copy(
            update={k: v for k, v in (("delimiter", delimiter), ("encoding", encoding)) if v}
        )
    elif path.suffix.lower() == ".tsv" and not contract:
        csv = csv.model_copy(update={"delimiter": "\t"})
    fmt_ = detect_format(path, fmt)
    if fmt_ in ("csv", "jsonl"):
        _refuse_wide_encoding(path, csv.encoding)
    if fmt_ == "csv" and not contract and not delimiter and path.suffix.lower() != ".tsv":
        csv = csv.model_copy(update={"delimiter": sniff_delimiter(path)})
    src = Source(path, fmt_, csv, batch_rows, bad_records_mode=bad_records)
    names = src.schema.names
    seen: set[str] = set()
    for i, n in enumerate(names):
        if n in seen:
            raise InputError(
                f"{path}: column '{n}' appears more than once (position {i + 1})",
                reason="duplicate_column",
                hint="column names must be unique; rename one in the source",
            )
        if not n.strip():
            raise InputError(f"{path}: column {i + 1} has no name", reason="blank_column_name")
        seen.add(n)
    return src


# ------------------------------------------------------------------------------ CSV


def _split_outside_quotes(line: str, quote: str = '"') -> dict[str, int]:
    counts = dict.fromkeys(SNIFF_DELIMITERS, 0)
    inside = False
    for ch in line:
        if ch == quote:
            inside = not inside
        elif not inside and ch in counts:
            counts[ch] += 1
    return counts


def sniff_delimiter(path: Path) -> str:
    """The delimiter of a CSV file with none declared: the candidate that splits the
    header into the most fields and every other sampled line into as many.

    Only whole lines from the first 64 KiB are sampled, and a line whose quotes are open
    (an embedded newline) ends the sample. Ties and no clear winner give ``,``.
    """
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = text.splitlines()
    if len(head) == SNIFF_BYTES and lines:
        lines = lines[:-1]  # the last line may be cut
    sample: list[dict[str, int]] = []
    for line in lines[:50]:
        if line.count('"') % 2:
            break
        if line.strip():
            sample.append(_split_outside_quotes(line))
    if not sample:
        return ","
    best, best_n = ",", 0
    for d in SNIFF_DELIMITERS:
        n = sample[0][d]
        if n == 0 or any(c[d] != n for c in sample[1:]):
            continue
        if n > best_n:
            best, best_n = d, n
    return best


#: Byte-order marks of the encodings a UTF-8 reader misreads as fields of NUL bytes.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32", "utf-32"),
    (b"\x00\x00\xfe\xff", "UTF-32", "utf-32"),
    (b"\xff\xfe", "UTF-16", "utf-16"),
    (b"\xfe\xff", "UTF-16", "utf-16"),
)


def _refuse_wide_encoding(path: Path, encoding: str | None) -> None:
    """A UTF-16 or UTF-32 file read as UTF-8 failed as 'wrong number of fields'. Say
    what it is (by its byte-order mark, or by NUL bytes between ASCII letters)."""
    norm = (encoding or "utf-8").lower().replace("-", "").replace("_", "")
    if norm.startswith(("utf16", "utf32")):
        return  # the caller named the wide encoding
    with path.open("rb") as fh:
        head = fh.read(64)
    found = next(((name, enc) for bom, name, enc in _WIDE_BOMS if head.startswith(bom)), None)
    if found is None and len(head) >= 8 and head.count(b"\x00") >= len(head) // 3:
        found = ("UTF-16 or UTF-32", "utf-16")
    if found is not None:
        raise InputError(
            f"{path}: the file is {found[0]} text, not {encoding or 'UTF-8'}",
            reason="wide_encoding",
            hint=f"pass --encoding {found[1]} (or convert the file to UTF-8)",
        )


def _csv_opts(
    src: Source,
    names: list[str] | None,
    column_type: pa.DataType | None = None,
    block_bytes: int | None = None,
    dictionary: frozenset[str] = frozenset(),
) -> tuple[Any, Any, Any]:
    read = pcsv.ReadOptions(block_size=block_bytes or CSV_BLOCK_BYTES, encoding=src.csv.encoding)
    parse = pcsv.ParseOptions(
        delimiter=src.csv.delimiter, quote_char=src.csv.quote_char, newlines_in_values=True
    )
    types = {
        n: _TEXT_DICTIONARY if n in dictionary else (column_type or pa.string())
        for n in names or ()
    }
    convert = pcsv.ConvertOptions(
        column_types=types if names else None,
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        null_values=[],
    )
    return read, parse, convert


def _csv_error(src: Source, exc: Exception, rows_before: int) -> InputError:
    text = str(exc)
    if "UTF8" in text or "UTF-8" in text or isinstance(exc, UnicodeDecodeError):
        line = _first_bad_utf8_line(src.path)
        where = f" at line {line}" if line else ""
        return InputError(
            f"{src.path}: not valid {src.csv.encoding} text{where} (after record {rows_before})",
            reason="bad_encoding",
            hint="pass --encoding (e.g. cp1252, latin-1) if the file is not UTF-8",
        )
    if "Expected" in text and "columns" in text:
        return InputError(
            f"{src.path}: a record after record {rows_before} has the wrong number of fields",
            reason="ragged_csv",
            hint="check quoting and the delimiter (--delimiter)",
        )
    if "Empty CSV" in text:
        return InputError(f"{src.path}: the file is empty", reason="empty_file")
    if "straddl" in text:
        return InputError(
            f"{src.path}: a record after record {rows_before} holds a field longer than "
            f"{CSV_BLOCK_BYTES >> 20} MB, the longest the CSV reader takes",
            reason="field_too_long",
            hint="such a field is usually an unclosed quote or a document pasted into a "
            "cell; fix the source or export that field separately",
        )
    return InputError(
        f"{src.path}: cannot be parsed as CSV after record {rows_before} ({type(exc).__name__})",
        reason="bad_csv",
    )


def _check_quotes_closed(src: Source, counting: _Counting) -> None:
    """Refuse a CSV whose last quoted field never closes.

    With newlines allowed in quoted values, Arrow reads an unclosed quote as one cell
    running to the end of the file: every later record merged into it (issue 15). A
    closed quote leaves an even number of quote characters, so only a file with an odd
    count is scanned again, to tell an open quote from a stray one inside an unquoted
    field (``12" long``), which is text."""
    if counting.quotes % 2 == 0 or counting.bytes_read != src.size:
        return
    line = _unclosed_quote_line(src.path, src.csv.quote_char, src.csv.delimiter)
    if line is not None:
        raise InputError(
            f"{src.path}: line {line}: a quoted field opens and is never closed "
            "(every later record would be merged into it)",
            reason="unclosed_quote",
            hint="close the quote, or double a quote character meant as text",
        )


def _unclosed_quote_line(path: Path, quote: str, delimiter: str) -> int | None:
    """The line where a quoted field opens that the file never closes, or None."""
    q, d = ord(quote), ord(delimiter)
    line, opened, quoted, at_start, after_quote = 1, 0, False, True, False
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            for c in chunk:
                if quoted:
                    if after_quote:
                        after_quote = False
                        if c != q:
                            quoted = False  # the quote before closed the field
                        else:
                            continue  # a doubled quote: text
                    elif c == q:
                        after_quote = True
                        continue
                    if quoted:
                        if c == 10:
                            line += 1
                        continue
                if c == q and at_start:
                    quoted, opened, at_start = True, line, False
                elif c == d:
                    at_start = True
                elif c == 10:
                    line += 1
                    at_start = True
                elif c != 13:
                    at_start = False
    return opened if quoted and not after_quote else None


def _first_bad_utf8_line(path: Path) -> int | None:
    with path.open("rb") as f:
        for n, line in enumerate(f, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return n
    return None


def _coalesce(batches: Generator[pa.RecordBatch], rows: int) -> Iterator[pa.RecordBatch]:
    """Parsed blocks joined into batches of about ``rows`` rows, in order.

    A CSV block of ``CSV_BLOCK_BYTES`` holds a few thousand rows of a wide extract; the
    guard and the transforms pay a fixed cost per batch (RE2 compiles each pattern on
    every call), so they run on fewer, larger batches. Larger parse blocks were slower
    and took more memory; joining parsed blocks costs one copy of the batch."""
    pending: list[pa.RecordBatch] = []
    count = 0
    try:
        for batch in batches:
            pending.append(batch)
            count += batch.num_rows
            if count >= rows:
                yield pending[0] if len(pending) == 1 else pa.concat_batches(pending)
                pending, count = [], 0
        if pending:
            yield pending[0] if len(pending) == 1 else pa.concat_batches(pending)
    finally:
        batches.close()  # a caller that stops early closes the file now


_TEXT_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
#: A CSV column is read as a dictionary when at most this share of the first block's
#: first ``REPEAT_SAMPLE_ROWS`` values are distinct.
REPEAT_SHARE = 0.25
REPEAT_SAMPLE_ROWS = 10_000


#: Reading only the header's names: the types Arrow infers are not used (every column is
#: text), so it tries as few as it can (with its default null, boolean and timestamp
#: forms, inferring 20,000 columns took 10 s).
_NAMES_ONLY = pcsv.ConvertOptions(
    null_values=[], true_values=[], false_values=[], timestamp_parsers=[],
    strings_can_be_null=False,
)  # fmt: skip


class _Csv:
    @staticmethod
    def repeated(src: Source) -> frozenset[str]:
        """Columns whose values repeat in the file's first block (codes, cities, flags).

        Arrow's CSV reader builds their dictionaries while parsing, for ~10% more than
        plain text; the guard and the validation gate then decide each rule once per
        distinct value, and nothing encodes them again. A column that repeats only at
        the start is read correctly, just no faster."""
        read, parse, convert = _csv_opts(src, src.schema.names)
        read.use_threads = False
        try:
            with src.path.open("rb") as f:
                reader = pcsv.open_csv(
                    f, read_options=read, parse_options=parse, convert_options=convert
                )
                first = next(iter(reader), None)
        except (pa.ArrowInvalid, UnicodeDecodeError):
            return frozenset()  # the full read reports it
        if first is None:
            return frozenset()
        out = set()
        for name, col in zip(first.schema.names, first.columns, strict=True):
            sample = col.slice(0, REPEAT_SAMPLE_ROWS)
            if len(sample) and pc.count_distinct(sample).as_py() <= REPEAT_SHARE * len(sample):
                out.add(name)
        return frozenset(out)

    @staticmethod
    def schema(src: Source) -> pa.Schema:
        for block in (CSV_BLOCK_BYTES, CSV_RETRY_BLOCK_BYTES):
            read, parse, _ = _csv_opts(src, None, block_bytes=block)
            try:
                with src.path.open("rb") as f:
                    reader = pcsv.open_csv(
                        f, read_options=read, parse_options=parse, convert_options=_NAMES_ONLY
                    )
                    names = reader.schema.names
                break
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                if block != CSV_RETRY_BLOCK_BYTES:
                    continue
                raise _csv_error(src, exc, 0) from None
        return pa.schema([pa.field(n, pa.string()) for n in names])

    @staticmethod
    def batches(
        src: Source, progress: Progress | None, dictionaries: bool = False
    ) -> Iterator[pa.RecordBatch]:
        if src.bad_records_mode == "quarantine" and _is_utf8(src):
            yield from _coalesce(_Csv._checked_batches(src, progress), src.batch_rows)
        else:
            repeated = _Csv.repeated(src) if dictionaries else frozenset()
            yield from _coalesce(_Csv._blocks(src, progress, repeated), src.batch_rows)

    @staticmethod
    def _blocks(
        src: Source, progress: Progress | None, dictionary: frozenset[str] = frozenset()
    ) -> Generator[pa.RecordBatch]:
        names = src.schema.names
        done = 0  # records already yielded (by a read that then failed)
        for block in (CSV_BLOCK_BYTES, CSV_RETRY_BLOCK_BYTES):
            read, parse, convert = _csv_opts(src, names, block_bytes=block, dictionary=dictionary)
            rows = 0
            with src.path.open("rb") as raw:
                counting = _Counting(
                    raw, progress if block == CSV_BLOCK_BYTES else None, src.csv.quote_char.encode()
                )
                f = io.BufferedReader(counting, 1 << 20)
                try:
                    reader = pcsv.open_csv(
                        f, read_options=read, parse_options=parse, convert_options=convert
                    )
                    for batch in reader:
                        rows += batch.num_rows
                        if rows <= done:
                            continue  # yielded by the first read: the same records
                        if rows - batch.num_rows < done:
                            batch = batch.slice(done - (rows - batch.num_rows))
                        done = rows
                        yield batch
                    _check_quotes_closed(src, counting)
                    counting.digest_of(src)
                    return
                except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                    if block != CSV_RETRY_BLOCK_BYTES:
                        continue  # read again in the larger blocks
                    err = _csv_error(src, exc, rows)
                    if err.reason == "bad_encoding" and _is_utf8(src):
                        bad = _bad_utf8_records(src)
                        if bad:
                            err = _bad_records_error(src, bad)
                    raise err from None

    @staticmethod
    def _raw_batches(src: Source, progress: Progress | None) -> Iterator[pa.RecordBatch]:
        """Batches with every column as bytes (no decoding, so no record can fail)."""
        names = src.schema.names
        read, parse, convert = _csv_opts(src, names, pa.binary(), CSV_RETRY_BLOCK_BYTES)
        rows = 0
        with src.path.open("rb") as raw:
            counting = _Counting(raw, progress, src.csv.quote_char.encode())
            f = io.BufferedReader(counting, 1 << 20)
            try:
                reader = pcsv.open_csv(
                    f, read_options=read, parse_options=parse, convert_options=convert
                )
                for batch in reader:
                    rows += batch.num_rows
                    yield batch
                _check_quotes_closed(src, counting)
                counting.digest_of(src)
            except pa.ArrowInvalid as exc:
                raise _csv_error(src, exc, rows) from None

    @staticmethod
    def _checked_batches(src: Source, progress: Progress | None) -> Generator[pa.RecordBatch]:
        """Decode each batch; records that are not valid UTF-8 are left out, counted."""
        src.bad_records = 0
        schema = src.schema
        for batch in _Csv._raw_batches(src, progress):
            bad = _bad_rows(batch)
            if bad:
                src.bad_records += len(bad)
                keep = pc.invert(pc.is_in(row_numbers(batch.num_rows), ints(bad)))
                batch = batch.filter(keep)
            if batch.num_rows:
                yield pa.RecordBatch.from_arrays(
                    [c.cast(pa.string()) for c in batch.columns], schema=schema
                )


def _is_utf8(src: Source) -> bool:
    return src.csv.encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def _bad_rows(batch: pa.RecordBatch) -> list[int]:
    """Zero-based rows of a bytes batch holding a value that is not valid UTF-8."""
    bad: set[int] = set()
    for col in batch.columns:
        try:
            col.cast(pa.string())
        except pa.ArrowInvalid:
            for i, v in enumerate(col.to_pylist()):  # rare: only a batch that failed
                if v is not None:
                    try:
                        v.decode("utf-8")
                    except UnicodeDecodeError:
                        bad.add(i)
    return sorted(bad)


def _bad_utf8_records(src: Source) -> list[int]:
    """One-based record numbers (header excluded) that are not valid UTF-8."""
    out: list[int] = []
    rows = 0
    for batch in _Csv._raw_batches(src, None):
        out.extend(rows + i + 1 for i in _bad_rows(batch))
        rows += batch.num_rows
    return out


def _bad_records_error(src: Source, bad: list[int]) -> InputError:
    shown = ", ".join(str(r) for r in bad[:5]) + (
        f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    )
    line = _first_bad_utf8_line(src.path)
    where = f" at line {line}" if line else ""
    return InputError(
        f"{src.path}: not valid {src.csv.encoding} text{where}: record {shown} "
        f"({len(bad)} record(s) in all); no value was guessed at",
        reason="bad_encoding",
        hint="fix the source, pass --encoding if the whole file is in another encoding, or "
        "pass --bad-records quarantine to leave those records out (they are counted)",
    )


# -------------------------------------------------------------------------- Parquet


#: A dictionary page this small is read as a dictionary whatever the column's size.
SMALL_DICTIONARY_BYTES = 16 << 10


class _Parquet:
    @staticmethod
    def _open(src: Source) -> pq.ParquetFile:
        try:
            return pq.ParquetFile(src.path, pre_buffer=False)
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputError(
                f"{src.path}: not a readable Parquet file ({type(exc).__name__})",
                reason="bad_parquet",
            ) from None

    @staticmethod
    def schema(src: Source) -> pa.Schema:
        pf = _Parquet._open(src)
        src.rows_total = pf.metadata.num_rows
        return pf.schema_arrow

    @staticmethod
    def dictionary_columns(pf: pq.ParquetFile) -> list[str]:
        """Top-level text columns stored with a small dictionary page in every row group:
        read as Arrow dictionaries, the guard matches their distinct values only."""
        md = pf.metadata
        text = {
            f.name
            for f in pf.schema_arrow
            if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
        }
        out = []
        for i in range(md.num_columns):
            name = md.schema.column(i).path
            if name not in text:
                continue
            small = md.num_row_groups > 0
            for rg in range(md.num_row_groups):
                col = md.row_group(rg).column(i)
                dict_off = col.dictionary_page_offset
                if not col.has_dictionary_page or dict_off is None:
                    small = False
                    break
                dict_bytes = col.data_page_offset - dict_off
                # Small against the column's data, or small outright (a constant
                # column's data pages compress to less than its one-entry dictionary).
                small_page = dict_bytes <= SMALL_DICTIONARY_BYTES
                if dict_bytes <= 0 or (
                    dict_bytes > 0.1 * col.total_compressed_size and not small_page
                ):
                    small = False
                    break
            if small:
                out.append(name)
        return out

    @staticmethod
    def batches(
        src: Source, progress: Progress | None, dictionaries: bool = False, threads: bool = True
    ) -> Iterator[pa.RecordBatch]:
        pf = _Parquet._open(src)
        if dictionaries:
            cols = _Parquet.dictionary_columns(pf)
            if cols:
                pf = pq.ParquetFile(src.path, pre_buffer=False, read_dictionary=cols)
        total = max(pf.metadata.num_rows, 1)
        size = src.size
        try:
            for batch in pf.iter_batches(batch_size=src.batch_rows, use_threads=threads):
                # A damaged file can decode to arrays that break Arrow's invariants
                # (dictionary indices past the dictionary, offsets past the data):
                # refuse it here, not as an internal error in some later kernel.
                batch.validate(full=True)
                if progress:
                    progress(int(size * batch.num_rows / total))
                yield batch
        except (pa.ArrowInvalid, pa.ArrowIndexError, OSError) as exc:
            raise InputError(
                f"{src.path}: a row group cannot be read ({type(exc).__name__})",
                reason="bad_parquet",
            ) from None


# ---------------------------------------------------------------------- JSON lines


def _json_lines(
    src: Source, progress: Progress | None
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(first line number, records) chunks; each line one JSON object. A line that cannot
    be decoded fails the read, or with ``bad_records="quarantine"`` is left out, counted."""
    chunk: list[dict[str, Any]] = []
    src.bad_records = 0
    quarantine = src.bad_records_mode == "quarantine"
    start = 1
    with src.path.open("rb") as f:
        for n, raw in enumerate(f, start=1):
            if progress:
                progress(len(raw))
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw.decode(src.csv.encoding))
            except RecursionError:
                raise _too_deep(src, n) from None
            except (UnicodeDecodeError, json.JSONDecodeError):
                if quarantine:
                    src.bad_records += 1
                    continue
                rec = None
            try:
                if rec is None:
                    rec = json.loads(raw.decode(src.csv.encoding))
            except UnicodeDecodeError:
                raise InputError(
                    f"{src.path}: line {n} is not valid {src.csv.encoding} text",
                    reason="bad_encoding",
                ) from None
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{src.path}: line {n} is not valid JSON (column {exc.colno}: {exc.msg})",
                    reason="bad_json",
                ) from None
            if not isinstance(rec, dict):
                raise InputError(f"{src.path}: line {n} is not a JSON object", reason="bad_json")
            _check_json_record(src, n, rec)
            if not chunk:
                start = n
            chunk.append(rec)
            if len(chunk) >= src.batch_rows:
                yield start, chunk
                chunk = []
    if chunk:
        yield start, chunk


#: Deepest nesting of objects and lists a JSON-lines record may have. The planner and
#: the nested transforms walk a record's type level by level; real extracts nest a few.
MAX_JSON_DEPTH = 32
_INT64 = (-(1 << 63), (1 << 63) - 1)


def _too_deep(src: Source, line: int) -> InputError:
    return InputError(
        f"{src.path}: line {line} nests objects or lists more than {MAX_JSON_DEPTH} levels deep",
        reason="json_too_deep",
        hint="flatten the record in the export",
    )


def _check_json_record(src: Source, line: int, rec: dict[str, Any]) -> None:
    """Refuse a record nested deeper than :data:`MAX_JSON_DEPTH` or holding an integer
    beyond 64 bits (Arrow's widest), naming the line and the top-level key."""
    # A key is data too (it may be shaped like an identifier): named by position.
    stack: list[tuple[Any, int, int]] = [(v, 1, i) for i, v in enumerate(rec.values(), 1)]
    while stack:
        value, depth, key = stack.pop()
        if isinstance(value, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise _too_deep(src, line)
            items = value.values() if isinstance(value, dict) else value
            stack.extend((v, depth + 1, key) for v in items)
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and not _INT64[0] <= value <= _INT64[1]
        ):
            raise InputError(
                f"{src.path}: line {line}, field {key} of the record: an integer beyond "
                "the 64-bit range",
                reason="integer_overflow",
                hint="write such numbers as JSON strings in the export",
            )


class _Jsonl:
    @staticmethod
    def schema(src: Source) -> pa.Schema:
        # JSON has no header: the schema is the union over every record, in the order
        # keys are first seen (a key missing from a record reads as null there).
        schemas = []
        for start, chunk in _json_lines(src, None):
            try:
                schemas.append(pa.Table.from_pylist(chunk).schema)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                raise InputError(
                    f"{src.path}: records from line {start} mix value types within a field "
                    f"({type(exc).__name__})",
                    reason="mixed_json_types",
                ) from None
        if not schemas:
            raise InputError(f"{src.path}: no records", reason="no_records")
        try:
            return pa.unify_schemas(schemas, promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            raise InputError(
                f"{src.path}: a field holds different value types in different records",
                reason="mixed_json_types",
            ) from None

    @staticmethod
    def batches(src: Source, progress: Progress | None) -> Iterator[pa.RecordBatch]:
        schema = src.schema
        for start, chunk in _json_lines(src, progress):
            try:
                yield pa.RecordBatch.from_pylist(chunk, schema=schema)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                raise InputError(
                    f"{src.path}: records from line {start} do not fit the file's schema",
                    reason="mixed_json_types",
                ) from None


_READERS: dict[str, Any] = {"csv": _Csv, "parquet": _Parquet, "jsonl": _Jsonl}


# ----------------------------------------------------------------- declared types

#: The text forms the reader takes for each declared type: the gate's (one grammar, so a
#: value read here is never one the gate refuses).
_TEXT_TYPE_PATTERNS: Mapping[str, str] = PARSEABLE


def arrow_type_fits(declared: ColumnType, t: pa.DataType) -> bool:
    """Whether a typed (Parquet / JSON) column holds the declared contract type."""
    if pa.types.is_dictionary(t):
        t = t.value_type
    if pa.types.is_null(t):
        return True  # a column with no value anywhere fits any type
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
        return True  # text (JSON dates, CSV): checked value by value in the stream
    fits = {
        "string": pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_string_view(t),
        "int64": pa.types.is_integer(t),
        "float64": pa.types.is_floating(t) or pa.types.is_decimal(t) or pa.types.is_integer(t),
        "boolean": pa.types.is_boolean(t),
        "date": pa.types.is_date(t),
        "timestamp": pa.types.is_timestamp(t) or pa.types.is_date(t),
    }[declared]
    return bool(fits)


#: Plain spellings of a declared type, each also matched by its pattern above.
_PLAIN_TYPE_PATTERNS: Mapping[str, str] = PLAIN_FORMS


def _all_plain(arr: pa.Array, declared: ColumnType) -> bool:
    """Whether every value is null, empty or in the plain spelling of ``declared``:
    checked on the values joined one per line, in one RE2 scan (RE2 costs ~100 ns per
    value called value by value). ``False`` only means "check value by value"."""
    plain = _PLAIN_TYPE_PATTERNS.get(declared)
    if plain is None or len(arr) == 0:
        return False
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_string(arr.type):
        return False
    values = pc.fill_null(arr, EMPTY) if arr.null_count else arr
    bounds = ints([0, len(values)], pa.int32())
    try:
        text = pc.binary_join(pa.ListArray.from_arrays(bounds, values), NEWLINE)
    except (pa.ArrowInvalid, pa.ArrowCapacityError):
        return False
    if pc.count_substring(text, "\n")[0].as_py() != len(values) - 1:
        return False  # a value holds a line break: lines are not values
    line = f"(?:{plain})?"
    return bool(pc.match_substring_regex(text, rf"\A{line}(?:\n{line})*\z")[0].as_py())


def text_type_errors(arr: pa.Array, declared: ColumnType) -> pa.Array:
    """Zero-based rows of a text column whose value is neither a null token nor
    parseable as ``declared``."""
    if declared == "string" or _all_plain(arr, declared):
        return row_numbers(0)
    ok = pc.match_substring_regex(arr, _TEXT_TYPE_PATTERNS[declared])
    is_null_token = pc.is_in(arr, value_set=_NULL_TOKEN_VALUES)
    bad = pc.invert(pc.or_(pc.fill_null(ok, TRUE), is_null_token))
    return pc.indices_nonzero(pc.fill_null(bad, FALSE))


#: Top-level text columns of an open Parquet file stored with a small dictionary page.
parquet_dictionary_columns = _Parquet.dictionary_columns
