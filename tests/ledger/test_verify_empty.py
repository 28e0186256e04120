"""``ledger verify`` must not call a missing or empty ledger intact (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import redact


def test_missing_sqlite_ledger_fails_and_is_not_created(tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "dir" / "x.db"
    run = redact("ledger", "verify", "--ledger", f"sqlite:///{db}")
    assert run.code == 6, run.out + run.err
    assert "ok:" not in run.out
    assert not db.exists()
    assert not (tmp_path / "no").exists()


def test_empty_ledger_fails_unless_allowed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    # `ledger head` opens (and so creates) an empty ledger
    assert redact("ledger", "head", "--ledger", url).code == 0
    assert redact("ledger", "verify", "--ledger", url).code == 6
    run = redact("ledger", "verify", "--ledger", url, "--allow-empty")
    assert run.code == 0, run.err
    assert "0 entries" in run.out


def test_default_ledger_warns_it_depends_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REDACT_LEDGER_URL", raising=False)
    run = redact("ledger", "verify", "--allow-empty")
    assert run.code == 0, run.err
    assert "working directory" in run.err
