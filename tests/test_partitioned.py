"""The partitioned release in one process (no Prefect): hashes and the parts it publishes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from redaction.errors import InputError
from redaction.io.digest import sha256_file
from redaction.ledger import Ledger
from redaction.partitioned import abort, plan_dataset, publish, release_partitioned, stage_part
from redaction.release import ReleaseOptions

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "dmv_drivers.parquet"


def _dataset(folder: Path, parts: int = 3) -> Path:
    table = pq.read_table(SAMPLE)
    folder.mkdir(parents=True)
    step = -(-table.num_rows // parts)
    for i in range(parts):
        pq.write_table(table.slice(i * step, step), folder / f"part-{i:03d}.parquet")
    return folder


def _options(tmp_path: Path) -> ReleaseOptions:
    return ReleaseOptions(
        recipient="Example Insurance Co",
        outbox=tmp_path / "outbox",
        dataset="dmv_drivers",
        validate=False,
        ledger_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
    )


def test_source_hash_covers_every_part_as_read(tmp_path: Path) -> None:
    folder = _dataset(tmp_path / "dmv_drivers")
    result = release_partitioned(folder, _options(tmp_path))
    lines = sorted(f"{p.relative_to(folder)} {sha256_file(p)}\n" for p in folder.glob("*.parquet"))
    assert result.source_sha256 == hashlib.sha256("".join(lines).encode()).hexdigest()
    assert sorted(p.name for p in (tmp_path / "outbox" / "dmv_drivers").iterdir()) == [
        f"part-{i:03d}.parquet" for i in range(3)
    ]


def test_publish_refuses_staged_parts_that_are_not_the_plans(tmp_path: Path) -> None:
    folder = _dataset(tmp_path / "dmv_drivers")
    options = _options(tmp_path)
    pp = plan_dataset(folder, options)
    staged = [stage_part(pp, p) for p in pp.parts[:2]]  # one part missing
    with Ledger.open(options.ledger_url) as ledger, pytest.raises(InputError) as err:
        publish(pp, staged, ledger)
    assert err.value.reason == "parts_mismatch"
    assert not (tmp_path / "outbox" / "dmv_drivers").exists()
    assert not pp.staging.exists()
    abort(pp)
