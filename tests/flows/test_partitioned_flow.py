"""The partitioned flow: one plan, parts staged in parallel, published all-or-none;
a 2-worker Dask cluster writes the same bytes as a single process."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from flow_helpers import RECIPIENT, artifacts, by_type, flow_run_id, table_rows
from prefect.task_runners import ThreadPoolTaskRunner

from flows.partitioned import dask_runner, with_runner
from redaction.errors import GuardHit, InputError
from redaction.ledger import Ledger

pytestmark = pytest.mark.prefect
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dmv_drivers.parquet"


def _dataset(folder: Path, parts: int = 4) -> Path:
    table = pq.read_table(SAMPLE)
    folder.mkdir(parents=True)
    step = -(-table.num_rows // parts)
    for i in range(parts):
        pq.write_table(table.slice(i * step, step), folder / f"part-{i:03d}.parquet")
    return folder


def _run(runner, ledger_url: str, outbox: str, **kw):
    return with_runner(runner)(
        source=kw.pop("source", "dmv_drivers"),
        recipient=RECIPIENT,
        outbox=outbox,
        dataset="dmv_drivers",
        ledger_url=ledger_url,
        return_state=True,
        **kw,
    )


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.slow
def test_dask_cluster_writes_the_same_bytes_as_one_process(prefect_server, ledger_url):
    _dataset(Path("dmv_drivers"))
    one = _run(ThreadPoolTaskRunner(max_workers=1), ledger_url, "single")
    assert one.is_completed(), one.message
    # Validation ran in the single-process run; the Dask run skips it to keep the suite
    # short (each worker would import GX, ~10 s).
    two = _run(dask_runner(n_workers=2), ledger_url, "dask", validate=False)
    assert two.is_completed(), two.message

    single, dask = _bytes(Path("single/dmv_drivers")), _bytes(Path("dask/dmv_drivers"))
    assert list(single) == [f"part-{i:03d}.parquet" for i in range(4)]
    assert single == dask
    assert one.result()["output_sha256"] == two.result()["output_sha256"]
    assert sum(pq.read_metadata(Path("single/dmv_drivers") / n).num_rows for n in single) == 200
    schemas = {pq.read_schema(Path("dask/dmv_drivers") / n) for n in dask}
    assert len(schemas) == 1  # one plan: every part has the same schema
    assert not list(Path("single").glob(".*")) and not list(Path("dask").glob(".*"))

    with Ledger.open(ledger_url) as ledger:
        assert ledger.verify().ok
        assert len(ledger.entries_for("releases")) == 2
    rows = table_rows(by_type(artifacts(flow_run_id(one)), "table")[0])
    assert {r["validation"] for r in rows} == {"passed"}
    assert {r["ledger_entry"] for r in rows} == {one.result()["ledger_entry"]}


def test_a_guard_hit_in_one_part_publishes_no_part(prefect_server, ledger_url):
    folder = _dataset(Path("dmv_drivers"))
    bad = pq.read_table(folder / "part-002.parquet")
    i = bad.schema.get_field_index("license_number")
    values = bad.column(i).to_pylist()
    values[3] = "A123456789"  # an A-number in a column the contract releases
    pq.write_table(
        bad.set_column(i, "license_number", pa.array(values)), folder / "part-002.parquet"
    )

    state = _run(ThreadPoolTaskRunner(max_workers=2), ledger_url, "out")
    assert state.is_failed()
    exc = state.result(raise_on_failure=False)
    assert isinstance(exc, GuardHit) and exc.column == "license_number"
    assert list(Path("out").iterdir()) == []  # no part, no staging folder
    with Ledger.open(ledger_url) as ledger:
        assert [e.payload["reason_code"] for e in ledger.entries_for("refusals")] == ["guard_hit"]
        assert ledger.entries_for("releases") == []


def test_parts_with_different_schemas_are_refused(prefect_server, ledger_url):
    folder = _dataset(Path("dmv_drivers"), parts=2)
    t = pq.read_table(folder / "part-001.parquet").drop_columns(["notes"])
    pq.write_table(t, folder / "part-001.parquet")
    state = _run(ThreadPoolTaskRunner(max_workers=1), ledger_url, "out")
    exc = state.result(raise_on_failure=False)
    assert isinstance(exc, InputError) and exc.reason == "schema_mismatch"
    assert not Path("out/dmv_drivers").exists()
    (md,) = by_type(artifacts(flow_run_id(state)), "markdown")
    assert "`schema_mismatch`" in md.data
