"""The ``redact`` Typer app and the one place where errors become exit codes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from redaction.cli.commands import app
from redaction.cli.commands import state as _state
from redaction.errors import ExitCode, RedactionError
from redaction.io.oserrors import WRITE_ONLY, io_failure

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _register() -> None:
    # Command modules attach themselves to ``app``; importing them here keeps
    # ``redact --help`` fast (none of them imports GX or Prefect at module level).
    from redaction.cli import plan, release  # noqa: F401

    for optional in ("scan", "validate", "request", "exception", "ledger", "report"):
        try:
            __import__(f"redaction.cli.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"redaction.cli.{optional}":
                raise


def _click_exceptions() -> tuple[type[Exception], ...]:
    """Click's usage-error base class, in Typer's vendored copy and in click itself.

    Typer 0.2x ships its own click (``typer._click``) whose exceptions do not derive from
    an installed ``click``'s; a usage error may come from either, so match both. The
    vendored base is found through the public ``typer.BadParameter`` rather than by
    importing a private module.
    """
    found: list[type[Exception]] = [
        k for k in typer.BadParameter.__mro__ if k.__name__ == "ClickException"
    ]
    try:
        import click

        found.append(click.ClickException)
    except ModuleNotFoundError:
        pass
    return tuple(found)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script; exits with the documented codes."""
    _register()
    try:
        rc = app(args=argv, standalone_mode=False)
    except RedactionError as exc:
        if _state["debug"]:
            raise
        err_console.print(f"[bold red]error[/]: {escape(str(exc))}")
        sys.exit(int(exc.exit_code))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err_console.print("aborted")
        sys.exit(130)
    except Exception as exc:  # click usage errors and anything unexpected
        if isinstance(exc, _click_exceptions()):
            exc.show()  # type: ignore[attr-defined]  # both bases define show()
            sys.exit(int(ExitCode.USAGE))
        if _state["debug"]:
            raise
        if isinstance(exc, OSError) and exc.errno in WRITE_ONLY:
            # A write failed where no caller named it (quarantine, Data Docs, a
            # partitioned release's parts): the errno says what, the file name where.
            where = Path(os.fsdecode(exc.filename)) if exc.filename else Path.cwd()
            err = io_failure(exc, where, "file" if exc.filename else "working folder")
            err_console.print(f"[bold red]error[/]: {escape(str(err))}")
            sys.exit(int(err.exit_code))
        # An unexpected error may carry a value in its text (a library echoing a cell):
        # print only its type, and point at --debug for the rest.
        err_console.print(
            f"[bold red]internal error[/]: {type(exc).__name__}; nothing was published. "
            "Run again with --debug for a traceback."
        )
        sys.exit(int(ExitCode.BAD_INPUT))
    # With standalone_mode off, click returns a command's ``typer.Exit`` code instead of
    # raising it.
    sys.exit(rc if isinstance(rc, int) else 0)
