"""Published heads: the chain's newest entry, kept outside the database.

Verification alone cannot see a tail cut off the chain: what is left is consistent. So
every release publishes the head it leaves (``seq`` and ``hash`` of its finish entry) in
its JSON result and in two head files outside the database:

- beside the outbox: ``<outbox parent>/<outbox name>.ledger-head.json`` (a sibling, like
  the staging folder, so nothing that syncs the outbox ships it by surprise);
- beside the ledger: ``<database>.head.json`` for SQLite; for PostgreSQL a file under
  ``$XDG_STATE_HOME/redaction/heads/`` (``~/.local/state`` when unset) named by a digest
  of the ledger's URL without its password.

``ledger verify`` checks the ledger's own head file by default and any outbox's with
``--outbox``: the chain must still hold that entry with that hash. A head file only
moves forward: a release that finishes after a later one does not move it back.
A head file holds a URL without its password, a sequence number, a hash and a time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from redaction.errors import LedgerError
from redaction.ledger.config import display_url

HEAD_SUFFIX = ".ledger-head.json"
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PublishedHead:
    """A head read from a head file: the chain must hold ``seq`` with ``hash``."""

    seq: int
    hash: str
    path: Path


def outbox_head_path(outbox: Path) -> Path:
    outbox = Path(os.path.abspath(outbox))
    return outbox.parent / f"{outbox.name}{HEAD_SUFFIX}"


def _state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "redaction" / "heads"


def ledger_head_path(url: URL) -> Path:
    """The head file kept for the ledger at ``url``."""
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        return Path(os.path.abspath(url.database + ".head.json"))
    digest = hashlib.sha256(display_url(url).encode()).hexdigest()[:16]
    return _state_dir() / f"{url.get_backend_name()}-{digest}.json"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(f"{path}.lock", os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def read_head(path: Path) -> PublishedHead | None:
    """The head saved at ``path``; ``None`` when there is no file.

    Raises:
        LedgerError: the file is there but is not a head file (fail closed: a head
            that cannot be read cannot vouch for the chain).
    """
    if not path.exists() and not path.is_symlink():
        return None
    try:
        if path.is_symlink():
            raise ValueError("a symlink")
        data = json.loads(path.read_text(encoding="utf-8"))
        seq, digest = data["seq"], data["hash"]
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
            raise ValueError("seq")
        if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
            raise ValueError("hash")
    except (OSError, ValueError, KeyError, TypeError):
        raise LedgerError(
            f"the head file {path} cannot be read as a published head",
            reason="bad_head_file",
            hint="restore it from a backup, or compare the ledger with a head kept "
            "elsewhere (verify --head)",
        ) from None
    return PublishedHead(seq, digest, path)


def write_head(path: Path, url: URL, seq: int, digest: str, created_at: str) -> None:
    """Save ``seq``/``digest`` at ``path`` atomically, unless it already holds a later seq."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        with contextlib.suppress(LedgerError):
            saved = read_head(path)
            if saved is not None and saved.seq > seq:
                return
        body = {"ledger": display_url(url), "seq": seq, "hash": digest, "created_at": created_at}
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(body, sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)


def publish_head(url: URL, outbox: Path, seq: int, digest: str, created_at: str) -> None:
    """Save the head a release left beside its outbox and beside the ledger."""
    for path in (outbox_head_path(outbox), ledger_head_path(url)):
        write_head(path, url, seq, digest, created_at)
