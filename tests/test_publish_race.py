"""Two releases race for one output name (issue 15): the one whose rename lands second
must be refused, not replace the file the first just published."""

from __future__ import annotations

from pathlib import Path

import pytest

from redaction.errors import UsageError
from redaction.io import publish as publish_mod
from redaction.io.publish import prepare_outbox


def _staged(outbox: Path, body: bytes, *, overwrite: bool = False) -> publish_mod.Staged:
    staged = prepare_outbox(outbox, Path("extract.csv"), "extract.csv", overwrite=overwrite)
    with staged.open() as f:
        f.write(body)
    return staged


def _rival_lands_after_the_check(
    monkeypatch: pytest.MonkeyPatch, target: Path, rival: bytes
) -> None:
    """The name is free when checked; the rival's file appears right after."""
    real = Path.exists

    def exists(self: Path, *a: object, **k: object) -> bool:
        if self == target and not real(self):
            target.write_bytes(rival)
            return False
        return real(self)

    monkeypatch.setattr(Path, "exists", exists)


def test_second_publish_to_a_taken_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox = tmp_path / "outbox"
    staged = _staged(outbox, b"second release\n")
    _rival_lands_after_the_check(monkeypatch, outbox / "extract.csv", b"first release\n")
    with pytest.raises(UsageError) as err:
        staged.publish()
    assert err.value.reason == "output_exists"
    assert (outbox / "extract.csv").read_bytes() == b"first release\n"
    assert sorted(p.name for p in outbox.iterdir()) == ["extract.csv"]
    staged.cleanup()
    assert not staged.dir.exists()


def test_publish_without_hard_links_still_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outbox = tmp_path / "outbox"
    staged = _staged(outbox, b"release\n")

    def no_links(*a: object, **k: object) -> None:
        raise OSError(publish_mod.errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(publish_mod.os, "link", no_links)
    assert staged.publish() == outbox / "extract.csv"
    assert (outbox / "extract.csv").read_bytes() == b"release\n"
    assert sorted(p.name for p in outbox.iterdir()) == ["extract.csv"]


def test_overwrite_replaces_and_keeps_the_staged_inode(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / "extract.csv").write_bytes(b"old\n")
    staged = _staged(outbox, b"new\n", overwrite=True)
    ino = staged.path.stat().st_ino
    staged.publish()
    assert (outbox / "extract.csv").read_bytes() == b"new\n"
    assert (outbox / "extract.csv").stat().st_ino == ino
