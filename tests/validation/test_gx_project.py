"""``--docs`` writes a GX project a GX user can work with: stable names without colons,
a data asset named after the extract, a checkpoint that plain GX re-runs with the
project's expectation types (its config names ``redaction.gx``, which GX imports; without
the project it does not load), and Data Docs that load nothing from the network, rebuilt
by GX or not."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import redact

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data" / "dmv_drivers.csv"
CANARY = "A987654321"  # an A-number shape, planted in a released column
SITE = Path("gx", "uncommitted", "data_docs", "local_site")
pytestmark = pytest.mark.slow

#: A plain GX user: no import of the project (the written config names ``redaction.gx``
#: and GX imports it), the file read by pandas, then the Data Docs deleted and rebuilt.
RERUN = """
import shutil
import sys
import great_expectations as gx
import pandas as pd

context = gx.get_context(mode="file", project_root_dir=sys.argv[1])
checkpoint = context.checkpoints.get("dmv_drivers")
for path in sys.argv[2:]:
    frame = pd.read_csv(path, dtype=str)
    print(path, checkpoint.run(batch_parameters={"dataframe": frame}).success)
shutil.rmtree(sys.argv[1] + "/gx/uncommitted/data_docs")
context.build_data_docs()
"""

#: The same user without the project installed: ``redaction`` cannot be imported.
WITHOUT_PROJECT = """
import sys

class NoProject:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "redaction":
            raise ModuleNotFoundError(name)

sys.meta_path.insert(0, NoProject())
import great_expectations as gx
import pandas as pd

context = gx.get_context(mode="file", project_root_dir=sys.argv[1])
checkpoint = context.checkpoints.get("dmv_drivers")
frame = pd.read_csv(sys.argv[2], dtype=str)
print("success", checkpoint.run(batch_parameters={"dataframe": frame}).success)
"""
REMOTE = re.compile(r"<(script|link|img)[^>]*(src|href)=[\"']?https?://", re.I)


def _plain_python(code: str, *args: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def _tampered(released: Path, to: Path) -> Path:
    with released.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[5][rows[0].index("city")] = CANARY
    with to.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    return to


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path]:
    run = redact(
        "release", SAMPLE, "-d", "dmv_drivers", "-r", "Example Insurance Co",
        "-o", tmp_path / "outbox", "--docs", tmp_path / "docs",
    )  # fmt: skip
    assert run.code == 0, run.err
    return tmp_path / "docs", tmp_path / "outbox" / "dmv_drivers.csv"


def test_names_a_gx_user_can_look_up(project):
    docs, _ = project
    config = yaml.safe_load((docs / "gx" / "great_expectations.yml").read_text())
    assert list(config["fluent_datasources"]) == ["redaction"]
    assert list(config["fluent_datasources"]["redaction"]["assets"]) == ["dmv_drivers"]
    suites = sorted(p.stem for p in (docs / "gx" / "expectations").glob("*.json"))
    assert suites == ["dmv_drivers-columns", "dmv_drivers-rows"]
    checkpoint = json.loads((docs / "gx" / "checkpoints" / "dmv_drivers.json").read_text())
    assert sorted(v["name"] for v in checkpoint["validation_definitions"]) == suites
    assert checkpoint["result_format"] == {"result_format": "BASIC", "partial_unexpected_count": 0}


def test_failed_rules_add_detail_suites_without_colons(project, tmp_path):
    docs, released = project
    bad = _tampered(released, tmp_path / "dmv_drivers.csv")
    run = redact("validate", bad, "--dataset", "dmv_drivers", "--docs", docs)
    assert run.code == 5, run.err
    names = [p.stem for p in (docs / "gx" / "expectations").glob("*.json")]
    assert any("detail" in n for n in names)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", n) for n in names), names
    for page in (docs / SITE).rglob("*"):
        assert ":" not in page.relative_to(docs).as_posix()
        if page.is_file():
            assert CANARY.encode() not in page.read_bytes(), page


def test_data_docs_load_nothing_from_the_network(project):
    docs, _ = project
    site = docs / SITE
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 5
    remote = re.compile(r"<(script|link|img)[^>]*(src|href)=[\"']?https?://", re.I)
    for page in pages:
        assert not remote.search(page.read_text(encoding="utf-8")), page
    index = (site / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(validations/[^"]+\.html)"', index)
    assert len(links) == 2 and all((site / link).is_file() for link in links)
    assert index.count(">passed<") == 2
    logo = re.search(r'<img[^>]*src="([^"]+)"', index)
    assert logo and (site / logo.group(1)).is_file()


def test_plain_gx_reruns_the_checkpoint_and_keeps_docs_offline(project, tmp_path):
    docs, released = project
    bad = _tampered(released, tmp_path / "tampered.csv")
    run = _plain_python(RERUN, docs, released, bad, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.splitlines() == [f"{released} True", f"{bad} False"]
    # The rebuilt site: every stored result listed, nothing loaded from the network.
    site = docs / SITE
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        assert not REMOTE.search(page.read_text(encoding="utf-8")), page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert (index.count(">passed<"), index.count(">failed<")) == (5, 1)
    for page in docs.rglob("*"):
        if page.is_file():
            assert CANARY.encode() not in page.read_bytes(), page


def test_without_the_project_the_checkpoint_does_not_run(project, tmp_path):
    docs, released = project
    bad = _tampered(released, tmp_path / "tampered.csv")
    run = _plain_python(WITHOUT_PROJECT, docs, bad, cwd=tmp_path)
    assert run.returncode != 0
    assert "success" not in run.stdout
    assert "redaction.gx" in run.stderr
