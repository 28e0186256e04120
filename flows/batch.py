"""The batch flow: many extracts, each released by its own ``release-extract`` subflow.

Give it a folder (every CSV, Parquet and JSON-lines file in it, one recipient and
outbox for all) or a manifest YAML::

    defaults: {recipient: Example Insurance, outbox: /srv/outbox/insurer}   # optional
    extracts:
      - {source: /srv/exports/dmv_drivers.parquet, dataset: dmv_drivers}
      - {source: /srv/exports/court.csv, dataset: dmv_drivers,
         recipient: Denver District Court, exception: EXC-2026-0001, outbox: /srv/outbox/court}

Lawful exceptions are named per extract in the manifest; a batch run tagged
``lawful-exception:<ID>`` is refused. A failing extract fails only its own subflow;
the batch goes on, and its final state is Failed naming the extracts that failed
(reason codes, no values), with a summary artifact of every extract.

    python -m flows.batch MANIFEST_OR_FOLDER [-r NAME -o DIR -d NAME] [--ledger URL]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import yaml
from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run
from prefect.states import Completed, Failed

from flows._common import (
    BATCH_TIMEOUT,
    FLOW_NO_PERSIST,
    artifact_key,
    batch_run_name,
    error_fields,
    exception_from_tags,
    flow_ledger_url,
    md_table,
    refused_state,
)
from flows.release import release_extract
from redaction.errors import RedactionError, UsageError

EXTRACT_SUFFIXES = (".csv", ".parquet", ".jsonl", ".ndjson")
ENTRY_KEYS = {"source", "dataset", "recipient", "exception", "outbox", "profile", "validate"}


@dataclass(frozen=True)
class Entry:
    source: str
    recipient: str
    outbox: str
    dataset: str | None = None
    exception: str | None = None
    profile: str | None = None
    validate: bool = True

    @property
    def name(self) -> str:
        return Path(self.source).name


def load_manifest(path: Path, defaults: dict[str, Any] | None = None) -> list[Entry]:
    """Read a manifest; every problem is collected and raised once, naming the entry.

    Relative ``source`` and ``outbox`` paths are taken from the manifest's folder.
    """
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"{path}: cannot read the manifest ({type(exc).__name__})") from None
    if isinstance(doc, list):
        doc = {"extracts": doc}
    if not isinstance(doc, dict) or not isinstance(doc.get("extracts"), list):
        raise UsageError(f"{path}: expected a mapping with an 'extracts' list", reason="manifest")
    base = {**(defaults or {}), **(doc.get("defaults") or {})}
    problems, entries = [], []
    for i, raw in enumerate(doc["extracts"]):
        if not isinstance(raw, dict):
            problems.append(f"extracts[{i}]: expected a mapping")
            continue
        item = {**base, **raw}
        unknown = sorted(set(item) - ENTRY_KEYS)
        missing = [k for k in ("source", "recipient", "outbox") if not item.get(k)]
        if unknown:
            problems.append(f"extracts[{i}]: unknown key(s) {', '.join(unknown)}")
        if missing:
            problems.append(f"extracts[{i}]: missing {', '.join(missing)}")
        if unknown or missing:
            continue
        for k in ("source", "outbox"):
            if not Path(item[k]).is_absolute():
                item[k] = str(path.parent / item[k])
        entries.append(Entry(**{k: item[k] for k in ENTRY_KEYS if k in item}))
    if problems:
        raise UsageError(
            f"{path}: {len(problems)} problem(s): " + "; ".join(problems), reason="manifest"
        )
    return entries


def folder_entries(folder: Path, defaults: dict[str, Any]) -> list[Entry]:
    """Every extract file directly in ``folder``, with the batch's defaults."""
    missing = [k for k in ("recipient", "outbox") if not defaults.get(k)]
    if missing:
        raise UsageError(f"a folder batch needs {', '.join(missing)}", reason="manifest")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in EXTRACT_SUFFIXES)
    return [Entry(source=str(p), **defaults) for p in files]


def entries_for(source: str, defaults: dict[str, Any]) -> list[Entry]:
    path = Path(source)
    if path.is_dir():
        return folder_entries(path, defaults)
    if path.is_file():
        return load_manifest(path, defaults)
    raise UsageError(f"{source}: no such manifest or folder", reason="missing_file")


def _why(exc: BaseException) -> str:
    return exc.reason if isinstance(exc, RedactionError) else type(exc).__name__


def check_entries(entries: list[Entry], ledger_url: str | None, where: str) -> None:
    """Check every entry before the first extract is released: its source is a file,
    its outbox is not a file, its profile and dataset contract load, and its lawful
    exception is in the register and would cover it today (named recipient, dataset,
    validity). A mistyped dataset in the last entry stops the batch before the first
    is published.

    Raises:
        UsageError: every problem found, in one message naming the entries.
    """
    from redaction.disclosure.lawful import exception_problem, find_exception
    from redaction.ledger import Ledger
    from redaction.policy import load_contract, load_policy

    problems: list[str] = []
    now = datetime.now(UTC)
    with Ledger.open(ledger_url) as ledger:
        for i, e in enumerate(entries):
            name = f"extracts[{i}] ({e.name})"
            if not Path(e.source).is_file():
                problems.append(f"{name}: source not found")
            if Path(e.outbox).exists() and not Path(e.outbox).is_dir():
                problems.append(f"{name}: outbox is not a folder")
            try:
                policy = load_policy(profile=e.profile)
            except (RedactionError, OSError) as exc:
                problems.append(f"{name}: profile {e.profile!r} cannot be loaded ({_why(exc)})")
                continue
            if e.dataset:
                try:
                    load_contract(e.dataset, policy)
                except (RedactionError, OSError) as exc:
                    problems.append(f"{name}: dataset {e.dataset!r} cannot be loaded ({_why(exc)})")
            if e.exception:
                found = find_exception(ledger, e.exception)
                why = exception_problem(
                    ledger, found, recipient=e.recipient, dataset=e.dataset, at=now
                )
                if why is not None:
                    problems.append(f"{name}: lawful exception {e.exception!r}: {why}")
    if problems:
        raise UsageError(
            f"{where}: {len(problems)} problem(s), nothing was released: " + "; ".join(problems),
            reason="manifest",
        )


@flow(
    name="release-batch",
    flow_run_name=batch_run_name,
    timeout_seconds=BATCH_TIMEOUT,
    **FLOW_NO_PERSIST,
)
def release_batch(
    manifest: str,
    recipient: str | None = None,
    outbox: str | None = None,
    dataset: str | None = None,
    ledger_url: str | None = None,
    profile: str | None = None,
) -> State[Any]:
    """Release every extract of a folder or a manifest, each as its own subflow.

    Args:
        manifest: a manifest YAML, or a folder of extracts.
        recipient, outbox, dataset, profile: defaults for every extract (a folder
            batch needs recipient and outbox).
        ledger_url: the ledger all releases are recorded in.

    Returns:
        Completed, or Failed naming the extracts that failed.
    """
    logger = get_run_logger()
    try:
        if exception_from_tags(list(flow_run.tags or [])):
            # One exception for every extract of a batch would be far broader than any
            # exception is granted for; and a subflow would inherit the tag silently.
            raise UsageError(
                "a batch run takes no lawful-exception tag",
                reason="exception_tag_on_batch",
                hint="name each extract's exception in the manifest ('exception: ID')",
            )
        ledger_url = flow_ledger_url(ledger_url)
        given = {"recipient": recipient, "outbox": outbox, "dataset": dataset, "profile": profile}
        entries = entries_for(manifest, {k: v for k, v in given.items() if v is not None})
        check_entries(entries, ledger_url, manifest)
    except RedactionError as exc:
        return refused_state(exc)
    rows: list[dict[str, Any]] = []
    for entry in entries:
        # Each subflow is named by what it releases (``dmv_drivers -> Example Insurance``).
        state = release_extract(
            source=entry.source,
            recipient=entry.recipient,
            outbox=entry.outbox,
            dataset=entry.dataset,
            exception_id=entry.exception,
            ledger_url=ledger_url,
            profile=entry.profile,
            validate=entry.validate,
            return_state=True,
        )
        row: dict[str, Any] = {
            "extract": entry.name,
            "recipient": entry.recipient,
            "dataset": entry.dataset,
            "exception": entry.exception,
        }
        if state.is_completed():
            res = cast("dict[str, Any]", state.result())
            withheld = sum(1 for c in res["columns"] if c["action"] != "release")
            row |= {
                "status": "published",
                "rows": res["rows"],
                "withheld": withheld,
                "reason": None,
                "ledger_entry": res["ledger_entry"],
            }
        else:
            failure = state.result(raise_on_failure=False)
            err = error_fields(failure if isinstance(failure, BaseException) else RuntimeError())
            row |= {
                "status": "failed",
                "rows": None,
                "withheld": None,
                "reason": err["reason"],
                "ledger_entry": None,
            }
        rows.append(row)
        logger.info(
            "%s: %s%s", entry.name, row["status"], f" ({row['reason']})" if row["reason"] else ""
        )
    failed = [r for r in rows if r["status"] == "failed"]
    create_table_artifact(
        key=artifact_key("batch", Path(manifest).stem, "extracts"),
        table=rows,
        description=f"{len(rows) - len(failed)} of {len(rows)} extract(s) published",
    )
    create_markdown_artifact(
        key=artifact_key("batch", Path(manifest).stem),
        markdown=(
            f"# Batch `{Path(manifest).name}`\n\n"
            f"{len(rows) - len(failed)} of {len(rows)} extract(s) published, "
            f"{len(failed)} failed.\n\n"
            + md_table(
                rows,
                (
                    "extract",
                    "recipient",
                    "dataset",
                    "exception",
                    "status",
                    "reason",
                    "rows",
                    "withheld",
                ),
            )
        ),
        description="batch release summary",
    )
    if failed:
        names = ", ".join(f"{r['extract']} ({r['reason']})" for r in failed)
        return Failed(message=f"{len(failed)} of {len(rows)} extract(s) failed: {names}")
    return Completed(message=f"{len(rows)} extract(s) published")


def main(argv: list[str] | None = None) -> None:
    """``python -m flows.batch``: the batch once, with the CLI's option names."""
    from flows.cli import batch_main

    batch_main(argv)


if __name__ == "__main__":
    main()
