"""The partitioned release flow: a Parquet dataset folder fanned out over Dask.

    exception check -> plan once (first part + contract) -> stage part 1..N  (Dask)
    -> validate part 1..N (Dask) -> gate (recorded) -> publish the folder all-or-none

The plan is computed once in the flow and shipped to the workers with each part; every
part is redacted with the same plan, so every part of the output has the same schema.
The ledger is touched only from the flow's process.

Where the tasks run:

- default: a local Dask cluster (2 worker processes, 1 thread each);
- ``REDACT_DASK_ADDRESS=tcp://scheduler:8786``: an existing Dask cluster (read when
  this module is imported, so a served deployment picks it up from its environment);
- :func:`with_runner` for anything else (``with_runner(address=...)`` or a
  ``ThreadPoolTaskRunner`` for a single-process run).

Workers import ``flows.partitioned`` and ``redaction``: install the project on every
worker of an existing cluster.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

from prefect import Flow, flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.task_runners import TaskRunner
from prefect.utilities.annotations import quote
from prefect_dask import DaskTaskRunner

from flows._common import (
    FLOW_NO_PERSIST,
    LEDGER_RETRIES,
    NO_PERSIST,
    artifact_key,
    md_table,
    sealed,
    transient_only,
)
from flows.release import TABLE_COLUMNS, exception_for_run, record_refusal, report_failure
from redaction import partitioned as lib
from redaction.errors import PolicyError, RedactionError
from redaction.ledger import Ledger
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


# ----------------------------------------------------------------------------- tasks


@task(name="plan-dataset", **NO_PERSIST)
def plan_dataset(source: str, options: ReleaseOptions, exception: Any) -> lib.PartitionPlan:
    """Plan once from the first part and the contract; check every part's schema."""
    with sealed("plan dataset"):
        return lib.plan_dataset(source, options, exception=exception)


@task(name="stage-part", **NO_PERSIST)
def stage_part(pp: lib.PartitionPlan, part: str) -> lib.PartResult:
    """Redact one part with the dataset's plan into the staging folder."""
    with sealed("stage part"):
        return lib.stage_part(pp, part)


@task(name="validate-part", **NO_PERSIST)
def validate_part(pp: lib.PartitionPlan, staged: lib.PartResult) -> ValidationOutcome:
    """Validate one staged part (every row)."""
    with sealed("validate part"):
        return lib.validate_part(pp, staged)


@task(name="gate", retry_condition_fn=transient_only, **LEDGER_RETRIES, **NO_PERSIST)
def gate(
    pp: lib.PartitionPlan,
    staged: list[lib.PartResult],
    outcomes: list[ValidationOutcome],
    ledger_url: str | None,
) -> dict[str, Any]:
    """Record the parts' validation; quarantine and refuse on any failure."""
    with sealed("gate"), Ledger.open(ledger_url) as ledger:
        return lib.gate(pp, staged, outcomes, ledger)


# Not retried, like the single-file publish: the staging folder is removed whatever
# happens, so a second attempt would have nothing to publish.
@task(name="publish-dataset", **NO_PERSIST)
def publish(
    pp: lib.PartitionPlan,
    staged: list[lib.PartResult],
    validation: dict[str, Any] | None,
    ledger_url: str | None,
) -> lib.PartitionedResult:
    """Publish every part together (one folder rename), recorded in the ledger."""
    with sealed("publish"), Ledger.open(ledger_url) as ledger:
        return lib.publish(pp, staged, ledger, validation)


def _gather(futures: Any) -> list[Any]:
    """Every future's result; the first failure (in part order) is raised once all have
    finished, so no part is still writing into the staging folder when it is removed."""
    states = [f.wait() or f.state for f in futures]
    for state in states:
        if not state.is_completed():
            exc = state.result(raise_on_failure=False)
            if isinstance(exc, BaseException):
                raise exc
            raise RuntimeError(f"a part ended {state.type.value}")
    return [f.result() for f in futures]


# ----------------------------------------------------------------------------- flow


@flow(
    name="release-partitioned",
    task_runner=dask_runner(os.environ.get("REDACT_DASK_ADDRESS")),
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
) -> dict[str, Any]:
    """Release a Parquet dataset folder: one plan, parts redacted and validated in
    parallel, published together (``OUTBOX/<folder name>/``) or not at all.

    Args:
        source: the dataset folder (``*.parquet`` parts sharing one schema).
        dataset: the dataset contract (required: the plan is made from the schema).
        Others: as ``release-extract``; ``overwrite`` replaces an earlier release.

    Returns:
        ``PartitionedResult.to_dict()``: names, counts and hashes.
    """
    logger = get_run_logger()
    key = artifact_key("release", dataset, "partitioned")
    options = ReleaseOptions(
        recipient=recipient,
        outbox=Path(outbox),
        dataset=dataset,
        exception_id=exception_id,
        profile=profile,
        validate=validate,
        overwrite=overwrite,
        ledger_url=ledger_url,
    )
    try:
        options, scope = exception_for_run(options)
        try:
            pp = plan_dataset(source, quote(options), quote(scope))
        except PolicyError as exc:
            record_refusal(quote(exc), quote(options))
            raise
        try:
            parts = [str(p) for p in pp.parts]
            staged_futs = stage_part.map(unmapped(pp), parts)
            if validate:
                outcome_futs = validate_part.map(unmapped(pp), staged_futs)
                for f in outcome_futs:  # all done before any clean-up below
                    f.wait()
                staged = _gather(staged_futs)
                outcomes = _gather(outcome_futs)
                validation = gate(quote(pp), quote(staged), quote(outcomes), ledger_url)
            else:
                staged, validation = _gather(staged_futs), None
        except PolicyError as exc:  # a guard hit in a part
            lib.abort(pp)
            record_refusal(quote(exc), quote(options))
            raise
        except BaseException:
            lib.abort(pp)
            raise
        result = publish(quote(pp), quote(staged), quote(validation), ledger_url)
    except RedactionError as exc:
        logger.error("release refused or failed: %s (reason %s)", type(exc).__name__, exc.reason)
        report_failure(key, source, exc)
        raise
    rows = [
        {
            "column": d.column,
            "action": d.action,
            "category": d.category,
            "rows": result.rows,
            "changed": result.changed.get(d.column, 0),
            "exception": result.plan.exception_id,
            "validation": "skipped" if validation is None else "passed",
            "ledger_entry": result.ledger_entry,
        }
        for d in result.plan.decisions
        if d.withheld
    ]
    create_table_artifact(
        key=key + "-columns",
        table=[{c: r[c] for c in TABLE_COLUMNS} for r in rows],
        description=f"withheld columns of {result.source.name} (names and counts only)",
    )
    create_markdown_artifact(
        key=key,
        markdown=(
            f"# Partitioned release of `{result.source.name}` to {result.recipient}\n\n"
            f"- **published**: `{result.output.name}/` ({result.parts} parts, "
            f"{result.rows} rows), all parts in one rename\n"
            f"- **dataset contract**: {result.plan.dataset}\n"
            f"- **lawful exception**: {result.plan.exception_id or 'none'}\n"
            f"- **validation**: "
            + (
                "skipped"
                if validation is None
                else f"passed: {validation['rows_checked']} rows in {validation['parts']} "
                f"parts, {validation['expectations']} expectations"
            )
            + f"\n- **ledger entry**: `{result.ledger_entry}`\n"
            f"- **output sha256** (of the parts' hashes): `{result.output_sha256}`\n\n"
            "## Withheld columns\n\n" + md_table(rows, ("column", "action", "category", "changed"))
        ),
        description=f"partitioned release of {result.source.name} to {result.recipient}",
    )
    logger.info(
        "published %s/: %d parts, %d rows, %d column(s) withheld, ledger entry %s",
        result.output.name,
        result.parts,
        result.rows,
        len(rows),
        result.ledger_entry,
    )
    return result.to_dict()


def with_runner(runner: TaskRunner[Any] | None = None, *, address: str | None = None) -> Flow:
    """The flow on another task runner (``address``: an existing Dask scheduler)."""
    return release_partitioned.with_options(task_runner=runner or dask_runner(address))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Run the partitioned release flow once.")
    ap.add_argument("source")
    ap.add_argument("--recipient", required=True)
    ap.add_argument("--outbox", required=True)
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--exception", dest="exception_id")
    ap.add_argument("--ledger-url")
    ap.add_argument("--address", help="an existing Dask scheduler (default: local cluster)")
    a = vars(ap.parse_args(argv))
    address = a.pop("address")
    print(json.dumps(with_runner(address=address)(**a), indent=2, default=str))


if __name__ == "__main__":
    main()
