"""A strict harness: every test runs in its own working directory with a clean
environment, so no test reads a developer's ledger, Prefect home or settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import SAMPLES, SCHEMAS


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for key in list(os.environ):
        if key.startswith(("REDACT_", "PREFECT_API_URL")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("REDACT_SCHEMAS", str(SCHEMAS))
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "False")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    # Head files of PostgreSQL ledgers live in the user's state folder: keep them here.
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / ".state"))
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """One PostgreSQL server for the session, for the ledger and integration tests."""
    import pgcluster  # imported here: most tests never start a server

    url = pgcluster.acquire()
    yield url
    pgcluster.release()


@pytest.fixture
def samples() -> Path:
    return SAMPLES
