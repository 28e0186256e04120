"""``redact ledger verify|reconcile|head``: check the tamper-evident ledger."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from redaction.cli.commands import app
from redaction.cli.ledger_options import console, emit_json, json_option, ledger_option, open_ledger
from redaction.errors import LedgerError
from redaction.io.publish import clean_dead_runs, dead_runs
from redaction.ledger.config import DEFAULT_RELATIVE_PATH, ENV_VAR, resolve_url
from redaction.ledger.reconcile import RECORDED, reconcile

ledger_app = typer.Typer(
    help="Verify and reconcile the tamper-evident ledger.", no_args_is_help=True
)
app.add_typer(ledger_app, name="ledger")


@ledger_app.command("verify")
def verify_command(
    head: str | None = typer.Option(
        None,
        "--head",
        help="A head hash kept earlier (a quarterly report's): the chain "
        "must still pass through it.",
    ),
    outboxes: list[Path] = typer.Option(
        [],
        "--outbox",
        help="Also check the head the last release into this outbox published beside "
        "it (repeatable). The head saved beside the ledger is always checked.",
    ),
    ledger: str | None = ledger_option(),
    allow_empty: bool = typer.Option(
        False,
        "--allow-empty",
        help="Pass a ledger with no entries (a fresh install). Without it a missing or "
        "empty ledger exits 6: a mistyped URL must not verify as intact.",
    ),
    as_json: bool = json_option(),
) -> None:
    """Recompute the hash chain and every typed row; exit 6 at the first broken link.

    The chain must still hold the head the last release published (saved beside the
    ledger, and beside each ``--outbox``): a tail cut off the chain exits 6. A missing
    SQLite file or a ledger with no entries also exits 6 unless ``--allow-empty``.
    """
    if ledger is None and not os.environ.get(ENV_VAR):
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[yellow]warning[/]: no --ledger or ${ENV_VAR}: verifying "
            f"{DEFAULT_RELATIVE_PATH} under the working directory ({Path.cwd()})"
        )
    url = resolve_url(ledger)
    if url.get_backend_name() == "sqlite" and not allow_empty:
        assert url.database is not None
        if not Path(url.database).exists():
            raise LedgerError(
                "no ledger at that SQLite path",
                reason="ledger_missing",
                hint="check --ledger / $REDACT_LEDGER_URL; --allow-empty passes a fresh install",
            )
    with open_ledger(ledger) as led:
        result = led.verify(head=head, published=led.published_heads(outboxes))
    if result.ok and result.entries == 0 and not allow_empty:
        raise LedgerError(
            "the ledger has no entries",
            reason="ledger_empty",
            hint="check --ledger / $REDACT_LEDGER_URL; --allow-empty passes a fresh install",
        )
    if as_json:
        emit_json(result.to_dict())
    elif result.ok:
        console().print(f"[green]ok[/]: {result.summary()}")
        if head:
            console().print(f"the chain passes through {head}")
    if not result.ok:
        raise LedgerError(
            result.summary(),
            reason="broken_chain" if result.problems else "head_not_found",
            hint="restore the database from a backup and compare; do not append until "
            "the cause is known",
        )


@ledger_app.command("head")
def head_command(ledger: str | None = ledger_option(), as_json: bool = json_option()) -> None:
    """Print the hash of the newest entry (keep it: verify --head checks it later)."""
    with open_ledger(ledger) as led:
        head, count = led.head(), led.count()
    if as_json:
        emit_json({"head": head, "entries": count})
    else:
        typer.echo(head)


@ledger_app.command("reconcile")
def reconcile_command(
    outbox: Path = typer.Option(..., "--outbox", help="The outbox releases publish into."),
    record: bool = typer.Option(
        False,
        "--record",
        help="Finish the clear cases in the ledger (published; missing or superseded by "
        "a later run's file as not_published).",
    ),
    ledger: str | None = ledger_option(),
    as_json: bool = json_option(),
) -> None:
    """Report release intents with no finish, against what the outbox holds.

    Exits 6 while an orphan remains unresolved.
    """
    with open_ledger(ledger) as led:
        orphans = reconcile(led, outbox, record=record)
    if as_json:
        emit_json([o.to_dict() for o in orphans])
    elif not orphans:
        console().print("[green]ok[/]: every release intent has its outcome recorded")
    else:
        table = Table(header_style="bold")
        for col in ("intent seq", "release", "output", "recipient", "outbox"):
            table.add_column(col)
        for o in orphans:
            table.add_row(str(o.intent_seq), o.release_id, o.output_name, o.recipient, o.status)
        console().print(table)
    leftovers = dead_runs(outbox)
    if leftovers and not as_json:
        console().print(
            f"{len(leftovers)} staging folder(s) of dead runs in {leftovers[0].parent}"
            + ("; removed" if record else " (`--record` removes them)")
        )
    if record:
        clean_dead_runs(outbox)
    settled = RECORDED if record else frozenset()
    left = [o for o in orphans if o.status not in settled]
    if leftovers and not record:
        raise LedgerError(
            f"{len(leftovers)} staging folder(s) left by dead runs",
            reason="staging_leftovers",
            hint="`--record` removes them",
        )
    if left:
        raise LedgerError(
            f"{len(left)} release intent(s) without an outcome",
            reason="orphan_intents",
            hint="`--record` finishes published, missing and superseded ones; a mismatch "
            "or an unverified file needs a person; an intent for another outbox is "
            "reconciled against that outbox",
        )
    done = [o for o in orphans if o.status in settled]
    if done and not as_json:
        console().print(f"recorded the outcome of {len(done)} intent(s)")
