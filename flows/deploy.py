"""Serve the release flows on schedules declared in a YAML file.

    python -m flows.deploy flows/deployments.yaml            # serve (long-running)
    python -m flows.deploy flows/deployments.yaml --check    # validate and list only

The process registers each deployment with the Prefect server at ``PREFECT_API_URL``,
polls it for scheduled and manual runs (``prefect deployment run ...``) and runs each in
a fresh subprocess. Stopping it pauses the schedules (``pause_on_shutdown``).

The file (see ``flows/deployments.yaml``)::

    deployments:
      - name: dmv-drivers-example-insurance
        flow: release                  # release | batch | partitioned
        cron: "0 6 * * 1-5"
        timezone: America/Denver       # optional, default UTC
        tags: [dmv, insurer]
        description: ...
        parameters: {source: ..., recipient: ..., outbox: ..., dataset: dmv_drivers}

Every problem in the file (unknown keys or flows, parameters the flow does not take,
required parameters missing, a bad cron) is collected and reported at once.
"""

from __future__ import annotations

import argparse
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from prefect import Flow, serve
from prefect.client.schemas.schedules import CronSchedule
from prefect.schedules import Cron
from pydantic import ValidationError

from redaction.errors import UsageError

ENTRY_KEYS = {"name", "flow", "cron", "timezone", "tags", "description", "parameters"}


def _flows() -> dict[str, Flow[..., Any]]:
    from flows.batch import release_batch
    from flows.partitioned import release_partitioned
    from flows.release import release_extract

    return {"release": release_extract, "batch": release_batch, "partitioned": release_partitioned}


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    flow: str
    cron: str
    timezone: str = "UTC"
    tags: tuple[str, ...] = ()
    description: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)

    def to_deployment(self) -> Any:
        """A ``RunnerDeployment`` for ``prefect.serve``."""
        return _flows()[self.flow].to_deployment(
            name=self.name,
            schedules=[Cron(self.cron, timezone=self.timezone)],
            tags=list(self.tags),
            description=self.description,
            parameters=self.parameters,
        )


def schedule_problems(where: str, cron: str, timezone: Any) -> list[str]:
    """The cron expression and time zone, checked by Prefect's own schedule model (the
    one the server stores): ``61 * * * *`` and ``America/Denvr`` are refused here, not
    when the first run is due."""
    try:
        CronSchedule(cron=cron, timezone=timezone)
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            field = ".".join(map(str, e["loc"]))
            value = cron if field == "cron" else timezone
            what = "a cron expression" if field == "cron" else "a time zone"
            why = str(e["msg"]).removeprefix("Value error, ")
            problems.append(f"{where}.{field}: '{value}' is not {what} ({why})")
        return problems
    return []


#: ``prefect.yaml`` entrypoints of the flows, by the names this file uses.
ENTRYPOINTS = {
    "flows/release.py:release_extract": "release",
    "flows/batch.py:release_batch": "batch",
    "flows/partitioned.py:release_partitioned": "partitioned",
}
#: Keys of a ``prefect.yaml`` deployment this project uses (Prefect takes more).
PREFECT_YAML_KEYS = {
    "name",
    "entrypoint",
    "description",
    "tags",
    "schedules",
    "parameters",
    "work_pool",
    "version",
    "concurrency_limit",
    "enforce_parameter_schema",
}


def _from_prefect_yaml(i: int, raw: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    """A ``prefect.yaml`` deployment in this file's terms (every schedule checked)."""
    where = f"deployments[{i}]"
    problems = [f"{where}: unknown key '{k}'" for k in sorted(set(raw) - PREFECT_YAML_KEYS)]
    flow_name = ENTRYPOINTS.get(str(raw.get("entrypoint")))
    if flow_name is None:
        problems.append(
            f"{where}.entrypoint: '{raw.get('entrypoint')}' is not one of "
            + ", ".join(sorted(ENTRYPOINTS))
        )
    schedules = raw.get("schedules") or []
    if not isinstance(schedules, list) or not all(
        isinstance(x, dict) and isinstance(x.get("cron"), str) for x in schedules
    ):
        return None, [*problems, f"{where}.schedules: expected a list of {{cron, timezone}}"]
    for j, sched in enumerate(schedules[1:], start=1):
        problems += schedule_problems(
            f"{where}.schedules[{j}]", sched["cron"], sched.get("timezone") or "UTC"
        )
    if problems:
        return None, problems
    first = schedules[0] if schedules else {}
    return {
        "name": raw.get("name"),
        "flow": flow_name,
        "cron": first.get("cron"),
        "timezone": first.get("timezone"),
        "tags": raw.get("tags"),
        "description": raw.get("description"),
        "parameters": raw.get("parameters"),
    }, []


def _check_entry(
    i: int, raw: Any, flows: dict[str, Flow[..., Any]]
) -> tuple[DeploymentSpec | None, list[str]]:
    where = f"deployments[{i}]"
    if not isinstance(raw, dict):
        return None, [f"{where}: expected a mapping"]
    problems = [f"{where}: unknown key '{k}'" for k in sorted(set(raw) - ENTRY_KEYS)]
    for k in ("name", "flow", "cron"):
        if not isinstance(raw.get(k), str) or not raw[k].strip():
            problems.append(f"{where}.{k}: required (a string)")
    flow_name = raw.get("flow")
    if isinstance(flow_name, str) and flow_name not in flows:
        problems.append(f"{where}.flow: '{flow_name}' is not one of {', '.join(sorted(flows))}")
    params = raw.get("parameters") or {}
    if not isinstance(params, dict):
        problems.append(f"{where}.parameters: expected a mapping")
        params = {}
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        problems.append(f"{where}.tags: expected a list of strings")
        tags = []
    if flow_name in flows:
        sig = inspect.signature(flows[flow_name].fn)
        for k in sorted(set(params) - set(sig.parameters)):
            problems.append(f"{where}.parameters.{k}: flow '{flow_name}' takes no such parameter")
        for k, p in sig.parameters.items():
            if p.default is inspect.Parameter.empty and k not in params:
                problems.append(f"{where}.parameters.{k}: required by flow '{flow_name}'")
    cron, timezone = raw.get("cron"), raw.get("timezone") or "UTC"
    if isinstance(cron, str):
        problems += schedule_problems(where, cron, timezone)
    if problems or not isinstance(flow_name, str):
        return None, problems
    spec = DeploymentSpec(
        name=raw["name"],
        flow=flow_name,
        cron=raw["cron"],
        timezone=timezone,
        tags=tuple(tags),
        description=raw.get("description"),
        parameters=dict(params),
    )
    return spec, []


def load_specs(path: Path) -> list[DeploymentSpec]:
    """Read and check the deployments file.

    Raises:
        UsageError: every problem found, in one message naming the file and entry.
    """
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"{path}: cannot read it ({type(exc).__name__})") from None
    entries = doc.get("deployments") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise UsageError(f"{path}: expected a non-empty 'deployments' list", reason="deployments")
    flows = _flows()
    specs, problems = [], []
    for i, raw in enumerate(entries):
        if isinstance(raw, dict) and "entrypoint" in raw:  # prefect.yaml
            raw, found = _from_prefect_yaml(i, raw)
            problems += found
            if raw is None:
                continue
        spec, found = _check_entry(i, raw, flows)
        problems += found
        if spec is not None:
            specs.append(spec)
    names = [s.name for s in specs]
    problems += [
        f"deployment name '{n}' is used twice"
        for n in sorted({n for n in names if names.count(n) > 1})
    ]
    if problems:
        lines = "\n".join(f"  {path}: {p}" for p in problems)
        raise UsageError(f"{path}: {len(problems)} problem(s)\n{lines}", reason="deployments")
    return specs


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Serve the release flows from a deployments file.")
    ap.add_argument(
        "file", type=Path, nargs="?", default=Path(__file__).with_name("deployments.yaml")
    )
    ap.add_argument("--check", action="store_true", help="validate and list; do not serve")
    ap.add_argument("--limit", type=int, default=None, help="at most this many runs at once")
    a = ap.parse_args(argv)
    try:
        specs = load_specs(a.file)
    except UsageError as exc:
        raise SystemExit(f"error: {exc}") from None
    for s in specs:
        print(f"{s.flow:12} {s.name:40} {s.cron} ({s.timezone})  tags: {', '.join(s.tags) or '-'}")
    if a.check:
        return
    serve(*(s.to_deployment() for s in specs), limit=a.limit)


if __name__ == "__main__":
    main()
