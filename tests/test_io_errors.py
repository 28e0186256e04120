"""A full disk, a file-size limit and a read-only outbox say what happened, exit 7 (I/O),
and publish nothing (issue 15, defect 6). They used to print ``internal error:
OSError`` with exit 3, as if the input were bad.

The file-size limit (``ulimit -f``, RLIMIT_FSIZE) runs everywhere; the full tmpfs and
the read-only mount need permission to mount and are skipped, with the reason, where
that is missing."""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from redaction.errors import ExitCode
from redaction.io.oserrors import io_failure
from redaction.ledger import Ledger

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
DRIVERS = SAMPLES / "dmv_drivers.csv"


@pytest.fixture
def big_csv(tmp_path: Path) -> Path:
    """The sample drivers repeated to about 2.5 MB, and the ledger created beforehand:
    the limit must hit the release's output, not the ledger's first pages."""
    lines = DRIVERS.read_text().splitlines(keepends=True)
    path = tmp_path / "drivers.csv"
    path.write_text(lines[0] + "".join(lines[1:] * 60))
    Ledger.open().close()
    return path


def _release(
    outbox: Path, src: Path, *, fsize: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``redact release`` in a child process (a limit must not hit pytest itself)."""

    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "redaction", "release", str(src), "-d", "dmv_drivers",
         "-r", "Acme Insurance", "-o", str(outbox), "--no-validate"],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
    )  # fmt: skip


def _assert_nothing_published(outbox: Path, proc: subprocess.CompletedProcess[str]) -> None:
    assert proc.returncode == ExitCode.IO, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) <= 2, proc.stderr  # error + hint
    assert not any(outbox.glob("*.csv")) if outbox.exists() else True
    # nothing of the run left in staging either
    staging = outbox.parent / f".redact-staging-{outbox.name}"
    assert not staging.exists() or not any(staging.rglob("*.csv"))
    with Ledger.open() as ledger:
        assert [e.kind for e in ledger.entries(kinds=["release.finish"])] == []
        assert [e for e in ledger.entries() if e.payload.get("outcome") == "published"] == []


def test_file_size_limit_says_so_and_publishes_nothing(tmp_path: Path, big_csv: Path) -> None:
    outbox = tmp_path / "outbox"
    # the staged output (about 2 MB) does not fit under a 1 MB limit; the ledger does
    proc = _release(outbox, big_csv, fsize=1 << 20)
    _assert_nothing_published(outbox, proc)
    msg = " ".join(proc.stderr.split())
    assert "file size limit" in msg and str(tmp_path) in msg


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)):
        pytest.skip("cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=True)


def test_full_disk_says_no_space_left(small_tmpfs: Path, big_csv: Path) -> None:
    outbox = small_tmpfs / "outbox"  # 1 MB: less than the output
    proc = _release(outbox, big_csv)
    _assert_nothing_published(outbox, proc)
    msg = " ".join(proc.stderr.split())
    assert "no space left on" in msg and str(small_tmpfs) in msg


def test_read_only_outbox_is_refused_before_any_work(small_tmpfs: Path, big_csv: Path) -> None:
    outbox = small_tmpfs / "outbox"
    outbox.mkdir()
    if not _mount("-o", "remount,ro", str(small_tmpfs)):
        pytest.skip("cannot remount read-only here")
    proc = _release(outbox, big_csv)
    _assert_nothing_published(outbox, proc)
    msg = " ".join(proc.stderr.split())
    assert f"outbox {outbox} is read-only" in msg


@pytest.mark.parametrize(
    ("code", "what", "expected"),
    [
        # a full file system is named by its mount point
        (errno.ENOSPC, "staged output", "no space left on /"),
        (errno.EDQUOT, "staged output", "disk quota exceeded on /"),
        # RLIMIT_FSIZE or the file system's own largest file
        (errno.EFBIG, "staged output", "file size limit was reached"),
        (errno.EROFS, "outbox", "outbox /srv/outbox is read-only"),
        # chmod a-w: the checks as root cannot see it, so only the message is tested
        (errno.EACCES, "outbox", "outbox /srv/outbox is not writable (permission denied)"),
    ],
)
def test_each_write_error_says_what_happened(code: int, what: str, expected: str) -> None:
    err = io_failure(OSError(code, os.strerror(code)), Path("/srv/outbox"), what)
    assert expected in err.message
    assert err.exit_code == ExitCode.IO == 7
