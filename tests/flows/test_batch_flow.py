"""The batch flow: each extract its own subflow; one bad extract fails only itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from flow_helpers import COURT, RECIPIENT, artifacts, by_type, flow_run_id, table_rows
from prefect import tags

from flows.batch import load_manifest, release_batch
from redaction.errors import UsageError
from redaction.ledger import Ledger

pytestmark = pytest.mark.prefect
SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def test_one_bad_extract_fails_only_itself(prefect_server, ledger_url, court_exception):
    shutil.copy(SAMPLES / "dmv_drivers.csv", "drivers.csv")
    shutil.copy(SAMPLES / "dmv_drivers.jsonl", "drivers_court.jsonl")
    # Declared as dmv_drivers but it is the vehicles file: its columns do not match.
    shutil.copy(SAMPLES / "dmv_vehicles.csv", "vehicles.csv")
    Path("batch.yaml").write_text(
        yaml.safe_dump(
            {
                "defaults": {"recipient": RECIPIENT, "outbox": "out/insurer"},
                "extracts": [
                    {"source": "drivers.csv", "dataset": "dmv_drivers"},
                    {"source": "vehicles.csv", "dataset": "dmv_drivers"},
                    {
                        "source": "drivers_court.jsonl",
                        "dataset": "dmv_drivers",
                        "recipient": COURT,
                        "exception": court_exception,
                        "outbox": "out/court",
                    },
                ],
            }
        )
    )
    state = release_batch(manifest="batch.yaml", ledger_url=ledger_url, return_state=True)

    assert state.is_failed()
    assert state.message == "1 of 3 extract(s) failed: vehicles.csv (missing_columns)"
    assert Path("out/insurer/drivers.csv").exists()
    assert Path("out/court/drivers_court.jsonl").exists()
    assert not Path("out/insurer/vehicles.csv").exists()
    with Ledger.open(ledger_url) as ledger:
        releases = ledger.entries_for("releases")
        assert {e.payload.get("exception_id") for e in releases} >= {court_exception}

    found = artifacts(flow_run_id(state))
    (tbl,) = by_type(found, "table")
    rows = {r["extract"]: r for r in table_rows(tbl)}
    assert rows["drivers.csv"]["status"] == "published"
    assert rows["drivers_court.jsonl"]["exception"] == court_exception
    assert rows["vehicles.csv"]["status"] == "failed"
    assert rows["vehicles.csv"]["reason"] == "missing_columns"
    (md,) = by_type(found, "markdown")
    assert "2 of 3 extract(s) published, 1 failed" in md.data


def test_a_batch_refuses_an_exception_tag(prefect_server, ledger_url):
    shutil.copy(SAMPLES / "dmv_drivers.csv", "drivers.csv")
    with tags("lawful-exception:EXC-T1"):
        state = release_batch(
            manifest=".",
            recipient=COURT,
            outbox="out",
            ledger_url=ledger_url,
            return_state=True,
        )
    exc = state.result(raise_on_failure=False)
    assert isinstance(exc, UsageError) and exc.reason == "exception_tag_on_batch"
    assert not Path("out").exists()


def test_manifest_problems_are_collected(tmp_path):
    Path("m.yaml").write_text(
        yaml.safe_dump({"extracts": [{"source": "a.csv"}, {"source": "b.csv", "outbx": "o"}]})
    )
    with pytest.raises(UsageError) as err:
        load_manifest(Path("m.yaml"))
    msg = str(err.value)
    assert "extracts[0]: missing recipient, outbox" in msg
    assert "extracts[1]: unknown key(s) outbx" in msg
