"""Integration fixtures: a real PostgreSQL server for the session, an empty database
per test, and a way to run the ``redact`` command line as a user would."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import helpers
import pgcluster
import pytest
from helpers import Run


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """An empty PostgreSQL database: the ledger migrates it on first open."""
    url = pgcluster.fresh_database(pg_server)
    yield url
    pgcluster.drop_database(pg_server, url)


@pytest.fixture
def redact() -> Callable[..., Run]:
    """``redact("ledger", "verify", ...)``: the shared in-process CLI runner."""
    return helpers.redact
