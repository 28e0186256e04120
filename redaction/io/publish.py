"""Staging and atomic publish.

The output is written to a staging file in ``OUTBOX/.redact-staging/`` (the same file
system as the outbox, so the final rename is atomic), flushed and fsynced, then moved into
place with ``os.replace`` and the outbox directory fsynced. A run that fails at any point
removes its staging file: the outbox never holds a partial output.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from redaction.errors import InputError, UsageError

STAGING_DIR = ".redact-staging"


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a directory be opened
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class HashingFile(io.RawIOBase):
    """A write-only wrapper that hashes every byte written through it, in order.

    The release writes its output through one of these, so the digest of the bytes the
    writer produced from the validated batches is known when the writer closes; the
    gate then compares it with the staged file's own digest. Closing the wrapper leaves
    the file open (the staging code fsyncs and closes it)."""

    def __init__(self, f: BinaryIO):
        self._f = f
        self.sha256 = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        view = memoryview(b).cast("B")
        n = self._f.write(view)
        n = len(view) if n is None else n
        self.sha256.update(view[:n])
        return n

    def tell(self) -> int:
        return self._f.tell()

    def flush(self) -> None:
        self._f.flush()

    def hexdigest(self) -> str:
        return self.sha256.hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Staged:
    """One staged output; ``publish()`` moves it into the outbox atomically."""

    def __init__(self, outbox: Path, name: str, *, overwrite: bool = False):
        self.outbox = outbox
        self.target = outbox / name
        self.overwrite = overwrite
        self.dir = outbox / STAGING_DIR / uuid.uuid4().hex
        self.path = self.dir / name
        self.published = False

    @contextlib.contextmanager
    def open(self) -> Iterator[BinaryIO]:
        self.dir.mkdir(parents=True, exist_ok=True)
        with self.path.open("wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())

    def publish(self) -> Path:
        if self.target.exists() and not self.overwrite:
            raise UsageError(
                f"{self.target} already exists",
                reason="output_exists",
                hint="pass --overwrite to replace it, or choose another --out",
            )
        os.replace(self.path, self.target)
        _fsync_dir(self.outbox)
        self.published = True
        self.cleanup()
        return self.target

    def move_to(self, folder: Path) -> Path:
        """Move the staged file out of the outbox's reach (quarantine)."""
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / f"{uuid.uuid4().hex[:8]}-{self.path.name}"
        shutil.move(str(self.path), dest)
        self.cleanup()
        return dest

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        with contextlib.suppress(OSError):
            (self.outbox / STAGING_DIR).rmdir()  # only when no other run is staging


def prepare_outbox(outbox: Path, source: Path, name: str, *, overwrite: bool) -> Staged:
    """Check the outbox before any work: it is creatable, and publishing will neither
    overwrite the input nor (without ``overwrite``) an earlier release."""
    try:
        outbox.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{outbox}: cannot create the outbox ({exc.strerror})", reason="bad_outbox"
        ) from None
    target = outbox / name
    if target.resolve() == source.resolve():
        raise UsageError(
            f"{target} is the input file: a release never writes over its input",
            reason="output_is_input",
            hint="choose another --out",
        )
    if target.exists() and not overwrite:
        raise UsageError(
            f"{target} already exists",
            reason="output_exists",
            hint="pass --overwrite to replace it, or choose another --out",
        )
    return Staged(outbox, name, overwrite=overwrite)
