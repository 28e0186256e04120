"""The allocator a release process uses: the system one for Parquet, chosen by the
command, restored after it, and never over the user's own choice."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from helpers import redact

import redaction.release
from redaction.io.memory import POOL_VARIABLE, release_pool

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(autouse=True)
def _no_user_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(POOL_VARIABLE, raising=False)


def test_parquet_release_allocates_through_the_system_pool_then_restores() -> None:
    before = pa.default_memory_pool().backend_name
    with release_pool(Path("extract.parquet")):
        assert pa.default_memory_pool().backend_name == "system"
    assert pa.default_memory_pool().backend_name == before


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("extract.csv", None), ("extract.jsonl", None), ("extract.txt", None), ("x.parquet", "csv")],
)
def test_other_formats_keep_the_default_pool(name: str, fmt: str | None) -> None:
    before = pa.default_memory_pool().backend_name
    with release_pool(Path(name), fmt):
        assert pa.default_memory_pool().backend_name == before


def test_the_users_choice_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(POOL_VARIABLE, "mimalloc")
    before = pa.default_memory_pool().backend_name
    with release_pool(Path("extract.parquet")):
        assert pa.default_memory_pool().backend_name == before


def test_pool_is_restored_when_the_release_fails() -> None:
    before = pa.default_memory_pool().backend_name
    with pytest.raises(RuntimeError), release_pool(Path("extract.parquet")):
        raise RuntimeError("release failed")
    assert pa.default_memory_pool().backend_name == before


def test_the_command_streams_a_parquet_release_through_the_system_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    stream = redaction.release.stream

    def watched(*args: object, **kwargs: object) -> object:
        seen.append(pa.default_memory_pool().backend_name)
        return stream(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(redaction.release, "stream", watched)
    before = pa.default_memory_pool().backend_name
    src = tmp_path / "dmv_drivers.parquet"
    shutil.copy(SAMPLES / "dmv_drivers.parquet", src)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    run = redact(
        "release", src, "--dataset", "dmv_drivers", "--recipient", "Example Insurance Co",
        "--out", tmp_path / "outbox", "--ledger", f"sqlite:///{tmp_path / 'ledger.db'}",
    )  # fmt: skip
    assert run.code == 0, run.err
    assert seen == ["system"]
    assert pa.default_memory_pool().backend_name == before
    assert (tmp_path / "outbox" / "dmv_drivers.parquet").stat().st_size > 0
    assert hashlib.sha256(src.read_bytes()).hexdigest() == digest
