"""The PostgreSQL server stops in the middle of a release (issue 15): the release fails
with a ledger error (exit 6), one line, nothing published and no staging left; once the
server is back the same release goes through and the chain verifies."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.append(str(Path(__file__).resolve().parent))
import pgcluster

from redaction.errors import ExitCode, LedgerError
from redaction.io.publish import staging_root
from redaction.ledger import Ledger
from redaction.release import ReleaseOptions, release

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

DRIVERS = Path(__file__).resolve().parents[2] / "sample_data" / "dmv_drivers.csv"


def test_server_stopped_mid_release_publishes_nothing_and_retry_works(
    pg_database: str, tmp_path: Path
) -> None:
    if not pgcluster.owns_server():
        pytest.skip("the server is external (REDACT_TEST_PG_URL): not ours to stop")
    pgcluster.reset_ledger_database(pg_database)
    outbox = tmp_path / "outbox"
    opts = ReleaseOptions(
        recipient="Acme Insurance", outbox=outbox, dataset="dmv_drivers",
        ledger_url=pg_database, validate=False,
    )  # fmt: skip
    stopped: list[int] = []

    def stop_once(rows: int) -> None:  # called while the extract streams
        if not stopped:
            stopped.append(rows)
            pgcluster.stop_server()

    try:
        with pytest.raises(LedgerError) as err:
            release(DRIVERS, opts, progress=stop_once)
    finally:
        if stopped:
            pgcluster.start_server_again()
    assert stopped, "the release never streamed: the server was not stopped mid-run"
    assert err.value.exit_code == ExitCode.LEDGER
    assert "\n" not in err.value.message
    assert not outbox.exists() or list(outbox.iterdir()) == []
    assert not staging_root(outbox).exists() or list(staging_root(outbox).iterdir()) == []

    result = release(DRIVERS, opts)
    assert [p.name for p in outbox.iterdir()] == [DRIVERS.name]
    with Ledger.open(pg_database) as ledger:
        verify = ledger.verify()
        assert verify.ok, verify.summary()
        kinds = [e.kind for e in ledger.entries()]
    assert kinds == ["release.intent", "release.finish"]
    assert result.ledger_seq == 2
