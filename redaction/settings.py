"""Settings read from the environment (pydantic-settings), in one place.

``REDACT_SCHEMAS``
    the user's own schemas folder, layered on the shipped policy pack (``redaction.pack``).
``REDACT_LEDGER_URL``
    the ledger to use when no ``--ledger URL`` is given (``redaction.ledger.config``).

An empty variable counts as unset. Read fresh on every call: a long-running process (a
Prefect worker, the test suite) sees a changed environment.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """The ``REDACT_*`` environment variables the package reads."""

    model_config = SettingsConfigDict(
        env_prefix="REDACT_", env_ignore_empty=True, extra="ignore", frozen=True
    )

    schemas: Path | None = None
    ledger_url: str | None = None


def settings() -> Settings:
    """The settings as the environment says now."""
    return Settings()
