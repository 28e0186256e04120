"""The built wheel, installed into a fresh virtual environment, runs the README's main
command outside the repository: the policy pack ships as package data.

Needs a package index (the wheel's build requirements and dependencies are installed
from it, with uv when it is available, else pip); skipped only when no index answers.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import yaml
from helpers import REPO

pytestmark = pytest.mark.slow


def _readme_main_command() -> list[str]:
    """The README's first command, after its ``pip install -e . &&``."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)\n```", readme, re.S)
    assert block, "README.md has no bash block"
    install, _, command = block.group(1).partition(" && ")
    assert install.strip() == "pip install -e .", install
    return shlex.split(command)


def _uv() -> list[str] | None:
    found = shutil.which("uv") or shutil.which("uv", path=str(Path(sys.executable).parent))
    return [found] if found else None


def _index_reachable() -> bool:
    """True when pip's configured indexes answer a lookup of setuptools (the wheel's
    build requirement)."""
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "setuptools"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return probe.returncode == 0


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the built wheel installed; its ``bin`` folder."""
    if not _index_reachable():
        pytest.skip("no package index reachable: cannot build and install the wheel")
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
        timeout=300,
    )
    (wheel,) = dist.glob("redaction-*.whl")
    env_dir = work / "venv"
    uv = _uv()
    if uv:
        subprocess.run([*uv, "venv", "-q", "-p", sys.executable, str(env_dir)], check=True)
        install = [*uv, "pip", "install", "-q", "--python", str(env_dir / "bin" / "python")]
    else:
        venv.create(env_dir, with_pip=True)
        install = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*install, str(wheel)], check=True, timeout=600)
    return env_dir / "bin"


def test_installed_wheel_runs_the_readme_command_outside_the_repository(installed, tmp_path):
    cwd = tmp_path / "elsewhere"
    (cwd / "sample_data").mkdir(parents=True)
    shutil.copy(REPO / "sample_data" / "dmv_drivers.csv", cwd / "sample_data")
    command = _readme_main_command()
    assert command[0] == "redact"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDACT_", "PYTHON"))}
    run = subprocess.run(
        [str(installed / "redact"), *command[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    # The installed package read its own policy pack, not the repository's.
    where = subprocess.run(
        [str(installed / "python"), "-c", "from redaction import pack; print(pack.layers())"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "site-packages/redaction/schemas" in where and str(REPO) not in where

    released = cwd / "outbox" / "dmv_drivers.csv"
    golden = REPO / "tests" / "golden" / "dmv_drivers.contract.csv"
    assert released.read_bytes() == golden.read_bytes()
    contract = yaml.safe_load((REPO / "schemas" / "datasets" / "dmv_drivers.yaml").read_text())
    protected = {
        c["name"]
        for c in contract["columns"]
        if c["category"] != "releasable" and c["category"] != "status_notes"
    }
    generalized = {"license_type"}
    with released.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 200
    for name in protected - generalized:
        assert {r[name] for r in rows} == {""}, f"{name} was released"

    ledger = cwd / ".redact" / "ledger.sqlite3"
    with sqlite3.connect(ledger) as db:
        releases = db.execute("SELECT count(*) FROM releases").fetchone()[0]
    assert releases == 1
    verify = subprocess.run(
        [str(installed / "redact"), "ledger", "verify", "--json"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stderr
    assert json.loads(verify.stdout)["ok"] is True

    # The templates ship too: the report's page and the offline Data Docs index.
    report = subprocess.run(
        [str(installed / "redact"), "report", "--quarter", "current", "--out", "reports"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    assert report.returncode == 0, report.stderr
    (page,) = (cwd / "reports").glob("report-*.html")
    assert 'data-key="summary|releases|">1<' in page.read_text(encoding="utf-8")
    docs = subprocess.run(
        [str(installed / "redact"), "validate", str(released), "--dataset", "dmv_drivers",
         "--docs", "docs"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert docs.returncode == 0, docs.stderr
    index = cwd / "docs" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert index.read_text(encoding="utf-8").count(">passed<") == 2
