"""Fuzz campaign (issue 15): malformed CSV, JSON lines, Parquet, dataset-contract YAML
and policy YAML (``--policy``) through ``redact release``. Every case ends with a
documented exit code; a failure is one ``error:`` message (no traceback, no 'internal
error'), never a planted value, and leaves nothing in the outbox.

CI runs a fixed, derandomised subset (``REDACT_FUZZ_EXAMPLES``, default 15 per format);
``REDACT_FUZZ_EXAMPLES=250 pytest tests/test_fuzz.py`` is the 1,000-case campaign.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from helpers import REPO, Run, redact
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("REDACT_FUZZ_EXAMPLES", "15"))
DOCUMENTED = {0, 2, 3, 4, 5, 6, 7}
CANARY = "A099887766"
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Exit codes seen, by format (printed at the end of the session with -s).
SEEN: dict[str, Counter[int]] = {}

BASE_CSV = (
    "driver_id,first_name,zip,notes\n"
    f'D1,Ana,80202,"renewal ok"\n'
    f'D2,Bob,80203,"status {CANARY} on file"\n'
    f'D3,Cy,80204,"moved, new address"\n'
).encode()
BASE_JSONL = "".join(
    json.dumps(r) + "\n"
    for r in [
        {"driver_id": "D1", "zip": "80202", "notes": "renewal ok", "doc": {"kind": "dl"}},
        {"driver_id": "D2", "zip": "80203", "notes": f"status {CANARY}", "doc": {"kind": "x"}},
        {"driver_id": "D3", "zip": "80204", "notes": "moved", "doc": None},
    ]
).encode()


def _parquet_bytes() -> bytes:
    buf = io.BytesIO()
    table = pa.table(
        {
            "driver_id": ["D1", "D2", "D3"],
            "zip": ["80202", "80203", "80204"],
            "notes": ["renewal ok", f"status {CANARY}", "moved"],
            "doc": [{"kind": "dl"}, {"kind": "x"}, None],
        }
    )
    pq.write_table(table, buf)
    return buf.getvalue()


BASE_PARQUET = _parquet_bytes()

#: Pieces a malformed file is made of: quotes, delimiters, line ends, NULs, BOMs,
#: invalid UTF-8, deep brackets, huge numbers, long runs.
PIECES = st.sampled_from(
    [
        b'"', b",", b";", b"\n", b"\r\n", b"\r", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe",
        b"\xc3", b"\xff", b"{", b"}", b"[", b"]", b"[" * 200, b"9" * 30, b"-", b"null",
        b"A123456789", b"\xe2\x80\xae", b"\t", b" " * 50, b"x" * 5000,
    ]
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a few insertions, deletions, overwrites, or a truncation."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["insert", "delete", "flip", "truncate", "splice"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "insert":
            data[at:at] = draw(PIECES)
        elif op == "delete" and data:
            del data[at : at + draw(st.integers(1, 8))]
        elif op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[at:]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


def _check(kind: str, name: str, content: bytes, *extra: str) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / name
        src.write_bytes(content)
        outbox = work / "outbox"
        run = redact(
            "release", src, "-r", "Acme Insurance", "-o", outbox, "--no-validate",
            "--quarantine", work / "quarantine", *extra,
        )  # fmt: skip
        SEEN.setdefault(kind, Counter())[run.code] += 1
        assert run.code in DOCUMENTED, run.err
        text = run.out + run.err
        assert "Traceback" not in text and "internal error" not in text, run.err
        assert CANARY not in text
        if run.code != 0:
            assert run.err.startswith("error:"), run.err
            assert not outbox.exists() or not any(outbox.rglob("*")), run.err
        return run


@FUZZ
@given(mutated(BASE_CSV))
def test_malformed_csv(content: bytes) -> None:
    _check("csv", "drivers.csv", content)


@FUZZ
@given(mutated(BASE_JSONL))
def test_malformed_jsonl(content: bytes) -> None:
    _check("jsonl", "drivers.jsonl", content)


@FUZZ
@given(mutated(BASE_PARQUET))
def test_malformed_parquet(content: bytes) -> None:
    _check("parquet", "drivers.parquet", content)


CONTRACT = """dataset: fuzz
description: a fuzzed contract
columns:
  - {name: driver_id, type: string, category: releasable}
  - {name: first_name, type: string, category: releasable}
  - {name: zip, type: string, category: releasable}
  - {name: notes, type: string, category: releasable}
"""


@pytest.fixture(scope="module")
def fuzz_schemas() -> object:
    root = Path(tempfile.mkdtemp(prefix="redact-fuzz-schemas-"))
    shutil.copytree(REPO / "schemas", root / "schemas")
    yield root / "schemas"
    shutil.rmtree(root)


@FUZZ
@given(content=mutated(CONTRACT.encode()))
def test_malformed_contract_yaml(
    fuzz_schemas: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    (fuzz_schemas / "datasets" / "fuzz.yaml").write_bytes(content)
    monkeypatch.setenv("REDACT_SCHEMAS", str(fuzz_schemas))
    _check("contract yaml", "drivers.csv", BASE_CSV, "-d", "fuzz")


POLICY = (REPO / "schemas" / "policy.yaml").read_bytes()


@FUZZ
@given(content=mutated(POLICY))
def test_malformed_policy_yaml(content: bytes) -> None:
    """A damaged policy file (``--policy``): a documented code, and an error about the
    policy names the file."""
    with tempfile.TemporaryDirectory() as tmp:
        policy = Path(tmp) / "fuzz-policy.yaml"
        policy.write_bytes(content)
        run = _check("policy yaml", "drivers.csv", BASE_CSV, "--policy", str(policy))
        if run.code == 4:
            assert run.err.startswith(f"error: {policy}"), run.err


def test_zz_print_figures() -> None:
    # Runs last in the file: the exit codes the campaign ended with, per format.
    total = sum(sum(c.values()) for c in SEEN.values())
    for kind, codes in sorted(SEEN.items()):
        print(f"fuzz {kind}: {sum(codes.values())} cases, exit codes {dict(sorted(codes.items()))}")
    print(f"fuzz: {total} cases, {total} ended in a documented code with a clean message")
    assert total == 0 or all(set(c) <= DOCUMENTED for c in SEEN.values())
