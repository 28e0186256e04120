"""The partitioned release flow: a Parquet dataset folder fanned out over Dask.

    authorize -> plan (first part + contract) -> redact part 1..N (Dask)
    -> validate part 1..N (Dask) -> gate (recorded) -> publish the folder all-or-none

The same stages as ``redaction.partitioned.release_partitioned`` (and, per part, as a
single-file release): the plan is computed once in the flow and shipped to the workers
with each part, so every part of the output has the same schema. The ledger is touched
only from the flow's process.

Where the tasks run:

- default: a local Dask cluster (2 worker processes, 1 thread each);
- ``REDACT_DASK_ADDRESS=tcp://scheduler:8786``: an existing Dask cluster (read when
  this module is imported, so a served deployment picks it up from its environment);
- :func:`with_runner` for anything else (``with_runner(address=...)`` or a
  ``ThreadPoolTaskRunner`` for a single-process run).

Workers import ``flows.partitioned`` and ``redaction``: install the project on every
worker of an existing cluster.

    python -m flows.partitioned FOLDER -r NAME -o DIR -d DATASET [--ledger URL] [--address A]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prefect import Flow, flow, task, unmapped
from prefect.client.schemas.objects import State
from prefect.futures import PrefectFuture
from prefect.task_runners import TaskRunner
from prefect_dask.task_runners import DaskTaskRunner

from flows._common import (
    FLOW_NO_PERSIST,
    LEDGER_RETRIES,
    NO_PERSIST,
    PARTITIONED_TIMEOUT,
    Refused,
    as_is,
    expected,
    flow_ledger_url,
    release_run_name,
    sealed,
    transient_only,
    unwrap,
)
from flows.artifacts import release_key, run_and_report
from flows.release import exception_for_run, record_refusal
from redaction import partitioned as lib
from redaction.errors import PolicyError
from redaction.ledger import Ledger
from redaction.plan import ExceptionScope
from redaction.release import ReleaseOptions
from redaction.validation import ValidationOutcome

LOCAL_CLUSTER: dict[str, Any] = {
    "n_workers": 2,
    "threads_per_worker": 1,
    "processes": True,
    "dashboard_address": None,
}


def dask_runner(address: str | None = None, n_workers: int = 2) -> DaskTaskRunner:
    """A Dask task runner: the cluster at ``address``, or a local one."""
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={**LOCAL_CLUSTER, "n_workers": n_workers})


#: The flow's runner unless ``with_runner`` gives another (typed loosely: prefect-dask's
#: runner is generic over its own future type).
_DEFAULT_RUNNER: Any = dask_runner(os.environ.get("REDACT_DASK_ADDRESS"))

# ----------------------------------------------------------------------------- tasks


@task(name="plan", **NO_PERSIST)
def plan_dataset(
    source: str, options: ReleaseOptions, exception: ExceptionScope | None
) -> lib.PartitionPlan | Refused:
    """Plan once from the first part and the contract; check every part's schema."""
    return expected("plan", lib.plan_dataset, source, options, exception=exception)


@task(name="redact-part", **NO_PERSIST)
def stage_part(pp: lib.PartitionPlan, part: str) -> lib.PartResult | Refused:
    """Redact one part with the dataset's plan into the staging folder."""
    return expected("redact part", lib.stage_part, pp, part)


@task(name="validate-part", **NO_PERSIST)
def validate_part(pp: lib.PartitionPlan, staged: lib.PartResult | Refused) -> Any:
    """Validate one staged part (every row); a part refused upstream is handed on."""
    if isinstance(staged, Refused):
        return staged
    return expected("validate part", lib.validate_part, pp, staged)


@task(name="validate", retry_condition_fn=transient_only, **LEDGER_RETRIES, **NO_PERSIST)
def gate(
    pp: lib.PartitionPlan,
    staged: list[lib.PartResult],
    outcomes: list[ValidationOutcome],
    ledger_url: str | None,
) -> dict[str, Any] | Refused:
    """Record the parts' validation; quarantine and refuse on any failure."""
    with Ledger.open(ledger_url) as ledger:
        return expected("validate", lib.gate, pp, staged, outcomes, ledger)


# Not retried, like the single-file publish: the staging folder is removed whatever
# happens, so a second attempt would have nothing to publish.
@task(name="publish", **NO_PERSIST)
def publish(
    pp: lib.PartitionPlan,
    staged: list[lib.PartResult],
    validation: dict[str, Any] | None,
    ledger_url: str | None,
) -> lib.PartitionedResult:
    """Publish every part together (one folder rename), recorded in the ledger."""
    with sealed("publish"), Ledger.open(ledger_url) as ledger:
        return lib.publish(pp, staged, ledger, validation)


def _gather(futures: list[PrefectFuture[Any]]) -> list[Any]:
    """Every future's value; the first failure or refusal (in part order) is raised once
    all have finished, so no part is still writing into the staging folder when it is
    removed."""
    states = [f.wait() or f.state for f in futures]
    for state in states:
        if not state.is_completed():
            exc = state.result(raise_on_failure=False)
            if isinstance(exc, BaseException):
                raise exc
            raise RuntimeError(f"a part ended {state.type.value}")
    return [unwrap(f.result()) for f in futures]


def run_partitioned(source: str, options: ReleaseOptions) -> lib.PartitionedResult:
    """The stages of a partitioned release as tasks, parts fanned out."""
    options, scope = exception_for_run(options)
    try:
        pp = unwrap(plan_dataset(source, as_is(options), as_is(scope)))
    except PolicyError as exc:
        record_refusal(as_is(exc), as_is(options))
        raise
    try:
        parts = [str(p) for p in pp.parts]
        staged_futs = stage_part.map(unmapped(pp), parts)
        validation = None
        if options.validate:
            outcome_futs = validate_part.map(unmapped(pp), staged_futs)
            for f in outcome_futs:  # all done before any clean-up below
                f.wait()
            staged = _gather(list(staged_futs))
            outcomes = _gather(list(outcome_futs))
            validation = unwrap(gate(as_is(pp), as_is(staged), as_is(outcomes), options.ledger_url))
        else:
            staged = _gather(list(staged_futs))
    except PolicyError as exc:  # a guard hit in a part
        lib.abort(pp)
        record_refusal(as_is(exc), as_is(options))
        raise
    except BaseException:
        lib.abort(pp)
        raise
    return publish(as_is(pp), as_is(staged), as_is(validation), options.ledger_url)


# ----------------------------------------------------------------------------- flow


@flow(
    name="release-partitioned",
    flow_run_name=release_run_name,
    timeout_seconds=PARTITIONED_TIMEOUT,
    task_runner=_DEFAULT_RUNNER,
    validate_parameters=False,  # a parameter named ``validate``: see flows/release.py
    **FLOW_NO_PERSIST,
)
def release_partitioned(
    source: str,
    recipient: str,
    outbox: str,
    dataset: str,
    exception_id: str | None = None,
    ledger_url: str | None = None,
    profile: str | None = None,
    validate: bool = True,
    overwrite: bool = False,
) -> dict[str, Any] | State[Any]:
    """Release a Parquet dataset folder: one plan, parts redacted and validated in
    parallel, published together (``OUTBOX/<folder name>/``) or not at all.

    Args:
        source: the dataset folder (``*.parquet`` parts sharing one schema).
        dataset: the dataset contract (required: the plan is made from the schema).
        Others: as ``release-extract``; ``overwrite`` replaces an earlier release.

    Returns:
        ``PartitionedResult.to_dict()``: names, counts and hashes; a Failed state naming
        the reason when the release was refused or failed.
    """
    key = release_key(source, dataset, recipient, partitioned=True)
    options = ReleaseOptions(
        recipient=recipient,
        outbox=Path(outbox),
        dataset=dataset,
        exception_id=exception_id,
        profile=profile,
        validate=validate,
        overwrite=overwrite,
        ledger_url=flow_ledger_url(ledger_url),
    )
    return run_and_report(key, source, lambda: run_partitioned(source, options))


def with_runner(
    runner: TaskRunner[Any] | None = None, *, address: str | None = None
) -> Flow[..., Any]:
    """The flow on another task runner (``address``: an existing Dask scheduler)."""
    chosen: Any = runner or dask_runner(address)
    return release_partitioned.with_options(task_runner=chosen)


def main(argv: list[str] | None = None) -> None:
    """``python -m flows.partitioned``: the flow once, with the CLI's option names."""
    from flows.cli import partitioned_main

    partitioned_main(argv)


if __name__ == "__main__":
    main()
