"""The validation gate: a GX suite built from a :class:`ValidationSpec`, run on every row.

Importing this package is cheap: the spec, the outcome and ``quarantine`` load no pandas
or GX; ``validate_file`` loads pandas on first use and GX only when it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redaction.validation.outcome import ExpectationOutcome, ValidationOutcome
from redaction.validation.quarantine import quarantine
from redaction.validation.spec import CONTRACT_TYPES, ValidationSpec

if TYPE_CHECKING:
    from redaction.validation.gate import DEFAULT_CHUNK_ROWS, validate_file

__all__ = [
    "CONTRACT_TYPES",
    "DEFAULT_CHUNK_ROWS",
    "ExpectationOutcome",
    "ValidationOutcome",
    "ValidationSpec",
    "quarantine",
    "validate_file",
]


def __getattr__(name: str) -> Any:
    # The gate imports pandas (~1-4 s cold); a command that only builds a spec or reads
    # an outcome should not pay for it.
    if name in ("validate_file", "DEFAULT_CHUNK_ROWS"):
        from redaction.validation import gate

        return getattr(gate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
