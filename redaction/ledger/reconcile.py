"""Reconciliation: what became of release intents that were never finished.

A release records its intent, publishes, then records the finish. A crash between the
intent and the finish leaves an orphan intent. Reconciliation looks in the outbox and
matches what it finds to the run that produced it:

- ``published``: the file is there with the hash the intent expected, and it is this
  run's own file (the staged file's identity, recorded in the intent, survived the
  rename);
- ``superseded``: the file is there with the expected hash but a later run put it there
  (a rerun writes the same bytes): this run did not publish it;
- ``present_unverified``: there, with no hash to compare;
- ``mismatch``: there with another hash (a person must look);
- ``missing``: not there;
- ``other_outbox``: the intent was for another outbox; reconcile it against that one.

With ``record=True`` it finishes the clear cases: ``published``, and ``missing`` and
``superseded`` as ``not_published``. An intent recorded before intents carried the
outbox and file identity is matched by hash, and counts as superseded when a later
intent for the same name and hash claims the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from redaction.errors import UsageError
from redaction.io.digest import sha256_file
from redaction.ledger.records import Entry, Orphan
from redaction.ledger.store import Ledger, file_identity

#: Finish outcomes that disclaim the file: such an intent claims nothing in the outbox.
_NOT_THERE = frozenset({"failed", "not_published", "quarantined"})


def _same_outbox(recorded: object, outbox: Path) -> bool:
    return recorded is None or Path(str(recorded)) == Path(os.path.abspath(outbox))


def _claimed_later(entry: Entry, intents: list[Entry], disclaimed: set[int], outbox: Path) -> bool:
    """A later intent for the same outbox, name and hash that did not disclaim the file."""
    p = entry.payload
    return any(
        e.seq > entry.seq
        and e.seq not in disclaimed
        and e.payload["output_name"] == p["output_name"]
        and e.payload["output_sha256"] == p["output_sha256"]
        and _same_outbox(e.payload.get("outbox"), outbox)
        for e in intents
    )


def _status(
    entry: Entry, target: Path, actual: str | None, intents: list[Entry], disclaimed: set[int]
) -> str:
    p = entry.payload
    expected = p["output_sha256"]
    if actual is None:
        return "missing"
    if expected is None:
        return "present_unverified"
    if actual != expected:
        return "mismatch"
    if p.get("output_file") is not None:
        return "published" if file_identity(target) == p["output_file"] else "superseded"
    if _claimed_later(entry, intents, disclaimed, target.parent):
        return "superseded"
    return "published"


def reconcile(ledger: Ledger, outbox: Path, *, record: bool = False) -> list[Orphan]:
    """Report every orphan intent against ``outbox``; optionally finish the clear ones."""
    if not outbox.is_dir():
        raise UsageError(f"outbox {outbox} is not a directory", reason="bad_outbox")
    orphans = ledger.orphans()
    intents = ledger.entries(kinds=["release.intent"]) if orphans else []
    disclaimed = {
        int(e.payload["intent_seq"])
        for e in (ledger.entries(kinds=["release.finish"]) if orphans else [])
        if e.payload["outcome"] in _NOT_THERE
    }
    found = []
    for entry in orphans:
        p = entry.payload
        # The output name is a bare file name; never follow a path out of the outbox.
        target = outbox / Path(str(p["output_name"])).name
        actual = None
        if not _same_outbox(p.get("outbox"), outbox):
            status = "other_outbox"
        else:
            actual = sha256_file(target) if target.is_file() else None
            status = _status(entry, target, actual, intents, disclaimed)
        orphan = Orphan(
            intent_seq=entry.seq,
            release_id=str(p["release_id"]),
            output_name=str(p["output_name"]),
            recipient=str(p["recipient"]),
            expected_sha256=p["output_sha256"],
            status=status,
            actual_sha256=actual,
        )
        if record and status in RECORDED:
            ledger.finish_release(
                entry.seq,
                "published" if status == "published" else "not_published",
                actual if status == "published" else None,
                reason="reconciled" if status != "superseded" else "superseded",
            )
        found.append(orphan)
    return found


#: The statuses ``record=True`` finishes; the others need a person or another outbox.
RECORDED = frozenset({"published", "missing", "superseded"})
