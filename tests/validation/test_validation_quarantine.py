"""Quarantine moves a failed output out of reach, with a report of names and counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from redaction.errors import UsageError
from redaction.validation import ExpectationOutcome, ValidationOutcome, quarantine

FAILED = ValidationOutcome(
    success=False,
    rows_checked=10,
    chunks=1,
    expectations=(
        ExpectationOutcome(
            "expect_column_values_to_be_null", "status", False, 2, 10, "null:status"
        ),
        ExpectationOutcome("expect_table_row_count_to_equal", None, True, 0, 10, "row_count"),
    ),
    dataset="dmv_test",
    format="csv",
)


def _staged(tmp_path: Path, name: str = "extract.csv") -> Path:
    staged = tmp_path / "staging" / name
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_text("id,status\n1,SECRETVALUE\n")
    return staged


def test_moves_file_and_writes_report(tmp_path: Path) -> None:
    staged = _staged(tmp_path)
    moved = quarantine(staged, tmp_path / "quarantine", FAILED)
    assert not staged.exists()
    assert moved == tmp_path / "quarantine" / "extract.csv"
    assert moved.read_text().endswith("SECRETVALUE\n")
    report_path = moved.with_name("extract.csv.validation.json")
    report = json.loads(report_path.read_text())
    assert report["reason"] == "validation_failed"
    assert report["outcome"]["failed"] == 1
    assert report["outcome"]["expectations"][0]["unexpected_count"] == 2
    assert "SECRETVALUE" not in report_path.read_text()
    # Nothing but the file and its report: no temporary files left behind.
    assert sorted(p.name for p in moved.parent.iterdir()) == [
        "extract.csv",
        "extract.csv.validation.json",
    ]


def test_second_file_of_same_name_does_not_clobber(tmp_path: Path) -> None:
    first = quarantine(_staged(tmp_path), tmp_path / "q", FAILED)
    second = quarantine(_staged(tmp_path), tmp_path / "q", FAILED)
    assert first != second and first.exists() and second.exists()
    assert second.suffix == ".csv"
    assert second.with_name(second.name + ".validation.json").exists()


@pytest.mark.parametrize("case", ["missing", "already_quarantined"])
def test_refuses_what_it_cannot_move(case: str, tmp_path: Path) -> None:
    qdir = tmp_path / "q"
    if case == "missing":
        staged = tmp_path / "nope.csv"
    else:
        staged = quarantine(_staged(tmp_path), qdir, FAILED)
    with pytest.raises(UsageError) as info:
        quarantine(staged, qdir, FAILED)
    assert info.value.reason == ("missing_file" if case == "missing" else case)
