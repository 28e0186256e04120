"""The validation gate: nothing is published that fails it; every row is checked.

One GX suite is built from the :class:`ValidationSpec` and run on every chunk of the
staged file; chunk results are summed into one :class:`ValidationOutcome`. The column
list is checked once per file by GX; the Arrow types (from the Parquet footer) and the
row count (counted while reading) are decided once per file by the gate, because GX's
pandas type check compares Python scalar types and cannot tell int32 from int64 or a
date from a timestamp. All of them appear in the outcome as expectations.

No cell value reaches the outcome, GX's stored results or Data Docs: every GX run uses
``{"result_format": "BASIC", "partial_unexpected_count": 0}``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from redaction.errors import UsageError
from redaction.io.memory import give_back
from redaction.io.readers import prefetch
from redaction.validation.checks import (
    COLUMNS_IN_ORDER,
    FORMATS,
    OF_TYPE,
    ROW_COUNT,
    Check,
    CheckResult,
    combined,
    grouped,
    leaves,
    per_value_columns,
    row_checks,
    set_check_columns,
)
from redaction.validation.outcome import ExpectationOutcome, ValidationOutcome
from redaction.validation.readers import Source, Unreadable, open_source
from redaction.validation.spec import ValidationSpec

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped]  # no pandas-stubs in the env

    from redaction.validation.gx_runner import GxRunner

#: Rows per GX run. Two chunks are in memory at once (the one validated and the next,
#: read meanwhile): at 125k rows x 37 columns ~50 MB (Parquet) to ~80 MB (CSV) each. GX's
#: fixed cost per run is ~0.06 s with one expectation per rule.
DEFAULT_CHUNK_ROWS = 125_000


def validate_file(
    path: Path,
    fmt: Literal["csv", "parquet", "jsonl"],
    spec: ValidationSpec,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    docs_dir: Path | None = None,
    csv_delimiter: str = ",",
) -> ValidationOutcome:
    """Validate a staged output file against ``spec``, chunk by chunk.

    Args:
        path: the staged file (never the outbox).
        fmt: its format.
        spec: what it must satisfy.
        chunk_rows: rows per GX run; memory is bounded by one chunk.
        docs_dir: if given, a GX file context is rooted there and Data Docs are written
            to ``docs_dir/gx/uncommitted/data_docs/local_site/index.html``.
        csv_delimiter: the CSV field separator.

    Returns:
        The outcome; ``success`` is False if any expectation failed or the file could
        not be read to the end. Nothing in it is a cell value.

    Raises:
        UsageError: an unknown format or a chunk size below 1.
    """
    started = time.monotonic()
    check_arguments(fmt, chunk_rows)
    checks = row_checks(spec, fmt)
    try:
        source: Source | None = open_source(
            path,
            fmt,
            needed=[c.column for c in checks if c.column is not None],
            as_text=set_check_columns(checks),
            by_value=per_value_columns(checks),
            chunk_rows=chunk_rows,
            csv_delimiter=csv_delimiter,
        )
        error = None
    except Unreadable as exc:
        source, error = None, exc.reason

    from redaction.validation.gx_runner import GxRunner

    runner = GxRunner(_label(spec.dataset), docs_dir)
    rows = RowPhase(checks)
    if source is not None:
        error = rows.run(source, fmt, runner, spec.dataset)
    return conclude(spec, fmt, source, rows, runner, error, started)


def check_arguments(fmt: str, chunk_rows: int) -> None:
    """Raise ``UsageError`` for an unknown format or a chunk size below 1."""
    if fmt not in FORMATS:
        raise UsageError(
            f"unknown output format {fmt!r}", reason="unknown_format", hint=", ".join(FORMATS)
        )
    if chunk_rows < 1:
        raise UsageError("chunk_rows must be at least 1", reason="bad_chunk_rows")


class RowPhase:
    """The row checks of one output, run chunk by chunk and summed (``_Tally``)."""

    def __init__(self, checks: list[Check]):
        self.tally = _Tally(checks)

    def run(
        self,
        source: Source,
        fmt: str,
        runner: GxRunner,
        dataset: str | None,
        *,
        read_ahead: bool = True,
    ) -> str | None:
        """Validate every chunk of ``source``; a reason code if reading stopped.
        ``read_ahead``: make the next chunk on a second thread meanwhile."""
        return _validate_rows(source, fmt, self.tally, runner, _label(dataset), read_ahead)


def conclude(
    spec: ValidationSpec,
    fmt: str,
    source: Source | None,
    rows: RowPhase,
    runner: GxRunner,
    error: str | None,
    started: float,
    extra: tuple[ExpectationOutcome, ...] = (),
) -> ValidationOutcome:
    """The outcome of one output: the file checks (column list, types, row count),
    the row checks summed over chunks, and ``extra`` file checks decided elsewhere."""
    tally = rows.tally
    label = _label(spec.dataset)
    observed = list(source.columns) if source is not None else []
    expected = list(spec.column_names)
    columns_ok = runner.run_columns(observed, expected, f"{label}-columns") if source else False

    outcomes = [
        ExpectationOutcome(
            expectation=COLUMNS_IN_ORDER,
            column=None,
            success=columns_ok and observed == expected,
            unexpected_count=_misplaced(observed, expected),
            element_count=len(observed),
            check="columns",
        ),
        *_type_outcomes(spec, source),
        ExpectationOutcome(
            expectation=ROW_COUNT,
            column=None,
            success=error is None and tally.rows == spec.expected_rows,
            unexpected_count=abs(tally.rows - spec.expected_rows),
            element_count=tally.rows,
            check="row_count",
        ),
        *extra,
        *tally.outcomes(complete=error is None),
    ]
    index = runner.build_docs()
    return ValidationOutcome(
        success=error is None and all(o.success for o in outcomes),
        rows_checked=tally.rows,
        chunks=tally.chunks,
        expectations=tuple(outcomes),
        dataset=spec.dataset,
        format=fmt,
        missing_columns=tuple(c for c in expected if c not in set(observed)),
        unexpected_columns=tuple(c for c in observed if c not in set(expected)),
        error=error,
        docs_index=str(index) if index else None,
        seconds=time.monotonic() - started,
    )


class _Tally:
    """Row-check results summed over chunks."""

    def __init__(self, checks: list[Check]):
        self.checks = checks
        self.ran: set[str] = set()
        self.rows = 0
        self.chunks = 0
        self._ok = dict.fromkeys((c.key for c in checks), True)
        self._unexpected = dict.fromkeys((c.key for c in checks), 0)
        self._elements = dict.fromkeys((c.key for c in checks), 0)

    def add(self, result: CheckResult) -> None:
        self._ok[result.key] = self._ok[result.key] and result.success
        self._unexpected[result.key] += result.unexpected_count
        self._elements[result.key] += result.element_count

    def outcomes(self, *, complete: bool) -> list[ExpectationOutcome]:
        return [
            ExpectationOutcome(
                expectation=c.expectation,
                column=c.column,
                # A check whose column is missing could not run: it fails (closed), as
                # does every check on a file that could not be read to the end.
                success=self._ok[c.key] and c.key in self.ran and complete,
                unexpected_count=self._unexpected[c.key],
                element_count=self._elements[c.key],
                check=c.key,
            )
            for c in self.checks
        ]


def _validate_rows(
    source: Source, fmt: str, tally: _Tally, runner: GxRunner, label: str, read_ahead: bool
) -> str | None:
    """Run the row suite on every chunk; returns a reason code if reading stopped.

    The suite states each rule once for all its columns (``checks.grouped``). Unless
    the results are kept for Data Docs, a chunk's first run asks GX for pass or fail
    only, with every rule in one expectation (``checks.combined``; GX then skips
    collecting the unexpected rows, most of its cost on a passing chunk). A chunk
    that fails is run again rule by rule, and a rule that fails column by column, with
    counts, so the outcome names each failing column and its number of rows.
    """
    # JSON-lines frames hold every checked column (absent keys read as null).
    present = set(source.columns)
    runnable = [c for c in tally.checks if fmt == "jsonl" or c.column in present]
    tally.ran = {c.key for c in runnable}
    suite = grouped(runnable)
    first = suite if runner.keeps_results else combined(suite)
    by_key = {c.key: c for c in first}
    error = None
    try:
        # The next chunk is read while GX validates this one (Arrow reads without the
        # GIL): two chunks in memory at most, the one validated and the one being read.
        # Without read-ahead, one.
        chunks = prefetch(source.chunks, held=2) if read_ahead else source.chunks
        for frame in chunks:
            tally.rows += len(frame)
            tally.chunks += 1
            run_name = f"{label}-rows-chunk-{tally.chunks:05d}"
            for result in runner.run("rows", first, frame, run_name, counts=False):
                _settle(tally, runner, by_key[result.key], result, frame, run_name)
            # Let this chunk go before the reader hands over the next one, and hand this
            # thread's free Arrow pages back (under mimalloc each thread keeps its own).
            del frame
            give_back()
    except Unreadable as exc:
        error = exc.reason
    tally.rows += source.rows_without_chunks
    return error


def _settle(
    tally: _Tally,
    runner: GxRunner,
    check: Check,
    result: CheckResult,
    frame: pd.DataFrame,
    run_name: str,
) -> None:
    """Add ``check``'s result on this chunk to the tally, per column.

    A pass passes every column it stands for. A counted failure of a per-column check
    is its count. Any other failure is run again one level down (the rules of the
    all-rules check, the columns of a rule), with counts; if none of those fails (the
    runs disagree), every column the check stands for fails with its count: closed,
    not open."""
    rows = len(frame)
    if result.success:
        for leaf in leaves(check):
            tally.add(CheckResult(leaf.key, True, 0, rows))
        return
    if result.counted and not check.members:
        tally.add(result)
        return
    members = {m.key: m for m in check.members or (check,)}
    detail = runner.run(
        f"detail-{check.key}", list(members.values()), frame, f"{run_name}-{check.key}"
    )
    if all(d.success for d in detail):
        for leaf in leaves(check):
            tally.add(CheckResult(leaf.key, False, result.unexpected_count, rows))
        return
    for d in detail:
        _settle(tally, runner, members[d.key], d, frame, run_name)


def _type_outcomes(spec: ValidationSpec, source: Source | None) -> list[ExpectationOutcome]:
    """Arrow types as stored (Parquet) or read (CSV); JSON-lines checks values instead."""
    if source is None or source.arrow_types is None:
        return []
    outcomes = []
    for name, want in spec.expected_columns:
        got = source.arrow_types.get(name)
        outcomes.append(
            ExpectationOutcome(
                expectation=OF_TYPE,
                column=name,
                success=got == want,
                unexpected_count=0 if got == want else 1,
                element_count=1 if got is not None else 0,
                check=f"arrow_type:{name}",
            )
        )
    return outcomes


def _misplaced(observed: list[str], expected: list[str]) -> int:
    """Positions where the file's column list differs from the expected one."""
    width = max(len(observed), len(expected))
    pad_o = observed + [None] * (width - len(observed))
    pad_e = expected + [None] * (width - len(expected))
    return sum(1 for o, e in zip(pad_o, pad_e, strict=True) if o != e)


def _label(dataset: str | None) -> str:
    """A name safe for GX suite names and file paths."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", dataset or "output")[:60]
