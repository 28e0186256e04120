"""Typed rows derived from chain payloads.

The typed tables are an index over the chain, never a second source of truth: every row
is computed here from one entry's payload, written in the same transaction as the entry,
and recomputed by verification, which names any row that differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redaction.ledger.chain import canonical_json

Row = dict[str, Any]


def _join(values: list[str] | None) -> str | None:
    return None if values is None else " ".join(values)


def project(kind: str, payload: Mapping[str, Any]) -> list[tuple[str, Row]]:
    """``(table, row)`` pairs for one clean payload; rows lack ``entry_seq``."""
    p = payload
    if kind in ("release", "release.intent"):
        rows: list[tuple[str, Row]] = [
            (
                "releases",
                {
                    "release_id": p["release_id"],
                    "phase": "intent" if kind == "release.intent" else "complete",
                    "source_name": p["source_name"],
                    "source_sha256": p["source_sha256"],
                    "dataset": p["dataset"],
                    "profile": p["profile"],
                    "recipient": p["recipient"],
                    "exception_id": p["exception_id"],
                    "rows": p["rows"],
                    "output_name": p["output_name"],
                    "output_sha256": p["output_sha256"],
                    "outcome": None if kind == "release.intent" else "published",
                    "started_at": p["started_at"],
                },
            )
        ]
        for i, col in enumerate(p["columns"]):
            rows.append(
                (
                    "withheld_columns",
                    {
                        "ordinal": i,
                        "release_id": p["release_id"],
                        "column_name": col["column"],
                        "category": col["category"],
                        "action": col["action"],
                        "rule": col["rule"],
                        "count": col["count"],
                    },
                )
            )
        return rows
    if kind == "release.finish":
        return [("release_outcomes", dict(p))]
    if kind == "request.received":
        return [("requests", {**p, "categories": _join(p["categories"])})]
    if kind == "request.decided":
        return [("request_decisions", dict(p))]
    if kind == "request.noticed":
        return [("request_notices", dict(p))]
    if kind == "exception.granted":
        return [
            (
                "exceptions",
                {**p, "categories": _join(p["categories"]), "datasets": _join(p["datasets"])},
            )
        ]
    if kind == "exception.recipient_override":
        return []  # read with its grant from the chain; no typed table
    if kind == "exception.revoked":
        return [("exception_revocations", dict(p))]
    if kind == "refusal":
        return [("refusals", dict(p))]
    if kind == "validation":
        return [("validations", {**p, "failed_checks": canonical_json(p["failed_checks"])})]
    raise KeyError(kind)


#: Tables with more than one row per entry, and the extra key column.
MULTI_ROW: dict[str, str] = {"withheld_columns": "ordinal"}
