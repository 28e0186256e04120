"""redaction.io.digest: the one file hash behind sources, outputs and request documents."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    "size",
    [
        0,  # an empty file
        (1 << 20) + 7,  # more than one block
    ],
)
def test_sha256_file_is_the_hash_of_the_whole_file(tmp_path: Path, size: int) -> None:
    from redaction.io.digest import sha256_file

    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()
