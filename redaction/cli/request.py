"""``redact request add|decide|notice|list|show``: the written-request register."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from redaction.cli.commands import app
from redaction.cli.ledger_options import (
    console,
    emit_json,
    json_option,
    ledger_option,
    open_ledger,
    parse_day,
    parse_moment,
    show_record,
    split_list,
)
from redaction.disclosure import (
    Purpose,
    decide_request,
    get_request,
    list_requests,
    mark_noticed,
    receive_request,
)
from redaction.policy import load_policy

request_app = typer.Typer(
    help="Record written requests for status information and their decisions.",
    no_args_is_help=True,
)
app.add_typer(request_app, name="request")

PURPOSES = ", ".join(p.value for p in Purpose)


@request_app.command("add")
def add_command(
    requester: str = typer.Option(..., "--requester", help="Who made the request."),
    agency: str = typer.Option(..., "--agency", help="The requester's agency."),
    received: str = typer.Option(..., "--received", help="Date received (YYYY-MM-DD)."),
    purpose: str = typer.Option(..., "--purpose", help=f"Stated purpose: {PURPOSES}."),
    categories: str = typer.Option(..., "--categories", help="Categories asked for, a,b,c."),
    document: Path = typer.Option(
        ..., "--document", help="The written request; only its SHA-256 and name are kept."
    ),
    request_id: str | None = typer.Option(None, "--id", help="Request id (default generated)."),
    profile: str | None = typer.Option(
        None, "--profile", help="Policy profile whose notice period applies (default colorado)."
    ),
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """Record a written request received (notice is due within the profile's
    ``notice_days``: three by default and in New York)."""
    notice_days = load_policy(profile=profile).exceptions.notice_days
    with open_ledger(ledger) as led:
        req = receive_request(
            led,
            requester=requester,
            agency=agency,
            received_on=parse_day(received, "--received"),
            purpose=purpose,
            categories=split_list(categories),
            document=document,
            request_id=request_id,
            notice_days=notice_days,
        )
    if as_json:
        emit_json(req.to_dict())
    else:
        console().print(f"recorded request [bold]{req.id}[/]; notice due {req.notice_due}")


@request_app.command("decide")
def decide_command(
    request_id: str = typer.Argument(..., help="The request id."),
    decision: str = typer.Option(..., "--decision", help="grant or deny."),
    reason: str = typer.Option(..., "--reason", help="Why (names and references only)."),
    decided_by: str = typer.Option(..., "--decided-by", help="Who decided."),
    at: str | None = typer.Option(None, "--at", help="When (default now)."),
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """Record the decision on a request (civil immigration enforcement: never grant)."""
    with open_ledger(ledger) as led:
        req = decide_request(
            led,
            request_id,
            decision=decision,
            reason=reason,
            decided_by=decided_by,
            at=parse_moment(at, "--at"),
        )
    if as_json:
        emit_json(req.to_dict())
    else:
        console().print(f"request [bold]{req.id}[/]: {req.decision}")


@request_app.command("notice")
def notice_command(
    request_id: str = typer.Argument(..., help="The request id."),
    on: str = typer.Option(..., "--on", help="Date the person was notified (YYYY-MM-DD)."),
    by: str = typer.Option(..., "--by", help="Who gave notice."),
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """Mark that the person the request is about was given notice."""
    with open_ledger(ledger) as led:
        req = mark_noticed(led, request_id, noticed_on=parse_day(on, "--on"), noticed_by=by)
    if as_json:
        emit_json(req.to_dict())
    else:
        console().print(f"request [bold]{req.id}[/]: noticed {req.noticed_on}")


@request_app.command("list")
def list_command(
    overdue: bool = typer.Option(
        False, "--overdue", help="Only requests past their notice date and not noticed."
    ),
    today: str | None = typer.Option(None, "--today", help="The day to judge overdue by."),
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """List the register."""
    with open_ledger(ledger) as led:
        day = parse_day(today, "--today") if today else led.now().date()
        reqs = list_requests(led, overdue_on=day if overdue else None)
    if as_json:
        emit_json([r.to_dict() | {"overdue": r.overdue(day)} for r in reqs])
        return
    if not reqs:
        console().print("no overdue requests" if overdue else "no requests recorded")
        return
    table = Table(header_style="bold")
    for col in ("id", "received", "agency", "purpose", "categories", "decision", "notice"):
        table.add_column(col)
    for r in reqs:
        if r.noticed_on:
            notice = f"given {r.noticed_on}"
        elif r.overdue(day):
            notice = f"[bold red]OVERDUE[/] (due {r.notice_due})"
        else:
            notice = f"due {r.notice_due}"
        table.add_row(
            r.id,
            str(r.received_on),
            r.agency,
            str(r.purpose),
            ", ".join(sorted(r.categories)),
            str(r.decision or "pending"),
            notice,
        )
    console().print(table)


@request_app.command("show")
def show_command(
    request_id: str = typer.Argument(..., help="The request id."),
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """Show one request."""
    with open_ledger(ledger) as led:
        req = get_request(led, request_id)
    show_record(req.to_dict(), as_json)
