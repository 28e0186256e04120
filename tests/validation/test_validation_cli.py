"""``redact validate``: exit 0 on a good output, 5 on a bad one, no value on the terminal."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from gate_data import good_table, spec_for, with_cell, write
from helpers import REPO

from redaction.cli.app import main
from redaction.validation import ValidationSpec

GOLDEN = REPO / "tests" / "golden" / "dmv_drivers.contract.csv"
CANARY = "CANARYCLI9Z1X"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as done:
        main(argv)
    out = capsys.readouterr()
    return int(done.value.code or 0), out.out + out.err


@pytest.mark.parametrize(("plant", "code"), [(False, 0), (True, 5)])
def test_exit_code_follows_outcome(
    plant: bool,
    code: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The gate's own test spec stands in for the contract code: the exit code follows
    # the outcome alone.
    import redaction.validate

    good = good_table(50)
    table = with_cell(good, "name", 4, f"{CANARY} A123456789") if plant else good
    path = write(table, "parquet", tmp_path / "out.parquet")
    seen: list[tuple[Path, str | None, Path | None]] = []

    def fake_spec_for_file(
        file: Path, dataset: str | None, policy_path: Path | None
    ) -> tuple[ValidationSpec, str]:
        seen.append((file, dataset, policy_path))
        return spec_for(good, "parquet"), "parquet"

    monkeypatch.setattr(redaction.validate, "spec_for_file", fake_spec_for_file)
    got, text = _run(["validate", str(path), "--dataset", "dmv_test", "--json"], capsys)
    assert got == code
    assert seen == [(path, "dmv_test", None)]
    outcome = json.loads(text[: text.rindex("}") + 1])
    assert outcome["success"] is (not plant)
    assert CANARY not in text


def test_golden_output_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(["validate", str(GOLDEN), "--dataset", "dmv_drivers", "--json"], capsys)
    assert code == 0, text
    assert json.loads(text)["success"] is True


def test_extra_column_fails_with_exit_5(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "dmv_drivers.csv"
    with GOLDEN.open(newline="") as src, bad.open("w", newline="") as dst:
        rows = csv.reader(src)
        out = csv.writer(dst)
        out.writerow([*next(rows), "citizenship_note"])
        for row in rows:
            out.writerow([*row, CANARY])
    docs = tmp_path / "docs"
    code, text = _run(
        ["validate", str(bad), "--dataset", "dmv_drivers", "--docs", str(docs)], capsys
    )
    assert code == 5
    assert "FAILED" in text
    assert CANARY not in text
    leaks = [p for p in docs.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]
    assert leaks == []
