"""``redact exception grant|revoke|list|show``: lawful exceptions."""

from __future__ import annotations

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
    Basis,
    get_exception,
    grant_exception,
    list_exceptions,
    revoke_exception,
)
from redaction.errors import UsageError

exception_app = typer.Typer(
    help="Grant, revoke and inspect lawful exceptions (never for civil immigration enforcement).",
    no_args_is_help=True,
)
app.add_typer(exception_app, name="exception")

BASES = ", ".join(b.value for b in Basis)


@exception_app.command("grant")
def grant_command(
    request: str = typer.Option(..., "--request", help="The written request it answers."),
    recipient: str = typer.Option(..., "--recipient", help="The one recipient it covers."),
    basis: str = typer.Option(..., "--basis", help=f"Lawful basis: {BASES}."),
    categories: str = typer.Option(..., "--categories", help="Categories released, a,b."),
    valid_from: str = typer.Option(..., "--valid-from", help="First valid day (UTC)."),
    valid_to: str = typer.Option(..., "--valid-to", help="Last valid day (UTC, inclusive)."),
    authorized_by: str = typer.Option(..., "--authorized-by", help="Who authorised it."),
    datasets: str | None = typer.Option(
        None, "--datasets", help="Limit to these dataset contracts, a,b (default: any)."
    ),
    exception_id: str | None = typer.Option(None, "--id", help="Id (default generated)."),
    force: bool = typer.Option(
        False,
        "--force",
        help="Grant to a recipient other than the request's requester or agency "
        "(needs --reason; recorded in the ledger).",
    ),
    reason: str | None = typer.Option(
        None, "--reason", help="With --force: why another recipient receives it."
    ),
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """Record a lawful exception answering a granted written request."""
    if force and not (reason and reason.strip()):
        raise UsageError("--force needs a --reason", reason="bad_force")
    if reason is not None and not force:
        raise UsageError("--reason is for --force", reason="bad_force")
    with open_ledger(ledger) as led:
        exc = grant_exception(
            led,
            request_id=request,
            recipient=recipient,
            basis=basis,
            categories=split_list(categories),
            valid_from=parse_day(valid_from, "--valid-from"),
            valid_to=parse_day(valid_to, "--valid-to"),
            authorized_by=authorized_by,
            datasets=split_list(datasets) or None,
            exception_id=exception_id,
            force_recipient=reason if force else None,
        )
    if as_json:
        emit_json(exc.to_dict())
    else:
        console().print(
            f"granted exception [bold]{exc.id}[/] ({exc.basis}) to {exc.recipient} for "
            f"{', '.join(sorted(exc.categories))}, {exc.valid_from} to {exc.valid_to}"
        )
        if exc.recipient_override:
            console().print("recipient is not the requester: the reason is recorded")


@exception_app.command("revoke")
def revoke_command(
    exception_id: str = typer.Argument(..., help="The exception id."),
    reason: str = typer.Option(..., "--reason", help="Why it is revoked."),
    by: str = typer.Option(..., "--by", help="Who revoked it."),
    at: str | None = typer.Option(None, "--at", help="From when (default now)."),
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """Revoke an exception: from then on it releases nothing."""
    with open_ledger(ledger) as led:
        exc = revoke_exception(
            led, exception_id, reason=reason, revoked_by=by, at=parse_moment(at, "--at")
        )
    if as_json:
        emit_json(exc.to_dict())
    else:
        console().print(f"revoked exception [bold]{exc.id}[/] at {exc.revoked_at}")


@exception_app.command("list")
def list_command(
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """List every exception with its status now."""
    with open_ledger(ledger) as led:
        now = led.now()
        excs = list_exceptions(led)
    if as_json:
        emit_json([e.to_dict() | {"status": e.status(now)} for e in excs])
        return
    if not excs:
        console().print("no lawful exceptions recorded")
        return
    table = Table(header_style="bold")
    for col in ("id", "status", "basis", "recipient", "categories", "datasets", "valid", "request"):
        table.add_column(col)
    for e in excs:
        status = e.status(now)
        table.add_row(
            e.id,
            status if status == "active" else f"[red]{status}[/]",
            str(e.basis),
            e.recipient,
            ", ".join(sorted(e.categories)),
            "any" if e.datasets is None else ", ".join(sorted(e.datasets)),
            f"{e.valid_from} to {e.valid_to}",
            e.request_id,
        )
    console().print(table)


@exception_app.command("show")
def show_command(
    exception_id: str = typer.Argument(..., help="The exception id."),
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """Show one exception."""
    with open_ledger(ledger) as led:
        exc = get_exception(led, exception_id)
    show_record(exc.to_dict(), as_json)
