"""Fixtures for the Prefect flows: one real Prefect test server per session, a
per-session ``PREFECT_HOME``, a ledger per test, a lawful exception, artifact reads.

Prefect reads its settings from the environment when it is imported, so the offline
and quiet settings are put in the environment here, before the flows (and Prefect)
are imported by the test modules; the session fixture also pins them with
``temporary_settings``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_data"
for p in (str(REPO), str(SAMPLES)):
    if p not in sys.path:
        sys.path.insert(0, p)  # ``flows`` is not an installed package; the samples' canaries

PREFECT_HOME = Path(tempfile.mkdtemp(prefix="redact-prefect-home-"))
os.environ.update(
    {
        "PREFECT_HOME": str(PREFECT_HOME),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "GX_ANALYTICS_ENABLED": "False",
    }
)

from flow_helpers import COURT  # noqa: E402


@dataclass
class Harness:
    home: Path
    database: Path


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[Harness]:
    """A real Prefect server (SQLite, its own temp folder) for the whole session."""
    from prefect.settings import (
        PREFECT_HOME as HOME_SETTING,
    )
    from prefect.settings import (
        PREFECT_SERVER_ANALYTICS_ENABLED,
        PREFECT_SERVER_DATABASE_CONNECTION_URL,
        temporary_settings,
    )
    from prefect.testing.utilities import prefect_test_harness

    with (
        temporary_settings(
            updates={HOME_SETTING: PREFECT_HOME, PREFECT_SERVER_ANALYTICS_ENABLED: False}
        ),
        prefect_test_harness(server_startup_timeout=90),
    ):
        url = PREFECT_SERVER_DATABASE_CONNECTION_URL.value()
        yield Harness(PREFECT_HOME, Path(url.split(":///", 1)[1]))


@pytest.fixture
def ledger_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"


@pytest.fixture
def court_exception(ledger_url: str, tmp_path: Path) -> str:
    """A granted exception: citizenship status of dmv_drivers to the district court."""
    from redaction.disclosure import decide_request, grant_exception, receive_request
    from redaction.ledger import Ledger

    letter = tmp_path / "order.pdf"
    letter.write_bytes(b"%PDF-1.4 court order")
    today = date.today()
    with Ledger.open(ledger_url) as ledger:
        receive_request(
            ledger,
            requester="Clerk",
            agency=COURT,
            received_on=today - timedelta(days=3),
            purpose="court_proceeding",
            categories=["citizenship_status"],
            document=letter,
            request_id="REQ-T1",
        )
        decide_request(ledger, "REQ-T1", decision="grant", reason="order", decided_by="CDO")
        grant_exception(
            ledger,
            request_id="REQ-T1",
            recipient=COURT,
            basis="court_order",
            categories=["citizenship_status"],
            valid_from=today - timedelta(days=1),
            valid_to=today + timedelta(days=30),
            authorized_by="CDO",
            datasets=["dmv_drivers"],
            exception_id="EXC-T1",
        )
    return "EXC-T1"
