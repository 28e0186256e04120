"""Options and helpers shared by the ledger-backed commands (request, exception,
ledger, report): ``--ledger URL``, ``--json``, date parsing, opening the ledger."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from redaction.errors import UsageError
from redaction.ledger import Ledger

LEDGER_HELP = (
    "Ledger database URL (default: $REDACT_LEDGER_URL, else .redact/ledger.sqlite3 "
    "under the working directory)."
)


def ledger_option() -> Any:
    return typer.Option(None, "--ledger", help=LEDGER_HELP, show_default=False)


def json_option() -> Any:
    return typer.Option(False, "--json", help="Print JSON for machines instead of tables.")


def open_ledger(url: str | None) -> Ledger:
    return Ledger.open(url)


def console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, sort_keys=True, default=str))


def show_record(record: dict[str, Any], as_json: bool) -> None:
    """One register record (a request, an exception) as JSON or a two-column table."""
    if as_json:
        emit_json(record)
        return
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in record.items():
        if isinstance(value, list):
            value = ", ".join(value)
        table.add_row(key, "-" if value is None else str(value))
    console().print(table)


def parse_day(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} takes a date like 2026-07-01", reason="bad_date") from None


def parse_moment(value: str | None, flag: str) -> datetime | None:
    """An ISO timestamp; a bare date means midnight UTC; no zone means UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{flag} takes a date or time like 2026-07-01T12:00:00+00:00", reason="bad_date"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def split_list(value: str | None) -> list[str]:
    return [] if not value else [v.strip() for v in value.split(",") if v.strip()]
