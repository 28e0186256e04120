"""``redact scan FILE``: is there unwithheld status data in this file? Writes nothing.

Runs the release's own detectors (names, values, mentions; the dataset contract if one
is named) over the file as it is, and lists every column or leaf path that still holds
status data, with record numbers and counts, never a value:

- a column or leaf the plan withholds (``null``/``drop``) that holds a value;
- a ``generalize`` column that still holds a sensitive code;
- a ``scrub`` column (free text) that still holds a status mention or identifier;
- a released text column or leaf where the streaming guard fires.

Exit codes: 0 nothing found, 1 found (``redact`` exit code for ``scan``), 2 usage, 3 the
file cannot be read, 4 policy or contract refused. ``--format junit`` writes a JUnit
XML report for CI systems (one test case per column, a failure per finding).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import typer

from redaction.cli.commands import app
from redaction.detect import (
    codes_pattern,
    guard_pattern,
    is_text,
    matches,
    null_tokens,
)
from redaction.literals import row_numbers
from redaction.nested import leaf_rows
from redaction.plan import scrub_pattern
from redaction.plan_model import ColumnDecision, Plan
from redaction.policy import Policy, load_policy
from redaction.release import make_plan, open_extract

ROWS_LISTED = 10


@dataclass
class Finding:
    """Status data left in one column or leaf path: what, why, where (no values)."""

    path: str
    category: str | None
    check: str
    count: int = 0
    rows: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "category": self.category,
            "check": self.check,
            "count": self.count,
            "rows": self.rows,
        }


def _checks(plan: Plan, policy: Policy) -> Iterator[tuple[str, ColumnDecision, str, str]]:
    """(top-level column, decision, check name, pattern: a value is a finding if it matches)."""
    present = r"[^\s]"
    guard = guard_pattern(policy)
    scrub = scrub_pattern(policy)
    for top in plan.decisions:
        for d in top.leaves or (top,):
            if d.action in ("null", "drop"):
                yield top.column, d, "withheld column holds values", present
            elif d.action == "generalize":
                codes = codes_pattern(tuple(d.params["values"]))
                yield top.column, d, "sensitive codes not generalized", codes
            elif d.action == "scrub":
                yield top.column, d, "status mentions or identifiers in text", scrub
            elif d.guarded:
                yield top.column, d, "protected values in a released column", guard


def _leaf(arr: pa.Array, top: str, path: str) -> tuple[pa.Array, pa.Array] | None:
    if path == top:
        return arr, row_numbers(len(arr))
    for p, values, rows in leaf_rows(top, arr):
        if p == path:
            return values, rows
    return None


def scan_file(
    path: Path,
    policy: Policy,
    dataset: str | None = None,
    *,
    fmt: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> tuple[Plan, list[Finding], int]:
    """The plan, the findings and the number of records scanned."""
    src, contract = open_extract(
        path, policy, dataset, fmt=fmt, delimiter=delimiter, encoding=encoding
    )
    plan = make_plan(src, policy, contract)
    checks = list(_checks(plan, policy))
    found: dict[str, Finding] = {}
    rows = 0
    for batch in src.batches():
        for top, d, check, pattern in checks:
            got = _leaf(batch.column(top), top, d.column)
            if got is None:
                continue
            values, where = got
            if is_text(values.type):
                hit = matches(values, pattern)
                if check.startswith("withheld"):
                    hit = pc.and_(hit, pc.invert(null_tokens(values)))
            elif check.startswith("withheld"):
                hit = values.is_valid()
            else:
                continue
            idx = pc.indices_nonzero(hit)
            if not len(idx):
                continue
            f = found.setdefault(d.column, Finding(d.column, d.category, check))
            f.count += len(idx)
            for r in where.take(idx).to_pylist():
                if len(f.rows) >= ROWS_LISTED:
                    break
                if rows + r + 1 not in f.rows:
                    f.rows.append(rows + r + 1)
        rows += batch.num_rows
    return plan, list(found.values()), rows


#: Characters XML 1.0 cannot hold at all (a column name may carry them).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _junit(results: list[tuple[Path, Plan, list[Finding], int]]) -> str:
    """One test suite per file, one test case per column or leaf path (xml.etree does
    the escaping)."""
    root = ET.Element("testsuites", name="redact-scan")
    for path, plan, findings, _ in results:
        by_path = {f.path: f for f in findings}
        paths = [d.column for top in plan.decisions for d in (top.leaves or (top,))]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=_x(str(path)),
            tests=str(len(paths)),
            failures=str(len(findings)),
        )
        for p in paths:
            case = ET.SubElement(suite, "testcase", classname=_x(str(path)), name=_x(p))
            f = by_path.get(p)
            if f:
                msg = (
                    f"{f.check}: {f.count} value(s) ({f.category}) at record(s) "
                    f"{', '.join(map(str, f.rows))}"
                )
                ET.SubElement(case, "failure", message=_x(msg), type=_x(f.check))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@app.command("scan")
def scan_command(
    sources: list[Path] = typer.Argument(..., help="Files to check: .csv, .parquet or .jsonl."),
    dataset: str | None = typer.Option(None, "--dataset", "-d", help="Dataset contract name."),
    output_format: str = typer.Option("text", "--format", help="text, json or junit."),
    profile: str | None = typer.Option(
        None, "--profile", help="Policy profile (default colorado)."
    ),
    policy_file: Path | None = typer.Option(None, "--policy", help="A policy file to use instead."),
    delimiter: str | None = typer.Option(None, "--delimiter", help="CSV field delimiter."),
    encoding: str | None = typer.Option(
        None, "--encoding", help="CSV text encoding (default utf-8)."
    ),
) -> None:
    """Exit 1 if the file holds status data that is not withheld (columns, paths and
    record numbers are listed, never values); exit 0 if it holds none."""
    if output_format not in ("text", "json", "junit"):
        raise typer.BadParameter("use text, json or junit", param_hint="--format")
    policy = load_policy(policy_file, profile=profile)
    results = [
        (source, *scan_file(source, policy, dataset, delimiter=delimiter, encoding=encoding))
        for source in sources
    ]
    if output_format == "json":
        typer.echo(
            json.dumps(
                [
                    {"file": str(s), "records": rows, "findings": [f.to_dict() for f in fs]}
                    for s, _, fs, rows in results
                ]
                if len(results) > 1
                else {
                    "file": str(results[0][0]),
                    "records": results[0][3],
                    "findings": [f.to_dict() for f in results[0][2]],
                }
            )
        )
    elif output_format == "junit":
        typer.echo(_junit(results), nl=False)
    else:
        for source, _, findings, rows in results:
            if not findings:
                typer.echo(f"{source}: {rows} records, no unwithheld status data")
            for f in findings:
                more = f" and {f.count - len(f.rows)} more" if f.count > len(f.rows) else ""
                typer.echo(
                    f"{source}: {f.path} [{f.category or 'unclassified'}] {f.check}: "
                    f"{f.count} value(s) at record {', '.join(map(str, f.rows))}{more}"
                )
    if any(fs for _, _, fs, _ in results):
        # SystemExit, not typer.Exit: the app runs click with standalone_mode=False,
        # which turns typer.Exit into a return value the entry point does not pass on.
        raise SystemExit(1)
