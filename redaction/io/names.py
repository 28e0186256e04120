"""Names checked before any work: file names, recipients, folders, ids, and the names
inside an extract (headers, JSON keys).

A name ends up in the output, on terminals, in the ledger and in reports. One the
ledger would refuse (a control character, 5,000 characters) must be refused before the
file is read, not at the ledger write after all the work; one that shows differently
than it is (a right-to-left override turning ``vsc.exe`` into ``exe.csv``, a zero-width
space) must not be published at all. Messages describe the offending character by
position and code point and never print the name, which may be what is wrong.

Inside an extract a name is data: a header or JSON key shaped like an identifier (an
A-number, a receipt number) would be published and written to the ledger as is, so the
file is refused by column position.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from redaction.errors import InputError, UsageError

if TYPE_CHECKING:
    from redaction.policy import Policy

#: A contract, profile or exception id: no separators, no leading dot (no traversal).
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")


def bad_character(value: str) -> str | None:
    """A description of the first character that is not plain text, or ``None``.

    Refused: control characters (C0, DEL, C1) and format characters (Unicode ``Cf``:
    direction overrides and isolates, zero-width spaces and joiners, the BOM), plus
    line and paragraph separators."""
    for i, ch in enumerate(value, 1):
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Zl", "Zp"):
            kind = "a control character" if cat == "Cc" else "an invisible character"
            name = unicodedata.name(ch, "")
            return f"{kind} (U+{ord(ch):04X}{' ' + name if name else ''}) at position {i}"
    return None


def check_text(value: str, what: str, max_len: int, *, hint: str | None = None) -> str:
    """``value`` as a name the ledger and a terminal can hold, else exit 2."""
    if not value.strip():
        raise UsageError(f"the {what} is empty", reason="bad_name", hint=hint)
    if len(value) > max_len:
        raise UsageError(
            f"the {what} is {len(value):,} characters long; at most {max_len} are kept",
            reason="bad_name",
            hint=hint,
        )
    bad = bad_character(value)
    if bad is not None:
        raise UsageError(f"the {what} holds {bad}", reason="bad_name", hint=hint)
    return value


def check_id(value: str, what: str) -> str:
    """A contract, profile or exception id: letters, digits, ``_ . : -``; no path."""
    if not _ID.fullmatch(value) or ".." in value:
        raise UsageError(
            f"the {what} is not a name (letters, digits, _ . : -, at most 64; no path)",
            reason="bad_name",
            hint=f"pass the {what} by name, not by path",
        )
    return value


def check_release_names(
    source: Path,
    *,
    recipient: str,
    outbox: Path,
    dataset: str | None = None,
    profile: str | None = None,
    exception_id: str | None = None,
) -> None:
    """Every name a release writes to the outbox or the ledger, checked up front."""
    rename = "rename the file"
    check_text(source.name, "source file name", 255, hint=rename)
    check_text(str(source), "source path", 4096, hint=rename)
    check_text(recipient, "recipient (--recipient)", 256)
    check_text(str(outbox), "outbox path (--out)", 4096)
    if dataset is not None:
        check_id(dataset, "dataset (--dataset)")
    if profile is not None:
        check_id(profile, "profile (--profile)")
    if exception_id is not None:
        check_id(exception_id, "exception id (--exception)")


def _fields(fields: list[pa.Field] | pa.Schema, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(position, name)`` of every field, nested ones too (``3.2`` is field 2 of 3)."""
    for i, field in enumerate(fields, 1):
        pos = f"{prefix}{i}"
        yield pos, field.name
        t = field.type
        while pa.types.is_dictionary(t) or pa.types.is_list(t) or pa.types.is_large_list(t):
            t = t.value_type
        if pa.types.is_struct(t):
            yield from _fields([t.field(j) for j in range(t.num_fields)], pos + ".")


def _separated(name: str) -> str:
    # ``id_A123456789``: an underscore is a word character, so no word boundary would
    # set the identifier apart.
    return re.sub(r"[_\W]+", " ", name)


def check_column_names(schema: pa.Schema, policy: Policy, path: Path) -> None:
    """Refuse an extract whose header or JSON keys hold a name that is not plain text
    or is shaped like an identifier (the policy's second-line shapes); the message
    names the column by position (``column 3``, ``column 3.2`` for a nested key)."""
    shapes = [re.compile(s) for s in policy.sentinel.shapes]
    for pos, name in _fields(schema):
        bad = bad_character(name)
        if bad is not None:
            raise InputError(
                f"{path}: the name of column {pos} holds {bad}",
                reason="bad_column_name",
                hint="rename the column in the source",
            )
        spaced = _separated(name)
        if any(s.search(name) or s.search(spaced) for s in shapes):
            raise InputError(
                f"{path}: the name of column {pos} is shaped like an identifier; a name "
                "is data too, so it is neither published nor written to the ledger",
                reason="identifier_shaped_name",
                hint="rename the column in the source",
            )
