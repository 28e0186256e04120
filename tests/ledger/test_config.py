"""Where the ledger lives."""

from __future__ import annotations

from pathlib import Path

import pytest

from redaction.errors import LedgerUnavailable, UsageError
from redaction.ledger import Ledger
from redaction.ledger.config import ENV_VAR, resolve_url


def test_default_is_a_sqlite_file_under_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(ENV_VAR, raising=False)
    with Ledger.open() as ledger:
        assert ledger.dialect == "sqlite"
    assert (tmp_path / ".redact" / "ledger.sqlite3").is_file()


def test_environment_variable_then_explicit_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "postgresql://u:secret@db.example/ledger")
    assert resolve_url().drivername == "postgresql+psycopg"
    explicit = resolve_url(f"sqlite:///{tmp_path}/x.sqlite3")
    assert explicit.get_backend_name() == "sqlite"


@pytest.mark.parametrize(
    "url",
    [
        "mysql://u@h/db",  # unsupported database
        "sqlite://",  # in-memory: lost at exit
        "not a url",  # unparseable
    ],
)
def test_bad_urls_are_usage_errors(url: str) -> None:
    with pytest.raises(UsageError):
        resolve_url(url)


def test_unreachable_postgres_is_ledger_unavailable_and_hides_password() -> None:
    with pytest.raises(LedgerUnavailable) as info:
        Ledger.open("postgresql://u:secret@127.0.0.1:1/ledger?connect_timeout=2")
    assert "secret" not in str(info.value)
    assert info.value.transient
