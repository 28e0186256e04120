"""``ledger reconcile`` matches the file in the outbox to the run that produced it
(issue 15, defect 4): a run killed before its rename is never recorded as published
because a rerun published the same bytes, and an intent for another outbox is not
settled against this one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from helpers import redact

from redaction.ledger import Ledger

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data"
VEHICLES = SAMPLES / "dmv_vehicles.csv"

#: Runs a release in a child process that SIGKILLs itself just before the rename, after
#: the intent is recorded: what a kill at that moment leaves behind.
KILLED_BEFORE_RENAME = """
import os, signal, sys
from redaction.io import publish
publish.Staged.publish = lambda self: os.kill(os.getpid(), signal.SIGKILL)
from redaction.cli.app import main
main(sys.argv[1:])
"""


def _args(outbox: Path) -> list[str]:
    return [
        "release", str(VEHICLES), "-d", "dmv_vehicles", "-r", "Acme Insurance",
        "-o", str(outbox), "--no-validate",
    ]  # fmt: skip


def _killed_release(outbox: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_BEFORE_RENAME, *_args(outbox)],
        capture_output=True,
        timeout=300,
        env=os.environ.copy(),
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]


def _outcomes(ledger: Ledger) -> dict[int, tuple[str, str | None]]:
    """intent seq -> (outcome, reason) of every finish entry."""
    return {
        e.payload["intent_seq"]: (e.payload["outcome"], e.payload["reason"])
        for e in ledger.entries(kinds=["release.finish"])
    }


def test_a_killed_intent_is_not_published_by_a_rerun(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    _killed_release(outbox)
    assert not (outbox / "dmv_vehicles.csv").exists()
    rerun = redact(*_args(outbox))
    assert rerun.code == 0, rerun.err

    with Ledger.open() as ledger:
        intents = ledger.entries(kinds=["release.intent"])
        killed, published = intents
        # the premise: the rerun wrote the very bytes the killed run had staged
        assert killed.payload["output_sha256"] == published.payload["output_sha256"]

    run = redact("ledger", "reconcile", "--outbox", outbox, "--json")
    assert run.code == 6
    (orphan,) = json.loads(run.out)
    assert (orphan["intent_seq"], orphan["status"]) == (killed.seq, "superseded")

    run = redact("ledger", "reconcile", "--outbox", outbox, "--record")
    assert run.code == 0, run.err
    with Ledger.open() as ledger:
        outcomes = _outcomes(ledger)
        assert outcomes[killed.seq] == ("not_published", "superseded")
        assert outcomes[published.seq][0] == "published"
        # one file, one published outcome
        assert [o for o, _ in outcomes.values()].count("published") == 1
        assert ledger.verify().ok


def test_a_run_killed_after_its_rename_is_published(tmp_path: Path) -> None:
    # the outbox holds the killed run's own file: that one did publish
    outbox = tmp_path / "outbox"
    script = KILLED_BEFORE_RENAME.replace(
        "publish.Staged.publish = lambda self: os.kill(os.getpid(), signal.SIGKILL)",
        "real = publish.Staged.publish\n"
        "def publish_then_die(self):\n"
        "    real(self)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "publish.Staged.publish = publish_then_die",
    )
    proc = subprocess.run(
        [sys.executable, "-c", script, *_args(outbox)], capture_output=True, timeout=300
    )
    assert proc.returncode == -signal.SIGKILL
    assert (outbox / "dmv_vehicles.csv").exists()
    run = redact("ledger", "reconcile", "--outbox", outbox, "--record", "--json")
    assert run.code == 0, run.err
    assert [o["status"] for o in json.loads(run.out)] == ["published"]


def test_an_intent_for_another_outbox_is_not_settled_here(tmp_path: Path) -> None:
    _killed_release(tmp_path / "outbox-a")
    other = tmp_path / "outbox-b"
    assert redact(*_args(other)).code == 0
    # reconciled against outbox-b, the killed run (bound for outbox-a) is neither
    # published nor missing there: it waits for its own outbox
    run = redact("ledger", "reconcile", "--outbox", other, "--record", "--json")
    assert run.code == 6
    (orphan,) = json.loads(run.out)
    assert orphan["status"] == "other_outbox"
    with Ledger.open() as ledger:
        assert len(_outcomes(ledger)) == 1  # only outbox-b's own release
    run = redact("ledger", "reconcile", "--outbox", tmp_path / "outbox-a", "--record", "--json")
    assert run.code == 0, run.err
    assert [o["status"] for o in json.loads(run.out)] == ["missing"]
