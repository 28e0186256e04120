"""Whole releases at once into one PostgreSQL ledger (issue 15): no lost or forked
entries, every published file is the bytes its entry names, and releases racing for one
output name end with one published file and the others refused (exit 2)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.append(str(Path(__file__).resolve().parent))
import pgcluster
import release_workers

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def pg_ledger(pg_database: str) -> str:
    pgcluster.reset_ledger_database(pg_database)
    return pg_database


def test_four_workers_ten_releases_each_keep_one_chain(pg_ledger: str, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    results = release_workers.run_concurrent(pg_ledger, tmp_path / "src", outbox, 4, 10)
    checked = release_workers.check(pg_ledger, outbox, results)
    assert checked.problems == []
    assert checked.published == 40
    # 40 intents and 40 finishes, nothing else on the chain
    assert checked.entries == 80
    assert len([p for p in outbox.iterdir() if p.is_file()]) == 40


def test_four_releases_to_one_name_publish_one_file(pg_ledger: str, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    results = release_workers.run_concurrent(
        pg_ledger, tmp_path / "src", outbox, 4, 1, same_name=True
    )
    checked = release_workers.check(pg_ledger, outbox, results)
    assert checked.problems == []
    assert (checked.published, checked.refused) == (1, 3)
    assert [p.name for p in outbox.iterdir()] == ["same.csv"]
