"""The ``redact`` Typer app that command modules attach themselves to, and the options
of the root command.

Apart from ``redaction.cli.app`` (which registers the commands and turns errors into
exit codes), so a command module imports this and never the module that imports it.
"""

from __future__ import annotations

from typing import Any

import typer

app = typer.Typer(
    name="redact",
    help="Withhold immigration-status data and its proxies from outbound extracts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Set by ``--debug``: show tracebacks instead of one-line errors.
state: dict[str, Any] = {"debug": False}


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show a traceback on errors."),
) -> None:
    state["debug"] = debug
