"""``redact validate FILE --dataset NAME``: run the validation gate on a file, as CI does.

Exit 0 if the file passes, 5 if it fails (``ValidationFailed``), including a file that
lacks a contract column or holds one in another type: for CI that file does not satisfy
the contract. An unknown contract exits 4, a missing or unreadable file 3, usage 2.
The file is only read: nothing is moved or published. GX and the contract code are
imported inside the command, so ``redact --help`` does not pay for them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from redaction.cli.commands import app
from redaction.errors import InputError, RedactionError, ValidationFailed

#: ``InputError`` reasons that mean "this file does not fit the contract": for
#: ``validate`` that is the answer (5), not bad input (3).
_CONTRACT_MISMATCH = frozenset({"missing_columns", "type_mismatch"})


@app.command("validate")
def validate_command(
    file: Path = typer.Argument(..., help="The output to check: a .csv, .parquet or .jsonl file."),
    dataset: str = typer.Option(..., "--dataset", "-d", help="Dataset contract name."),
    docs: Path | None = typer.Option(
        None, "--docs", help="Write GX Data Docs (HTML, counts only) under this folder."
    ),
    chunk_rows: int = typer.Option(
        250_000, "--chunk-rows", min=1, help="Rows per GX run; memory is bounded by one chunk."
    ),
    policy_file: Path | None = typer.Option(None, "--policy", help="A policy file to use instead."),
    as_json: bool = typer.Option(False, "--json", help="Print the outcome as JSON."),
) -> None:
    """Check that FILE satisfies what a redacted release of DATASET must.

    Exit 0 if it does, 5 if not (a missing contract column or a wrong type included),
    4 for an unknown contract, 3 for a missing or unreadable file.
    """
    spec_for_file = _spec_builder()
    from redaction.validation import validate_file

    if not file.is_file():
        raise RedactionError(f"{file}: no such file", reason="missing_file")
    try:
        spec, fmt = spec_for_file(file, dataset, policy_file)
    except InputError as exc:
        if exc.reason not in _CONTRACT_MISMATCH:
            raise
        # The message names columns and types only, never a value.
        raise ValidationFailed(str(exc), reason=exc.reason, hint=exc.hint) from None
    outcome = validate_file(file, fmt, spec, chunk_rows=chunk_rows, docs_dir=docs)

    console = Console(highlight=False)
    if as_json:
        # Plain print: rich would wrap long lines and break the JSON for a pipe.
        print(json.dumps(outcome.to_dict(), indent=2))
    else:
        console.print(f"[bold]{file.name}[/] ({fmt}, contract [bold]{dataset}[/])")
        console.print(outcome.summary())
        if outcome.docs_index:
            console.print(f"Data Docs: {outcome.docs_index}")
    if not outcome.success:
        failed = outcome.failures()
        raise ValidationFailed(
            f"{file.name}: {len(failed)} expectation(s) failed"
            + (f"; file unreadable ({outcome.error})" if outcome.error else ""),
            reason="validation_failed",
        )


def _spec_builder() -> Any:
    """``spec_for_file(path, dataset, policy_path) -> (ValidationSpec, format)``.

    It lives with the contract and plan code (``redaction.validate``; first announced as
    ``redaction.release``); looked up at run time so this command loads neither for
    ``--help``.
    """
    import importlib

    for module in ("redaction.validate", "redaction.release"):
        try:
            found = getattr(importlib.import_module(module), "spec_for_file", None)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        if found is not None:
            return found
    raise RedactionError(
        "validate needs spec_for_file (redaction.validate), which this version lacks",
        reason="not_available",
    )
