"""Operating-system write errors as messages a person can act on (exit 7).

A full disk, a file size limit or a read-only folder used to surface as ``internal
error: OSError`` with the bad-input exit code. Here each becomes an
:class:`~redaction.errors.IOFailure` that says what happened and where: the file system
that is full, the folder that is read-only. The messages name paths, never data.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from redaction.errors import IOFailure

#: Errors that only writing raises: translated wherever a write fails.
WRITE_ONLY = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})
#: Also translated where the failing call is known to be a write (open, mkdir, rename).
WRITE = WRITE_ONLY | {errno.EACCES, errno.EPERM, errno.EIO}

_HINT = "nothing was published; fix the cause and run the release again"


def mount_point(path: Path) -> Path:
    """The mount point of the file system that holds (or would hold) ``path``."""
    p = Path(os.path.abspath(path))
    while not p.exists() and p != p.parent:
        p = p.parent
    while not os.path.ismount(p) and p != p.parent:
        p = p.parent
    return p


def io_failure(exc: OSError, path: Path, what: str) -> IOFailure:
    """An :class:`IOFailure` for ``exc``, raised while writing ``what`` at ``path``."""
    code = exc.errno
    if code == errno.ENOSPC:
        msg = f"no space left on {mount_point(path)} (writing the {what} {path})"
        reason, hint = "no_space", f"free space on {mount_point(path)}; {_HINT}"
    elif code == errno.EDQUOT:
        msg = f"disk quota exceeded on {mount_point(path)} (writing the {what} {path})"
        reason, hint = "quota_exceeded", _HINT
    elif code == errno.EFBIG:
        msg = (
            f"{path}: the file size limit was reached writing the {what} "
            "(ulimit -f / RLIMIT_FSIZE, or the file system's largest file)"
        )
        reason, hint = "file_too_large", f"raise the limit (ulimit -f); {_HINT}"
    elif code == errno.EROFS:
        msg = (
            f"{what} {path} is read-only (its file system {mount_point(path)} is mounted read-only)"
        )
        reason, hint = "read_only", _HINT
    elif code in (errno.EACCES, errno.EPERM):
        msg = f"{what} {path} is not writable (permission denied)"
        reason, hint = "not_writable", _HINT
    else:
        msg = f"{what} {path}: {exc.strerror or type(exc).__name__}"
        reason, hint = "io_error", _HINT
    return IOFailure(msg, reason=reason, hint=hint)


def check_writable(folder: Path, what: str) -> None:
    """Refuse ``folder`` before any work if it cannot be written: its file system is
    mounted read-only, or this user may not create files in it."""
    try:
        st = os.statvfs(folder)
    except OSError:
        return  # not there yet, or not a folder: the caller's mkdir reports it
    if st.f_flag & os.ST_RDONLY:
        raise io_failure(OSError(errno.EROFS, "read-only"), folder, what)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise io_failure(OSError(errno.EACCES, "permission denied"), folder, what)
