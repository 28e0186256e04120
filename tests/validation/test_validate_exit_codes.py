"""``redact validate`` exit codes match its help (issue 18)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import redact

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"


def test_wrong_contract_is_a_validation_failure() -> None:
    run = redact("validate", str(SAMPLES / "dmv_drivers.csv"), "--dataset", "dmv_vehicles")
    assert run.code == 5, run.err
    assert "are missing: vin" in run.err


def test_unknown_contract_is_refused() -> None:
    run = redact("validate", str(SAMPLES / "dmv_drivers.csv"), "--dataset", "nosuch")
    assert run.code == 4, run.err


def test_help_names_the_exit_codes() -> None:
    run = redact("validate", "--help")
    assert run.code == 0
    assert "5 if not" in run.out
