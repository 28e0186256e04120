"""Messy real-world files: CSV dialects, encodings, bad records, nested JSON lines and
Parquet, end to end through ``redact release`` and ``redact scan`` (issue 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import redact

from redaction.errors import InputError
from redaction.io.readers import open_source, sniff_delimiter

CANARY = "A987654321"


def _rows(src) -> list[dict]:
    return [r for b in src.batches() for r in b.to_pylist()]


@pytest.mark.parametrize(
    ("data", "delimiter", "rows"),
    [
        # UTF-8 BOM and CRLF: the BOM is not part of the first header
        (b"\xef\xbb\xbfid,city\r\n1,Denver\r\n", ",", [{"id": "1", "city": "Denver"}]),
        # quoted embedded newline and doubled quotes
        (b'id,note\n1,"two\nlines, ""quoted"""\n', ",", [{"id": "1", "note": 'two\nlines, "quoted"'}]),  # noqa: E501
        # semicolon, sniffed (a comma inside a quoted value does not fool it)
        (b'id;note\n1;"a, b"\n2;c\n', ";", [{"id": "1", "note": "a, b"}, {"id": "2", "note": "c"}]),
        # pipe, sniffed
        (b"id|city\n1|Denver\n", "|", [{"id": "1", "city": "Denver"}]),
        # tab, sniffed from a .csv name
        (b"id\tcity\n1\tDenver\n", "\t", [{"id": "1", "city": "Denver"}]),
        # inconsistent quoting: the same value quoted on one line, bare on the next
        (b'id,city\n"1","Denver"\n2,Denver\n', ",", [{"id": "1", "city": "Denver"}, {"id": "2", "city": "Denver"}]),  # noqa: E501
    ],
)  # fmt: skip
def test_csv_dialects_are_read_as_written(tmp_path, data, delimiter, rows):
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert sniff_delimiter(path) == delimiter
    assert _rows(open_source(path)) == rows


BAD = b"id,note\n1,ok\n2,caf\xe9\n3,ok\n4,\xff\xfe\n"


def test_undecodable_records_fail_closed_naming_records_not_bytes(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD)
    with pytest.raises(InputError) as e:
        _rows(open_source(path))
    msg = str(e.value)
    assert "record 2, 4" in msg and "2 record(s)" in msg
    assert "caf" not in msg  # never the bytes or the text around them


def test_undecodable_records_quarantined_on_opt_in(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD)
    src = open_source(path, bad_records="quarantine")
    assert [r["id"] for r in _rows(src)] == ["1", "3"]
    assert src.bad_records == 2


def test_jsonl_bad_lines_quarantined_on_opt_in(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"id": "1"}\n{"id": "2\xe9"}\n{not json\n{"id": "4"}\n')
    with pytest.raises(InputError, match="line 2"):
        _rows(open_source(path))
    src = open_source(path, bad_records="quarantine")
    assert [r["id"] for r in _rows(src)] == ["1", "4"]
    assert src.bad_records == 2


def _nested_records() -> list[dict]:
    return [
        {
            "id": "D1",
            "status": {"visa": {"admission_no": "123456789A1", "class": "H-1B"}},
            "documents": [{"kind": "FOREIGN PASSPORT", "pages": 2}],
            "comments": [{"body": "Applicant is undocumented, renewal ok"}],
            "vehicle": {"make": "Alien Kit", "route_i94_mile": "12"},
        },
        {
            "id": "D2",
            "status": {"visa": {"admission_no": None, "class": None}},
            "documents": [],
            "comments": [{"body": "Took I-94 east"}],
            "vehicle": {"make": "Ford", "route_i94_mile": "40"},
        },
    ]


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_nested_release_withholds_leaves_and_keeps_records(tmp_path, fmt):
    src = tmp_path / "in" / f"n.{fmt}"
    src.parent.mkdir()
    recs = _nested_records()
    if fmt == "jsonl":
        src.write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    else:
        pq.write_table(pa.Table.from_pylist(recs), src)
    run = redact("release", src, "-r", "R", "-o", tmp_path / "out", "--no-validate")
    assert run.code == 0, run.err
    out = tmp_path / "out" / src.name
    if fmt == "jsonl":
        got = [json.loads(x) for x in out.read_text().splitlines()]
    else:
        got = pq.read_table(out).to_pylist()
        assert pq.read_schema(out).remove_metadata() == pq.read_schema(src).remove_metadata()
    # status.* all protected: the struct is nulled; a list leaf becomes typed nulls
    assert [g["status"] for g in got] == [None, None]
    assert got[0]["documents"] == [{"kind": None, "pages": 2}]
    assert got[1]["documents"] == []
    # the mention is scrubbed, the rest of the note kept; hard negatives untouched
    assert got[0]["comments"][0]["body"] == "Applicant is [WITHHELD], renewal ok"
    assert got[1]["comments"][0]["body"] == "Took I-94 east"
    assert got[0]["vehicle"] == {"make": "Alien Kit", "route_i94_mile": "12"}
    assert "123456789A1" not in out.read_bytes().decode("latin-1")


# ------------------------------------------------------------------------- redact scan


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        # a protected column with values: exit 1, column and records listed
        ("a.csv", "id,citizenship_status\n1,LPR\n2,\n3,US CITIZEN\n", 1, "citizenship_status"),
        # an identifier under a generic name: exit 1, found by values
        ("b.csv", f"id,ref_no\n1,{CANARY}\n2,{CANARY[:-1]}8\n", 1, "ref_no"),
        # a note with a mention
        ("c.csv", "id,notes\n1,renewal\n2,green card holder\n", 1, "notes"),
        # a withheld (all null) protected column and clean notes: exit 0
        ("d.csv", "id,citizenship_status,notes\n1,,renewal\n2,NULL,Took I-94 east\n", 0, "no unwithheld"),  # noqa: E501
        # unreadable: exit 3
        ("e.csv", "", 3, "empty"),
    ],
)  # fmt: skip
def test_scan_exit_codes_and_no_values(tmp_path, name, data, code, words):
    path = tmp_path / name
    path.write_text(data)
    run = redact("scan", path)
    assert run.code == code, run.err
    assert words in run.out + run.err
    for value in (CANARY, "LPR", "green card"):
        assert value not in run.out + run.err


def test_scan_lists_record_numbers_as_json_and_junit(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("id,notes\n1,renewal\n2,renewal\n3,green card holder\n")
    run = redact("scan", path, "--format", "json")
    assert run.code == 1
    found = json.loads(run.out)["findings"]
    assert [(f["path"], f["rows"], f["count"]) for f in found] == [("notes", [3], 1)]
    run = redact("scan", path, "--format", "junit")
    assert run.code == 1
    assert 'failures="1"' in run.out and "green" not in run.out


def test_scan_of_a_release_output_is_clean(tmp_path):
    src = tmp_path / "in" / "x.csv"
    src.parent.mkdir()
    src.write_text(f"id,A #,notes,permit\n1,{CANARY},is undocumented,B12345678\n2,,ok,A12345678\n")
    assert redact("scan", src).code == 1
    run = redact("release", src, "-r", "R", "-o", tmp_path / "out", "--no-validate")
    assert run.code == 0, run.err
    assert redact("scan", tmp_path / "out" / "x.csv").code == 0


def test_pre_commit_hook_is_declared():
    import yaml

    hooks = yaml.safe_load((Path(__file__).parents[2] / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["entry"]) for h in hooks] == [("redact-scan", "redact scan")]


def test_scan_junit_is_well_formed_xml_whatever_the_column_names(tmp_path):
    import xml.etree.ElementTree as ET

    path = tmp_path / "x.csv"
    path.write_text('id,"a<b & ""c""","x]]>y",notes\n1,x,y,renewal\n2,x,y,green card holder\n')
    run = redact("scan", path, "--format", "junit")
    assert run.code == 1
    root = ET.fromstring(run.out.encode())
    (suite,) = root.iter("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("4", "1")
    names = [c.get("name") for c in suite.iter("testcase")]
    assert names == ["id", 'a<b & "c"', "x]]>y", "notes"]
    # A control character in a header is refused before any work (names are data too).
    path.write_text("id,bell\x07,notes\n1,y,renewal\n")
    assert redact("scan", path, "--format", "junit").code == 3
    (failure,) = root.iter("failure")
    assert "record(s) 2" in failure.get("message") and "green" not in run.out


@pytest.mark.parametrize(("suffix", "delimiter"), [(".psv", "|"), (".tab", "\t"), (".txt", ";")])
def test_delimited_text_suffixes_agencies_use_are_released_as_csv(tmp_path, suffix, delimiter):
    src = tmp_path / "in" / f"parties{suffix}"
    src.parent.mkdir()
    rows = [["case_no", "party_name", "citizenship"], ["26CR0001", "Lee, Pat", "LPR"]]
    rows += [[f"26CR{i:04d}", f"Party {i}", "US CITIZEN"] for i in range(2, 40)]
    src.write_text("\n".join(delimiter.join(r) for r in rows) + "\n", encoding="utf-8")
    run = redact("release", src, "-r", "R", "-o", tmp_path / "out", "--no-validate")
    assert run.code == 0, run.err
    out = (tmp_path / "out" / src.name).read_text(encoding="utf-8").splitlines()
    assert out[0].replace('"', "").split(delimiter) == rows[0]
    got = [line.replace('"', "").split(delimiter) for line in out[1:]]
    assert [g[:2] for g in got] == [r[:2] for r in rows[1:]]
    assert {g[2] for g in got} == {""}
