"""One release: one extract, one recipient, one outbound file.

    open source -> contract checks -> profile (no contract) -> plan -> stream batches
    -> guard released columns -> apply plan -> stage -> validate -> publish | quarantine
    -> ledger

This module wires the pure core (``plan``, ``transforms``) to the edges (``io``,
``validation``, ``ledger``). It returns a ``ReleaseResult`` of names and counts; it prints
nothing (the CLI and the Prefect flows present the result).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa
import pyarrow.compute as pc

from redaction import transforms
from redaction.detect import (
    BatchMatcher,
    as_text,
    detector_patterns,
    guard_pattern,
    guard_patterns,
    is_text,
    match_rows,
)
from redaction.errors import (
    GuardHit,
    InputError,
    LedgerError,
    PolicyError,
    RedactionError,
    ValidationFailed,
)
from redaction.io.digest import sha256_file
from redaction.io.memory import give_back
from redaction.io.names import check_column_names, check_release_names
from redaction.io.publish import HashingFile, Staged, prepare_outbox
from redaction.io.readers import (
    Source,
    arrow_type_fits,
    decode_dictionaries,
    open_source,
    prefetch,
    text_type_errors,
)
from redaction.io.writers import BackgroundWriter, open_writer, output_name
from redaction.ledger import Entry, Ledger, ReleaseRecord
from redaction.ledger.store import file_identity
from redaction.pipeline.authorize import authorize, check_scope
from redaction.plan import ExceptionScope, plan
from redaction.plan_model import Plan
from redaction.policy import Contract, Policy, load_contract, load_policy
from redaction.profile import Profiler

if TYPE_CHECKING:
    from redaction.validation import ValidationOutcome, ValidationSpec
    from redaction.validation.stream import StreamGate

Progress = Callable[[int], None]
#: How many row numbers an error lists before it says "and N more".
ROWS_SHOWN = 5


@dataclass(frozen=True)
class ReleaseOptions:
    recipient: str
    outbox: Path
    dataset: str | None = None
    exception_id: str | None = None
    profile: str | None = None
    policy_path: Path | None = None
    fmt: str | None = None
    overwrite: bool = False
    #: What a hit of the streaming guard does: fail the run (default) or withhold the
    #: column for every row and run the release again.
    on_guard_hit: Literal["fail", "withhold"] = "fail"
    batch_rows: int = 65_536
    delimiter: str | None = None
    encoding: str | None = None
    validate: bool = True
    quarantine: Path = Path("quarantine")
    ledger_url: str | None = None
    #: Build GX Data Docs for the validation into this folder (no values in them).
    docs_dir: Path | None = None
    #: Records that are not valid text: fail the release (default), or leave them out
    #: and count them (their record numbers are reported, never their bytes).
    bad_records: Literal["fail", "quarantine"] = "fail"


@dataclass(frozen=True)
class ReleaseResult:
    release_id: str
    source: Path
    output: Path
    format: str
    rows: int
    plan: Plan
    #: Values changed per withheld column (nulled values, scrubbed mentions...).
    changed: dict[str, int]
    seconds: float
    output_sha256: str
    source_sha256: str
    recipient: str
    profile: str
    validation: dict[str, Any] | None = None
    ledger_entry: str | None = None
    #: The seq of ``ledger_entry``: with it, the head the release published.
    ledger_seq: int | None = None
    #: Records left out as not valid text (``bad_records="quarantine"``).
    bad_records: int = 0

    def to_dict(self) -> dict[str, Any]:
        return result_dict(self, format=self.format, bad_records=self.bad_records)


def result_dict(result: Any, **extra: Any) -> dict[str, Any]:
    """A release result as JSON-safe names and counts (shared with partitioned releases)."""
    plan: Plan = result.plan
    return {
        "release_id": result.release_id,
        "source": result.source.name,
        "output": str(result.output),
        "rows": result.rows,
        "recipient": result.recipient,
        "profile": result.profile,
        "dataset": plan.dataset,
        "exception": plan.exception_id,
        "seconds": round(result.seconds, 3),
        "output_sha256": result.output_sha256,
        "source_sha256": result.source_sha256,
        "columns": [
            {**d.to_dict(), "changed": result.changed.get(d.column, 0)} for d in plan.decisions
        ],
        "validation": result.validation,
        "ledger_entry": result.ledger_entry,
        # The chain's head once the release was recorded (also saved beside the outbox):
        # keep it, and `ledger verify --head` proves the chain was not cut after it.
        "ledger_head": {"seq": result.ledger_seq, "hash": result.ledger_entry},
        **extra,
    }


# --------------------------------------------------------------------------- stages


def open_extract(
    path: Path,
    policy: Policy,
    dataset: str | None,
    *,
    fmt: str | None = None,
    batch_rows: int = 65_536,
    delimiter: str | None = None,
    encoding: str | None = None,
    bad_records: Literal["fail", "quarantine"] = "fail",
) -> tuple[Source, Contract | None]:
    """Open the extract and check it against its contract (if any) before any work."""
    contract = load_contract(dataset, policy) if dataset else None
    src = open_source(
        path,
        fmt,
        contract,
        batch_rows=batch_rows,
        delimiter=delimiter,
        encoding=encoding,
        bad_records=bad_records,
    )
    check_column_names(src.schema, policy, path)
    if contract is not None:
        names = set(src.schema.names)
        missing = [c.name for c in contract.columns if c.name not in names]
        if missing:
            raise InputError(
                f"{path}: column(s) declared by contract '{contract.dataset}' are missing: "
                + ", ".join(missing),
                reason="missing_columns",
            )
        if src.format != "csv":
            for f in src.schema:
                col = contract.column(f.name)
                if col is not None and not arrow_type_fits(col.type, f.type):
                    raise InputError(
                        f"{path}: column '{f.name}' holds {f.type}, contract "
                        f"'{contract.dataset}' declares {col.type}",
                        reason="type_mismatch",
                    )
    return src, contract


def make_plan(
    src: Source,
    policy: Policy,
    contract: Contract | None,
    exception: ExceptionScope | None = None,
    *,
    progress: Progress | None = None,
    withhold: dict[str, str] | None = None,
) -> Plan:
    """Plan the release; with no contract, profile the whole file first. A plan that
    carries a lawful exception is checked to be within its scope (``out_of_scope``)."""
    profile = None
    if contract is None:
        profiler = Profiler(policy)
        # Repeated text as dictionaries: the profile counts each distinct value once.
        for batch in src.batches(progress, dictionaries=True):
            profiler.add(batch)
        if profiler.rows == 0:
            raise _no_records(src)
        profile = profiler.columns
    p = plan(src.schema, profile, policy, contract, exception, withhold=withhold)
    transforms.check_plan(p)
    if exception is not None:
        check_scope(p, exception)
    return p


def _no_records(src: Source) -> InputError:
    return InputError(f"{src.path}: the file has a header but no records", reason="no_records")


def _rows_text(rows: list[int], total: int) -> str:
    shown = ", ".join(str(r) for r in rows[:ROWS_SHOWN])
    return shown + (f" and {total - ROWS_SHOWN} more" if total > ROWS_SHOWN else "")


_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="redact-guard")


class Guard:
    """Runs the strong detectors and status mentions over every released text column."""

    def __init__(self, plan_: Plan, policy: Policy):
        self.pattern = guard_pattern(policy)
        self.patterns = guard_patterns(policy)
        self.detectors = detector_patterns(policy, "strong")
        types = {f.name: f.type for f in plan_.source_schema}
        self.columns = [d.column for d in plan_.decisions if d.guarded and is_text(types[d.column])]
        self._matcher = BatchMatcher()

    def check_on_pool(self, batch: pa.RecordBatch, first_row: int, path: Path) -> None:
        """``check``, run on the guard's thread: its free Arrow pages are handed back
        after each batch (under mimalloc each thread keeps its own)."""
        try:
            self.check(batch, first_row, path)
        finally:
            give_back()

    def check(self, batch: pa.RecordBatch, first_row: int, path: Path) -> None:
        if not self.columns:
            return
        # Each alternative alone: their alternation runs ~40x slower in RE2
        # (``guard_patterns``). A row is a hit where any of them matches.
        found: dict[str, pa.Array] = {}
        for pattern in self.patterns:
            suspects = self._matcher.suspects(batch, self.columns, pattern)
            for col, mask in self._matcher.masks(batch, suspects, pattern).items():
                found[col] = pc.or_(found[col], mask) if col in found else mask
        for col in self.columns:
            mask = found.get(col)
            if mask is None or not pc.any(mask).as_py():
                continue
            hits = pc.indices_nonzero(mask)
            # Which detectors fired: tested here, on values that never leave this frame.
            sample = as_text(batch.column(col)).take(hits)
            fired = sorted(
                det for det, pat in self.detectors.items() if len(match_rows(sample, pat))
            )
            rows = [first_row + int(i) + 1 for i in hits.to_pylist()[:ROWS_SHOWN]]
            raise GuardHit(
                f"{path}: column '{col}' is planned for release but holds protected values "
                f"({', '.join(fired)}) at record {_rows_text(rows, len(hits))}",
                column=col,
                detectors=fired,
                hint=(
                    "declare the column's category in the dataset contract, or pass "
                    "--on-guard-hit withhold to withhold the column for every row"
                ),
            )


def _check_text_types(
    batch: pa.RecordBatch, contract: Contract, first_row: int, path: Path
) -> None:
    for col in contract.columns:
        if col.type == "string" or col.name not in batch.schema.names:
            continue
        if not is_text(batch.schema.field(col.name).type):
            continue  # typed columns were checked against the contract on open
        bad = text_type_errors(batch.column(col.name), col.type)
        if len(bad):
            rows = [first_row + int(i) + 1 for i in bad.to_pylist()[:ROWS_SHOWN]]
            raise InputError(
                f"{path}: column '{col.name}' is declared {col.type} but record "
                f"{_rows_text(rows, len(bad))} does not hold a {col.type} value",
                reason="type_mismatch",
            )


def stream(
    src: Source,
    plan_: Plan,
    policy: Policy,
    contract: Contract | None,
    staged: Staged,
    *,
    progress: Progress | None = None,
    gate: StreamGate | None = None,
) -> tuple[int, dict[str, int], str]:
    """Read, guard, redact and write every batch to the staging file.

    Every batch written is also handed to ``gate`` (if any), which validates it on a
    thread of its own. Returns the rows read, the values changed per column and the
    SHA-256 of the bytes the writer produced."""
    guard = Guard(plan_, policy)
    released = released_positions(plan_)
    rows = 0
    changed: dict[str, int] = {}
    with staged.open() as raw:
        f = HashingFile(raw)
        writer = BackgroundWriter(open_writer(src.format, f, plan_.output_schema, src.csv))
        try:
            # Parquet is decoded on the reader's thread alone: it overlaps the work here,
            # and Arrow's pool threads (each with its own allocator heap) added ~20 MB.
            # One batch read ahead, not two: ~12 MB less at the peak, no slower (the
            # reader keeps up with one; measured with bench/release.py).
            for read in prefetch(src.batches(progress, dictionaries=True, threads=False), held=2):
                # The guard runs on the second core while the batch is checked and
                # redacted here; nothing is written until it has passed, and its hit is
                # raised first, as if it had run first.
                guarded = _POOL.submit(guard.check_on_pool, read, rows, src.path)
                try:
                    batch = decode_dictionaries(read, plan_.source_schema)
                    if contract is not None:
                        _check_text_types(batch, contract, rows, src.path)
                    out, counts = transforms.apply(plan_, batch)
                except BaseException:
                    guarded.result()
                    raise
                guarded.result()
                writer.write(out)
                if gate is not None:
                    gate.add(gate_view(out, read, released))
                for k, v in counts.items():
                    changed[k] = changed.get(k, 0) + v
                rows += batch.num_rows
                del read, batch, out  # not held while the next batch is read
                # Batches are allocated on the reader's threads and freed on others:
                # hand freed pages back now rather than let the peak grow with them.
                give_back()
        finally:
            writer.close()
    if rows == 0:
        raise _no_records(src)
    return rows, changed, f.hexdigest()


def released_positions(plan_: Plan) -> list[tuple[int, int]]:
    """(output position, source position) of every column released unchanged."""
    out_at = {name: i for i, name in enumerate(plan_.output_schema.names)}
    return [
        (out_at[d.column], i)
        for i, d in enumerate(plan_.decisions)
        if d.action == "release" and not d.leaves
    ]


def gate_view(
    out: pa.RecordBatch, read: pa.RecordBatch, released: list[tuple[int, int]]
) -> pa.RecordBatch:
    """``out`` as the gate validates it: a column released unchanged that the reader
    gave as a dictionary is handed over in that form. Its values are exactly the
    written column's (which is the dictionary decoded), and the gate then decides each
    rule once per distinct value instead of once per row."""
    arrays = out.columns
    swapped = False
    for o, i in released:
        col = read.column(i)
        if pa.types.is_dictionary(col.type):
            arrays[o] = col
            swapped = True
    if not swapped:
        return out
    return pa.RecordBatch.from_arrays(arrays, names=out.schema.names)


def source_stamp(path: Path) -> tuple[int, int]:
    """Size and modification time: taken before a source is read, checked after."""
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def check_unchanged(path: Path, stamp: tuple[int, int]) -> None:
    """Refuse a source that changed while it was read (size or modification time)."""
    if source_stamp(path) != stamp:
        raise InputError(
            f"{path}: the file changed while it was being read", reason="source_changed"
        )


def record_validation(
    ledger: Ledger,
    release_id: str,
    source_name: str,
    outcomes: Sequence[ValidationOutcome],
) -> dict[str, Any]:
    """Record the validation of a release (one outcome per output file: one for a single
    file, one per part of a dataset) as one ledger entry. Returns the counts recorded:
    ``success``, ``rows_checked``, ``expectations``, ``failed``, ``failed_checks``."""
    failed_checks = sorted({f"{e.expectation}:{e.column}" for o in outcomes for e in o.failures()})
    counts: dict[str, Any] = {
        "success": all(o.success for o in outcomes),
        "rows_checked": sum(o.rows_checked for o in outcomes),
        "expectations": sum(len(o.expectations) for o in outcomes),
        "failed": sum(len(o.failures()) for o in outcomes),
        "failed_checks": failed_checks,
    }
    ledger.record_validation(
        release_id=release_id,
        source_name=source_name,
        passed=counts["success"],
        expectations=counts["expectations"],
        failures=counts["failed"],
        failed_checks=failed_checks,
        rows=counts["rows_checked"],
    )
    return counts


def count_rows(src: Source) -> int:
    return sum(b.num_rows for b in src.batches())


@dataclass
class Prepared:
    """A release planned and checked, nothing written yet. Holds no extract data."""

    source: Path
    options: ReleaseOptions
    policy: Policy
    src: Source
    contract: Contract | None
    plan: Plan
    exception: ExceptionScope | None
    release_id: str
    started_at: datetime
    started: float


@dataclass
class StagedOutput:
    """The redacted output in its staging file, before validation and publish."""

    prepared: Prepared
    staged: Staged
    plan: Plan
    rows: int
    changed: dict[str, int]
    #: The gate's outcome when the output was validated while it was written (CSV,
    #: Parquet), not yet recorded; None when the staged file is to be validated.
    outcome: ValidationOutcome | None = None
    #: The staged file's SHA-256, taken by the gate that bound it to the validated
    #: batches (then publish does not read the file again).
    output_sha256: str | None = None


def prepare(
    source: Path | str,
    options: ReleaseOptions,
    *,
    exception: ExceptionScope | None = None,
    policy: Policy | None = None,
    progress: Progress | None = None,
) -> Prepared:
    """Open and check the extract, check the outbox, and plan (profiling if needed)."""
    started, started_at = time.monotonic(), datetime.now(UTC)
    source = Path(source)
    policy = policy or load_policy(options.policy_path, profile=options.profile)
    src, contract = open_extract(
        source,
        policy,
        options.dataset,
        fmt=options.fmt,
        batch_rows=options.batch_rows,
        delimiter=options.delimiter,
        encoding=options.encoding,
        bad_records=options.bad_records,
    )
    prepare_outbox(options.outbox, source, output_name(source), overwrite=options.overwrite)
    plan_ = make_plan(src, policy, contract, exception, progress=progress)
    return Prepared(
        source,
        options,
        policy,
        src,
        contract,
        plan_,
        exception,
        str(uuid.uuid4()),
        started_at,
        started,
    )


def stage(prepared: Prepared, *, progress: Progress | None = None) -> StagedOutput:
    """Redact the extract into a staging file beside the outbox (guarded, streamed)."""
    p, options = prepared, prepared.options
    staged = prepare_outbox(
        options.outbox, p.source, output_name(p.source), overwrite=options.overwrite
    )
    stamp = source_stamp(p.source)
    plan_, withhold = p.plan, dict[str, str]()
    gate_: StreamGate | None = None
    try:
        while True:
            gate_ = None
            if options.validate:
                gate_ = stream_gate(
                    plan_,
                    p.policy,
                    p.contract,
                    p.src.format,
                    docs_dir=options.docs_dir,
                    csv_delimiter=p.src.csv.delimiter,
                )
            try:
                rows, changed, written = stream(
                    p.src, plan_, p.policy, p.contract, staged, progress=progress, gate=gate_
                )
                break
            except GuardHit as hit:
                if gate_ is not None:
                    gate_.abort()
                if options.on_guard_hit != "withhold" or hit.column in withhold:
                    raise
                withhold[hit.column] = "guard:" + ",".join(hit.detectors)
                plan_ = make_plan(p.src, p.policy, p.contract, p.exception, withhold=withhold)
        check_unchanged(p.source, stamp)
        outcome: ValidationOutcome | None = None
        file_sha: str | None = None
        if gate_ is not None:
            outcome, file_sha = gate_.finish(rows, staged.path, written)
    except BaseException:
        if gate_ is not None:
            gate_.abort()
        staged.cleanup()
        raise
    return StagedOutput(prepared, staged, plan_, rows, changed, outcome, file_sha)


def stream_gate(
    plan_: Plan,
    policy: Policy,
    contract: Contract | None,
    fmt: str,
    *,
    docs_dir: Path | None = None,
    csv_delimiter: str = ",",
) -> StreamGate | None:
    """A gate that validates the output while it is written, for the formats Arrow
    writes (``validation.stream``); None for JSON-lines, whose staged file is read."""
    from redaction.validate import spec_from_plan
    from redaction.validation.stream import STREAMED, StreamGate

    if fmt not in STREAMED:
        return None
    spec = spec_from_plan(plan_, policy, contract, 0, fmt)
    return StreamGate(
        spec, fmt, plan_.output_schema, docs_dir=docs_dir, csv_delimiter=csv_delimiter
    )


def validate_staged(out: StagedOutput, *, docs_dir: Path | None = None) -> ValidationOutcome:
    """Run the validation gate on the staged file (every row, chunk by chunk)."""
    from redaction.validate import spec_from_plan
    from redaction.validation import validate_file

    p = out.prepared
    spec = spec_from_plan(out.plan, p.policy, p.contract, out.rows, p.src.format)
    return validate_file(
        out.staged.path, p.src.format, spec, docs_dir=docs_dir, csv_delimiter=p.src.csv.delimiter
    )


def _record(out: StagedOutput, rows: int, source_sha256: str) -> ReleaseRecord:
    p = out.prepared
    return ReleaseRecord.from_plan(
        out.plan,
        release_id=p.release_id,
        source_name=p.source.name,
        source_sha256=source_sha256,
        profile=p.policy.profile,
        recipient=p.options.recipient,
        rows=rows,
        output_name=out.staged.target.name,
        started_at=p.started_at,
    )


def release(
    source: Path | str,
    options: ReleaseOptions,
    *,
    exception: ExceptionScope | None = None,
    progress: Progress | None = None,
    policy: Policy | None = None,
    ledger: Ledger | None = None,
) -> ReleaseResult:
    """Release one extract to one recipient; see the module docstring for the stages.

    The ledger records refusals, the validation outcome, and the release in two steps
    (intent before the publish, outcome after). Raises a ``RedactionError`` subclass on
    any failure; the staging file is removed (or quarantined) first, so the outbox then
    holds nothing new.
    """
    check_names(Path(source), options)
    own_ledger = ledger is None
    ledger = ledger or Ledger.open(options.ledger_url)
    try:
        return _release(source, options, ledger, exception, progress, policy)
    finally:
        if own_ledger:
            ledger.close()


def check_names(source: Path, options: ReleaseOptions) -> None:
    """Every name the release would publish or record, before any work (exit 2)."""
    check_release_names(
        source,
        recipient=options.recipient,
        outbox=options.outbox,
        dataset=options.dataset,
        profile=options.profile,
        exception_id=options.exception_id,
    )


def record_refusal(ledger: Ledger, exc: PolicyError, options: ReleaseOptions) -> None:
    """Record a release refused by the policy, the contract or the guard."""
    ledger.record_refusal(
        subject="release",
        reason_code=exc.reason,
        exception_id=options.exception_id,
        recipient=options.recipient,
        dataset=options.dataset,
    )


def authorize_release(
    ledger: Ledger,
    options: ReleaseOptions,
    policy: Policy,
    exception: ExceptionScope | None = None,
) -> ExceptionScope | None:
    """The release's lawful exception, authorised by :func:`redaction.pipeline.authorize`
    for ``options``' recipient and dataset (refusals recorded, exit 4)."""
    return authorize(
        ledger,
        policy,
        recipient=options.recipient,
        dataset=options.dataset,
        exception_id=options.exception_id,
        exception=exception,
    )


def gate(out: StagedOutput, ledger: Ledger, *, docs_dir: Path | None = None) -> ValidationOutcome:
    """Record the validation outcome (the one taken while the output was written, or
    else the staged file's, validated now); on failure quarantine the staged file and
    raise ``ValidationFailed`` (exit 5). Data Docs of a run validated while it was
    written go to ``options.docs_dir``."""
    p = out.prepared
    outcome = out.outcome if out.outcome is not None else validate_staged(out, docs_dir=docs_dir)
    record_validation(ledger, p.release_id, p.source.name, [outcome])
    if not outcome.success:
        from redaction.validation import quarantine

        where = quarantine(out.staged.path, p.options.quarantine, outcome)
        out.staged.cleanup()
        raise ValidationFailed(
            f"{p.source.name}: {outcome.summary()}; the output was quarantined to "
            f"{where}, nothing was published",
            reason="validation_failed",
        )
    return outcome


def publish_recorded(
    ledger: Ledger,
    record: ReleaseRecord,
    output_sha256: str,
    swap: Callable[[], Path],
    *,
    outbox: Path | None = None,
    staged: Path | None = None,
) -> tuple[Path, Entry]:
    """Make an output visible with ``swap`` (an atomic rename) between the ledger's two
    steps: the intent before it, the outcome after. A failed rename is recorded as
    failed; a rename whose outcome cannot be recorded is an orphan (exit 6) that
    ``ledger reconcile`` finds. The head the release leaves is saved beside the outbox
    and the ledger (``redaction.ledger.heads``). Returns the published path and the
    finish entry. ``outbox`` and the ``staged`` file go in the intent, so reconciliation
    can tell this run's file from a rerun's."""
    intent = ledger.begin_release(
        record,
        output_sha256=output_sha256,
        outbox=outbox,
        output_file=None if staged is None else file_identity(staged),
    )
    try:
        target = swap()
    except BaseException:
        ledger.finish_release(intent.seq, "failed", reason="publish_failed")
        raise
    try:
        done = ledger.finish_release(intent.seq, "published", output_sha256)
    except RedactionError as exc:
        raise LedgerError(
            f"{target} was published but its ledger entry could not be completed "
            f"(intent seq {intent.seq})",
            reason="orphan",
            hint="run `redact ledger reconcile --outbox DIR` once the ledger is reachable",
        ) from exc
    try:
        ledger.publish_head(done, target.parent)
    except OSError as exc:
        raise LedgerError(
            f"{target} was published and recorded (seq {done.seq}), but its head could "
            f"not be saved ({exc.strerror})",
            reason="head_not_saved",
            hint="`redact ledger head` prints the head; keep it for `verify --head`",
        ) from None
    return target, done


def publish(
    out: StagedOutput, ledger: Ledger, outcome: ValidationOutcome | None = None
) -> ReleaseResult:
    """Publish the staged output atomically, recorded in the ledger in two steps."""
    p = out.prepared
    try:
        output_sha = out.output_sha256 or sha256_file(out.staged.path)
        source_sha = p.src.sha256()
        target, entry = publish_recorded(
            ledger,
            _record(out, out.rows, source_sha),
            output_sha,
            out.staged.publish,
            outbox=out.staged.outbox,
            staged=out.staged.path,
        )
    finally:
        out.staged.cleanup()
    return ReleaseResult(
        release_id=p.release_id,
        source=p.source,
        output=target,
        format=p.src.format,
        rows=out.rows,
        plan=out.plan,
        changed=out.changed,
        seconds=time.monotonic() - p.started,
        output_sha256=output_sha,
        source_sha256=source_sha,
        recipient=p.options.recipient,
        profile=p.policy.profile,
        validation=outcome.to_dict() if outcome is not None else None,
        ledger_entry=entry.hash,
        ledger_seq=entry.seq,
        bad_records=p.src.bad_records,
    )


def _release(
    source: Path | str,
    options: ReleaseOptions,
    ledger: Ledger,
    exception: ExceptionScope | None,
    progress: Progress | None,
    policy: Policy | None,
) -> ReleaseResult:
    policy = policy or load_policy(options.policy_path, profile=options.profile)
    exception = authorize_release(ledger, options, policy, exception)
    try:
        prepared = prepare(source, options, exception=exception, policy=policy, progress=progress)
        out = stage(prepared, progress=progress)
    except PolicyError as exc:
        record_refusal(ledger, exc, options)
        raise
    try:
        outcome = gate(out, ledger, docs_dir=options.docs_dir) if options.validate else None
    except BaseException:
        out.staged.cleanup()
        raise
    return publish(out, ledger, outcome)


def spec_for_file(
    path: Path, dataset: str | None, policy_path: Path | None = None
) -> tuple[ValidationSpec, str]:
    """The validation spec for a file produced elsewhere (``redact validate``), and its
    format: see ``redaction.validate.spec_for_file``."""
    from redaction.validate import spec_for_file as build

    return build(path, dataset, policy_path)
