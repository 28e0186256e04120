"""The text grammar of column values, shared by the reader and the gate: which tokens
stand for "no value", and which text forms parse as each contract type.

The reader (:mod:`redaction.io.readers`) refuses a CSV value that is not in its
declared type's form (bad input, exit 3); the gate (:mod:`redaction.validation.checks`)
checks the released file against the same forms. One grammar, so a value the reader
lets through is never one the gate refuses (``2026-02-30`` is refused on read).

Patterns are RE2 (Arrow's ``match_substring_regex``) and read the same in Python's
``re``: ``[0-9]`` and ``[ \\t]`` rather than ``\\d`` and ``\\s``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal, get_args

from redaction.errors import UsageError

#: The column types a dataset contract may declare (``schemas/datasets/*.yaml``): the
#: contract model, the reader and the gate's spec all use these.
ColumnType = Literal["string", "int64", "float64", "boolean", "date", "timestamp"]
COLUMN_TYPES: tuple[ColumnType, ...] = get_args(ColumnType)

#: Values that stand for "no value" in agency CSV files. The reader takes them for null
#: (never a type error); the gate accepts them where a typed value is expected. A
#: column that must be null must hold real nulls, not these.
NULL_TOKENS: tuple[str, ...] = (
    "",
    "NULL",
    "null",
    "Null",
    "N/A",
    "n/a",
    "NA",
    "#N/A",
    "-",
    "None",
    "\\N",
)


def _month_day(sep: str, pad: str) -> str:
    """Month and day with ``sep`` between, valid together (02-29 passes in any year)."""
    d28 = rf"(?:{pad}[1-9]|1[0-9]|2[0-8])"
    return (
        rf"(?:(?:{pad}[1-9]|1[0-2]){sep}{d28}"
        rf"|(?:{pad}[13-9]|1[0-2]){sep}(?:29|30)"
        rf"|(?:{pad}[13578]|1[02]){sep}31"
        rf"|{pad}2{sep}29)"
    )


#: The date forms accepted (ISO, YYYY/M/D, M/D/YYYY, YYYYMMDD), month and day checked.
DATE = (
    rf"(?:[0-9]{{4}}-{_month_day('-', '0?')}"
    rf"|[0-9]{{4}}/{_month_day('/', '0?')}"
    rf"|{_month_day('/', '0?')}/[0-9]{{4}}"
    rf"|[0-9]{{4}}{_month_day('', '0')})"
)
TIME = r"(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?"

#: The text form of a value of each contract type (unanchored bodies).
TEXT_FORMS: Mapping[str, str] = {
    "int64": r"[+-]?[0-9]{1,19}",
    "float64": r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?i:inf|nan)",
    "boolean": r"(?i:true|false|t|f|y|n|yes|no|1|0)",
    "date": DATE,
    "timestamp": rf"{DATE}(?:[ T]{TIME})?",
}

#: The one spelling most files use, for a fast whole-column check (a value not in it is
#: then checked against :data:`PARSEABLE`).
PLAIN_FORMS: Mapping[str, str] = {
    "int64": r"[0-9]{1,19}",
    "date": rf"[0-9]{{4}}-{_month_day('-', '0')}",
}


def _parseable(body: str) -> str:
    nulls = "|".join(re.escape(t) for t in NULL_TOKENS if t)
    return rf"^[ \t]*(?:{body})[ \t]*$|^(?:{nulls})$"


#: A whole value that parses as each contract type, or is a null token (or blank).
PARSEABLE: Mapping[str, str] = {name: _parseable(body) for name, body in TEXT_FORMS.items()}

Format = Literal["csv", "parquet", "jsonl"]
#: The extract formats (read and written), in the order the CLI lists them.
FORMATS: tuple[Format, ...] = ("csv", "parquet", "jsonl")
#: File name suffixes and the format each stands for.
SUFFIXES: Mapping[str, Format] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".psv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}

__all__ = [
    "DATE",
    "FORMATS",
    "NULL_TOKENS",
    "PARSEABLE",
    "PLAIN_FORMS",
    "SUFFIXES",
    "TEXT_FORMS",
    "TIME",
    "Format",
]


def detect_format(path: Path, fmt: str | None = None) -> Format:
    """The format of an extract: ``fmt`` when given (checked), else from the suffix.

    Raises:
        UsageError: an unknown ``fmt``, or a suffix that names no format.
    """
    if fmt:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format '{fmt}'", hint="use csv, parquet or jsonl")
        return fmt
    try:
        return SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise UsageError(
            f"{path.name}: cannot tell the format from the extension '{path.suffix}'",
            reason="unknown_format",
            hint="name the file .csv, .parquet or .jsonl, or pass --format",
        ) from None
