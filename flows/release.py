"""The release flow: one extract, one recipient, one outbound file.

    authorize -> plan (open, check, profile/plan) -> redact (stream to staging)
    -> validate -> publish (recorded)           refused: recorded in the ledger

Each task is one stage of ``redaction.release``, the same stages ``redact release``
runs. Tasks hand on the library's own objects (``Prepared``, ``StagedOutput``: schema,
plan, paths and counts, no extract data) in memory; nothing is persisted (see
``flows._common``). A run tagged ``lawful-exception:<ID>`` (on the run or its
deployment) is the same as passing ``exception_id=<ID>``; both given and different
refuses the run before any data is read.

A refusal, bad input or failed validation ends the run Failed with one log line (WARNING
for a refusal, ERROR otherwise) and a markdown artifact giving the reason; no traceback.

    python -m flows.release SOURCE --recipient NAME --out DIR [--dataset NAME] [--ledger URL]
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run

from flows._common import (
    FLOW_NO_PERSIST,
    LEDGER_RETRIES,
    NO_PERSIST,
    RELEASE_TIMEOUT,
    Refused,
    as_is,
    expected,
    flow_ledger_url,
    release_run_name,
    resolve_exception,
    sealed,
    transient_only,
    unwrap,
)
from flows.artifacts import release_key, run_and_report
from redaction import release as lib
from redaction.errors import PolicyError
from redaction.ledger import Ledger
from redaction.plan import ExceptionScope
from redaction.policy import load_policy
from redaction.validation import ValidationOutcome

# ----------------------------------------------------------------------------- tasks


@task(name="authorize", retry_condition_fn=transient_only, **LEDGER_RETRIES, **NO_PERSIST)
def authorize(options: lib.ReleaseOptions) -> ExceptionScope | Refused | None:
    """Authorise the exception (the register, then the profile's rules) before any data
    is read; a refusal is recorded by the library."""
    with Ledger.open(options.ledger_url) as ledger:
        policy = load_policy(options.policy_path, profile=options.profile)
        return expected("authorize", lib.authorize_release, ledger, options, policy)


@task(name="plan", **NO_PERSIST)
def prepare(
    source: str, options: lib.ReleaseOptions, exception: ExceptionScope | None
) -> lib.Prepared | Refused:
    """Open and check the extract, check the outbox, plan. Reads the schema (and, for a
    file without a contract, profiles its values); writes nothing."""
    return expected("plan", lib.prepare, source, options, exception=exception)


@task(name="redact", **NO_PERSIST)
def stage(prepared: lib.Prepared) -> lib.StagedOutput | Refused:
    """Redact the extract into its staging file (guarded, streamed)."""
    return expected("redact", lib.stage, prepared)


@task(name="validate", retry_condition_fn=transient_only, **LEDGER_RETRIES, **NO_PERSIST)
def gate(staged: lib.StagedOutput, ledger_url: str | None) -> ValidationOutcome | Refused:
    """Validate the staged output (quarantined and refused on failure); recorded."""
    with Ledger.open(ledger_url) as ledger:
        docs = staged.prepared.options.docs_dir
        return expected("validate", lib.gate, staged, ledger, docs_dir=docs)


# No retries: ``publish`` removes the staging file whatever happens, so a second attempt
# would have nothing to publish. A ledger outage before the publish fails the run with
# the outbox untouched; after it, the library raises ``orphan`` (see ``redact ledger
# reconcile``).
@task(name="publish", **NO_PERSIST)
def publish(
    staged: lib.StagedOutput, outcome: ValidationOutcome | None, ledger_url: str | None
) -> lib.ReleaseResult:
    """Publish atomically, recorded in the ledger in two steps."""
    with sealed("publish"), Ledger.open(ledger_url) as ledger:
        return lib.publish(staged, ledger, outcome)


@task(name="record-refusal", retry_condition_fn=transient_only, **LEDGER_RETRIES, **NO_PERSIST)
def record_refusal(exc: PolicyError, options: lib.ReleaseOptions) -> None:
    """Record a refused release in the ledger."""
    with sealed("record refusal"), Ledger.open(options.ledger_url) as ledger:
        lib.record_refusal(ledger, exc, options)


# ----------------------------------------------------------------------------- stages


def exception_for_run(
    options: lib.ReleaseOptions,
) -> tuple[lib.ReleaseOptions, ExceptionScope | None]:
    """The run's lawful exception: from the parameter or a ``lawful-exception:<ID>`` tag
    (both given and different: refused and recorded), authorised before any data is
    read. Called inside a flow."""
    try:
        chosen = resolve_exception(options.exception_id, list(flow_run.tags or []))
    except PolicyError as exc:
        record_refusal(as_is(exc), as_is(options))
        raise
    options = dataclasses.replace(options, exception_id=chosen)
    return options, unwrap(authorize(as_is(options)))


def run_release(source: str, options: lib.ReleaseOptions) -> lib.ReleaseResult:
    """The stages of one release as tasks, in the order ``redaction.release`` runs them."""
    options, scope = exception_for_run(options)
    try:
        prepared = unwrap(prepare(source, as_is(options), as_is(scope)))
        staged = unwrap(stage(as_is(prepared)))
    except PolicyError as exc:
        record_refusal(as_is(exc), as_is(options))
        raise
    try:
        outcome = unwrap(gate(as_is(staged), options.ledger_url)) if options.validate else None
    except BaseException:
        staged.staged.cleanup()
        raise
    return publish(as_is(staged), as_is(outcome), options.ledger_url)


# ----------------------------------------------------------------------------- flow


# validate_parameters=False: Prefect's call-time check builds a pydantic model of the
# parameters, and a field named ``validate`` shadows ``BaseModel.validate`` (a warning,
# an error under this project's strict test settings). Deployment runs are still
# checked against the parameter schema by the server (enforce_parameter_schema).
@flow(
    name="release-extract",
    flow_run_name=release_run_name,
    timeout_seconds=RELEASE_TIMEOUT,
    validate_parameters=False,
    **FLOW_NO_PERSIST,
)
def release_extract(
    source: str,
    recipient: str,
    outbox: str,
    dataset: str | None = None,
    exception_id: str | None = None,
    ledger_url: str | None = None,
    profile: str | None = None,
    validate: bool = True,
) -> dict[str, Any] | State[Any]:
    """Release one extract to one recipient.

    Args:
        source: the extract (CSV, Parquet or JSON-lines file).
        recipient: who receives it (a lawful exception must name the same recipient).
        outbox: the folder the output is published to, as ``OUTBOX/<source name>``.
        dataset: the dataset contract (``schemas/datasets/NAME.yaml``); without one the
            file is profiled first.
        exception_id: a lawful exception; a ``lawful-exception:<ID>`` run or deployment
            tag means the same.
        ledger_url: the ledger (default: ``$REDACT_LEDGER_URL`` or the embedded SQLite).
        profile: the policy profile (default: the policy's default).
        validate: run the validation gate before publishing (default on).

    Returns:
        ``ReleaseResult.to_dict()``: names, counts and hashes; a Failed state naming
        the reason when the release was refused or failed.
    """
    key = release_key(source, dataset, recipient, partitioned=False)
    options = lib.ReleaseOptions(
        recipient=recipient,
        outbox=Path(outbox),
        dataset=dataset,
        exception_id=exception_id,
        profile=profile,
        validate=validate,
        ledger_url=flow_ledger_url(ledger_url),
    )
    return run_and_report(key, source, lambda: run_release(source, options))


def main(argv: list[str] | None = None) -> None:
    """``python -m flows.release``: the release flow once, with the CLI's option names."""
    from flows.cli import release_main

    release_main(argv)


if __name__ == "__main__":
    main()
