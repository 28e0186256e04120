"""The release validates CSV and Parquet outputs while it writes them: what the ledger,
the outbox and the quarantine hold when the staged file is not the file validated, when
the gate itself breaks, and when the release stops half way (real GX, real files)."""

from __future__ import annotations

import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from helpers import SAMPLES, redact

import redaction.release as release_mod
from redaction.ledger import Ledger


def _gate_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "redact-gate"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_release_is_validated_while_written_and_bound_to_the_file(tmp_path: Path, fmt: str):
    run = redact(
        "release",
        SAMPLES / f"dmv_drivers.{fmt}",
        "-d",
        "dmv_drivers",
        "-r",
        "R",
        "-o",
        "outbox",
        "--json",
    )
    assert run.code == 0, run.err
    ledger = Ledger.open()
    (validation,) = [e.payload for e in ledger.entries() if e.kind == "validation"]
    assert validation["passed"] is True and validation["rows"] == 200
    assert not _gate_threads()


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_staged_file_rewritten_after_writing_is_quarantined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
):
    real = release_mod.stream

    def rewrite_after(src, plan_, policy, contract, staged, **kw):  # type: ignore[no-untyped-def]
        result = real(src, plan_, policy, contract, staged, **kw)
        # Something replaces the staged file after the writer closed it: still a
        # well-formed output, but not the bytes the gate validated.
        if fmt == "parquet":
            table = pq.read_table(staged.path)
            pq.write_table(table.slice(1), staged.path)
        else:
            with staged.path.open("ab") as fh:
                fh.write(b"\n")
        return result

    monkeypatch.setattr(release_mod, "stream", rewrite_after)
    run = redact(
        "release", SAMPLES / f"dmv_drivers.{fmt}", "-d", "dmv_drivers", "-r", "R", "-o", "outbox"
    )
    assert run.code == 5, run.err
    assert not list((tmp_path / "outbox").glob(f"*.{fmt}"))
    assert len(list((tmp_path / "quarantine").glob(f"*.{fmt}"))) == 1
    ledger = Ledger.open()
    (validation,) = [e.payload for e in ledger.entries() if e.kind == "validation"]
    assert validation["passed"] is False
    assert "expect_file_to_match_validated_batches:None" in validation["failed_checks"]
    assert "release.intent" not in [e.kind for e in ledger.entries()]


def test_a_broken_gate_publishes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from redaction.validation import gx_runner

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the validation engine failed")

    monkeypatch.setattr(gx_runner.GxRunner, "run", broken)
    run = redact(
        "release", SAMPLES / "dmv_drivers.parquet", "-d", "dmv_drivers", "-r", "R", "-o", "outbox"
    )
    assert run.code != 0
    assert list((tmp_path / "outbox").rglob("*")) == []
    assert "release.intent" not in [e.kind for e in Ledger.open().entries()]
    assert not _gate_threads()


def test_a_release_stopped_half_way_stops_its_gate(tmp_path: Path):
    # A column the contract does not declare as int64 holds text in record 1: the
    # release stops while the gate waits for batches.
    src = tmp_path / "drivers.csv"
    lines = (SAMPLES / "dmv_drivers.csv").read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[150].split(",")
    cells[header.index("height_in")] = "tall"
    lines[150] = ",".join(cells)
    src.write_text("\n".join(lines) + "\n")
    run = redact("release", src, "-d", "dmv_drivers", "-r", "R", "-o", "outbox")
    assert run.code == 3, run.err
    assert list((tmp_path / "outbox").rglob("*")) == []
    assert not _gate_threads()
