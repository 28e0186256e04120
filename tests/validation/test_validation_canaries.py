"""No value leaves through a side door; chunking changes nothing but the chunk count."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pyarrow as pa
import pytest
from gate_data import FORMATS, good_table, spec_for, with_cell, write

from redaction.validation import ValidationOutcome, quarantine, validate_file

CANARIES = {
    "null": "CANARYNUL7Q1X",
    "guarded": "CANARYGRD7Q2X",
    "scrubbed": "CANARYSCR7Q3X",
    "allowed": "CANARYALW7Q4X",
    "parseable": "CANARYDAT7Q5X",
    "dropped": "CANARYDRP7Q6X",
}


def _canary_table(fmt: str, n: int = 300) -> tuple[pa.Table, pa.Table]:
    """(good table, the same with a canary in one failing cell of each kind)."""
    good = good_table(n)
    bad = with_cell(good, "status", 3, CANARIES["null"])
    bad = with_cell(bad, "name", 7, f"{CANARIES['guarded']} A987654321")
    bad = with_cell(bad, "notes", 9, f"{CANARIES['scrubbed']} holds a green card")
    bad = with_cell(bad, "lic_type", 15, CANARIES["allowed"])
    bad = with_cell(bad, "record_id", 17, None)
    bad = bad.append_column("a_number", pa.array([CANARIES["dropped"]] * n))
    if fmt == "csv":
        # CSV is text: an unparseable date is just a string in the date column.
        idx = bad.schema.get_field_index("issued")
        bad = bad.set_column(idx, "issued", bad.column("issued").cast(pa.string()))
        bad = with_cell(bad, "issued", 19, CANARIES["parseable"])
    return good, bad


def _files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize("fmt", FORMATS)
def test_canaries_appear_in_no_artefact(fmt: str, tmp_path: Path) -> None:
    good, bad = _canary_table(fmt)
    staged = write(bad, fmt, tmp_path / "staging" / f"extract.{fmt}")
    docs = tmp_path / "docs"
    outcome = validate_file(staged, fmt, spec_for(good, fmt), docs_dir=docs)  # type: ignore[arg-type]

    expected = {
        "columns",
        "null:status",
        "guarded:name",
        "scrubbed:notes",
        "allowed:lic_type",
        "not_null:record_id",
    }
    if fmt == "csv":
        expected.add("parseable:issued")
    assert {e.check for e in outcome.failures()} == expected
    assert outcome.unexpected_columns == ("a_number",)

    moved = quarantine(staged, tmp_path / "quarantine", outcome)
    outcome_json = tmp_path / "outcome.json"
    outcome_json.write_text(json.dumps(outcome.to_dict()))

    assert outcome.docs_index is not None and Path(outcome.docs_index).is_file()
    artefacts = [p for p in _files_under(docs, tmp_path / "quarantine") if p != moved]
    artefacts.append(outcome_json)
    # Stored GX results and Data Docs pages exist, so the sweep looked at something real.
    assert any(p.suffix == ".html" for p in artefacts)
    assert any(p.suffix == ".json" and "validations" in p.parts for p in artefacts)
    # The canaries really are in the quarantined data file ...
    data = moved.read_bytes()
    assert all(c.encode() in data for k, c in CANARIES.items() if fmt == "csv" or k != "parseable")
    # ... and in nothing else.
    leaks = [
        (p.relative_to(tmp_path), name)
        for p in artefacts
        for name, canary in CANARIES.items()
        if canary.encode() in p.read_bytes()
    ]
    assert leaks == []
    assert not any(c in outcome.summary() for c in CANARIES.values())
    # Nor a digest of the data: GX's per-batch fingerprint is switched off.
    assert not any(b"pandas_data_fingerprint" in p.read_bytes() for p in artefacts)


def _counts(outcome: ValidationOutcome) -> list[tuple[str, bool, int, int]]:
    return [(e.check, e.success, e.unexpected_count, e.element_count) for e in outcome.expectations]


@pytest.mark.parametrize("fmt", FORMATS)
def test_chunked_run_matches_one_chunk(fmt: str, tmp_path: Path) -> None:
    good = good_table(5_500)
    bad = good
    # Failures in the first, middle, a boundary and the last chunk.
    for row in (10, 999, 1000, 2999, 5499):
        bad = with_cell(bad, "status", row, "LPR")
        bad = with_cell(bad, "name", row, "Person A123456789")
    bad = with_cell(bad, "record_id", 4321, None)
    path = write(bad, fmt, tmp_path / f"big.{fmt}")
    spec = spec_for(good, fmt)

    chunked = validate_file(path, fmt, spec, chunk_rows=1_000)  # type: ignore[arg-type]
    whole = validate_file(path, fmt, spec, chunk_rows=100_000)  # type: ignore[arg-type]

    assert (chunked.chunks, whole.chunks) == (6, 1)
    assert chunked.rows_checked == whole.rows_checked == 5_500
    assert _counts(chunked) == _counts(whole)
    assert {e.check: e.unexpected_count for e in chunked.failures()} == {
        "null:status": 5,
        "guarded:name": 5,
        "not_null:record_id": 1,
    }


def test_sweep_would_see_gx_default_result_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Control: with GX's default BASIC format the same sweep finds canaries in the stored
    # results and Data Docs, so the test above is not passing by looking in the wrong place.
    from redaction.validation import gx_runner

    monkeypatch.setattr(gx_runner, "RESULT_FORMAT", {"result_format": "BASIC"})
    good, bad = _canary_table("parquet")
    staged = write(bad, "parquet", tmp_path / "extract.parquet")
    docs = tmp_path / "docs"
    validate_file(staged, "parquet", spec_for(good, "parquet"), docs_dir=docs)
    found = {
        name
        for p in _files_under(docs)
        for name, canary in CANARIES.items()
        if canary.encode() in p.read_bytes()
    }
    assert {"null", "guarded", "scrubbed", "allowed"} <= found


def test_canaries_not_in_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # GX and pandas log at DEBUG while resolving metrics; nothing they log may hold a cell.
    caplog.set_level(logging.DEBUG)
    good, bad = _canary_table("csv")
    staged = write(bad, "csv", tmp_path / "extract.csv")
    outcome = validate_file(staged, "csv", spec_for(good, "csv"), docs_dir=tmp_path / "docs")
    assert not outcome.success
    assert caplog.records  # the capture was live
    assert not [name for name, c in CANARIES.items() if c in caplog.text]
