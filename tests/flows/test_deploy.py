"""The deployments file: checked strictly, turned into served deployments."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from flows.deploy import load_specs, main
from redaction.errors import UsageError

EXAMPLE = Path(__file__).resolve().parents[2] / "flows" / "deployments.yaml"


def test_example_file_builds_scheduled_deployments():
    specs = {s.name: s for s in load_specs(EXAMPLE)}
    daily = specs["dmv-drivers-example-insurance"]
    assert (daily.flow, daily.cron) == ("release", "0 6 * * 1-5")
    dep = daily.to_deployment()
    assert dep.name == "dmv-drivers-example-insurance"
    assert dep.parameters["recipient"] == "Example Insurance"
    assert dep.parameters["dataset"] == "dmv_drivers"
    assert set(dep.tags) == {"dmv", "insurer", "daily"}
    (schedule,) = dep.schedules
    assert schedule.schedule.cron == "0 6 * * 1-5"
    assert schedule.schedule.timezone == "America/Denver"
    assert {s.flow for s in specs.values()} == {"release", "batch", "partitioned"}


def test_check_lists_without_serving(capsys):
    main([str(EXAMPLE), "--check"])
    assert "dmv-drivers-example-insurance" in capsys.readouterr().out


def test_every_problem_is_reported_at_once():
    Path("d.yaml").write_text(
        yaml.safe_dump(
            {
                "deployments": [
                    {"name": "a", "flow": "relase", "cron": "0 6 * * *"},
                    {
                        "name": "b",
                        "flow": "release",
                        "cron": "daily",
                        "colour": "red",
                        "parameters": {"source": "x", "recipient": "y", "outbx": "z"},
                    },
                ]
            }
        )
    )
    with pytest.raises(UsageError) as err:
        load_specs(Path("d.yaml"))
    msg = str(err.value)
    assert "deployments[0].flow: 'relase' is not one of batch, partitioned, release" in msg
    assert "deployments[1]: unknown key 'colour'" in msg
    assert "deployments[1].parameters.outbx: flow 'release' takes no such parameter" in msg
    assert "deployments[1].parameters.outbox: required by flow 'release'" in msg
    assert "deployments[1].cron: 'daily' is not a cron expression" in msg
