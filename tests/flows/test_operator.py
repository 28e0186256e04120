"""The flows as a Prefect operator expects them: run names that say what ran, artifact
keys per dataset and recipient, timeouts, a batch manifest checked whole, a refusal as
one log line without a traceback, an ``on_failure`` hook that fires on a refusal, the
CLI's option names, and schedules checked by Prefect's own models."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from flow_helpers import RECIPIENT, artifacts, flow_run_id
from helpers import REPO

from flows.batch import release_batch
from flows.deploy import load_specs
from flows.partitioned import release_partitioned
from flows.release import release_extract
from redaction.errors import ExceptionRefused, UsageError
from redaction.ledger import Ledger

pytestmark = pytest.mark.prefect
SAMPLE = REPO / "sample_data" / "dmv_drivers.csv"


def _run_name(state) -> str:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id(state)).name


def _release(ledger_url: str, **kw):
    args = {
        "source": str(SAMPLE),
        "recipient": RECIPIENT,
        "outbox": "outbox",
        "dataset": "dmv_drivers",
        "ledger_url": ledger_url,
        "validate": False,
    }
    return release_extract(**{**args, **kw}, return_state=True)


def test_run_names_and_artifact_keys_name_dataset_and_recipient(prefect_server, ledger_url):
    one = _release(ledger_url, outbox="a")
    two = _release(ledger_url, outbox="b", recipient="Toll Authority")
    assert one.is_completed() and two.is_completed(), (one.message, two.message)
    assert _run_name(one) == f"dmv_drivers -> {RECIPIENT}"
    assert _run_name(two) == "dmv_drivers -> Toll Authority"
    keys = {a.key for s in (one, two) for a in artifacts(flow_run_id(s))}
    # one dataset to two recipients: each keeps its own latest artifact
    assert keys == {
        "release-dmv-drivers-example-insurance",
        "release-dmv-drivers-example-insurance-columns",
        "release-dmv-drivers-toll-authority",
        "release-dmv-drivers-toll-authority-columns",
    }


def test_every_flow_has_a_timeout():
    for f in (release_extract, release_partitioned, release_batch):
        assert f.timeout_seconds and f.timeout_seconds > 0, f.name


def test_a_run_past_its_timeout_fails(prefect_server, ledger_url):
    # Prefect delivers a sync flow's timeout between Python steps; once in three CI runs
    # the whole release finished before it landed. Three tries, each to its own outbox:
    # a timeout that never fails a run still fails this test.
    states = []
    for attempt in range(3):
        state = release_extract.with_options(timeout_seconds=0.01)(
            source=str(SAMPLE),
            recipient=RECIPIENT,
            outbox=f"outbox-{attempt}",
            dataset="dmv_drivers",
            ledger_url=ledger_url,
            return_state=True,
        )
        states.append(state)
        if state.is_failed():
            break
    assert states[-1].is_failed(), [s.type for s in states]
    assert "timeout" in (states[-1].message or "").lower()


def test_batch_manifest_is_checked_whole_before_any_release(prefect_server, ledger_url):
    manifest = Path("manifest.yaml")
    manifest.write_text(
        yaml.safe_dump(
            {
                "defaults": {"recipient": RECIPIENT, "outbox": "outbox"},
                "extracts": [
                    {"source": str(SAMPLE), "dataset": "dmv_drivers"},  # fine on its own
                    {"source": str(SAMPLE), "dataset": "dmv_drivrs"},  # mistyped
                    {"source": "missing.csv", "dataset": "dmv_drivers"},
                    {"source": str(SAMPLE), "dataset": "dmv_drivers", "exception": "EXC-NONE"},
                ],
            }
        ),
        encoding="utf-8",
    )
    state = release_batch(manifest=str(manifest), ledger_url=ledger_url, return_state=True)
    assert state.is_failed()
    msg = state.message or ""
    assert "4 problem" not in msg and "3 problem(s)" in msg, msg
    assert "extracts[1] (dmv_drivers.csv): dataset 'dmv_drivrs'" in msg
    assert "extracts[2] (missing.csv): source not found" in msg
    assert "extracts[3] (dmv_drivers.csv): lawful exception 'EXC-NONE': unknown" in msg
    assert not Path("outbox").exists()  # the first, valid entry was not released either
    with Ledger.open(ledger_url) as ledger:
        assert [e.kind for e in ledger.entries() if e.kind.startswith("release")] == []
    err = state.result(raise_on_failure=False)
    assert isinstance(err, UsageError) and err.reason == "manifest"


def test_a_refusal_is_one_log_line_without_a_traceback(prefect_server, ledger_url, caplog):
    caplog.set_level(logging.INFO)
    state = _release(ledger_url, exception_id="EXC-NOT-GRANTED")
    assert state.is_failed()
    assert isinstance(state.result(raise_on_failure=False), ExceptionRefused)
    lines = [r for r in caplog.records if "not published" in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING
    assert "ExceptionRefused (exit code 4, reason unknown)" in lines[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]
    assert "Traceback" not in caplog.text


def test_on_failure_hook_fires_on_a_refusal(prefect_server, ledger_url, tmp_path):
    seen: list[str] = []

    def notify(flow, flow_run, state):  # what the README's example hook receives
        seen.append(f"{flow_run.name}: {state.message}")

    state = release_extract.with_options(on_failure=[notify])(
        source=str(SAMPLE),
        recipient=RECIPIENT,
        outbox="outbox",
        dataset="dmv_drivers",
        exception_id="EXC-NOT-GRANTED",
        ledger_url=ledger_url,
        return_state=True,
    )
    assert state.is_failed()
    assert seen == [
        f"dmv_drivers -> {RECIPIENT}: ExceptionRefused (unknown): "
        + ("lawful exception 'EXC-NOT-GRANTED' refused: unknown")
    ]


def test_flow_command_takes_the_cli_option_names_and_prints_a_summary(
    prefect_server, ledger_url, capsys
):
    from flows.release import main

    with pytest.raises(SystemExit) as done:
        main(
            [
                str(SAMPLE),
                "-r",
                RECIPIENT,
                "-o",
                "outbox",
                "-d",
                "dmv_drivers",
                "--ledger",
                ledger_url,
                "--no-validate",
            ]
        )
    assert done.value.code == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("published outbox/dmv_drivers.csv: 200 rows, ")

    with pytest.raises(SystemExit) as done:
        main([str(SAMPLE), "-r", RECIPIENT, "-o", "o2", "--ledger-url", ledger_url])
    assert done.value.code == 2  # a usage error, as `redact release --ledger-url` is

    with pytest.raises(SystemExit) as done:
        main(
            [
                str(SAMPLE),
                "-r",
                RECIPIENT,
                "-o",
                "o3",
                "--exception",
                "EXC-NO",
                "--ledger",
                ledger_url,
            ]
        )
    assert done.value.code == 4  # the CLI's exit code for a refused exception


@pytest.mark.parametrize(
    ("cron", "timezone", "problem"),
    [
        ("61 * * * *", "UTC", "cron: '61 * * * *' is not a cron expression"),
        ("0 6 * * *", "America/Denvr", "timezone: 'America/Denvr' is not a time zone"),
    ],
)
@pytest.mark.parametrize("style", ["deployments.yaml", "prefect.yaml"])
def test_schedules_are_checked_by_prefects_model(cron, timezone, problem, style):
    params = {"source": "x", "recipient": "y", "outbox": "z"}
    if style == "prefect.yaml":
        entry = {
            "name": "d",
            "entrypoint": "flows/release.py:release_extract",
            "schedules": [{"cron": cron, "timezone": timezone}],
            "parameters": params,
        }
    else:
        entry = {
            "name": "d",
            "flow": "release",
            "cron": cron,
            "timezone": timezone,
            "parameters": params,
        }
    Path(style).write_text(yaml.safe_dump({"deployments": [entry]}), encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_specs(Path(style))
    assert f"deployments[0].{problem}" in str(err.value)


def test_the_projects_prefect_yaml_checks_clean():
    specs = load_specs(REPO / "prefect.yaml")
    assert [s.flow for s in specs] == ["release", "batch", "partitioned"]


@pytest.mark.slow
def test_prefect_deploy_registers_the_projects_deployments(prefect_server, tmp_path):
    """`prefect deploy --all` from a copy of the project, against the test server."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    project = tmp_path / "project"
    shutil.copytree(REPO / "flows", project / "flows", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "prefect.yaml", project / "prefect.yaml")
    env = {
        **os.environ,
        "PREFECT_API_URL": str(PREFECT_API_URL.value()),
        "REDACT_PROJECT_DIR": str(project),
    }
    prefect = [sys.executable, "-m", "prefect"]
    for cmd in (
        [*prefect, "work-pool", "create", "redaction", "--type", "process"],
        [*prefect, "--no-prompt", "deploy", "--all"],
    ):
        run = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=240)
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    with get_client(sync_client=True) as client:
        found = {d.name: d for d in client.read_deployments()}
    deployed = found["dmv-drivers-example-insurance"]
    assert deployed.work_pool_name == "redaction"
    (sched,) = deployed.schedules
    assert sched.schedule.cron == "0 6 * * 1-5"
    assert sched.schedule.timezone == "America/Denver"
    assert {"dmv-nightly-batch", "dmv-drivers-partitioned-research"} <= set(found)
