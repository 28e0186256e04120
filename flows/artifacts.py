"""The Prefect artifacts of a release, one builder for every flow: a table of the
withheld columns and a markdown summary on success, a markdown note on refusal or
failure. Built from plan decisions, counts, reason codes and hashes only.

Keys name the dataset (or the source) and the recipient, so deployments that release
one dataset to several recipients each keep their own latest artifact.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.client.schemas.objects import State

from flows._common import artifact_key, error_fields, md_table, refused_state
from redaction.errors import RedactionError
from redaction.plan_model import Plan

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


class Released(Protocol):
    """What a single-file and a partitioned result both carry."""

    @property
    def source(self) -> Path: ...
    @property
    def output(self) -> Path: ...
    @property
    def rows(self) -> int: ...
    @property
    def plan(self) -> Plan: ...
    @property
    def changed(self) -> dict[str, int]: ...
    @property
    def recipient(self) -> str: ...
    @property
    def profile(self) -> str: ...
    @property
    def validation(self) -> dict[str, Any] | None: ...
    @property
    def ledger_entry(self) -> str | None: ...
    @property
    def release_id(self) -> str: ...
    @property
    def output_sha256(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...


def release_key(source: str, dataset: str | None, recipient: str, *, partitioned: bool) -> str:
    """``release[-partitioned]-<dataset or source>-<recipient>``."""
    what = dataset or Path(source).stem
    return artifact_key("release", *(["partitioned"] if partitioned else []), what, recipient)


def validation_status(result: Released) -> str:
    if result.validation is None:
        return "skipped"
    return "passed" if result.validation.get("success") else "failed"


def withheld_rows(result: Released) -> list[dict[str, Any]]:
    """One row per withheld column: names, codes, counts and hashes only."""
    return [
        {
            "column": d.column,
            "action": d.action,
            "category": d.category,
            "rows": result.rows,
            "changed": result.changed.get(d.column, 0),
            "exception": result.plan.exception_id,
            "validation": validation_status(result),
            "ledger_entry": result.ledger_entry,
        }
        for d in result.plan.decisions
        if d.withheld
    ]


def _validation_line(v: dict[str, Any] | None) -> str:
    """``ValidationOutcome.summary()``'s line, for one file's outcome or the parts'."""
    if v is None:
        return "skipped"
    expectations = v.get("expectations")
    if isinstance(expectations, list):  # one file: an outcome per expectation
        n, met = len(expectations), sum(1 for e in expectations if e.get("success"))
    else:  # parts: counts
        n, met = int(expectations or 0), int(expectations or 0) - int(v.get("failed") or 0)
    where = f" in {v['parts']} part(s)" if "parts" in v else ""
    if "chunks" in v:
        where = f" in {v['chunks']} chunk(s)"
    head = "passed" if v.get("success") else "FAILED"
    return f"validation {head}: {v.get('rows_checked')} row(s){where}, {met}/{n} expectation(s) met"


def summary_markdown(result: Released) -> str:
    parts = getattr(result, "parts", None)
    published = (
        f"`{result.output.name}/` ({parts} parts, {result.rows} rows, all parts in one rename)"
        if parts is not None
        else f"`{result.output.name}` ({getattr(result, 'format', '')}, {result.rows} rows)"
    )
    decisions = result.plan.decisions
    released = [d.column for d in decisions if not d.withheld]
    under = [
        d.column for d in decisions if any(e.rule.startswith("exception:") for e in d.evidence)
    ]
    lines = [
        f"# {'Partitioned release' if parts is not None else 'Release'} of "
        f"`{result.source.name}` to {result.recipient}",
        "",
        f"- **published**: {published}",
        f"- **dataset contract**: {result.plan.dataset or '(none: profiled)'}",
        f"- **policy profile**: {result.profile}",
        f"- **lawful exception**: {result.plan.exception_id or 'none'}",
        f"- **released under the exception**: {', '.join(under) or 'none'}",
        f"- **validation**: {_validation_line(result.validation)}",
        f"- **ledger entry**: `{result.ledger_entry}`",
        f"- **release id**: `{result.release_id}`",
        f"- **output sha256**: `{result.output_sha256}`",
        f"- **columns**: {len(released)} released, {len(decisions) - len(released)} withheld",
        "",
        "## Withheld columns",
        "",
        md_table(withheld_rows(result), ("column", "action", "category", "changed")),
    ]
    return "\n".join(lines)


def report_release(key: str, result: Released) -> list[dict[str, Any]]:
    """The table and markdown artifacts of a published release; returns the table."""
    rows = withheld_rows(result)
    create_table_artifact(
        key=key + "-columns",
        table=[{c: r[c] for c in TABLE_COLUMNS} for r in rows],
        description=f"withheld columns of {result.source.name} (names and counts only)",
    )
    create_markdown_artifact(
        key=key,
        markdown=summary_markdown(result),
        description=f"release of {result.source.name} to {result.recipient}",
    )
    return rows


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


def run_and_report(
    key: str, source: str, run: Callable[[], Released]
) -> dict[str, Any] | State[Any]:
    """Run a release's stages (``run``), then write its artifacts and one log line. A
    refusal, bad input or failed validation writes the failure artifact and ends the run
    Failed (:func:`flows._common.refused_state`): one log line, no traceback."""
    try:
        result = run()
    except RedactionError as exc:
        report_failure(key, source, exc)
        return refused_state(exc)
    rows = report_release(key, result)
    parts = getattr(result, "parts", None)
    get_run_logger().info(
        "published %s%s: %d rows%s, %d column(s) withheld, exception %s, ledger entry %s",
        result.output.name,
        "" if parts is None else "/",
        result.rows,
        "" if parts is None else f" in {parts} parts",
        len(rows),
        result.plan.exception_id or "none",
        result.ledger_entry,
    )
    return result.to_dict()
