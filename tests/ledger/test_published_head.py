"""Every release publishes the chain's head (in its JSON and in a head file beside the
outbox), and ``ledger verify`` checks the last published head by default, so a tail cut
off the chain is caught without ``--head`` (issue 15, defect 5). SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import redact

from redaction.ledger import Ledger
from redaction.ledger.heads import ledger_head_path, outbox_head_path

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
VEHICLES = SAMPLES / "dmv_vehicles.csv"

Tamper = Callable[[str], None]


def _release(url: str, outbox: Path, *extra: str) -> dict[str, object]:
    run = redact(
        "release", VEHICLES, "-d", "dmv_vehicles", "-r", "Acme Insurance", "-o", outbox,
        "--no-validate", "--ledger", url, "--json", *extra,
    )  # fmt: skip
    assert run.code == 0, run.err
    return json.loads(run.out)  # type: ignore[no-any-return]


def _cut_tail(tamper: Tamper, after_seq: int) -> None:
    """Delete every entry after ``after_seq`` with its typed rows: a consistent chain."""
    for table in ("release_outcomes", "withheld_columns", "releases", "validations"):
        tamper(f"DELETE FROM {table} WHERE entry_seq > {after_seq}")
    tamper(f"DELETE FROM ledger_entries WHERE seq > {after_seq}")


def test_release_publishes_the_head(ledger: Ledger, ledger_url: str, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    result = _release(ledger_url, outbox)
    head = result["ledger_head"]
    # the head of the chain once the release is recorded: its finish entry
    assert head == {"seq": ledger.count(), "hash": ledger.head()}
    for path in (outbox_head_path(outbox), ledger_head_path(ledger.url)):
        saved = json.loads(path.read_text())
        assert (saved["seq"], saved["hash"]) == (head["seq"], head["hash"])  # type: ignore[index]
    # the head file sits beside the outbox, not in it: the outbox holds the release only
    assert sorted(p.name for p in outbox.iterdir()) == ["dmv_vehicles.csv"]


def test_verify_catches_a_cut_tail_by_default(
    ledger: Ledger, ledger_url: str, tamper: Tamper, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    first = _release(ledger_url, outbox)
    _release(ledger_url, outbox, "--overwrite")
    assert redact("ledger", "verify", "--ledger", ledger_url).code == 0

    _cut_tail(tamper, first["ledger_head"]["seq"])  # type: ignore[index]
    assert ledger.verify().ok  # the rest of the chain is consistent on its own...
    run = redact("ledger", "verify", "--ledger", ledger_url)
    assert run.code == 6, run.out  # ...but the head the last release published is gone
    msg = " ".join(run.err.split())
    assert "published head" in msg and "is not in the chain" in msg
    assert str(ledger_head_path(ledger.url)) in msg

    # the head file beside the outbox says the same when the ledger's own is gone too
    ledger_head_path(ledger.url).unlink()
    run = redact("ledger", "verify", "--ledger", ledger_url, "--outbox", outbox)
    assert run.code == 6
    assert str(outbox_head_path(outbox)) in " ".join(run.err.split())


def test_a_published_head_with_another_hash_is_named(
    ledger: Ledger, ledger_url: str, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    _release(ledger_url, outbox)
    path = ledger_head_path(ledger.url)
    saved = json.loads(path.read_text())
    path.write_text(json.dumps({**saved, "hash": "f" * 64}))
    run = redact("ledger", "verify", "--ledger", ledger_url, "--json")
    assert run.code == 6
    problems = json.loads(run.out)["problems"]
    assert problems[0]["seq"] == saved["seq"] and "published head" in problems[0]["problem"]


@pytest.mark.parametrize(
    "content",
    [
        "not json",  # a head file that is not JSON
        '{"seq": "x", "hash": "00"}',  # one with the wrong shapes
    ],
)
def test_an_unreadable_head_file_fails_closed(
    ledger: Ledger, ledger_url: str, tmp_path: Path, content: str
) -> None:
    _release(ledger_url, tmp_path / "outbox")
    ledger_head_path(ledger.url).write_text(content)
    run = redact("ledger", "verify", "--ledger", ledger_url)
    assert run.code == 6
    assert "head file" in run.err
