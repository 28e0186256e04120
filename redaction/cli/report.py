"""``redact report --quarter 2026Q3 --out DIR``: the quarterly report."""

from __future__ import annotations

from pathlib import Path

import typer

from redaction.cli.commands import app
from redaction.cli.ledger_options import console, emit_json, json_option, ledger_option, open_ledger
from redaction.report import Quarter, build_report, write_report


@app.command("report")
def report_command(
    quarter: str = typer.Option(
        ..., "--quarter", help="The quarter, like 2026Q3 (UTC), or 'current'."
    ),
    out: Path = typer.Option(..., "--out", help="Folder for report-<Q>.csv and .html."),
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """Write the quarter's report (CSV and self-contained HTML) from the ledger alone."""
    current = quarter.strip().lower() == "current"
    q = None if current else Quarter.parse(quarter)
    with open_ledger(ledger) as led:
        q = q or Quarter.containing(led.now())
        report = build_report(led, q)
    csv_path, html_path = write_report(report, out)
    if as_json:
        emit_json(
            {
                "quarter": str(q),
                "csv": str(csv_path),
                "html": str(html_path),
                "head": report.head,
                "empty": report.empty,
                "complete": report.complete,
                "rows": [list(r) for r in report.rows() if r[0] != "meta"],
            }
        )
        return
    c = console()
    if report.empty:
        c.print(f"{q}: nothing to report (no releases, requests or refusals recorded)")
    else:
        c.print(
            f"{q}: {report.releases} release(s), {report.rows_released:,} rows, "
            f"{report.withheld_columns} column(s) withheld, "
            f"{report.requests_received} request(s) received, "
            f"{report.releases_under_exception} release(s) under a lawful exception"
        )
    if not report.complete:
        c.print("[yellow]the quarter has not ended: the numbers are provisional[/]")
    c.print(f"wrote {csv_path} and {html_path}")
    c.print(f"ledger head at the quarter's end: {report.head}")
