"""The gate on a release's output while it is written (``validation.stream``).

It must decide exactly what the file gate decides on the same output, for every planted
failure kind, whatever the batch and chunk sizes, with text columns handed over plain
or as dictionaries; and the staged file must be the bytes written from the validated
batches, or the outcome fails.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from gate_data import good_table, spec_for, with_cell, write
from test_validation_canaries import CANARIES, _canary_table
from test_validation_gate import PLANTED, Plant

from redaction.errors import UsageError
from redaction.io.publish import HashingFile
from redaction.io.writers import open_writer
from redaction.policy import CsvOptions
from redaction.validation import ValidationOutcome, ValidationSpec, validate_file
from redaction.validation.stream import StreamGate, compact, csv_text

N = 200
STREAMED = ("parquet", "csv")


def _as_dictionaries(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Text columns as dictionaries, as the release hands over columns it read so."""
    arrays = [pc.dictionary_encode(c) if pa.types.is_string(c.type) else c for c in batch.columns]
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


def stream_validate(
    table: pa.Table,
    fmt: str,
    spec: ValidationSpec,
    path: Path,
    *,
    batch_rows: int = 64,
    chunk_rows: int = 125_000,
    dictionaries: bool = False,
    docs_dir: Path | None = None,
    tamper: Plant | None = None,
) -> ValidationOutcome:
    """Write ``table`` with the release's writer while a gate validates each batch."""
    gate = StreamGate(spec, fmt, table.schema, chunk_rows=chunk_rows, docs_dir=docs_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw:
        f = HashingFile(raw)
        writer = open_writer(fmt, f, table.schema, CsvOptions())  # type: ignore[arg-type]
        for batch in table.to_batches(max_chunksize=batch_rows):
            writer.write(batch)
            gate.add(_as_dictionaries(batch) if dictionaries else batch)
        writer.close()
    if tamper is not None:
        # Something rewrites the staged file between the writer and the gate's check.
        write(tamper(table), fmt, path)
    outcome, _ = gate.finish(spec.expected_rows, path, f.hexdigest())
    return outcome


def _counts(outcome: ValidationOutcome) -> dict[str, tuple[bool, int, int]]:
    """Every expectation but the file binding (which only the stream gate has)."""
    return {
        e.check: (e.success, e.unexpected_count, e.element_count)
        for e in outcome.expectations
        if e.check != "file_digest"
    }


def _failed(outcome: ValidationOutcome) -> dict[str, int]:
    return {e.check: e.unexpected_count for e in outcome.failures()}


CASES = [
    ("good", STREAMED, lambda t: t, {}),
    # CSV: empty text is an empty field, read back as null: a key left empty is missing
    ("empty_key", ("csv",), lambda t: with_cell(t, "record_id", 4, ""), {"not_null:record_id": 1}),
    # ... and an empty code is no value outside the allowed set
    ("empty_code", ("csv",), lambda t: with_cell(t, "lic_type", 5, ""), {}),
] + [
    (case, tuple(f for f in fmts if f in STREAMED), plant, expected)
    for case, fmts, plant, expected in PLANTED
]


@pytest.mark.parametrize(
    ("fmt", "plant", "expected", "dictionaries"),
    [
        pytest.param(fmt, plant, expected, dicts, id=f"{case}-{fmt}-{'dict' if dicts else 'plain'}")
        for case, fmts, plant, expected in CASES
        for fmt in fmts
        for dicts in (False, True)
    ],
)
def test_stream_gate_agrees_with_the_file_gate(
    fmt: str, plant: Plant, expected: dict[str, int], dictionaries: bool, tmp_path: Path
) -> None:
    good = good_table(N)
    spec = spec_for(good, fmt)
    # Batches of 37 rows in chunks of 50: chunks end inside batches.
    streamed = stream_validate(
        plant(good),
        fmt,
        spec,
        tmp_path / f"out.{fmt}",
        batch_rows=37,
        chunk_rows=50,
        dictionaries=dictionaries,
    )
    from_file = validate_file(tmp_path / f"out.{fmt}", fmt, spec, chunk_rows=50)  # type: ignore[arg-type]
    assert _counts(streamed) == _counts(from_file)
    assert _failed(streamed) == expected
    assert streamed.success is (not expected)
    assert streamed.rows_checked == N
    assert streamed.chunks == 4
    (bound,) = [e for e in streamed.expectations if e.check == "file_digest"]
    assert bound.success


@pytest.mark.parametrize("fmt", STREAMED)
def test_one_chunk_and_many_agree(fmt: str, tmp_path: Path) -> None:
    bad = with_cell(with_cell(good_table(N), "name", 150, "Person A123456789"), "status", 2, "X")
    spec = spec_for(good_table(N), fmt)
    one = stream_validate(bad, fmt, spec, tmp_path / "a" / f"o.{fmt}", batch_rows=N)
    many = stream_validate(bad, fmt, spec, tmp_path / "b" / f"o.{fmt}", batch_rows=9, chunk_rows=20)
    assert (one.chunks, many.chunks) == (1, 10)
    assert _counts(one) == _counts(many)
    assert _failed(many) == {"guarded:name": 1, "null:status": 1}


@pytest.mark.parametrize("fmt", STREAMED)
def test_staged_file_changed_after_writing_fails(fmt: str, tmp_path: Path) -> None:
    good = good_table(N)
    # A still readable file, with an A-number the gate never saw.
    tamper: Plant = lambda t: with_cell(t, "name", 3, "Person A123456789")  # noqa: E731
    outcome = stream_validate(good, fmt, spec_for(good, fmt), tmp_path / f"o.{fmt}", tamper=tamper)
    assert not outcome.success
    assert _failed(outcome) == {"file_digest": 1}


@pytest.mark.parametrize("fmt", STREAMED)
def test_row_count_is_the_sources(fmt: str, tmp_path: Path) -> None:
    good = good_table(N)
    spec = spec_for(good, fmt, expected_rows=N + 2)
    outcome = stream_validate(good, fmt, spec, tmp_path / f"o.{fmt}")
    assert _failed(outcome) == {"row_count": 2}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # empty text reads back from CSV as an empty field: null
        (pa.array(["a", "", None]), ["a", None, None]),
        # other types: the text Arrow's CSV writer writes
        (pa.array([7, None], pa.int64()), ["7", None]),
        (pa.array([True, False]), ["true", "false"]),
        # a dictionary stays one, with its empty-text rows null
        (pa.array(["x", "", "x", None]).dictionary_encode(), ["x", None, "x", None]),
    ],
)
def test_csv_text_reads_as_the_file_gate_does(values: pa.Array, expected: list[object]) -> None:
    assert csv_text(values).to_pylist() == expected


def test_json_lines_is_validated_from_its_file() -> None:
    table = good_table(10)
    with pytest.raises(UsageError):
        StreamGate(spec_for(table, "jsonl"), "jsonl", table.schema)


def test_abort_ends_the_gate_thread(tmp_path: Path) -> None:
    table = good_table(N)
    gate = StreamGate(spec_for(table, "parquet"), "parquet", table.schema, chunk_rows=50)
    for batch in table.to_batches(max_chunksize=30)[:3]:
        gate.add(batch)
    gate.abort()
    assert not [t for t in threading.enumerate() if t.name == "redact-gate"]


def test_a_gate_error_reaches_the_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from redaction.validation import gx_runner

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("gx broke")

    monkeypatch.setattr(gx_runner.GxRunner, "run", broken)
    table = good_table(N)
    with pytest.raises(RuntimeError, match="gx broke"):
        stream_validate(table, "parquet", spec_for(table, "parquet"), tmp_path / "o.parquet")


@pytest.mark.parametrize("fmt", STREAMED)
def test_canaries_reach_no_result_or_data_docs(fmt: str, tmp_path: Path) -> None:
    good, bad = _canary_table(fmt)
    spec = dataclasses.replace(spec_for(good, fmt), expected_rows=bad.num_rows)
    docs = tmp_path / "docs"
    outcome = stream_validate(bad, fmt, spec, tmp_path / "staging" / f"o.{fmt}", docs_dir=docs)
    assert not outcome.success
    assert {"null:status", "guarded:name", "scrubbed:notes", "allowed:lic_type"} <= set(
        _failed(outcome)
    )
    assert outcome.docs_index and Path(outcome.docs_index).exists()
    texts = [str(outcome.to_dict()), outcome.summary()]
    files = [p for p in docs.rglob("*") if p.is_file()]
    assert files
    for canary in CANARIES.values():
        assert not any(canary in t for t in texts), canary
        for p in files:
            assert canary.encode() not in p.read_bytes(), (canary, p)


@pytest.mark.parametrize(
    "values",
    [
        pa.nulls(1000, pa.string()),  # a withheld column: one byte per row
        pa.nulls(1000, pa.date32()),
        pa.array(["a", "b", None] * 300).dictionary_encode(),  # int32 indices -> int8
        pa.array([str(i % 300) for i in range(1000)]).dictionary_encode(),  # -> int16
    ],
)
def test_compact_keeps_every_value_in_less_memory(values: pa.Array) -> None:
    small = compact(values)
    assert small.to_pylist() == values.to_pylist()
    assert small.nbytes < values.nbytes
