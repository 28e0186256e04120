"""Value profile: what the detectors found in each column of an extract.

Computed in one streaming pass (the first pass of a release with no dataset contract)
and handed to the planner. It holds counts only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from redaction.detect import (
    MENTION,
    SENTINEL,
    count_matches,
    detector_patterns,
    for_matching,
    fuzzy_parts,
    is_text,
    joinable,
    matches,
    mention_pattern,
    null_tokens,
    sentinel_pattern,
    shapes,
)
from redaction.literals import FALSE, int_scalar, string_scalar, strings
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
#: A value of digits only, of identifier length.
DIGITS = r"^\s*\d{7,12}\s*$"


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
        self._only = set(columns) if columns is not None else None
        self.columns: dict[str, ColumnProfile] = {}
        self.rows = 0

    def add(self, batch: pa.RecordBatch) -> None:
        self.rows += batch.num_rows
        texts: list[tuple[str, pa.Array]] = []
        for name, arr in zip(batch.schema.names, batch.columns, strict=True):
            if self._only is not None and name not in self._only:
                continue
            if is_nested(arr.type):
                # Nested columns are profiled leaf by leaf, under their paths.
                texts += [(p, leaf) for p, leaf in leaf_arrays(name, arr) if is_text(leaf.type)]
            elif is_text(arr.type):
                texts.append((name, arr))
            elif pa.types.is_integer(arr.type):
                self._add_ints(name, arr)
            else:
                # Dates, flags, numbers: how many rows have a value at all.
                prof = self.columns.setdefault(name, ColumnProfile(distinct=None))
                prof.rows += len(arr)
                prof.scanned += len(arr) - arr.null_count
        if texts:
            self._add_texts(texts)

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

    def _add_texts(self, texts: list[tuple[str, pa.Array]]) -> None:
        """Count every text column of a batch at once.

        Each pattern runs once over the values of all the columns together
        (``_Values``), not once per column: RE2 compiles a pattern on every call, and
        for the policy's alternations the compile costs as much as matching tens of
        thousands of values (a 20,000-column file paid it 20,000 times per pattern).
        The counts are per column, exactly as if each column were profiled alone."""
        vals = _Values(texts)
        n = len(texts)
        valid = vals.valid
        tokens = vals.count_mask(null_tokens(vals.values))
        wordy = vals.count(r"\S\s+\S+\s+\S")
        idlike = vals.count(ID_SHAPE)
        datelike = vals.count(DATE_TEXT)
        chars = vals.count_lengths()
        if idlike.any():
            date8 = vals.count(DATE8, [i for i in range(n) if idlike[i]])
            pure = vals.count(DIGITS, [i for i in range(n) if idlike[i]])
        profs = [self.columns.setdefault(name, ColumnProfile()) for name, _ in texts]
        keep = [i for i in range(n) if profs[i].distinct is not None]
        if keep:
            upper = pc.utf8_upper(pc.utf8_trim_whitespace(vals.values))
            for i in keep:
                prof = profs[i]
                assert prof.distinct is not None
                uniq = pc.unique(vals.segment(upper, i)).drop_null()
                prof.distinct.update(str(v) for v in uniq.to_pylist()[: DISTINCT_KEPT + 1])
                if len(prof.distinct) > DISTINCT_KEPT:
                    prof.distinct = None
        # Null tokens (NULL, N/A, -, blank) are not values: shares are of real values.
        prose = []
        for i, prof in enumerate(profs):
            prof.rows += len(texts[i][1])
            prof.scanned += int(valid[i] - tokens[i])
            prof.wordy += int(wordy[i])
            prof.chars += int(chars[i])
            prof.datelike += int(datelike[i])
            ids = int(idlike[i])
            if ids:
                seg = vals.segment(vals.values, i)
                digits = seg.filter(matches(seg, DIGITS))
                if int(pure[i]) == ids and _dense(
                    pc.cast(pc.utf8_trim_whitespace(digits), pa.int64())
                ):
                    ids = 0  # record numbers counted up, written as text
                else:
                    ids -= int(date8[i])
            prof.idlike += ids
            prose.append(bool(wordy[i] >= FREE_TEXT_SHARE * max(int(valid[i]), 1)))
        groups = [[i for i in range(n) if prose[i]], [i for i in range(n) if not prose[i]]]
        for det in self._prose:
            hits = np.zeros(n, dtype=np.int64)
            if self._prose[det] == self._codes[det]:
                hits += vals.count(self._prose[det])
            else:
                for cols, patterns in zip(groups, (self._prose, self._codes), strict=True):
                    if cols:
                        hits += vals.count(patterns[det], cols)
            hit = [i for i in range(n) if hits[i]]
            if not hit:
                continue
            sib = self._shapes.get(det)
            siblings = vals.count(sib, hit) if sib else None
            for i in hit:
                prof = profs[i]
                prof.hits[det] = prof.hits.get(det, 0) + int(hits[i])
                if siblings is not None:
                    prof.siblings[det] = prof.siblings.get(det, 0) + int(siblings[i])


def _bools_np(mask: pa.Array) -> np.ndarray:
    """A boolean mask as numpy 0/1 (null as 0), without the conversion that imports
    pandas (``to_numpy(zero_copy_only=False)``)."""
    return _numpy(pc.cast(pc.fill_null(mask, FALSE), pa.int8()), np.int8)


def _numpy(arr: pa.Array, dtype: type[np.generic]) -> np.ndarray:
    """A primitive array with no nulls as a numpy view of its data buffer (pyarrow's
    ``to_numpy`` imports pandas)."""
    arr = arr.cast(pa.from_numpy_dtype(dtype))
    data = np.frombuffer(arr.buffers()[1], dtype=dtype, count=arr.offset + len(arr))
    return data[arr.offset :]


def _int64s(values: np.ndarray) -> pa.Array:
    """An int64 array of ``values`` from its buffer (no pandas import: ``literals``)."""
    data = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(data), [None, pa.py_buffer(data)])


class _Values:
    """The values of several text columns as one array, for one RE2 call per pattern.

    A dictionary column contributes its distinct values once each, weighted by the
    rows that hold them; other columns contribute every row (weight 1). ``count``
    gives, per column, the rows whose value matches."""

    def __init__(self, texts: list[tuple[str, pa.Array]]):
        parts: list[pa.Array] = []
        weights: list[np.ndarray] = []
        valid = []
        for _, arr in texts:
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks()
            if pa.types.is_dictionary(arr.type):
                # The distinct values the rows use, each once, with its number of rows.
                vc = pc.value_counts(arr.indices.drop_null())
                values = arr.dictionary.take(vc.field("values"))
                w = _numpy(vc.field("counts"), np.int64).copy()
                if values.null_count:
                    w = np.where(_bools_np(values.is_null()), 0, w)
                valid.append(int(w.sum()))
            else:
                values = arr
                w = np.ones(len(arr), dtype=np.int64)
                valid.append(len(arr) - arr.null_count)
            parts.append(values if values.type == pa.string() else values.cast(pa.string()))
            weights.append(w)
        try:
            self.values = pa.concat_arrays(parts) if parts else strings([])
        except (pa.ArrowInvalid, pa.ArrowCapacityError):  # over 2 GiB of text
            self.values = pa.concat_arrays([p.cast(pa.large_string()) for p in parts])
        self.weights = np.concatenate(weights) if weights else np.zeros(0, np.int64)
        self.valid = np.array(valid, dtype=np.int64)
        self.bounds = np.cumsum([0] + [len(p) for p in parts])
        self.column = np.repeat(np.arange(len(parts)), np.diff(self.bounds))

    def segment(self, arr: pa.Array, i: int) -> pa.Array:
        lo, hi = int(self.bounds[i]), int(self.bounds[i + 1])
        return arr.slice(lo, hi - lo)

    def count_mask(self, mask: pa.Array, rows: np.ndarray | None = None) -> np.ndarray:
        """Per column, the rows whose value ``mask`` marks (``rows``: the value positions
        ``mask`` stands for, all of them if None)."""
        m = _bools_np(mask)
        pos = slice(None) if rows is None else rows
        return np.bincount(
            self.column[pos], weights=self.weights[pos] * m, minlength=len(self.valid)
        ).astype(np.int64)

    def count_lengths(self) -> np.ndarray:
        """Per column, the characters in its rows' values."""
        length = pc.utf8_length(self.values)
        lengths = _numpy(pc.fill_null(length, int_scalar(0, length.type)), np.int64)
        return np.bincount(
            self.column, weights=self.weights * lengths, minlength=len(self.valid)
        ).astype(np.int64)

    def count(self, pattern: str, cols: list[int] | None = None) -> np.ndarray:
        """Per column (only ``cols`` if given; 0 for the others), the rows whose value
        matches ``pattern``. Columns whose values, joined one per line, cannot match
        are not matched value by value (``BatchMatcher.suspects``: a superset)."""
        n = len(self.valid)
        cols = list(range(n)) if cols is None else cols
        cols = [i for i in cols if self.bounds[i + 1] > self.bounds[i]]
        if cols and joinable(pattern) and fuzzy_parts(pattern) is None:
            cols = self._suspects(pattern, cols)
        if not cols:
            return np.zeros(n, dtype=np.int64)
        if len(cols) == n:
            return self.count_mask(matches(self.values, pattern))
        picked = np.zeros(n, dtype=bool)
        picked[cols] = True
        rows = np.flatnonzero(picked[self.column])
        sub = self.values.take(_int64s(rows))
        return self.count_mask(matches(sub, pattern), rows)

    def _suspects(self, pattern: str, cols: list[int]) -> list[int]:
        lengths = [int(self.bounds[i + 1] - self.bounds[i]) for i in cols]
        if len(cols) == len(self.valid):
            values = self.values
        else:
            values = pa.concat_arrays([self.segment(self.values, i) for i in cols])
        offsets = _int64s(np.cumsum([0, *lengths]))
        nl = string_scalar("\n", values.type)
        try:
            values = pc.fill_null(values, string_scalar("", values.type))
            joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, values), nl)
            if not pc.all(pc.string_is_ascii(joined)).as_py():
                values = for_matching(values)
                joined = pc.binary_join(pa.LargeListArray.from_arrays(offsets, values), nl)
        except (pa.ArrowInvalid, pa.ArrowCapacityError):
            return cols
        hit = pc.match_substring_regex(joined, f"(?m:{pattern})").to_pylist()
        return [i for i, h in zip(cols, hit, strict=True) if h]
