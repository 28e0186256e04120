"""Partitioned releases: a Parquet dataset folder released as one unit.

    plan once (first part + contract; every part must share its schema)
    -> stage each part with that plan (any process: the plan travels by pickle)
    -> validate each part -> publish the folder all-or-none -> one ledger entry

Parts are staged into ``<outbox parent>/.redact-staging-<outbox name>/<name>.staging-<id>/``
(outside the outbox tree, on the same file system as the target ``OUTBOX/<name>/``) and
published by renaming that folder: readers see every part or none. The ledger records
the release in two steps, as a single-file release is; its output hash is the hash of the
sorted ``name sha256`` lines of the parts.

The stages are plain functions over picklable values (:class:`PartitionPlan`,
:class:`PartResult`), so a scheduler (the Prefect flow in ``flows/partitioned.py``,
on Dask) can run :func:`stage_part` and :func:`validate_part` anywhere.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyarrow.parquet as pq

from redaction.errors import (
    InputError,
    PolicyError,
    UsageError,
    ValidationFailed,
)
from redaction.io.digest import sha256_file
from redaction.io.publish import staging_root
from redaction.ledger import Ledger, ReleaseRecord
from redaction.plan import ExceptionScope
from redaction.plan_model import Plan
from redaction.policy import Contract, Policy, load_policy
from redaction.release import (
    ReleaseOptions,
    check_unchanged,
    make_plan,
    open_extract,
    publish_recorded,
    record_validation,
    result_dict,
    source_stamp,
    stream,
    stream_gate,
)

if TYPE_CHECKING:
    from redaction.validation import ValidationOutcome

PART_SUFFIX = ".parquet"


# ------------------------------------------------------------------ the plan


class PartitionPlan:
    """A partitioned release planned and checked, nothing written. Picklable; holds the
    schema, plan, policy and paths, no extract data.

    A plain class on purpose, not a dataclass: Prefect walks dataclasses and pydantic
    models found in task parameters and rebuilds them field by field (``model_construct``
    for the policy), which loses what the policy computed on load.
    """

    def __init__(
        self,
        *,
        source: Path,
        parts: tuple[Path, ...],
        options: ReleaseOptions,
        policy: Policy,
        contract: Contract,
        plan: Plan,
        exception: ExceptionScope | None,
        release_id: str,
        started_at: datetime,
        target: Path,
        staging: Path,
    ):
        self.source = source
        self.parts = parts
        self.options = options
        self.policy = policy
        self.contract = contract
        self.plan = plan
        self.exception = exception
        self.release_id = release_id
        self.started_at = started_at
        self.target = target
        self.staging = staging

    def __repr__(self) -> str:
        return f"PartitionPlan({self.source.name}, {len(self.parts)} parts, {self.release_id})"

    def staged_path(self, part: Path) -> Path:
        return self.staging / part.relative_to(self.source)


@dataclass(frozen=True)
class PartResult:
    """One part redacted into the staging folder: names and counts."""

    part: str
    rows: int
    changed: dict[str, int]
    output_sha256: str
    source_sha256: str
    #: The gate's outcome, when the part was validated while it was written.
    outcome: ValidationOutcome | None = None


@dataclass(frozen=True)
class PartitionedResult:
    release_id: str
    source: Path
    output: Path
    parts: int
    rows: int
    plan: Plan
    changed: dict[str, int]
    output_sha256: str
    source_sha256: str
    recipient: str
    profile: str
    seconds: float
    validation: dict[str, Any] | None = None
    ledger_entry: str | None = None
    ledger_seq: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return result_dict(self, format="parquet", parts=self.parts)


def list_parts(folder: Path) -> tuple[Path, ...]:
    """The dataset's part files (``*.parquet`` at any depth, hidden ones skipped)."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder of Parquet parts", reason="missing_file")
    parts = tuple(
        sorted(
            p
            for p in folder.rglob(f"*{PART_SUFFIX}")
            if p.is_file()
            and not any(s.startswith((".", "_")) for s in p.relative_to(folder).parts)
        )
    )
    if not parts:
        raise InputError(f"{folder}: holds no {PART_SUFFIX} part", reason="no_records")
    return parts


def plan_dataset(
    folder: Path | str,
    options: ReleaseOptions,
    *,
    exception: ExceptionScope | None = None,
    policy: Policy | None = None,
) -> PartitionPlan:
    """Plan once from the first part and the contract; check every part's schema.

    A dataset contract is required: with none, the planner would profile the first
    part's values only, and the others could hold what it never saw.

    Raises:
        UsageError: no ``options.dataset``; the target exists (without ``overwrite``).
        InputError: no parts; a part whose schema differs from the first's.
        ExceptionRefused: the exception covers no category present (``out_of_scope``).
    """
    folder = Path(folder)
    if not options.dataset:
        raise UsageError(
            "a partitioned release needs a dataset contract",
            reason="no_contract",
            hint="pass dataset=NAME (schemas/datasets/NAME.yaml)",
        )
    policy = policy or load_policy(options.policy_path, profile=options.profile)
    parts = list_parts(folder)
    src, contract = open_extract(parts[0], policy, options.dataset, fmt="parquet")
    assert contract is not None
    for part in parts[1:]:
        schema = pq.read_schema(part)
        if not schema.equals(src.schema, check_metadata=False):
            raise InputError(
                f"{part}: its schema differs from {parts[0].name}'s; every part of a "
                "dataset must share one schema",
                reason="schema_mismatch",
            )
    plan_ = make_plan(src, policy, contract, exception)
    outbox = options.outbox
    try:
        outbox.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{outbox}: cannot create the outbox ({exc.strerror})", reason="bad_outbox"
        ) from None
    target = outbox / folder.name
    if target.resolve() == folder.resolve():
        raise UsageError(
            f"{target} is the input folder: a release never writes over its input",
            reason="output_is_input",
        )
    if target.exists() and not options.overwrite:
        raise UsageError(
            f"{target} already exists",
            reason="output_exists",
            hint="pass overwrite to replace it, or choose another outbox",
        )
    rid = str(uuid.uuid4())
    return PartitionPlan(
        source=folder,
        parts=parts,
        options=options,
        policy=policy,
        contract=contract,
        plan=plan_,
        exception=exception,
        release_id=rid,
        started_at=datetime.now(UTC),
        target=target,
        staging=staging_root(outbox) / f"{folder.name}.staging-{rid[:8]}",
    )


# ------------------------------------------------------------------ per part


class _PartSink:
    """Where ``release.stream`` writes one part: flushed and fsynced on close."""

    def __init__(self, path: Path):
        self.path = path

    @contextlib.contextmanager
    def open(self) -> Iterator[BinaryIO]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())


def stage_part(pp: PartitionPlan, part: Path | str) -> PartResult:
    """Redact one part into the staging folder with the dataset's plan (guarded,
    streamed). A part whose schema differs from the plan's fails the release."""
    part = Path(part)
    src, contract = open_extract(
        part, pp.policy, pp.options.dataset, fmt="parquet", batch_rows=pp.options.batch_rows
    )
    if not src.schema.equals(pp.plan.source_schema, check_metadata=False):
        raise InputError(
            f"{part}: its schema differs from the dataset plan's", reason="schema_mismatch"
        )
    before = source_stamp(part)
    dest = pp.staged_path(part)
    gate = None
    if pp.options.validate:
        gate = stream_gate(pp.plan, pp.policy, contract, "parquet")
    try:
        rows, changed, written = stream(
            src,
            pp.plan,
            pp.policy,
            contract,
            _PartSink(dest),  # type: ignore[arg-type]
            gate=gate,
        )
        check_unchanged(part, before)
        outcome, output_sha = gate.finish(rows, dest, written) if gate else (None, None)
    except BaseException:
        if gate is not None:
            gate.abort()
        dest.unlink(missing_ok=True)
        raise
    return PartResult(
        str(part.relative_to(pp.source)),
        rows,
        changed,
        output_sha or sha256_file(dest),
        src.sha256(),
        outcome,
    )


def validate_part(pp: PartitionPlan, staged: PartResult) -> ValidationOutcome:
    """The validation gate's outcome for one staged part (every row): the one taken
    while it was written, or else the staged file's, validated now."""
    from redaction.validate import spec_from_plan
    from redaction.validation import validate_file

    if staged.outcome is not None:
        return staged.outcome
    spec = spec_from_plan(pp.plan, pp.policy, pp.contract, staged.rows, "parquet")
    return validate_file(pp.staging / staged.part, "parquet", spec)


# ------------------------------------------------------------------ all parts


def abort(pp: PartitionPlan) -> None:
    """Remove the staging folder (nothing was published)."""
    shutil.rmtree(pp.staging, ignore_errors=True)


def gate(
    pp: PartitionPlan,
    staged: Sequence[PartResult],
    outcomes: Sequence[ValidationOutcome],
    ledger: Ledger,
) -> dict[str, Any]:
    """Record the parts' validation as one outcome; on any failure quarantine the failed
    parts, remove the staging folder and raise ``ValidationFailed`` (exit 5).

    Returns:
        The combined outcome: ``success``, ``parts``, ``rows_checked``,
        ``expectations``, ``failed`` and the failed checks (names and counts).
    """
    failed_parts = [s.part for s, o in zip(staged, outcomes, strict=True) if not o.success]
    counts = record_validation(ledger, pp.release_id, pp.source.name, outcomes)
    combined: dict[str, Any] = {
        "success": counts["success"],
        "parts": len(outcomes),
        "failed_parts": failed_parts,
        "rows_checked": counts["rows_checked"],
        "expectations": counts["expectations"],
        "failed": counts["failed"],
        "failed_checks": counts["failed_checks"],
    }
    if failed_parts:
        from redaction.validation import quarantine

        try:
            for s, o in zip(staged, outcomes, strict=True):
                if not o.success:
                    quarantine(pp.staging / s.part, pp.options.quarantine, o)
        finally:
            abort(pp)
        raise ValidationFailed(
            f"{pp.source.name}: validation failed in {len(failed_parts)} of "
            f"{len(outcomes)} part(s) ({', '.join(failed_parts[:5])}); they were "
            f"quarantined to {pp.options.quarantine}, nothing was published",
            reason="validation_failed",
        )
    return combined


def _digest(lines: Sequence[tuple[str, str]]) -> str:
    h = hashlib.sha256()
    for name, sha in sorted(lines):
        h.update(f"{name} {sha}\n".encode())
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _swap_in(staging: Path, target: Path, overwrite: bool) -> None:
    """Rename the staging folder onto the target: every part appears at once."""
    old = None
    if target.exists():
        if not overwrite:
            raise UsageError(f"{target} already exists", reason="output_exists")
        old = target.with_name(f".{target.name}.replaced-{uuid.uuid4().hex[:8]}")
        os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        if old is not None:
            os.replace(old, target)
        raise
    _fsync_dir(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def publish(
    pp: PartitionPlan,
    staged: Sequence[PartResult],
    ledger: Ledger,
    validation: dict[str, Any] | None = None,
) -> PartitionedResult:
    """Publish every staged part together (one folder rename), recorded in two steps."""
    if sorted(s.part for s in staged) != sorted(str(p.relative_to(pp.source)) for p in pp.parts):
        abort(pp)
        raise InputError(
            f"{pp.source}: {len(staged)} staged parts do not match the plan's {len(pp.parts)}",
            reason="parts_mismatch",
        )
    rows = sum(s.rows for s in staged)
    changed: dict[str, int] = {}
    for s in staged:
        for k, v in s.changed.items():
            changed[k] = changed.get(k, 0) + v
    try:
        output_sha = _digest([(s.part, s.output_sha256) for s in staged])
        # Each part's hash was taken by the worker that read it (while reading, where
        # the reader can), not by reading every part again here.
        source_sha = _digest([(s.part, s.source_sha256) for s in staged])
        record = ReleaseRecord.from_plan(
            pp.plan,
            release_id=pp.release_id,
            source_name=pp.source.name,
            source_sha256=source_sha,
            profile=pp.policy.profile,
            recipient=pp.options.recipient,
            rows=rows,
            output_name=pp.target.name,
            started_at=pp.started_at,
        )

        def swap() -> Path:
            _swap_in(pp.staging, pp.target, pp.options.overwrite)
            return pp.target

        _, entry = publish_recorded(ledger, record, output_sha, swap, outbox=pp.target.parent)
    finally:
        abort(pp)
    return PartitionedResult(
        release_id=pp.release_id,
        source=pp.source,
        output=pp.target,
        parts=len(staged),
        rows=rows,
        plan=pp.plan,
        changed=changed,
        output_sha256=output_sha,
        source_sha256=source_sha,
        recipient=pp.options.recipient,
        profile=pp.policy.profile,
        seconds=(datetime.now(UTC) - pp.started_at).total_seconds(),
        validation=validation,
        ledger_entry=entry.hash,
        ledger_seq=entry.seq,
    )


def release_partitioned(
    folder: Path | str,
    options: ReleaseOptions,
    *,
    exception: ExceptionScope | None = None,
    ledger: Ledger | None = None,
) -> PartitionedResult:
    """All of it in one process, part after part (the baseline the Dask flow is
    measured against)."""
    from redaction.release import authorize_release, check_names, record_refusal

    check_names(Path(folder), options)
    own = ledger is None
    ledger = ledger or Ledger.open(options.ledger_url)
    try:
        policy = load_policy(options.policy_path, profile=options.profile)
        exception = authorize_release(ledger, options, policy, exception)
        try:
            pp = plan_dataset(folder, options, exception=exception, policy=policy)
        except PolicyError as exc:
            record_refusal(ledger, exc, options)
            raise
        try:
            staged = [stage_part(pp, p) for p in pp.parts]
            validation = None
            if options.validate:
                outcomes = [validate_part(pp, s) for s in staged]
                validation = gate(pp, staged, outcomes, ledger)
        except PolicyError as exc:
            abort(pp)
            record_refusal(ledger, exc, options)
            raise
        except BaseException:
            abort(pp)
            raise
        return publish(pp, staged, ledger, validation)
    finally:
        if own:
            ledger.close()


__all__ = [
    "PartResult",
    "PartitionPlan",
    "PartitionedResult",
    "abort",
    "gate",
    "list_parts",
    "plan_dataset",
    "publish",
    "release_partitioned",
    "stage_part",
    "validate_part",
]
