"""Names are checked before any work (issue 15, defect 8): a control character, a
right-to-left override or an over-long recipient exits 2 at once, not 6 at the ledger
write after the whole file was redacted; ``--profile ../policy`` is refused like
``-d ../x``; and a header or JSON key shaped like an identifier is data, so it is
neither published nor written to the ledger."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import canary_hits, files_under, redact

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
DRIVERS = SAMPLES / "dmv_drivers.csv"
VEHICLES = SAMPLES / "dmv_vehicles.csv"


def _release(src: Path, *extra: str, recipient: str = "Acme Insurance", out: str = "outbox"):
    return redact("release", src, "-r", recipient, "-o", out, "--no-validate", *extra)


def _nothing_happened(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    assert not outbox.exists() or list(outbox.iterdir()) == []
    # refused before the ledger was opened: no entry, not even a refusal
    assert not (tmp_path / ".redact" / "ledger.sqlite3").exists()


@pytest.mark.parametrize(
    ("file_name", "problem"),
    [
        # a newline in the source's file name (and so in the output's)
        ("dmv\ndrivers.csv", "control character"),
        # a tab
        ("dmv\tdrivers.csv", "control character"),
        # a right-to-left override that makes 'vsc.exe' read as 'exe.csv'
        ("dmv_\u202evsc.exe.csv", "U+202E"),
        # a zero-width space
        ("dmv\u200bdrivers.csv", "U+200B"),
    ],
)
def test_bad_source_names_exit_2_before_any_work(
    tmp_path: Path, file_name: str, problem: str
) -> None:
    src = tmp_path / file_name
    shutil.copy(DRIVERS, src)
    run = _release(src, "-d", "dmv_drivers")
    assert run.code == 2, run.err
    assert problem in " ".join(run.err.split())
    # the name is described, not printed: no raw control or direction character
    assert not any(c in run.err for c in "\t\u202e\u200b")
    _nothing_happened(tmp_path)


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        # a 5,000-character recipient: the ledger keeps 256
        ({"recipient": "R" * 5000}, "at most 256"),
        # a control character in the recipient
        ({"recipient": "Acme\x07Insurance"}, "control character"),
        # a right-to-left override in the recipient
        ({"recipient": "Acme \u202eecnarusnI"}, "U+202E"),
        # an outbox path with a newline
        ({"out": "out\nbox"}, "control character"),
    ],
)
def test_bad_recipient_or_outbox_exits_2(
    tmp_path: Path, args: dict[str, str], problem: str
) -> None:
    run = _release(DRIVERS, "-d", "dmv_drivers", **args)
    assert run.code == 2, run.err
    assert problem in " ".join(run.err.split())
    assert not any(c in run.err for c in "\x07\u202e") and "R" * 300 not in run.err
    _nothing_happened(tmp_path)


@pytest.mark.parametrize(
    "flag",
    [
        ["-d", "../x"],  # a contract by traversal (refused before)
        ["--profile", "../policy"],  # a profile by traversal: loaded schemas/policy.yaml
        ["--profile", "profiles/../../policy"],
        ["--exception", "EX/../1"],
    ],
)
def test_traversal_in_a_name_is_refused_alike(tmp_path: Path, flag: list[str]) -> None:
    run = _release(DRIVERS, *flag)
    assert run.code == 2, run.err
    _nothing_happened(tmp_path)


CANARY = "A123456789"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # a CSV header shaped like an A-number
        ("drivers.csv", f"id,{CANARY},zip\n1,x,80202\n2,y,80203\n"),
        # a receipt number as a header
        ("drivers2.csv", "id,EAC1234567890,zip\n1,x,80202\n"),
        # a JSON key shaped like an A-number, nested
        ("drivers.jsonl", json.dumps({"id": 1, "extra": {CANARY: "x"}}) + "\n"),
    ],
)
@pytest.mark.parametrize("command", ["release", "plan", "scan"])
def test_identifier_shaped_names_are_not_published(
    tmp_path: Path, name: str, content: str, command: str
) -> None:
    src = tmp_path / "in" / name
    src.parent.mkdir()
    src.write_text(content)
    run = _release(src) if command == "release" else redact(command, src)
    assert run.code == 3, run.err
    msg = " ".join(run.err.split())
    assert "shaped like an identifier" in msg and "column" in msg
    outbox = tmp_path / "outbox"
    assert not outbox.exists() or list(outbox.iterdir()) == []
    written = [p for p in files_under(tmp_path) if p.parent.name != "in"]
    assert canary_hits([CANARY, "EAC1234567890"], [run.out, run.err], written) == []
