"""Reconciliation: what became of release intents that were never finished.

A release records its intent, publishes, then records the finish. A crash between the
publish and the finish leaves an orphan intent. Reconciliation looks in the outbox: the
file is there with the hash the intent expected (``published``), there with no hash to
compare (``present_unverified``), there with another hash (``mismatch``: a person must
look), or not there (``missing``). With ``record=True`` it finishes the clear cases:
``published`` and ``missing`` (as ``not_published``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from redaction.errors import UsageError
from redaction.ledger.records import Orphan
from redaction.ledger.store import Ledger


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def reconcile(ledger: Ledger, outbox: Path, *, record: bool = False) -> list[Orphan]:
    """Report every orphan intent against ``outbox``; optionally finish the clear ones."""
    if not outbox.is_dir():
        raise UsageError(f"outbox {outbox} is not a directory", reason="bad_outbox")
    found = []
    for entry in ledger.orphans():
        p = entry.payload
        # The output name is a bare file name; never follow a path out of the outbox.
        target = outbox / Path(str(p["output_name"])).name
        expected = p["output_sha256"]
        actual = sha256_file(target) if target.is_file() else None
        if actual is None:
            status = "missing"
        elif expected is None:
            status = "present_unverified"
        elif actual == expected:
            status = "published"
        else:
            status = "mismatch"
        orphan = Orphan(
            intent_seq=entry.seq,
            release_id=str(p["release_id"]),
            output_name=str(p["output_name"]),
            recipient=str(p["recipient"]),
            expected_sha256=expected,
            status=status,
            actual_sha256=actual,
        )
        if record and status in ("published", "missing"):
            ledger.finish_release(
                entry.seq,
                "published" if status == "published" else "not_published",
                actual,
                reason="reconciled",
            )
        found.append(orphan)
    return found
