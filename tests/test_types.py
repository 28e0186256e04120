"""One text grammar for the reader and the gate (``redaction.types``): a date the gate
would refuse is refused on read, as bad input (exit 3), before anything is written."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pytest
from helpers import redact

from redaction import types
from redaction.io import readers
from redaction.validation import checks

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


def test_reader_and_gate_share_one_definition():
    assert readers.NULL_TOKENS is checks.NULL_TOKENS is types.NULL_TOKENS
    assert readers._TEXT_TYPE_PATTERNS is checks.PARSEABLE is types.PARSEABLE
    assert checks.FORMATS is types.FORMATS


@pytest.mark.parametrize(
    ("value", "bad"),
    [
        ("2026-02-30", True),  # no such day: the gate refuses it, so the reader does
        ("2026-02-28", False),
        ("2026-13-01", True),  # no such month
        ("N/A", False),  # a null token
    ],
)
def test_reader_refuses_what_the_gate_refuses(value, bad):
    arr = pa.array([value, "2026-01-01"])
    assert readers.text_type_errors(arr, "date").to_pylist() == ([0] if bad else [])


def test_impossible_date_exits_3_naming_column_and_record(tmp_path):
    with (SAMPLES / "dmv_drivers.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("date_of_birth")
    rows[3][col] = "2026-02-30"
    src = tmp_path / "dmv_drivers.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    run = redact("release", src, "-d", "dmv_drivers", "-r", "R", "-o", "outbox")
    assert run.code == 3, run.err  # bad input, as the README promises; not 5
    assert "date_of_birth" in run.err and "record 3" in run.err
    assert "2026-02-30" not in run.err
    assert not Path("outbox").exists() or not any(Path("outbox").iterdir())
