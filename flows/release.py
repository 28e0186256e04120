"""The release flow: one extract, one recipient, one outbound file.

    exception check -> prepare (open, check, plan) -> stage (redact) -> validate -> publish
                 \\____ refused: recorded in the ledger ____/

Each task is one call into ``redaction.release``. Tasks hand on the library's own
objects (``Prepared``, ``StagedOutput``: schema, plan, paths and counts, no extract
data) in memory; nothing is persisted (see ``flows._common``). A run tagged
``lawful-exception:<ID>`` (on the run or its deployment) is the same as passing
``exception_id=<ID>``; both given and different refuses the run before any data is read.

    python -m flows.release SOURCE --recipient NAME --outbox DIR [--dataset NAME]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from flows._common import (
    FLOW_NO_PERSIST,
    LEDGER_RETRIES,
    NO_PERSIST,
    artifact_key,
    error_fields,
    md_table,
    resolve_exception,
    sealed,
    transient_only,
)
from redaction import release as lib
from redaction.errors import PolicyError, RedactionError
from redaction.ledger import Ledger
from redaction.plan import ExceptionScope
from redaction.policy import load_policy
from redaction.validation import ValidationOutcome

# ----------------------------------------------------------------------------- tasks


@task(name="authorize", retry_condition_fn=transient_only, **LEDGER_RETRIES, **NO_PERSIST)
def authorize(options: lib.ReleaseOptions) -> ExceptionScope | None:
    """Authorise the exception (the register, then the profile's rules) before any data
    is read; a refusal is recorded by the library."""
    with sealed("authorize"), Ledger.open(options.ledger_url) as ledger:
        policy = load_policy(options.policy_path, profile=options.profile)
        return lib.authorize_release(ledger, options, policy)


@task(name="prepare-plan", **NO_PERSIST)
def prepare(source: str, options: lib.ReleaseOptions, exception: Any) -> lib.Prepared:
    """Open and check the extract, check the outbox, plan. Reads the schema (and, for a
    file without a contract, profiles its values); writes nothing."""
    with sealed("prepare"):
        return lib.prepare(source, options, exception=exception)


@task(name="stage", **NO_PERSIST)
def stage(prepared: lib.Prepared) -> lib.StagedOutput:
    """Redact the extract into its staging file beside the outbox."""
    with sealed("stage"):
        return lib.stage(prepared)


@task(name="validate", retry_condition_fn=transient_only, **LEDGER_RETRIES, **NO_PERSIST)
def gate(staged: lib.StagedOutput, ledger_url: str | None) -> ValidationOutcome:
    """Validate the staged output (quarantined and refused on failure); recorded."""
    with sealed("validate"), Ledger.open(ledger_url) as ledger:
        return lib.gate(staged, ledger, docs_dir=staged.prepared.options.docs_dir)


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


# ----------------------------------------------------------------------------- artifacts


def exception_for_run(
    options: lib.ReleaseOptions,
) -> tuple[lib.ReleaseOptions, ExceptionScope | None]:
    """The run's lawful exception: from the parameter or a ``lawful-exception:<ID>`` tag
    (both given and different: refused and recorded), checked against the register
    before any data is read. Called inside a flow."""
    try:
        chosen = resolve_exception(options.exception_id, list(flow_run.tags or []))
    except PolicyError as exc:
        record_refusal(quote(exc), quote(options))
        raise
    options = dataclasses.replace(options, exception_id=chosen)
    # The register records its own refusals (unknown, expired, revoked...).
    return options, authorize(quote(options))


def withheld_rows(result: lib.ReleaseResult) -> list[dict[str, Any]]:
    """One row per withheld column: names, codes, counts and hashes only."""
    validation = "skipped"
    if result.validation is not None:
        validation = "passed" if result.validation.get("success") else "failed"
    return [
        {
            "column": d.column,
            "action": d.action,
            "category": d.category,
            "rows": result.rows,
            "changed": result.changed.get(d.column, 0),
            "exception": result.plan.exception_id,
            "validation": validation,
            "ledger_entry": result.ledger_entry,
        }
        for d in result.plan.decisions
        if d.withheld
    ]


TABLE_COLUMNS = (
    "column",
    "action",
    "category",
    "rows",
    "changed",
    "exception",
    "validation",
    "ledger_entry",
)


def summary_markdown(result: lib.ReleaseResult, outcome: ValidationOutcome | None) -> str:
    released = [d.column for d in result.plan.decisions if not d.withheld]
    under = [
        d.column
        for d in result.plan.decisions
        if any(e.rule.startswith("exception:") for e in d.evidence)
    ]
    lines = [
        f"# Release of `{result.source.name}` to {result.recipient}",
        "",
        f"- **published**: `{result.output.name}` ({result.format}, {result.rows} rows)",
        f"- **dataset contract**: {result.plan.dataset or '(none: profiled)'}",
        f"- **policy profile**: {result.profile}",
        f"- **lawful exception**: {result.plan.exception_id or 'none'}",
        f"- **released under the exception**: {', '.join(under) or 'none'}",
        f"- **validation**: {outcome.summary() if outcome else 'skipped'}",
        f"- **ledger entry**: `{result.ledger_entry}`",
        f"- **release id**: `{result.release_id}`",
        f"- **output sha256**: `{result.output_sha256}`",
        f"- **columns**: {len(released)} released, "
        f"{len(result.plan.decisions) - len(released)} withheld",
        "",
        "## Withheld columns",
        "",
        md_table(withheld_rows(result), ("column", "action", "category", "changed")),
    ]
    return "\n".join(lines)


def report_failure(key: str, source: str, exc: BaseException) -> None:
    """A markdown artifact for a refused or failed release (reason code, no values)."""
    f = error_fields(exc)
    create_markdown_artifact(
        key=key,
        markdown=(
            f"# Release of `{Path(source).name}` not published\n\n"
            f"- **error**: {f['error']} (exit code {f['exit_code']}, reason `{f['reason']}`)\n"
            f"- **message**: {f['message']}\n\n"
            "Nothing was published to the outbox.\n"
        ),
        description=f"release refused or failed: {f['reason']}",
    )


# ----------------------------------------------------------------------------- flow


# validate_parameters=False: Prefect's call-time check builds a pydantic model of the
# parameters, and a field named ``validate`` shadows ``BaseModel.validate`` (a warning,
# an error under this project's strict test settings). Deployment runs are still
# checked against the parameter schema by the server (enforce_parameter_schema).
@flow(name="release-extract", validate_parameters=False, **FLOW_NO_PERSIST)
def release_extract(
    source: str,
    recipient: str,
    outbox: str,
    dataset: str | None = None,
    exception_id: str | None = None,
    ledger_url: str | None = None,
    profile: str | None = None,
    validate: bool = True,
) -> dict[str, Any]:
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
        ``ReleaseResult.to_dict()``: names, counts and hashes.
    """
    logger = get_run_logger()
    key = artifact_key("release", dataset or Path(source).stem)
    options = lib.ReleaseOptions(
        recipient=recipient,
        outbox=Path(outbox),
        dataset=dataset,
        exception_id=exception_id,
        profile=profile,
        validate=validate,
        ledger_url=ledger_url,
    )
    try:
        options, scope = exception_for_run(options)
        try:
            prepared = prepare(source, quote(options), quote(scope))
            staged = stage(quote(prepared))
        except PolicyError as exc:
            record_refusal(quote(exc), quote(options))
            raise
        try:
            outcome = gate(quote(staged), ledger_url) if validate else None
        except BaseException:
            staged.staged.cleanup()
            raise
        result = publish(quote(staged), quote(outcome), ledger_url)
    except RedactionError as exc:
        logger.error("release refused or failed: %s (reason %s)", type(exc).__name__, exc.reason)
        report_failure(key, source, exc)
        raise
    rows = withheld_rows(result)
    create_table_artifact(
        key=key + "-columns",
        table=[{c: r[c] for c in TABLE_COLUMNS} for r in rows],
        description=f"withheld columns of {result.source.name} (names and counts only)",
    )
    create_markdown_artifact(
        key=key,
        markdown=summary_markdown(result, outcome),
        description=f"release of {result.source.name} to {result.recipient}",
    )
    logger.info(
        "published %s: %d rows, %d column(s) withheld, exception %s, ledger entry %s",
        result.output.name,
        result.rows,
        len(rows),
        result.plan.exception_id or "none",
        result.ledger_entry,
    )
    return result.to_dict()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Run the release flow once.")
    ap.add_argument("source")
    ap.add_argument("--recipient", required=True)
    ap.add_argument("--outbox", required=True)
    ap.add_argument("--dataset")
    ap.add_argument("--exception", dest="exception_id")
    ap.add_argument("--ledger-url")
    ap.add_argument("--profile")
    a = ap.parse_args(argv)
    print(json.dumps(release_extract(**vars(a)), indent=2, default=str))


if __name__ == "__main__":
    main()
