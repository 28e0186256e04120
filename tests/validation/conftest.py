"""Fixtures for the validation gate tests (data builders live in ``gate_data``)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from gate_data import Writer, write


@pytest.fixture
def writer(tmp_path: Path) -> Writer:
    def _write(table: pa.Table, fmt: str) -> Path:
        return write(table, fmt, tmp_path / f"out.{fmt}")

    return _write


@pytest.fixture(scope="session", autouse=True)
def _gx_imported() -> None:
    """Pay GX's import (5-7 s) once per session, before the first timed test."""
    import great_expectations  # noqa: F401
