"""Options that more than one command takes, declared once so their names, short forms
and help read the same in ``redact plan`` and ``redact release``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Source = Annotated[Path, typer.Argument(help="The extract: a .csv, .parquet or .jsonl file.")]
Dataset = Annotated[str | None, typer.Option("--dataset", "-d", help="Dataset contract name.")]
Profile = Annotated[
    str | None, typer.Option("--profile", help="Policy profile (default colorado).")
]
PolicyFile = Annotated[Path | None, typer.Option("--policy", help="A policy file to use instead.")]
Format = Annotated[
    str | None, typer.Option("--format", help="csv, parquet or jsonl (default: by extension).")
]
Delimiter = Annotated[str | None, typer.Option("--delimiter", help="CSV field delimiter.")]
Encoding = Annotated[
    str | None, typer.Option("--encoding", help="CSV text encoding (default utf-8).")
]
