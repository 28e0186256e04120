"""Whole releases through the real command line: bytes written, exit codes, leftovers."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq
import pytest
from helpers import CANARIES, GOLDEN, REPO, SAMPLES, canary_hits, files_under, redact

UPDATE = os.environ.get("REDACT_UPDATE_GOLDEN") == "1"
CANARY_VALUES = sorted(set(CANARIES.values()))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _golden(name: str, produced: Path) -> None:
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        shutil.copy(produced, golden)
    assert produced.read_bytes() == golden.read_bytes(), f"{name} differs from its golden file"


@pytest.mark.parametrize(
    ("source", "dataset", "golden"),
    [
        ("dmv_drivers.csv", "dmv_drivers", "dmv_drivers.contract.csv"),
        ("dmv_drivers.jsonl", "dmv_drivers", "dmv_drivers.contract.jsonl"),
        ("dmv_drivers.csv", None, "dmv_drivers.detected.csv"),
        ("dmv_vehicles.csv", "dmv_vehicles", "dmv_vehicles.contract.csv"),
    ],
)
def test_release_matches_golden_output(tmp_path, source, dataset, golden):
    src = SAMPLES / source
    before = _sha(src)
    args = [
        "release",
        src,
        "--recipient",
        "Example Insurance Co",
        "--out",
        tmp_path / "outbox",
        "--no-validate",
    ]
    if dataset:
        args += ["--dataset", dataset]
    run = redact(*args)
    assert run.code == 0, run.err
    out = tmp_path / "outbox" / source
    _golden(golden, out)
    assert _sha(src) == before, "the input was modified"
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == [source]


def test_parquet_release_keeps_schema_and_rows(tmp_path):
    src = SAMPLES / "dmv_drivers.parquet"
    run = redact(
        "release",
        src,
        "-r",
        "Example Insurance Co",
        "-o",
        tmp_path / "out",
        "-d",
        "dmv_drivers",
        "--no-validate",
    )
    assert run.code == 0, run.err
    out = pq.read_table(tmp_path / "out" / src.name)
    inp = pq.read_table(src)
    assert out.schema.remove_metadata() == inp.schema.remove_metadata()
    assert out.num_rows == inp.num_rows
    for col in ("a_number", "country_of_birth", "citizenship_status", "itin"):
        assert out.column(col).null_count == out.num_rows
    assert out.column("driver_id").to_pylist() == inp.column("driver_id").to_pylist()
    assert "SB251" not in out.column("license_type").to_pylist()
    _golden("dmv_drivers.contract.parquet.json", _rows_json(out, tmp_path))


def _rows_json(table: pa.Table, tmp: Path) -> Path:
    path = tmp / "rows.json"
    path.write_text(json.dumps(table.to_pylist(), default=str, indent=0, sort_keys=True))
    return path


@pytest.mark.parametrize("source", ["dmv_drivers.csv", "dmv_drivers.parquet", "dmv_drivers.jsonl"])
@pytest.mark.parametrize("dataset", ["dmv_drivers", None])
def test_canary_sweep_over_everything_a_release_writes(tmp_path, source, dataset):
    args = [
        "release",
        SAMPLES / source,
        "-r",
        "Example Insurance Co",
        "-o",
        tmp_path / "outbox",
        "--no-validate",
    ]
    if dataset:
        args += ["-d", dataset]
    run = redact(*args)
    assert run.code == 0, run.err
    out_file = tmp_path / "outbox" / source
    texts = [run.out, run.err]
    if source.endswith(".parquet"):
        texts.append(json.dumps(pq.read_table(out_file).to_pylist(), default=str))
    files = [f for f in files_under(tmp_path) if not f.name.endswith(".parquet")]
    assert canary_hits(CANARY_VALUES, texts, files) == []
    json_run = redact(*args[:5], tmp_path / "outbox2", *args[6:], "--json")
    assert canary_hits(CANARY_VALUES, [json_run.out, json_run.err]) == []


def test_plan_prints_decisions_and_writes_nothing(tmp_path):
    run = redact("plan", SAMPLES / "dmv_drivers.csv", "--json")
    assert run.code == 0, run.err
    plan = json.loads(run.out)
    actions = {c["column"]: c["action"] for c in plan["columns"]}
    assert actions["a_number"] == "null"
    assert actions["notes"] == "scrub"
    # No contract, so no allowlist of neutral values: withheld whole.
    assert actions["license_type"] == "null"
    assert actions["driver_id"] == "release"
    assert list(tmp_path.iterdir()) == []
    assert canary_hits(CANARY_VALUES, [run.out]) == []


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


HEADER = b"driver_id,height_in,notes\n"
CASES = [
    # (file name, bytes or None for missing, dataset, exit code, reason words)
    ("missing.csv", None, None, 3, "file not found"),
    ("empty.csv", b"", None, 3, "empty"),
    ("header_only.csv", HEADER, None, 3, "no records"),
    ("dupes.csv", b"a,b,a\n1,2,3\n", None, 3, "column 'a' appears more than once"),
    ("latin1.csv", b"name,notes\nJos\xe9,hola\n", None, 3, "not valid utf-8 text at line 2"),
    ("bad_type.csv", None, "dmv_vehicles", 3, "column 'model_year' is declared int64 but record 3"),
    ("ragged.csv", b"a,b\n1,2\n3,4,5\n", None, 3, "wrong number of fields"),
    # a quote opened in line 2 and never closed swallowed every later record (issue 15)
    (
        "unterminated.csv",
        HEADER + b'1,60,"open\n2,61,SECRET-1999\n3,62,x\n4,63,y\n',
        None,
        3,
        "line 2: a quoted field opens and is never closed",
    ),
    ("x.xlsx", b"PK\x03\x04", None, 2, "cannot tell the format"),
    ("ok.csv", b"a\n1\n", "no_such_dataset", 4, "unknown dataset 'no_such_dataset'"),
    ("missing_cols.csv", b"vin,plate\nX,Y\n", "dmv_vehicles", 3, "are missing: make"),
    ("bad.jsonl", b'{"a": 1}\n{"a": \n', None, 3, "line 2 is not valid JSON"),
    ("bad.parquet", b"PAR1 not really", None, 3, "not a readable parquet file"),
]


def _vehicles_with_bad_year(path: Path) -> Path:
    lines = (SAMPLES / "dmv_vehicles.csv").read_text().splitlines()
    cells = lines[3].split(",")
    cells[3] = "SECRET-1999"  # a value that must not be echoed
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("name", "data", "dataset", "code", "words"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_gets_a_clear_error_and_no_output(tmp_path, name, data, dataset, code, words):
    src = tmp_path / "in" / name
    src.parent.mkdir()
    if name == "bad_type.csv":
        _vehicles_with_bad_year(src)
    elif data is not None:
        _write(src, data)
    args = ["release", src, "-r", "R", "-o", tmp_path / "outbox", "--no-validate"]
    if dataset:
        args += ["-d", dataset]
    run = redact(*args)
    assert run.code == code, run.err
    msg = " ".join(run.err.split()).lower()
    assert words.lower() in msg
    assert "secret-1999" not in msg and "jos" not in msg
    assert "traceback" not in msg
    assert (
        list((tmp_path / "outbox").glob("**/*")) == [] if (tmp_path / "outbox").exists() else True
    )


@pytest.mark.parametrize("mode", ["fail", "quarantine"])
def test_unterminated_quote_is_refused_with_nothing_published_or_recorded(tmp_path, mode):
    # issue 15, defect 1: the open quote swallowed four records into one cell, exit 0;
    # quarantine cannot tell where the merged records end, so it refuses as well
    src = _write(tmp_path / "u.csv", HEADER + b'1,60,"open\n2,61,SECRET-1999\n3,62,x\n')
    out = tmp_path / "outbox"
    run = redact("release", src, "-r", "R", "-o", out, "--no-validate", "--bad-records", mode)
    assert run.code == 3, run.err
    assert "line 2" in run.err and "SECRET" not in run.err
    assert not out.exists() or [p for p in out.rglob("*") if p.is_file()] == []


def test_stray_quote_inside_an_unquoted_field_is_text(tmp_path):
    # an odd number of quotes is not always an open quote: 12" is a length
    src = _write(tmp_path / "s.csv", HEADER + b'1,12" long,x\n2,60,"a ""q"""\n')
    out = tmp_path / "outbox"
    run = redact("release", src, "-r", "R", "-o", out, "--no-validate")
    assert run.code == 0, run.err
    assert (out / "s.csv").read_bytes().count(b"\n") == 3  # header + 2 records


def test_output_never_overwrites_input_or_earlier_release(tmp_path):
    src = tmp_path / "x.csv"
    src.write_text("driver_id\n1\n")
    assert redact("release", src, "-r", "R", "-o", tmp_path, "--no-validate").code == 2
    out = tmp_path / "outbox"
    assert redact("release", src, "-r", "R", "-o", out, "--no-validate").code == 0
    run = redact("release", src, "-r", "R", "-o", out, "--no-validate")
    assert run.code == 2 and "--overwrite" in run.err
    assert redact("release", src, "-r", "R", "-o", out, "--no-validate", "--overwrite").code == 0


def _big_csv_with_late_hit(path: Path, rows: int, hit_row: int) -> None:
    with path.open("w") as f:
        f.write("record_id,ref_code,comment_ok\n")
        for i in range(1, rows + 1):
            ref = "A123456789" if i == hit_row else f"R{i:09d}"
            f.write(f"{i},{ref},fine\n")


def _contract(tmp_path: Path) -> str:
    d = tmp_path / "schemas" / "datasets"
    d.mkdir(parents=True)
    shutil.copy(REPO / "schemas" / "policy.yaml", tmp_path / "schemas" / "policy.yaml")
    (d / "refs.yaml").write_text(
        "dataset: refs\ntitle: t\ncolumns:\n"
        "  - {name: record_id, type: int64, category: releasable}\n"
        "  - {name: ref_code, type: string, category: releasable}\n"
        "  - {name: comment_ok, type: string, category: releasable}\n"
    )
    return "refs"


def test_guard_fails_closed_on_a_late_protected_value(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACT_SCHEMAS", str(tmp_path / "schemas"))
    src = tmp_path / "refs.csv"
    _big_csv_with_late_hit(src, 300_000, 299_990)
    run = redact(
        "release",
        src,
        "-r",
        "R",
        "-o",
        tmp_path / "outbox",
        "-d",
        _contract(tmp_path),
        "--no-validate",
    )
    assert run.code == 4
    msg = " ".join(run.err.split())
    assert "column 'ref_code'" in msg and "record 299990" in msg and "a_number" in msg
    assert "A123456789" not in run.err
    assert list((tmp_path / "outbox").rglob("*")) == []


def test_guard_can_withhold_the_column_for_every_row(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACT_SCHEMAS", str(tmp_path / "schemas"))
    src = tmp_path / "refs.csv"
    _big_csv_with_late_hit(src, 5_000, 4_999)
    run = redact(
        "release",
        src,
        "-r",
        "R",
        "-o",
        tmp_path / "outbox",
        "-d",
        _contract(tmp_path),
        "--no-validate",
        "--on-guard-hit",
        "withhold",
        "--json",
    )
    assert run.code == 0, run.err
    result = json.loads(run.out)
    ref = next(c for c in result["columns"] if c["column"] == "ref_code")
    assert ref["action"] == "null" and "guard:a_number" in json.dumps(ref)
    body = (tmp_path / "outbox" / "refs.csv").read_text()
    assert "A123456789" not in body and "R000000001" not in body  # every row withheld
    assert body.count("\n") == 5_001


def test_failed_run_leaves_no_staging_file(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACT_SCHEMAS", str(tmp_path / "schemas"))
    src = tmp_path / "refs.csv"
    _big_csv_with_late_hit(src, 200_000, 199_000)
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / "earlier.csv").write_text("kept\n")
    redact("release", src, "-r", "R", "-o", outbox, "-d", _contract(tmp_path), "--no-validate")
    assert sorted(p.name for p in outbox.rglob("*")) == ["earlier.csv"]


def test_bad_records_can_be_left_out_and_counted(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_bytes(b"driver_id,city\nD100001,Denver\nD100002,Caf\xe9\nD100003,Aurora\n")
    run = redact("release", src, "-r", "R", "-o", "outbox", "--no-validate")
    assert run.code == 3 and "record 2" in " ".join(run.err.split())
    run = redact(
        "release", src, "-r", "R", "-o", "outbox", "--no-validate",
        "--bad-records", "quarantine", "--json",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert json.loads(run.out)["bad_records"] == 1
    assert (tmp_path / "outbox" / "bad.csv").read_text().splitlines()[1:] == [
        '"D100001","Denver"',
        '"D100003","Aurora"',
    ]


def test_a_command_exit_code_reaches_the_shell(tmp_path):
    clean = tmp_path / "clean.csv"
    clean.write_text("driver_id,city\nD100001,Denver\n")
    dirty = tmp_path / "dirty.csv"
    dirty.write_text("driver_id,ref\nD100001,A123456789\n")
    assert redact("scan", clean).code == 0
    assert redact("scan", dirty).code == 1


def test_guard_reads_parquet_dictionaries_and_names_the_record(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACT_SCHEMAS", str(tmp_path / "schemas"))
    n = 150_000
    codes = ["R1", "R2", "R3"] * (n // 3)
    codes[139_999] = "A123456789"  # record 140,000, in the third batch
    src = tmp_path / "refs.parquet"
    table = pa.table(
        {
            "record_id": pa.array(range(1, n + 1), pa.int64()),
            "ref_code": codes,  # low cardinality: stored with a small dictionary page
            "comment_ok": ["fine"] * n,
        }
    )
    pq.write_table(table, src, row_group_size=50_000)
    run = redact(
        "release", src, "-r", "R", "-o", "outbox", "-d", _contract(tmp_path), "--no-validate"
    )
    assert run.code == 4, run.err
    msg = " ".join(run.err.split())
    assert "column 'ref_code'" in msg and "record 140000" in msg
    assert "A123456789" not in run.err
    codes[139_999] = "R9"
    pq.write_table(table.set_column(1, "ref_code", pa.array(codes)), src, row_group_size=50_000)
    run = redact("release", src, "-r", "R", "-o", "outbox", "-d", "refs", "--no-validate")
    assert run.code == 0, run.err
    out = pq.read_table(tmp_path / "outbox" / "refs.parquet")
    assert out.schema == pq.read_schema(src).remove_metadata()  # plain text, not dictionaries
    assert out.column("ref_code").to_pylist() == codes


@pytest.mark.parametrize(
    ("source", "dataset"),
    [
        ("dmv_drivers.parquet", "dmv_drivers"),  # nulls, a scrub and a generalize
        ("dmv_drivers.parquet", None),  # profiled first
        ("dmv_vehicles.parquet", "dmv_vehicles"),
        ("dmv_drivers.csv", "dmv_drivers"),  # declared types checked value by value
    ],
)
def test_release_does_not_import_pandas_or_alembic(tmp_path, source, dataset):
    # pyarrow imports pandas (~40 MB resident) the first time it converts a Python value
    # (pa.array, pa.scalar, a compute call given a Python literal): redaction.literals
    # builds them from buffers instead. Alembic (~9 MB) is for migrating a ledger only.
    from redaction.ledger import Ledger

    ledger_url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    Ledger.open(ledger_url).close()  # created and migrated here
    code = (
        "import sys; from pathlib import Path;"
        "from redaction.release import ReleaseOptions, release;"
        f"release({str(SAMPLES / source)!r}, ReleaseOptions(recipient='R', dataset={dataset!r},"
        f" outbox=Path({str(tmp_path / 'out')!r}), validate=False,"
        f" ledger_url={ledger_url!r}));"
        "sys.exit(sorted({'pandas', 'alembic'} & set(sys.modules)) or None)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_source_hash_taken_while_reading_is_the_files(tmp_path, monkeypatch):
    from redaction.io import readers
    from redaction.io.readers import open_source

    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", 4096)  # many blocks, joined in batches
    src = tmp_path / "refs.csv"
    _big_csv_with_late_hit(src, 20_000, 0)
    run = redact("release", src, "-r", "R", "-o", "outbox", "--no-validate", "--json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["source_sha256"] == _sha(src)
    opened = open_source(src)
    assert opened.read_digest is None
    assert sum(b.num_rows for b in opened.batches()) == 20_000
    assert opened.read_digest is not None and opened.sha256() == _sha(src)
    with src.open("a") as f:
        f.write("20001,R999999999,ok\n")  # changed since the read: hashed again
    assert opened.sha256() == _sha(src)


def test_csv_record_over_a_parse_block_still_reads(tmp_path):
    src = tmp_path / "notes.csv"
    big = "fine " * 400_000  # a 2 MB value: over one 1 MiB parse block
    rows = [f"D{i:06d},Denver,ok" for i in range(30_000)]
    rows[20_000] = f'D020000,Denver,"{big}"'
    src.write_text("driver_id,city,remark\n" + "\n".join(rows) + "\n")
    run = redact("release", src, "-r", "R", "-o", "outbox", "--no-validate", "--json")
    assert run.code == 0, run.err
    assert json.loads(run.out)["source_sha256"] == _sha(src)
    big_blocks = pa.csv.ReadOptions(block_size=8 << 20)
    out = pa.csv.read_csv(tmp_path / "outbox" / "notes.csv", read_options=big_blocks)
    assert out.num_rows == 30_000 and out.column("remark")[20_000].as_py() == big


def test_csv_error_names_the_same_record_as_with_large_blocks(tmp_path, monkeypatch):
    from redaction.io import readers

    src = tmp_path / "ragged.csv"
    rows = [f"D{i:06d},Denver,ok" for i in range(300_000)]
    rows[250_000] += ",extra"
    src.write_text("driver_id,city,remark\n" + "\n".join(rows) + "\n")
    first = redact("release", src, "-r", "R", "-o", "outbox", "--no-validate")
    monkeypatch.setattr(readers, "CSV_BLOCK_BYTES", readers.CSV_RETRY_BLOCK_BYTES)
    before = redact("release", src, "-r", "R", "-o", "outbox", "--no-validate")
    assert first.code == before.code == 3
    assert "wrong number of fields" in first.err and first.err == before.err


@pytest.mark.parametrize(
    ("declared", "values"),
    [
        ("int64", ["12", "0", None, "", "007"]),  # plain: no error
        ("int64", ["12", "1\n2", "3"]),  # a line break inside a value
        ("int64", ["12", " 3 ", "+4", "x", "NULL", "1.5"]),
        ("int64", ["12", "\n", "3"]),
        ("date", ["2020-01-02", None, "", "1999-12-31"]),
        ("date", ["2020-01-02", "2020-1-2", "01/02/2020", "2020-01-02x", "N/A", "20200102"]),
        ("date", ["2020-01-02\n2020-01-03"]),
        ("timestamp", ["2020-01-02 10:00", "x"]),  # no plain spelling: value by value
    ],
)
def test_type_check_joined_agrees_with_value_by_value(declared, values, monkeypatch):
    from redaction.io import readers

    arr = pa.array(values, pa.string())
    fast = readers.text_type_errors(arr, declared).to_pylist()
    monkeypatch.setattr(readers, "_all_plain", lambda arr, declared: False)
    assert fast == readers.text_type_errors(arr, declared).to_pylist()


def _dead_pid() -> int:
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def test_staging_is_outside_the_outbox_and_dead_runs_are_cleaned(tmp_path):
    # issue 15, defect 2: a killed run left OUTBOX/.redact-staging/<uuid>/ with its file
    out = tmp_path / "outbox"
    root = tmp_path / ".redact-staging-outbox"
    dead = root / ("a" * 32)
    dead.mkdir(parents=True)
    (dead / "pid").write_text(str(_dead_pid()))
    (dead / "x.csv").write_bytes(b"partial")
    live = root / ("b" * 32)
    live.mkdir()
    (live / "pid").write_text(str(os.getpid()))  # a live run: left alone
    src = _write(tmp_path / "x.csv", b"driver_id\n1\n")
    run = redact("release", src, "-r", "R", "-o", out, "--no-validate")
    assert run.code == 0, run.err
    assert sorted(p.name for p in out.rglob("*")) == ["x.csv"]
    assert not dead.exists() and live.exists()


def test_symlinked_staging_or_outbox_is_refused(tmp_path):
    # issue 15, defect 3: a planted staging symlink made the release write outside
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    src = _write(tmp_path / "x.csv", b"driver_id\n1\n")
    out = tmp_path / "outbox"
    (tmp_path / ".redact-staging-outbox").symlink_to(elsewhere)
    run = redact("release", src, "-r", "R", "-o", out, "--no-validate")
    assert run.code == 3 and "symlink" in run.err, run.err
    assert list(elsewhere.rglob("*")) == []
    link = tmp_path / "linked"
    link.symlink_to(elsewhere)
    run = redact("release", src, "-r", "R", "-o", link, "--no-validate")
    assert run.code == 3 and "symlink" in run.err, run.err
    assert list(elsewhere.rglob("*")) == []


def test_reconcile_reports_and_removes_staging_of_dead_runs(tmp_path, monkeypatch):
    # issue 15, defect 2: reconcile said ok while a killed run's staged file remained
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "outbox"
    out.mkdir()
    dead = tmp_path / ".redact-staging-outbox" / ("c" * 32)
    dead.mkdir(parents=True)
    (dead / "pid").write_text(str(_dead_pid()))
    run = redact("ledger", "reconcile", "--outbox", out)
    assert run.code == 6 and "dead runs" in run.out + run.err, run.out + run.err
    assert dead.exists()
    run = redact("ledger", "reconcile", "--outbox", out, "--record")
    assert run.code == 0, run.out + run.err
    assert not dead.exists()
