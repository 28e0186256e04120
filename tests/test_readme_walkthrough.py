"""The README's walkthrough runs as written, top to bottom, after the quick start.

Each ``bash`` block under "Walkthrough" is split into commands (a line ending in ``\\``
continues the next); a command ending in ``# exit N`` must exit ``N``, every other one 0.
The commands run with bash in a fresh folder holding the sample files, with the
``redact`` of this environment first on ``PATH``.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

pytestmark = pytest.mark.slow


def _section(readme: str, heading: str) -> str:
    start = readme.index(heading)
    rest = readme[start + len(heading) :]
    following = re.search(r"^#{1,3} ", rest, re.M)
    return rest[: following.start()] if following else rest


def _commands(block: str) -> list[tuple[str, int]]:
    commands, current = [], ""
    for line in block.splitlines():
        current += line
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip():
            expected = re.search(r"#\s*exit (\d+)\s*$", current)
            commands.append((current, int(expected.group(1)) if expected else 0))
        current = ""
    assert not current, "the block ends in a continued line"
    return commands


def walkthrough() -> list[tuple[str, int]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = _section(readme, "### Walkthrough: a court order, start to finish")
    blocks = re.findall(r"```bash\n(.*?)\n```", section, re.S)
    assert blocks, "the walkthrough has no bash block"
    return [c for b in blocks for c in _commands(b)]


def quick_start() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)\n```", readme, re.S)
    assert first
    return first.group(1).partition(" && ")[2]


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDACT_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "200"  # one summary line per fact, whatever the terminal
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _report(path: Path) -> dict[tuple[str, str, str], str]:
    with path.open(newline="") as fh:
        return {tuple(r[:3]): r[3] for r in csv.reader(fh)}


def test_the_walkthrough_runs_top_to_bottom(tmp_path):
    (tmp_path / "sample_data" / "requests").mkdir(parents=True)
    shutil.copy(REPO / "sample_data" / "dmv_drivers.csv", tmp_path / "sample_data")
    letter = REPO / "sample_data" / "requests" / "court-order-request.txt"
    shutil.copy(letter, tmp_path / "sample_data" / "requests")

    quick = _run(quick_start(), tmp_path)
    assert quick.returncode == 0, quick.stderr
    steps = walkthrough()
    assert len(steps) >= 8
    outputs = []
    for command, expected in steps:
        run = _run(command, tmp_path)
        assert run.returncode == expected, f"{command}\n{run.stdout}\n{run.stderr}"
        outputs.append(run.stdout + run.stderr)
    text = "\n".join(" ".join(o.split()) for o in outputs)

    # The grant to someone who did not ask, and the release to them, were refused.
    assert "not the recipient Example Insurance Co" in text
    assert "refused: wrong recipient" in text
    assert not (tmp_path / "insurer-outbox" / "dmv_drivers.csv").exists()
    # The court got the two categories it asked for, and nothing else protected.
    with (tmp_path / "court-order-outbox" / "dmv_drivers.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 200
    assert any(r["citizenship_status"] for r in rows)
    assert any(r["country_of_birth"] for r in rows)
    for withheld in ("a_number", "visa_class", "itin", "passport_country"):
        assert {r[withheld] for r in rows} == {""}, withheld
    # The quick start's release is untouched.
    quick_out = (tmp_path / "outbox" / "dmv_drivers.csv").read_bytes()
    assert quick_out == (REPO / "tests" / "golden" / "dmv_drivers.contract.csv").read_bytes()

    # 2026Q3: the request, by its received date, and its decision of 2 July.
    q3 = _report(tmp_path / "reports" / "report-2026Q3.csv")
    assert q3[("summary", "requests_received", "")] == "1"
    assert q3[("summary", "requests_granted", "")] == "1"
    assert q3[("requests_by_purpose", "court_proceeding", "received")] == "1"
    # The current quarter: both releases (the quick start's and the court's) and the
    # two refusals.
    others = [p for p in (tmp_path / "reports").glob("report-*.csv") if "2026Q3" not in p.name]
    now = _report(others[0] if others else tmp_path / "reports" / "report-2026Q3.csv")
    assert now[("summary", "releases", "")] == "2"
    assert now[("summary", "releases_under_exception", "")] == "1"
    assert now[("refusals_by_reason", "recipient_not_requester", "exception_grant")] == "1"
    assert now[("refusals_by_reason", "wrong_recipient", "exception_use")] == "1"
    assert "ok: ledger intact" in outputs[-1]


def test_the_walkthrough_does_not_expire():
    """CI runs the walkthrough every day: its exceptions must outlive the repository."""
    ends = [
        dt.date.fromisoformat(day)
        for command, _ in walkthrough()
        for day in re.findall(r"--valid-to (\S+)", command)
    ]
    assert len(ends) >= 2
    assert min(ends) >= dt.date.today() + dt.timedelta(days=365 * 50)
