"""A flow finds its ledger the way a Prefect operator keeps configuration: the
``ledger_url`` parameter, ``$REDACT_LEDGER_URL``, a Secret block, a Variable."""

from __future__ import annotations

from pathlib import Path

import pytest
from flow_helpers import RECIPIENT

from flows._common import LEDGER_SECRET, LEDGER_VARIABLE
from flows.release import release_extract
from redaction.ledger import Ledger

pytestmark = pytest.mark.prefect
SAMPLE_CSV = Path(__file__).resolve().parents[2] / "sample_data" / "dmv_drivers.csv"


def _releases(url: str) -> int:
    with Ledger.open(url) as ledger:
        return len(ledger.entries(kinds=["release.finish"]))


def _run() -> None:
    state = release_extract(
        source=str(SAMPLE_CSV),
        recipient=RECIPIENT,
        outbox="outbox",
        dataset="dmv_drivers",
        return_state=True,
    )
    assert state.is_completed(), state.message


def test_ledger_url_from_a_secret_block_then_a_variable(prefect_server, tmp_path, monkeypatch):
    from prefect.blocks.system import Secret
    from prefect.variables import Variable

    monkeypatch.delenv("REDACT_LEDGER_URL", raising=False)
    by_variable = f"sqlite:///{tmp_path / 'variable.sqlite3'}"
    by_secret = f"sqlite:///{tmp_path / 'secret.sqlite3'}"
    Variable.set(LEDGER_VARIABLE, by_variable, overwrite=True)
    try:
        _run()
        assert _releases(by_variable) == 1
        Secret(value=by_secret).save(LEDGER_SECRET, overwrite=True)
        try:
            Path("outbox/dmv_drivers.csv").unlink()
            _run()
            assert (_releases(by_secret), _releases(by_variable)) == (1, 1)  # the secret wins
        finally:
            Secret.delete(LEDGER_SECRET)
    finally:
        Variable.unset(LEDGER_VARIABLE)
    assert not Path(".redact/ledger.sqlite3").exists()  # never fell back to the default
