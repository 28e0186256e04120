"""``python -m flows.release|partitioned|batch``: run a flow once from a shell, with
the option names of ``redact release`` (``--recipient/-r``, ``--out/-o``,
``--dataset/-d``, ``--exception``, ``--profile``, ``--ledger``, ``--no-validate``,
``--json``) and its exit codes. Prints a one-line summary; ``--json`` prints the result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from prefect.client.schemas.objects import State

from redaction.errors import ExitCode, RedactionError

RECIPIENT = typer.Option(..., "--recipient", "-r", help="Who receives this release.")
OUT = typer.Option(..., "--out", "-o", help="The outbox folder to publish into.")
DATASET = typer.Option(None, "--dataset", "-d", help="Dataset contract name.")
EXCEPTION = typer.Option(None, "--exception", help="Lawful exception id.")
PROFILE = typer.Option(None, "--profile", help="Policy profile (default colorado).")
LEDGER = typer.Option(None, "--ledger", envvar="REDACT_LEDGER_URL", help="Ledger database URL.")
NO_VALIDATE = typer.Option(False, "--no-validate", help="Skip the validation gate.")
AS_JSON = typer.Option(False, "--json", help="Print the result as JSON.")


def summary(result: dict[str, Any]) -> str:
    """One line a person reads in five seconds: names and counts."""
    withheld = sum(1 for c in result["columns"] if c["action"] != "release")
    parts = f", {result['parts']} parts" if "parts" in result else ""
    entry = (result.get("ledger_entry") or "")[:12]
    return (
        f"published {result['output']}: {result['rows']} rows{parts}, {withheld} column(s) "
        f"withheld, exception {result.get('exception') or 'none'}, ledger entry {entry}"
    )


def finish(state: State[Any], as_json: bool) -> None:
    """Print the outcome of a flow run and exit with the CLI's exit code."""
    if state.is_completed():
        result = state.result()
        typer.echo(json.dumps(result, indent=2, default=str) if as_json else summary(result))
        raise typer.Exit(0)
    typer.echo(f"error: {state.message}; nothing was published", err=True)
    raise typer.Exit(_exit_code(state, default=int(ExitCode.BAD_INPUT)))


def _exit_code(state: State[Any], *, default: int) -> int:
    """The exit code of the error a failed run ended with (the CLI's codes)."""
    try:
        err = state.result(raise_on_failure=False)
    except Exception:  # a state that carries no result: the run failed for another reason
        return default
    return int(err.exit_code) if isinstance(err, RedactionError) else default


def _params(
    source: Path,
    recipient: str,
    out: Path,
    dataset: str | None,
    exception: str | None,
    ledger: str | None,
    profile: str | None,
    no_validate: bool,
) -> dict[str, Any]:
    """The CLI's options as the release flows' parameters."""
    return {
        "source": str(source),
        "recipient": recipient,
        "outbox": str(out),
        "dataset": dataset,
        "exception_id": exception,
        "ledger_url": ledger,
        "profile": profile,
        "validate": not no_validate,
    }


def _release(
    source: Path = typer.Argument(..., help="The extract: a .csv, .parquet or .jsonl file."),
    recipient: str = RECIPIENT,
    out: Path = OUT,
    dataset: str | None = DATASET,
    exception: str | None = EXCEPTION,
    profile: str | None = PROFILE,
    ledger: str | None = LEDGER,
    no_validate: bool = NO_VALIDATE,
    as_json: bool = AS_JSON,
) -> None:
    """Run the release flow once."""
    from flows.release import release_extract

    params = _params(source, recipient, out, dataset, exception, ledger, profile, no_validate)
    state = release_extract(**params, return_state=True)
    finish(state, as_json)


def _partitioned(
    source: Path = typer.Argument(..., help="The dataset folder of Parquet parts."),
    recipient: str = RECIPIENT,
    out: Path = OUT,
    dataset: str = typer.Option(..., "--dataset", "-d", help="Dataset contract name."),
    exception: str | None = EXCEPTION,
    profile: str | None = PROFILE,
    ledger: str | None = LEDGER,
    no_validate: bool = NO_VALIDATE,
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an earlier release."),
    address: str | None = typer.Option(
        None, "--address", help="An existing Dask scheduler (default: a local cluster)."
    ),
    as_json: bool = AS_JSON,
) -> None:
    """Run the partitioned release flow once."""
    from flows.partitioned import with_runner

    run: Any = with_runner(address=address)
    params = _params(source, recipient, out, dataset, exception, ledger, profile, no_validate)
    state: State[Any] = run(**params, overwrite=overwrite, return_state=True)
    finish(state, as_json)


def _batch(
    manifest: Path = typer.Argument(..., help="A manifest YAML, or a folder of extracts."),
    recipient: str | None = typer.Option(None, "--recipient", "-r", help="Default recipient."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Default outbox."),
    dataset: str | None = DATASET,
    profile: str | None = PROFILE,
    ledger: str | None = LEDGER,
) -> None:
    """Run the batch flow once."""
    from flows.batch import release_batch

    state = release_batch(
        manifest=str(manifest),
        recipient=recipient,
        outbox=str(out) if out else None,
        dataset=dataset,
        ledger_url=ledger,
        profile=profile,
        return_state=True,
    )
    typer.echo(state.message or state.type.value)
    if not state.is_completed():
        raise typer.Exit(_exit_code(state, default=1))


def _run(command: Any, argv: list[str] | None) -> None:
    app = typer.Typer(add_completion=False)
    app.command()(command)
    app(args=argv)


def release_main(argv: list[str] | None = None) -> None:
    _run(_release, argv)


def partitioned_main(argv: list[str] | None = None) -> None:
    _run(_partitioned, argv)


def batch_main(argv: list[str] | None = None) -> None:
    _run(_batch, argv)
