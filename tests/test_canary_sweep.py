"""Canary sweep over every command (issue 15): the sample extracts hold planted
canary values in protected columns; after release (CSV, Parquet, JSON lines, with
Data Docs), a release refused by failing validation (quarantined), a release killed
before its rename (staging left behind), scan, plan, validate, report and the ledger
commands, every byte written anywhere under the run's folders (outbox, quarantine,
staging, ledger and its head files, Data Docs, temp files) and every line printed
holds none of them. The one deliberate exception: a release under a lawful exception
publishes the categories it covers, so that one output file is left out of the sweep
(its ledger rows and terminal output are not)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import CANARIES, REPO, SAMPLES, canary_hits, files_under, redact
from test_release_ledger import _exception

from redaction.ledger import Ledger

VALUES = sorted(set(CANARIES.values()))

KILLED_BEFORE_RENAME = """
import os, signal, sys
from redaction.io import publish
publish.Staged.publish = lambda self: os.kill(os.getpid(), signal.SIGKILL)
from redaction.cli.app import main
main(sys.argv[1:])
"""


def test_no_canary_anywhere_after_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("dmv_drivers.csv", "dmv_drivers.parquet", "dmv_drivers.jsonl"):
        (inputs / name).write_bytes((SAMPLES / name).read_bytes())
    csv = inputs / "dmv_drivers.csv"
    printed: list[str] = []
    codes: dict[str, int] = {}

    def run(label: str, *args: object) -> None:
        r = redact(*map(str, args))
        printed.extend([r.out, r.err])
        codes[label] = r.code

    release = ("release", "-d", "dmv_drivers", "-r", "Acme Insurance")
    for src in sorted(inputs.iterdir()):
        run(f"release {src.suffix}", release[0], src, *release[1:], "-o", "outbox",
            "--docs", "docs", "--json")  # fmt: skip
    run("plan", "plan", csv, "-d", "dmv_drivers")
    run("scan source", "scan", csv)
    # with its contract: without one, scan reads a generalized column's codes as values
    run("scan output", "scan", tmp_path / "outbox" / "dmv_drivers.csv", "-d", "dmv_drivers")
    run("validate", "validate", tmp_path / "outbox" / "dmv_drivers.csv", "-d", "dmv_drivers",
        "--docs", "docs-validate")  # fmt: skip

    # a lawful exception: its output holds the categories it covers, on purpose
    with Ledger.open() as ledger:
        exc = _exception(ledger, tmp_path, datasets=("dmv_drivers",))
    run("release with exception", release[0], csv, *release[1:-1], "Denver Police Department",
        "--exception", exc, "-o", "outbox-exception")  # fmt: skip

    # failing validation: the contract allows fewer states than the data holds
    schemas = tmp_path / "schemas"
    (schemas / "datasets").mkdir(parents=True)
    (schemas / "policy.yaml").write_text((REPO / "schemas" / "policy.yaml").read_text())
    contract = (REPO / "schemas" / "datasets" / "dmv_drivers.yaml").read_text()
    contract = contract.replace(
        "{name: state, type: string, category: releasable}",
        "{name: state, type: string, category: releasable, allowed_values: [XX]}",
    )
    (schemas / "datasets" / "dmv_drivers.yaml").write_text(contract)
    monkeypatch.setenv("REDACT_SCHEMAS", str(schemas))
    run("failing validation", *release[:1], csv, *release[1:], "-o", "outbox-failing")
    monkeypatch.setenv("REDACT_SCHEMAS", str(REPO / "schemas"))

    # killed before the rename: the run's staging is left behind as it was
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_BEFORE_RENAME, *release[:1], str(csv), *release[1:],
         "-o", str(tmp_path / "outbox-killed"), "--no-validate"],
        capture_output=True, text=True, timeout=300, env=os.environ.copy(),
    )  # fmt: skip
    printed.extend([proc.stdout, proc.stderr])
    codes["killed"] = proc.returncode
    staged = list((tmp_path / ".redact-staging-outbox-killed").rglob("dmv_drivers.csv"))

    quarter = f"{datetime.now(UTC).year}Q{(datetime.now(UTC).month - 1) // 3 + 1}"
    run("report", "report", "--quarter", quarter, "--out", "reports")
    run("ledger verify", "ledger", "verify")
    run("ledger head", "ledger", "head")
    run("reconcile", "ledger", "reconcile", "--outbox", tmp_path / "outbox-killed")

    assert codes == {
        "release .csv": 0,
        "release .jsonl": 0,
        "release .parquet": 0,
        "plan": 0,
        "scan source": 1,  # it finds the status data, and names columns, not values
        "scan output": 0,
        "validate": 0,
        "release with exception": 0,
        "failing validation": 5,
        "killed": -signal.SIGKILL,
        "report": 0,
        "ledger verify": 0,
        "ledger head": 0,
        "reconcile": 6,  # the killed run's intent and staging, reported
    }
    assert staged, "the killed run left its staged file (swept below)"
    assert list((tmp_path / "quarantine").iterdir()), "the failing run was quarantined"
    assert list((tmp_path / "docs").rglob("*.html")), "Data Docs were written (swept below)"

    exception_output = tmp_path / "outbox-exception" / "dmv_drivers.csv"
    swept = [
        p
        for p in files_under(tmp_path)
        if p.parent != inputs and p != exception_output and "schemas" not in p.parts
    ]
    # the sweep can fail: it finds the canaries the exception lawfully released
    assert canary_hits(VALUES, files=[exception_output])
    hits = canary_hits(VALUES, printed, swept)
    print(f"canary sweep: {len(swept)} files, {len(printed)} outputs, {len(hits)} hits")
    assert hits == []
    assert len(swept) > 20
