"""Staging and atomic publish.

The output is written to a staging file in ``<outbox parent>/.redact-staging-<outbox
name>/<run>/``: a sibling of the outbox, so on the same file system (the final rename is
atomic) but outside the outbox tree, so nothing that syncs the outbox ships a partial file
(issue 15). It is flushed and fsynced, then moved into place with ``os.replace`` and the
outbox directory fsynced. A run that fails removes its staging folder; a run that is killed
leaves it behind with its ``pid`` file, and the next run removes every folder whose process
is gone (``clean_dead_runs``). Neither the outbox nor the staging folder may be a symlink.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import re
import shutil
import stat
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from redaction.errors import InputError, UsageError
from redaction.io.oserrors import WRITE, WRITE_ONLY, check_writable, io_failure

STAGING_DIR = ".redact-staging"
#: A run folder without its pid file this many seconds after it was made was killed
#: between ``mkdir`` and writing the pid.
_NO_PID_GRACE_S = 60.0


_RUN_NAME = re.compile(r"[0-9a-f]{32}")


def staging_root(outbox: Path) -> Path:
    """The staging folder of ``outbox``: its sibling, outside the outbox tree."""
    outbox = Path(os.path.abspath(outbox))
    return outbox.parent / f"{STAGING_DIR}-{outbox.name}"


def _refuse_symlink(path: Path, what: str) -> None:
    if path.is_symlink():
        raise InputError(
            f"{path}: the {what} is a symlink; a release does not follow it",
            reason="symlinked_path",
            hint=f"point --out at the real folder, or remove the symlink {path}",
        )


def _own_dir(path: Path, what: str) -> None:
    """Make ``path`` (if missing) and check it is a real folder owned by this user."""
    _refuse_symlink(path, what)
    path.mkdir(mode=0o700, exist_ok=True)
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path}: the {what} is not a folder", reason="bad_staging")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise InputError(f"{path}: the {what} belongs to another user", reason="bad_staging")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def dead_runs(outbox: Path) -> list[Path]:
    """Staging folders of ``outbox`` left by runs whose process is gone."""
    root = staging_root(outbox)
    if not root.is_dir() or root.is_symlink():
        return []
    out = []
    now = time.time()
    for run in sorted(root.iterdir()):
        if run.is_symlink() or not run.is_dir() or not _RUN_NAME.fullmatch(run.name):
            continue  # not a single-file run's folder (a partitioned release's has no pid)
        try:
            pid = int((run / "pid").read_text().strip() or "0")
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                if now - run.stat().st_mtime > _NO_PID_GRACE_S:
                    out.append(run)
            continue
        if not _alive(pid):
            out.append(run)
    return out


def clean_dead_runs(outbox: Path) -> int:
    """Remove the staging folders of dead runs of ``outbox``; how many were removed."""
    runs = dead_runs(outbox)
    for run in runs:
        shutil.rmtree(run, ignore_errors=True)
    return len(runs)


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


class Staged:
    """One staged output; ``publish()`` moves it into the outbox atomically."""

    def __init__(self, outbox: Path, name: str, *, overwrite: bool = False):
        self.outbox = outbox
        self.target = outbox / name
        self.overwrite = overwrite
        self.root = staging_root(outbox)
        self.dir = self.root / uuid.uuid4().hex
        self.path = self.dir / name
        self.published = False

    @contextlib.contextmanager
    def open(self) -> Iterator[BinaryIO]:
        try:
            _own_dir(self.root, "staging folder")
            self.dir.mkdir(mode=0o700, exist_ok=True)  # a guard hit with withhold stages again
            _refuse_symlink(self.dir, "staging folder")
            (self.dir / "pid").write_text(str(os.getpid()))
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
            fd = os.open(self.path, flags, 0o600)
        except OSError as exc:
            if exc.errno not in WRITE:
                raise
            raise io_failure(exc, self.root, "staging folder") from None
        try:
            with os.fdopen(fd, "wb") as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            # Only errors no read can raise: a source that fails to read stays an input
            # error, whatever the writer was doing at the time.
            if exc.errno not in WRITE_ONLY:
                raise
            raise io_failure(exc, self.path, "staged output") from None

    def publish(self) -> Path:
        """Rename the staged file to its final name. Without ``overwrite`` the name is
        taken with a hard link, which fails if the name exists: of releases racing for
        one name (each checked it was free before staging), one publishes and the
        others are refused, never one renamed over another's published file. Where the
        file system has no hard links the check and rename are separate (a race there
        can still replace a file published a moment before)."""
        exists = UsageError(
            f"{self.target} already exists",
            reason="output_exists",
            hint="pass --overwrite to replace it, or choose another --out",
        )
        if self.target.exists() and not self.overwrite:
            raise exists
        try:
            if self.overwrite or not self._link():
                os.replace(self.path, self.target)
        except FileExistsError:
            raise exists from None
        except OSError as exc:
            if exc.errno not in WRITE:
                raise
            raise io_failure(exc, self.outbox, "outbox") from None
        _fsync_dir(self.outbox)
        self.published = True
        self.cleanup()
        return self.target

    def _link(self) -> bool:
        """Link the staged file to the target and drop the staged name; False when
        the file system cannot link (the caller renames instead)."""
        try:
            os.link(self.path, self.target, follow_symlinks=False)
        except OSError as exc:
            if exc.errno in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
                return False
            raise
        os.unlink(self.path)
        return True

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
            self.root.rmdir()  # only when no other run is staging


def prepare_outbox(outbox: Path, source: Path, name: str, *, overwrite: bool) -> Staged:
    """Check the outbox before any work: it is creatable, and publishing will neither
    overwrite the input nor (without ``overwrite``) an earlier release. Neither the
    outbox nor its staging folder may be a symlink; staging folders of dead runs are
    removed."""
    _refuse_symlink(outbox, "outbox")
    _refuse_symlink(staging_root(outbox), "staging folder")
    try:
        outbox.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in WRITE:
            raise io_failure(exc, outbox, "outbox") from None
        raise InputError(
            f"{outbox}: cannot create the outbox ({exc.strerror})", reason="bad_outbox"
        ) from None
    # Before any work: a read-only or unwritable outbox (or the folder its staging
    # sibling goes in) would fail only at the rename, after the whole file was written.
    check_writable(outbox, "outbox")
    check_writable(staging_root(outbox).parent, "folder of the outbox")
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
    clean_dead_runs(outbox)
    return Staged(outbox, name, overwrite=overwrite)
