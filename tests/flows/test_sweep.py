"""No value through a side door: after real flow runs over extracts holding the planted
canaries (and a refused one), nothing Prefect kept holds one: not ``PREFECT_HOME``
(result storage, logs), not the server's database, not any artifact, not a state
message. Runs its own flows, so it holds whatever order the tests run in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flow_helpers import CANARY_VALUES, RECIPIENT, artifacts
from helpers import canary_hits, files_under
from prefect.client.orchestration import get_client

from flows.batch import release_batch
from flows.release import release_extract

pytestmark = pytest.mark.prefect
SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def test_no_canary_in_prefect_home_database_or_artifacts(prefect_server, ledger_url):
    for name in ("dmv_drivers.csv", "dmv_drivers.parquet", "dmv_drivers.jsonl"):
        shutil.copy(SAMPLES / name, name)
    ok = release_extract(
        source="dmv_drivers.parquet",
        recipient=RECIPIENT,
        outbox="out",
        dataset="dmv_drivers",
        ledger_url=ledger_url,
        return_state=True,
    )
    assert ok.is_completed(), ok.message
    # A batch over the folder with no contract: the files are profiled, and the CSV's
    # and JSON-lines' values go through the profiler and the guard.
    batch = release_batch(
        manifest=".",
        recipient=RECIPIENT,
        outbox="out2",
        ledger_url=ledger_url,
        return_state=True,
    )
    assert batch.is_completed(), batch.message

    files = files_under(prefect_server.home, prefect_server.database.parent)
    assert prefect_server.database in files
    texts = []
    for a in artifacts():
        texts += [str(a.data), str(a.description), str(a.key)]
    with get_client(sync_client=True) as client:
        for run in client.read_flow_runs():
            texts += [str(run.parameters), str(run.state and run.state.message)]
        for trun in client.read_task_runs():
            texts.append(str(trun.state and trun.state.message))
        texts += [log.message for log in client.read_logs()]
    assert len(texts) > 10
    assert canary_hits(CANARY_VALUES, texts, files) == []
