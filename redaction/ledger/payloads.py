"""What each kind of ledger entry may carry, checked before anything is written.

A payload holds names, counts, rule ids, dates and hashes, never a cell's content. Each
kind declares its keys; an unexpected key, a missing key or a value of the wrong shape
is refused (:class:`~redaction.errors.LedgerError`, reason ``bad_payload``) and the
message names the key, never the value. Optional keys are stored as ``null`` so that a
payload has exactly one canonical form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from redaction.errors import LedgerError
from redaction.io.names import bad_character
from redaction.ledger.chain import format_stamp

Check = Callable[[Any], Any]

_HEX64 = re.compile(r"[0-9a-f]{64}")
_TOKEN = re.compile(r"[a-z][a-z0-9_]{0,63}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


class _Bad(ValueError):
    pass


def text(max_len: int = 256) -> Check:
    def check(v: Any) -> str:
        if not isinstance(v, str) or not v.strip() or len(v) > max_len:
            raise _Bad(f"must be non-empty text of at most {max_len} characters")
        if bad_character(v) is not None:
            raise _Bad("must not hold control or invisible characters")
        return v

    return check


def pattern(regex: re.Pattern[str], what: str) -> Check:
    def check(v: Any) -> str:
        if not isinstance(v, str) or not regex.fullmatch(v):
            raise _Bad(f"must be {what}")
        return v

    return check


def integer(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise _Bad("must be a non-negative integer")
    return v


def boolean(v: Any) -> bool:
    if not isinstance(v, bool):
        raise _Bad("must be true or false")
    return v


def day(v: Any) -> str:
    if isinstance(v, date) and not isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, str) and _DATE.fullmatch(v):
        date.fromisoformat(v)
        return v
    raise _Bad("must be a date (YYYY-MM-DD)")


def stamp(v: Any) -> str:
    if isinstance(v, datetime):
        try:
            return format_stamp(v)
        except ValueError:
            raise _Bad("must be a timezone-aware timestamp") from None
    if isinstance(v, str) and _STAMP.fullmatch(v):
        return v
    raise _Bad("must be a timezone-aware timestamp")


def optional(check: Check) -> Check:
    def opt(v: Any) -> Any:
        return None if v is None else check(v)

    opt.optional = True  # type: ignore[attr-defined]
    return opt


def tokens(v: Any) -> list[str]:
    """A set of lower-case ids (categories, datasets), stored sorted and distinct."""
    if isinstance(v, str) or not isinstance(v, list | tuple | set | frozenset):
        raise _Bad("must be a list of ids")
    out = sorted({_check_token(x) for x in v})
    if not out:
        raise _Bad("must not be empty")
    return out


def _check_token(x: Any) -> str:
    if not isinstance(x, str) or not _ID.fullmatch(x):
        raise _Bad("must hold ids (letters, digits, . _ : -)")
    return x


def names(v: Any) -> list[str]:
    """An ordered list of short names (validation check names)."""
    if isinstance(v, str) or not isinstance(v, list | tuple):
        raise _Bad("must be a list of names")
    return [text(256)(x) for x in v]


_COLUMN_KEYS = {"column", "category", "action", "rule", "count"}


def columns(v: Any) -> list[dict[str, Any]]:
    if isinstance(v, str) or not isinstance(v, list | tuple):
        raise _Bad("must be a list of withheld columns")
    out = []
    for i, col in enumerate(v):
        if not isinstance(col, Mapping) or set(col) != _COLUMN_KEYS:
            raise _Bad(f"[{i}] must have exactly the keys {sorted(_COLUMN_KEYS)}")
        try:
            out.append(
                {
                    "column": text(512)(col["column"]),
                    "category": optional(pattern(_TOKEN, "a category id"))(col["category"]),
                    "action": pattern(_TOKEN, "an action name")(col["action"]),
                    "rule": text(128)(col["rule"]),
                    "count": integer(col["count"]),
                }
            )
        except _Bad as exc:
            raise _Bad(f"[{i}] {exc}") from None
    return out


HEX64 = pattern(_HEX64, "a lower-case hex SHA-256")
TOKEN = pattern(_TOKEN, "a lower-case id")
ID = pattern(_ID, "an id (letters, digits, . _ : -, at most 64)")
UUID = pattern(
    re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "a UUID"
)

_RELEASE: dict[str, Check] = {
    "release_id": UUID,
    "source_name": text(512),
    "source_sha256": HEX64,
    "dataset": optional(ID),
    "profile": ID,
    "recipient": text(256),
    "exception_id": optional(ID),
    "rows": integer,
    "output_name": text(512),
    "output_sha256": optional(HEX64),
    "started_at": stamp,
    "columns": columns,
    # Where the run publishes and which staged file it renames there, so that
    # reconciliation matches the outbox's file to the run that produced it (a rerun
    # writes the same bytes: the hash alone cannot tell two runs apart).
    "outbox": optional(text(4096)),
    "output_file": optional(pattern(re.compile(r"\d+:\d+:\d+"), "a file identity")),
}

#: kind -> key -> check. The only kinds and keys the ledger accepts.
SCHEMAS: dict[str, dict[str, Check]] = {
    "release": _RELEASE,
    "release.intent": _RELEASE,
    "release.finish": {
        "release_id": UUID,
        "intent_seq": integer,
        "outcome": TOKEN,
        "output_sha256": optional(HEX64),
        "reason": optional(TOKEN),
    },
    "request.received": {
        "request_id": ID,
        "requester": text(256),
        "agency": text(256),
        "received_on": day,
        "purpose": TOKEN,
        "categories": tokens,
        "document_sha256": HEX64,
        "document_name": text(256),
        "notice_due": day,
    },
    "request.decided": {
        "request_id": ID,
        "decision": TOKEN,
        "reason": text(1024),
        "decided_by": text(256),
        "decided_at": stamp,
    },
    "request.noticed": {"request_id": ID, "noticed_on": day, "noticed_by": text(256)},
    "exception.granted": {
        "exception_id": ID,
        "request_id": ID,
        "recipient": text(256),
        "basis": TOKEN,
        "categories": tokens,
        "datasets": optional(tokens),
        "valid_from": day,
        "valid_to": day,
        "authorized_by": text(256),
    },
    # A grant to a recipient other than the request's requester or agency, forced with a
    # reason; appended just before its ``exception.granted`` entry. Kept in the chain
    # only (no typed table): it is read with the grant it explains.
    "exception.recipient_override": {
        "exception_id": ID,
        "request_id": ID,
        "recipient": text(256),
        "reason": text(1024),
        "authorized_by": text(256),
    },
    "exception.revoked": {
        "exception_id": ID,
        "revoked_at": stamp,
        "reason": text(1024),
        "revoked_by": text(256),
    },
    "refusal": {
        "subject": TOKEN,
        "reason_code": TOKEN,
        "exception_id": optional(ID),
        "request_id": optional(ID),
        "recipient": optional(text(256)),
        "dataset": optional(ID),
        "release_id": optional(UUID),
        "basis": optional(TOKEN),
    },
    "validation": {
        "release_id": UUID,
        "source_name": text(512),
        "passed": boolean,
        "expectations": integer,
        "failures": integer,
        "failed_checks": names,
        "rows": optional(integer),
    },
}


def clean_payload(kind: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical form of ``payload`` for ``kind``, or a :class:`LedgerError`.

    Every problem is collected and reported at once, by key name only.
    """
    schema = SCHEMAS.get(kind)
    if schema is None:
        raise LedgerError(
            f"unknown ledger entry kind {kind!r}",
            reason="bad_payload",
            hint=f"known kinds: {', '.join(sorted(SCHEMAS))}",
        )
    if not isinstance(payload, Mapping):
        raise LedgerError(f"{kind}: payload must be a mapping", reason="bad_payload")
    problems = [f"unexpected key {k!r}" for k in sorted(map(str, payload)) if k not in schema]
    out: dict[str, Any] = {}
    for key, check in schema.items():
        if key not in payload:
            if getattr(check, "optional", False):
                out[key] = None
                continue
            problems.append(f"missing key {key!r}")
            continue
        try:
            out[key] = check(payload[key])
        except _Bad as exc:
            problems.append(f"{key} {exc}")
    if problems:
        raise LedgerError(
            f"{kind}: payload refused: " + "; ".join(problems),
            reason="bad_payload",
            hint="ledger payloads hold names, counts, rule ids and hashes only",
        )
    return out
