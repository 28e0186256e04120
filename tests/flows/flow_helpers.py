"""Helpers for the flow tests: artifact reads, canaries, shared names."""

from __future__ import annotations

import json
from typing import Any

from make_samples import CANARIES

CANARY_VALUES = sorted(set(CANARIES.values()))
RECIPIENT = "Example Insurance"
COURT = "Denver District Court"


def flow_run_id(state: Any) -> Any:
    return state.state_details.flow_run_id


def artifacts(flow_run_id: Any = None) -> list[Any]:
    """Artifacts of one flow run (all of them when ``flow_run_id`` is None)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    flt = None
    if flow_run_id is not None:
        flt = ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
    with get_client(sync_client=True) as client:
        return list(client.read_artifacts(artifact_filter=flt))


def by_type(found: list[Any], kind: str) -> list[Any]:
    return [a for a in found if a.type == kind]


def table_rows(artifact: Any) -> list[dict[str, Any]]:
    """A table artifact's rows (the server keeps the table as JSON text)."""
    data = artifact.data
    return json.loads(data) if isinstance(data, str) else data
