"""Written requests for status information and the lawful exceptions that answer them.

Both live in the ledger's database as ledger entries: every change (a request received,
decided, noticed; an exception granted, revoked, refused) is an append, and the current
state is folded from those entries, each checked against its hash.
"""

from redaction.disclosure.lawful import (
    LawfulException,
    check_exception,
    get_exception,
    grant_exception,
    list_exceptions,
    revoke_exception,
)
from redaction.disclosure.requests import (
    WrittenRequest,
    decide_request,
    get_request,
    list_requests,
    mark_noticed,
    receive_request,
)
from redaction.disclosure.vocab import Basis, Decision, Purpose

__all__ = [
    "Basis",
    "Decision",
    "LawfulException",
    "Purpose",
    "WrittenRequest",
    "check_exception",
    "decide_request",
    "get_exception",
    "get_request",
    "grant_exception",
    "list_exceptions",
    "list_requests",
    "mark_noticed",
    "receive_request",
    "revoke_exception",
]
