"""Value profile: what the detectors found in each column of an extract.

Computed in one streaming pass (the first pass of a release with no dataset contract)
and handed to the planner. It holds counts only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from redaction.detect import (
    MENTION,
    SENTINEL,
    as_text,
    count_matches,
    detector_patterns,
    is_text,
    matches,
    mention_pattern,
    null_tokens,
    sentinel_pattern,
    shapes,
)
from redaction.literals import FALSE, int_scalar
from redaction.nested import is_nested, leaf_arrays
from redaction.policy import Policy

#: A text column is free text when this share of its values hold two or more spaces.
FREE_TEXT_SHARE = 0.3
#: Distinct values a profile keeps of a text column (to check an allowlist of benign
#: values); a column with more has ``distinct = None``.
DISTINCT_KEPT = 64
#: An identifier-shaped value: a letter or two and 7 to 12 digits, or the digits alone.
ID_SHAPE = r"^\s*[A-Za-z]{0,2}[-# ]?\p{Nd}{7,12}\s*$"
#: A date written as eight digits (``YYYYMMDD``, ``MMDDYYYY``, ``DDMMYYYY``): not an
#: identifier, though it has the shape of one.
DATE8 = (
    r"^\s*(?:(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:19|20)\d{2}"
    r"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d{2})\s*$"
)


@dataclass
class ColumnProfile:
    """Counts for one column: values scanned, values each detector matched."""

    scanned: int = 0
    #: Rows seen, null or not (``scanned`` counts the values).
    rows: int = 0
    #: Characters in the values (text columns), for their mean length.
    chars: int = 0
    #: Values written as a date (``DATE_TEXT``).
    datelike: int = 0
    hits: dict[str, int] = field(default_factory=dict)
    #: For a detector that hit, values of the same shape that it does not match (an
    #: ``A12345678`` hit among ``B12345678``, ``K87654321``...): evidence of chance matches.
    siblings: dict[str, int] = field(default_factory=dict)
    #: Values with two or more blanks: prose rather than codes or identifiers.
    wordy: int = 0
    #: Identifier-shaped values (``ID_SHAPE``; integers of 7 to 12 digits).
    idlike: int = 0
    #: The distinct values seen (upper case, trimmed), up to ``DISTINCT_KEPT``; ``None``
    #: past that.
    distinct: set[str] | None = field(default_factory=set)

    def share(self, detector: str) -> float:
        return self.hits.get(detector, 0) / self.scanned if self.scanned else 0.0

    @property
    def free_text(self) -> bool:
        return self.scanned > 0 and self.wordy / self.scanned >= FREE_TEXT_SHARE


Profile = Mapping[str, ColumnProfile]


def _dense(values: pa.Array) -> bool:
    """Integers that fill most of the range they span: keys counted up one by one
    (a record number), not identifiers issued elsewhere (A-numbers are scattered)."""
    n = len(values) - values.null_count
    if n < 2:
        return False
    span = pc.min_max(values).as_py()
    return bool(span["max"] - span["min"] + 1 <= 4 * n)


#: A value written as a date: eight digits, ISO, or day/month/year with any separator.
DATE_TEXT = (
    DATE8[:-5]
    + r"|\d{4}-\d{1,2}-\d{1,2}(?:[T ][\d:.]+Z?)?|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4}))\s*$"
)


class Profiler:
    """Accumulates a profile batch by batch (so a release can profile while it reads)."""

    def __init__(self, policy: Policy, columns: Iterable[str] | None = None):
        # Prose gets the fuzzy mentions (one slip allowed in long words); codes and
        # identifiers the exact ones, which RE2 runs several times faster.
        self._prose = {**detector_patterns(policy), SENTINEL: sentinel_pattern(policy)}
        self._codes = {**self._prose, MENTION: mention_pattern(policy, fuzzy=False)}
        self._shapes = shapes(policy)
        self._any_prose = "|".join(f"(?:{p})" for p in self._prose.values())
        self._any_codes = "|".join(f"(?:{p})" for p in self._codes.values())
        self._only = set(columns) if columns is not None else None
        self.columns: dict[str, ColumnProfile] = {}
        self.rows = 0

    def add(self, batch: pa.RecordBatch) -> None:
        self.rows += batch.num_rows
        for name, arr in zip(batch.schema.names, batch.columns, strict=True):
            if self._only is not None and name not in self._only:
                continue
            if is_nested(arr.type):
                # Nested columns are profiled leaf by leaf, under their paths.
                for path, leaf in leaf_arrays(name, arr):
                    if is_text(leaf.type):
                        self._add(path, leaf)
            elif is_text(arr.type):
                self._add(name, arr)
            elif pa.types.is_integer(arr.type):
                self._add_ints(name, arr)
            else:
                # Dates, flags, numbers: how many rows have a value at all.
                prof = self.columns.setdefault(name, ColumnProfile(distinct=None))
                prof.rows += len(arr)
                prof.scanned += len(arr) - arr.null_count

    def _add_ints(self, name: str, arr: pa.Array) -> None:
        """An integer column counts its identifier-sized values (7 to 12 digits)."""
        prof = self.columns.setdefault(name, ColumnProfile(distinct=None))
        prof.rows += len(arr)
        prof.scanned += len(arr) - arr.null_count
        try:
            wide = pc.abs(pc.cast(arr, pa.int64()))
        except pa.ArrowInvalid:  # uint64 past int64: not an identifier of 12 digits
            return
        big = pc.and_(
            pc.greater_equal(wide, int_scalar(1_000_000, pa.int64())),
            pc.less(wide, int_scalar(10**12, pa.int64())),
        )
        idlike = int(pc.sum(pc.fill_null(big, FALSE)).as_py() or 0)
        if idlike:
            idlike -= count_matches(pc.cast(wide, pa.string()), DATE8)
        if idlike and _dense(wide):
            idlike = 0  # a run of record numbers (1000001, 1000002...), not identifiers
        prof.idlike += idlike

    def _add(self, name: str, arr: pa.Array) -> None:
        prof = self.columns.setdefault(name, ColumnProfile())
        prof.rows += len(arr)
        text = as_text(arr)
        # Null tokens (NULL, N/A, -, blank) are not values: shares are of real values.
        prof.scanned += len(text) - text.null_count - int(pc.sum(null_tokens(text)).as_py() or 0)
        prof.chars += int(pc.sum(pc.utf8_length(text)).as_py() or 0)
        wordy = count_matches(text, r"\S\s+\S+\s+\S")
        prof.wordy += wordy
        prof.datelike += count_matches(text, DATE_TEXT)
        idlike = count_matches(text, ID_SHAPE)
        if idlike:
            idlike -= count_matches(text, DATE8)
            digits = text.filter(matches(text, r"^\s*\d{7,12}\s*$"))
            if len(digits) == idlike and _dense(
                pc.cast(pc.utf8_trim_whitespace(digits), pa.int64())
            ):
                idlike = 0  # record numbers counted up, written as text
        prof.idlike += idlike
        if prof.distinct is not None:
            uniq = pc.unique(pc.utf8_upper(pc.utf8_trim_whitespace(text))).drop_null()
            prof.distinct.update(str(v) for v in uniq.to_pylist()[: DISTINCT_KEPT + 1])
            if len(prof.distinct) > DISTINCT_KEPT:
                prof.distinct = None
        prose = wordy >= FREE_TEXT_SHARE * max(len(text) - text.null_count, 1)
        if count_matches(text, self._any_prose if prose else self._any_codes) == 0:
            return
        for det, pattern in (self._prose if prose else self._codes).items():
            n = count_matches(text, pattern)
            if n:
                prof.hits[det] = prof.hits.get(det, 0) + n
                sib = self._shapes.get(det)
                if sib:
                    prof.siblings[det] = prof.siblings.get(det, 0) + count_matches(text, sib)


def profile_batches(batches: Iterable[pa.RecordBatch], policy: Policy) -> dict[str, ColumnProfile]:
    """Profile every text column of a stream of record batches."""
    profiler = Profiler(policy)
    for batch in batches:
        profiler.add(batch)
    return profiler.columns
