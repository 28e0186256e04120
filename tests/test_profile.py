"""The value profile counts each column as if it were profiled alone, whatever else is in
the batch, however the column was read (plain or as a dictionary), and however wide the
batch is."""

import pyarrow as pa
import pytest

from redaction.plan import plan
from redaction.policy import load_policy
from redaction.profile import Profiler

POLICY = load_policy()

COLUMNS = {
    # Free text: mentions, one with a slip, and an identifier in prose.
    "notes": [
        "Presented green card at counter",
        "Cliente indocumentado",
        "renewed by mail",
        "applicant is undocumentd per clerk",
        "case A123456789 on file",
        None,
        "",
        "N/A",
    ],
    # Identifiers: A-numbers among nulls and null tokens.
    "ref": ["A123456789", "A987654321", None, "NULL", "A111222333", "-", "A222333444", ""],
    # Codes, one spelled with a full-width letter and one accented.
    "doc": ["EAD", "ＥAD", "PASSPORT", "BIRTH_CERT", "EAD", "País", None, "EAD"],
    # Ordinary values that match nothing.
    "city": ["Denver", "Aurora", "Boulder", "Pueblo", "Denver", "Greeley", "Durango", "Lakewood"],
    # Look-alike IDs of the same shape with other prefixes.
    "badge": ["B12345678", "K87654321", "A12345678", "C11112222", None, "D33334444", "E1", "F2"],
}


def _profile(batch: pa.RecordBatch) -> dict:
    profiler = Profiler(POLICY)
    profiler.add(batch)
    return {k: vars(v) for k, v in profiler.columns.items()}


def _batch(columns: dict) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict({k: pa.array(v, pa.string()) for k, v in columns.items()})


def test_each_column_counts_as_if_profiled_alone():
    together = _profile(_batch(COLUMNS))
    alone = {}
    for name, values in COLUMNS.items():
        alone.update(_profile(_batch({name: values})))
    assert together == alone
    # The profile found what is there (so the comparison is not of empty profiles).
    assert together["ref"]["hits"].get("a_number") == 4
    assert together["notes"]["hits"]
    assert not together["city"]["hits"]


@pytest.mark.parametrize("name", list(COLUMNS))
def test_dictionary_column_counts_its_rows(name):
    # A dictionary as Parquet gives one: entries no row of the batch uses, a null row.
    plain = pa.array(COLUMNS[name], pa.string())
    values = pa.array(
        ["unused A999888777 green card", *dict.fromkeys(v for v in COLUMNS[name] if v is not None)]
    )
    lookup = {v: i for i, v in enumerate(values.to_pylist())}
    indices = pa.array([None if v is None else lookup[v] for v in COLUMNS[name]], pa.int32())
    encoded = pa.DictionaryArray.from_arrays(indices, values)
    assert encoded.to_pylist() == plain.to_pylist()
    as_dict = _profile(pa.RecordBatch.from_arrays([encoded], names=[name]))
    assert as_dict == _profile(pa.RecordBatch.from_arrays([plain], names=[name]))


def test_wide_batch_classifies_every_column():
    # 20,000 columns of two records (issue 15, defect 9): the one column of A-numbers
    # among them is found and withheld, the others are released.
    width, odd = 20_000, 13_457
    names = [f"field_{i:05d}" for i in range(width)]
    arrays = [pa.array(["ok", f"B{i:03d}"]) for i in range(width)]
    arrays[odd] = pa.array(["A123456789", "A987654321"])
    batch = pa.RecordBatch.from_arrays(arrays, names=names)
    profiler = Profiler(POLICY)
    profiler.add(batch)
    assert len(profiler.columns) == width
    hit = [n for n, p in profiler.columns.items() if p.hits]
    assert hit == [names[odd]]
    p = plan(batch.schema, profiler.columns, POLICY)
    withheld = [d.column for d in p.decisions if d.withheld]
    assert withheld == [names[odd]]
