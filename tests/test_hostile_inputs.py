"""Hostile inputs end in a clear error or a correct release, never a crash (issue 15,
defect 7): deep JSON, integers beyond 64 bits, UTF-16 text, a 30 MB field, and nested
Parquet columns through the validation gate (documented as supported)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import redact

from redaction.ledger import Ledger


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        # 2,000 levels of lists: a RecursionError in the JSON decoder
        (
            "deep.jsonl",
            '{"id": 1, "n": "x"}\n{"id": 2, "n": ' + _deep(2000) + "}\n",
            "line 2 nests objects or lists more than 32 levels deep",
        ),
        # 40 levels of objects: decodes, but deeper than the nested transforms take
        (
            "deep_objects.jsonl",
            '{"id": 1, "n": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}\n",
            "line 1 nests objects or lists more than 32 levels deep",
        ),
        # an integer beyond 64 bits: an OverflowError in Arrow
        (
            "big_int.jsonl",
            f'{{"id": 1, "n": "x"}}\n{{"id": {2**70}, "n": "y"}}\n',
            "line 2, field 1 of the record: an integer beyond the 64-bit range",
        ),
        # UTF-16 with its byte-order mark: "wrong number of fields" before
        ("utf16.csv", "id,name\n1,Ana\n2,Bob\n".encode("utf-16"), "the file is UTF-16 text"),
        # UTF-16 without a byte-order mark
        ("utf16le.csv", "id,name\n1,Ana\n2,Bob\n".encode("utf-16-le"), "UTF-16 or UTF-32"),
        # UTF-16 JSON lines
        ("utf16.jsonl", '{"id": 1}\n'.encode("utf-16"), "the file is UTF-16 text"),
        # a 30 MB field: "cannot be parsed as CSV after record 0" before
        (
            "big_field.csv",
            'id,notes\n1,"' + "x" * (30 << 20) + '"\n2,y\n',
            "holds a field longer than 1 MB",
        ),
    ],
)
def test_hostile_input_is_a_clear_error(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    src = tmp_path / "in" / name
    src.parent.mkdir()
    if isinstance(content, bytes):
        src.write_bytes(content)
    else:
        src.write_text(content)
    run = redact("release", src, "-r", "Acme Insurance", "-o", "outbox")
    assert run.code == 3, run.err
    msg = " ".join(run.err.split())
    assert message in msg
    assert "internal error" not in msg and "Traceback" not in msg
    assert len(run.err.strip().splitlines()) <= 3  # the error and its hint
    assert not (tmp_path / "outbox").exists() or list((tmp_path / "outbox").iterdir()) == []


def test_utf16_csv_releases_with_its_encoding(tmp_path: Path) -> None:
    src = tmp_path / "utf16.csv"
    src.write_bytes("id,name\n1,Ana\n2,Bob\n".encode("utf-16"))
    run = redact("release", src, "-r", "Acme", "-o", "outbox", "--encoding", "utf-16")
    assert run.code == 0, run.err
    assert (tmp_path / "outbox" / "utf16.csv").read_text(encoding="utf-8").count("\n") == 3


NESTED = {
    # a struct inside a struct (documented as supported)
    "struct_in_struct": pa.array(
        [{"a": {"b": 1, "c": "north lot"}}, {"a": {"b": 2, "c": "south lot"}}, None]
    ),
    # a list of structs
    "list_of_struct": pa.array([[{"k": 1, "v": "a"}], [], [{"k": 3, "v": "c"}]]),
}


@pytest.mark.parametrize("column", sorted(NESTED))
def test_nested_parquet_releases_through_the_gate(tmp_path: Path, column: str) -> None:
    # Only nested (and numeric) columns released: the gate had no column to check,
    # counted 0 rows and failed the release as "row_count" (exit 5, quarantined).
    src = tmp_path / "in.parquet"
    table = pa.table({"id": [1, 2, 3], column: NESTED[column]})
    pq.write_table(table, src)
    run = redact("release", src, "-r", "Acme", "-o", "outbox", "--json")
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["validation"]["success"] is True
    assert result["validation"]["rows_checked"] == 3
    assert pq.read_table(tmp_path / "outbox" / "in.parquet").equals(table)
    with Ledger.open() as ledger:
        assert ledger.verify().ok
