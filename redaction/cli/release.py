"""``redact release SOURCE --recipient NAME --out OUTBOX``: one extract, one recipient."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from redaction.cli.commands import app
from redaction.cli.options import Dataset, Delimiter, Encoding, Format, PolicyFile, Profile, Source
from redaction.cli.render import action_counts, plan_table, print_json, released_line
from redaction.io.memory import release_pool
from redaction.release import ReleaseOptions, release

#: Files above this size get a progress bar (on a terminal).
PROGRESS_BYTES = 8 << 20


@app.command("release")
def release_command(
    source: Source,
    recipient: str = typer.Option(..., "--recipient", "-r", help="Who receives this release."),
    out: Path = typer.Option(..., "--out", "-o", help="The outbox folder to publish into."),
    dataset: Dataset = None,
    exception: str | None = typer.Option(None, "--exception", help="Lawful exception id."),
    profile: Profile = None,
    policy_file: PolicyFile = None,
    fmt: Format = None,
    delimiter: Delimiter = None,
    encoding: Encoding = None,
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Replace an earlier release of the same name."
    ),
    on_guard_hit: str = typer.Option(
        "fail",
        "--on-guard-hit",
        help="When a released column turns out to hold protected values: fail, or withhold it.",
    ),
    no_validate: bool = typer.Option(
        False, "--no-validate", help="Skip the validation gate (not for production)."
    ),
    quarantine: Path = typer.Option(
        Path("quarantine"), "--quarantine", help="Where failed outputs go."
    ),
    bad_records: str = typer.Option(
        "fail",
        "--bad-records",
        help="Records that are not valid text: fail (default), or quarantine (left out, counted).",
    ),
    docs: Path | None = typer.Option(
        None, "--docs", help="Write GX Data Docs of the validation here."
    ),
    ledger: str | None = typer.Option(
        None, "--ledger", envvar="REDACT_LEDGER_URL", help="Ledger database URL."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Withhold status data from SOURCE and publish it to OUTBOX for RECIPIENT."""
    from redaction.errors import UsageError

    if bad_records not in ("fail", "quarantine"):
        raise UsageError(f"--bad-records takes 'fail' or 'quarantine', not '{bad_records}'")
    if on_guard_hit not in ("fail", "withhold"):
        raise UsageError(f"--on-guard-hit takes 'fail' or 'withhold', not '{on_guard_hit}'")
    options = ReleaseOptions(
        recipient=recipient,
        outbox=out,
        dataset=dataset,
        exception_id=exception,
        profile=profile,
        policy_path=policy_file,
        fmt=fmt,
        overwrite=overwrite,
        on_guard_hit=on_guard_hit,  # type: ignore[arg-type]
        delimiter=delimiter,
        encoding=encoding,
        validate=not no_validate,
        quarantine=quarantine,
        ledger_url=ledger,
        docs_dir=docs,
        bad_records=bad_records,  # type: ignore[arg-type]
    )
    console = Console(highlight=False)
    show_bar = console.is_terminal and source.is_file() and source.stat().st_size > PROGRESS_BYTES
    with release_pool(source, fmt):
        if show_bar:
            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            ) as bar:
                # Without a contract the file is read twice: a profile pass, then the
                # release.
                passes = 1 if dataset else 2
                task = bar.add_task(source.name, total=source.stat().st_size * passes)
                result = release(source, options, progress=lambda n: bar.advance(task, n))
        else:
            result = release(source, options)
    if as_json:
        print_json(console, result.to_dict())
        return
    plan = result.plan
    console.print(
        f"[bold green]released[/] {result.source.name} -> {result.output} "
        f"for [bold]{recipient}[/]: {result.rows:,} rows, {action_counts(plan)} "
        f"({result.seconds:.1f} s)"
    )
    console.print(released_line(plan))
    if any(d.withheld for d in plan.decisions):
        console.print(plan_table(plan, result.changed, withheld_only=True))
    if result.bad_records:
        console.print(
            f"[yellow]{result.bad_records:,} record(s) that are not valid text were left out "
            "(--bad-records quarantine)[/]"
        )
    detail = [f"profile {result.profile}", f"contract {plan.dataset or 'none (detection)'}"]
    detail.append(f"exception {plan.exception_id}" if plan.exception_id else "no exception")
    if result.validation is not None:
        v = result.validation
        detail.append(f"validation passed ({v.get('rows_checked', 0):,} rows)")
        if v.get("docs_index"):
            detail.append(f"Data Docs {v['docs_index']}")
    if result.ledger_entry:
        detail.append(f"ledger entry {result.ledger_entry[:16]}")
    console.print("; ".join(detail))
