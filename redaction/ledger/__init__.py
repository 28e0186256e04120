"""The tamper-evident ledger: an append-only hash chain and typed tables projected
from it, in SQLite (embedded default) or PostgreSQL (production).

Public API::

    ledger = Ledger.open(url)                 # None: $REDACT_LEDGER_URL or .redact/
    intent = ledger.begin_release(record)     # before publishing
    ledger.finish_release(intent.seq, "published", output_sha256)
    ledger.verify(head=None).ok
"""

from redaction.ledger.chain import GENESIS
from redaction.ledger.records import Entry, Orphan, Problem, ReleaseRecord, VerifyResult
from redaction.ledger.store import FINISH_OUTCOMES, Ledger

__all__ = [
    "FINISH_OUTCOMES",
    "GENESIS",
    "Entry",
    "Ledger",
    "Orphan",
    "Problem",
    "ReleaseRecord",
    "VerifyResult",
]
