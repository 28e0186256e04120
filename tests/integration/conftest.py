"""Integration fixtures: a real PostgreSQL server for the session, an empty database
per test, and a way to run the ``redact`` command line as a user would."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.append(str(Path(__file__).resolve().parents[1]))

import pgcluster

from redaction.cli.app import main


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    url = pgcluster.acquire()
    yield url
    pgcluster.release()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """An empty PostgreSQL database: the ledger migrates it on first open."""
    url = pgcluster.fresh_database(pg_server)
    yield url
    pgcluster.drop_database(pg_server, url)


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def redact(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``redact("ledger", "verify", ...)``: run the CLI in-process; return exit code
    and output."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
