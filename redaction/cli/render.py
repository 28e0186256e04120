"""Presenting plans and results for people (rich) and machines (JSON)."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.table import Table

from redaction.plan_model import Plan

_STYLE = {
    "release": "green",
    "null": "red",
    "drop": "red",
    "scrub": "yellow",
    "generalize": "yellow",
}


def plan_table(
    plan: Plan, changed: dict[str, int] | None = None, *, withheld_only: bool = False
) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("column")
    table.add_column("action")
    table.add_column("category")
    if changed is not None:
        table.add_column("values changed", justify="right")
    table.add_column("reason")
    for d in plan.decisions:
        if withheld_only and not d.withheld:
            continue
        row = [d.column, f"[{_STYLE[d.action]}]{d.action}[/]", d.category or "-"]
        if changed is not None:
            row.append(str(changed.get(d.column, 0)) if d.withheld else "")
        row.append(d.reason)
        table.add_row(*row)
    return table


def released_line(plan: Plan) -> str:
    """The released columns on one line (the table lists only withheld ones)."""
    cols = [d.column for d in plan.decisions if not d.withheld]
    under = [d.column for d in plan.decisions if not d.guarded and d.action == "release"]
    text = f"released unchanged ({len(cols)}): " + (", ".join(cols) or "none")
    if under:
        text += f"\nreleased under the exception ({len(under)}): " + ", ".join(under)
    return text


def action_counts(plan: Plan) -> str:
    counts: dict[str, int] = {}
    for d in plan.decisions:
        counts[d.action] = counts.get(d.action, 0) + 1
    order = ["release", "null", "drop", "scrub", "generalize"]
    names = {
        "release": "released",
        "null": "nulled",
        "drop": "dropped",
        "scrub": "scrubbed",
        "generalize": "generalized",
    }
    return ", ".join(f"{counts.get(a, 0)} {names[a]}" for a in order)


#: JSON longer than this is printed plain even on a terminal: rich's highlighting took
#: minutes on the result of a release of 20,000 columns.
HIGHLIGHT_MAX_CHARS = 200_000


def print_json(console: Console, data: Any) -> None:
    """JSON for a person (highlighted, on a terminal) or for a program (plain text, the
    same document, as fast as ``json`` writes it)."""
    text = json.dumps(data, default=str, indent=2)
    if console.is_terminal and len(text) <= HIGHLIGHT_MAX_CHARS:
        console.print_json(text)
    else:
        console.file.write(text + "\n")
        console.file.flush()
