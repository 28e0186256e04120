"""The hash chain: canonical serialisation, entry hashes and timestamps.

An entry's hash is ``sha256`` over the canonical JSON of the object
``{"created_at", "kind", "payload", "prev_hash", "seq"}``: keys sorted, no insignificant
whitespace, UTF-8, no floats (their text form is not canonical across languages). The
first entry's ``prev_hash`` is :data:`GENESIS`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """Deterministic JSON text: sorted keys, compact separators, UTF-8, no floats."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def entry_hash(
    seq: int, kind: str, payload: Mapping[str, Any], prev_hash: str, created_at: str
) -> str:
    body = {
        "created_at": created_at,
        "kind": kind,
        "payload": payload,
        "prev_hash": prev_hash,
        "seq": seq,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def format_stamp(moment: datetime) -> str:
    """An aware datetime as canonical UTC text: ``2026-07-01T12:00:00.000000Z``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
