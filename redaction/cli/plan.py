"""``redact plan SOURCE``: the per-column decision, without writing anything."""

from __future__ import annotations

import typer
from rich.console import Console

from redaction.cli.commands import app
from redaction.cli.options import Dataset, Delimiter, Encoding, Format, PolicyFile, Profile, Source
from redaction.cli.render import action_counts, plan_table, print_json
from redaction.policy import load_policy
from redaction.release import make_plan, open_extract


@app.command("plan")
def plan_command(
    source: Source,
    dataset: Dataset = None,
    profile: Profile = None,
    policy_file: PolicyFile = None,
    fmt: Format = None,
    delimiter: Delimiter = None,
    encoding: Encoding = None,
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Show what a release would do with every column, and why. Writes nothing."""
    console = Console(highlight=False)
    policy = load_policy(policy_file, profile=profile)
    src, contract = open_extract(
        source, policy, dataset, fmt=fmt, delimiter=delimiter, encoding=encoding
    )
    plan = make_plan(src, policy, contract)
    if as_json:
        print_json(console, plan.to_dict())
        return
    console.print(
        f"[bold]{source.name}[/] ({src.format}, {len(plan.decisions)} columns) "
        f"profile [bold]{policy.profile}[/], contract [bold]{dataset or 'none (detection)'}[/]"
    )
    console.print(plan_table(plan))
    console.print(action_counts(plan))
