"""Shared test helpers: the repository's paths, running the CLI for real, recording a
release as a run does, and sweeping artefacts for canaries.

Kept light (the CLI is imported when ``redact`` first runs), since the root conftest
imports the paths from here."""

from __future__ import annotations

import importlib.util
import io
from collections.abc import Iterable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redaction.ledger import Entry, Ledger, ReleaseRecord


REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "sample_data"
SCHEMAS = REPO / "schemas"
GOLDEN = REPO / "tests" / "golden"


def _sample_module() -> object:
    """``sample_data/make_samples.py``, loaded by path (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: column -> the planted value the sample extracts carry in it; none may reach any artefact.
CANARIES: dict[str, str] = dict(_sample_module().CANARIES)  # type: ignore[attr-defined]


@dataclass
class Run:
    code: int
    out: str
    err: str


def redact(*args: str) -> Run:
    """Run ``redact ARGS`` in-process and return its exit code and output."""
    from redaction.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


def publish(ledger: Ledger, record: ReleaseRecord, output_sha256: str | None = None) -> Entry:
    """Record a release the way a run does: the intent, then its ``published`` finish.

    Returns the intent, the entry that carries the release and its withheld columns."""
    intent = ledger.begin_release(record, output_sha256=output_sha256)
    ledger.finish_release(intent.seq, "published", output_sha256)
    return intent


def files_under(*roots: Path) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found.extend(p for p in root.rglob("*") if p.is_file())
    return found


def canary_hits(
    canaries: Iterable[str], texts: Iterable[str] = (), files: Iterable[Path] = ()
) -> list[str]:
    """Every (canary, where) pair found; an empty list is a clean sweep.

    Files are searched as bytes (UTF-8 and Latin-1 spellings), so a canary inside a
    Parquet page or a SQLite page is found too (Parquet pages here are uncompressed or
    snappy; tests that need certainty read the rows instead)."""
    hits = []
    canaries = list(canaries)
    for t in texts:
        for c in canaries:
            if c.lower() in t.lower():
                hits.append(f"{c!r} in output text")
    for f in files:
        data = f.read_bytes().lower()
        for c in canaries:
            if c.lower().encode() in data:
                hits.append(f"{c!r} in {f}")
    return hits
