"""Recognising immigration-status data: column names, values and free-text mentions.

Everything here is pure: names and Arrow arrays in, matches and counts out. Patterns
come from the policy; this module only compiles and runs them. Value patterns run in
Arrow's RE2 engine (``pyarrow.compute``), never row by row in Python.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pyarrow as pa
import pyarrow.compute as pc

from redaction.policy import Category, Detector, Policy, WithholdAction

# ----------------------------------------------------------------------- column names

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_name(name: str, abbreviations: dict[str, str] | None = None) -> str:
    """Normalise a column name for matching.

    Accents are removed, camelCase is split, ``#`` reads as "number", every run of
    separators becomes one space, and each token found in ``abbreviations`` is expanded:
    ``"CTZN_STS_CD"`` -> ``"citizenship status code"``, ``"País de nacimiento "`` ->
    ``"pais de nacimiento"``, ``"I 94 #"`` -> ``"i 94 number"``.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("#", " number ")
    text = _CAMEL.sub(" ", text).lower()
    tokens = _NON_ALNUM.sub(" ", text).split()
    if abbreviations:
        tokens = [abbreviations.get(t, t) for t in tokens]
    return " ".join(tokens)


@dataclass(frozen=True)
class NameMatch:
    category: str
    pattern: str
    action: WithholdAction
    normalized: str


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def classify_name(name: str, policy: Policy) -> NameMatch | None:
    """The category whose name rule matches ``name`` most specifically, if any.

    Every category's rules are tried; the longest matched span wins (``"visa class"``
    beats ``"class"``), and ties go to the category listed first in the policy.
    """
    normalized = normalize_name(name, policy.abbreviations)
    best: tuple[int, int, Category, str, WithholdAction] | None = None
    for order, cat in enumerate(policy.categories):
        if any(_rx(p).search(normalized) for p in cat.not_names):
            continue
        for rule in cat.names:
            m = _rx(rule.pattern).search(normalized)
            if m is None:
                continue
            span = m.end() - m.start()
            key = (span, -order)
            if best is None or key > (best[0], best[1]):
                best = (span, -order, cat, rule.pattern, rule.action or cat.action)
    if best is None:
        return None
    return NameMatch(best[2].id, best[3], best[4], normalized)


# ----------------------------------------------------------------------- value detectors

_SEP = r"[\s\-_./]*"
_ACCENTS = {
    "a": "áàâä",
    "e": "éèêë",
    "i": "íìîï",
    "o": "óòôö",
    "u": "úùûü",
    "n": "ñ",
    "c": "ç",
}
_MARKS = {"á": "\u0301", "é": "\u0301", "í": "\u0301", "ó": "\u0301", "ú": "\u0301",
          "à": "\u0300", "è": "\u0300", "ì": "\u0300", "ò": "\u0300", "ù": "\u0300",
          "â": "\u0302", "ê": "\u0302", "î": "\u0302", "ô": "\u0302", "û": "\u0302",
          "ä": "\u0308", "ë": "\u0308", "ï": "\u0308", "ö": "\u0308", "ü": "\u0308",
          "ñ": "\u0303", "ç": "\u0327"}  # fmt: skip
_BASE = {acc: base for base, accs in _ACCENTS.items() for acc in accs}


def _accent_tolerant(pattern: str) -> str:
    """Let an accented letter also match its bare and decomposed (NFD) spellings."""
    out = []
    for ch in pattern:
        low = ch.lower()
        if low in _BASE:
            out.append(f"(?:{low}|{_BASE[low]}{_MARKS[low]}|{_BASE[low]})")
        else:
            out.append(ch)
    return "".join(out)


def codes_pattern(values: tuple[str, ...]) -> str:
    """A whole-value pattern for code values, tolerant of case and separators."""
    alts = []
    for v in sorted(set(values), key=len, reverse=True):
        chars = [c for c in v.upper() if c.isalnum()]
        alts.append(_SEP.join(re.escape(c) for c in chars))
    return r"(?i)^\s*(?:" + "|".join(alts) + r")\s*$"


def unicode_digits(pattern: str) -> str:
    r"""RE2's ``\d`` is ASCII only; let it match every decimal digit (Arabic-Indic,
    full-width...) as Python's does, so an identifier typed on another keyboard is
    still found."""
    return re.sub(r"(?<!\\)\\d", r"\\p{Nd}", pattern)


def scoped(pattern: str) -> str:
    """``(?i)rest`` as ``(?i:rest)``, so patterns can be joined in one alternation
    (Python's ``re`` refuses a global flag that is not at the start)."""
    if pattern.startswith("(?i)"):
        return f"(?i:{pattern[4:]})"
    return f"(?:{pattern})"


def detector_pattern(detector: Detector, *, python: bool = False) -> str:
    """The pattern a detector runs, whatever its kind: RE2 syntax for Arrow, or with
    ``python=True`` the same pattern for Python's ``re`` (GX's pandas expectations)."""
    if detector.kind == "codes":
        return codes_pattern(detector.values)
    assert detector.pattern is not None
    return detector.pattern if python else unicode_digits(detector.pattern)


def mention_pattern(policy: Policy) -> str:
    """One case-insensitive pattern matching any status mention in free text."""
    alts = "|".join(_accent_tolerant(m) for m in policy.mentions)
    return rf"(?i)\b(?:{alts})\b"


def guard_pattern(policy: Policy, *, python: bool = False) -> str:
    """Every strong detector and every mention, as one pattern for the streaming guard."""
    parts = [
        scoped(detector_pattern(d, python=python))
        for d in policy.detectors
        if d.strength == "strong"
    ]
    parts.append(scoped(mention_pattern(policy)))
    return "|".join(parts)


MENTION = "mention"  # the pseudo detector id for free-text status mentions


def detector_patterns(policy: Policy, strength: str | None = None) -> dict[str, str]:
    """Detector id -> pattern, plus the ``mention`` pseudo-detector."""
    out = {
        d.id: detector_pattern(d)
        for d in policy.detectors
        if strength is None or d.strength == strength
    }
    out[MENTION] = mention_pattern(policy)
    return out


def is_text(t: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_string_view(t)
        or (pa.types.is_dictionary(t) and is_text(t.value_type))
    )


def as_text(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A string view of a text array (dictionaries decoded)."""
    if pa.types.is_dictionary(arr.type):
        return pc.cast(arr, arr.type.value_type)
    return arr


_EXOTIC_DIGITS = r"[^\P{Nd}0-9]"  # a decimal digit of any script but ASCII


def _ascii_digits(value: str) -> str:
    return "".join(
        str(unicodedata.digit(ch)) if not ch.isascii() and ch.isdigit() else ch for ch in value
    )


def for_matching(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Text as the detectors see it: NFKC-normalised when it holds anything but ASCII,
    so full-width letters and digits (``Ａ１２３``) and composed accents read as plain
    ones. Pure ASCII batches (the common case) pass through untouched and uncopied."""
    text = as_text(arr)
    if text.null_count == len(text) or pc.all(pc.string_is_ascii(text)).as_py() is not False:
        return text
    norm = pc.utf8_normalize(text, form="NFKC")
    # NFKC leaves other scripts' digits (Arabic-Indic, Devanagari...) alone, and RE2's
    # word boundary is ASCII-only: rewrite them as ASCII digits (rare rows, in Python).
    exotic = pc.fill_null(pc.match_substring_regex(norm, _EXOTIC_DIGITS), False)
    if pc.any(exotic).as_py():
        fixed = [_ascii_digits(v) for v in norm.filter(exotic).to_pylist()]
        norm = pc.replace_with_mask(norm, exotic, pa.array(fixed, norm.type))
    return norm


def matches(arr: pa.Array | pa.ChunkedArray, pattern: str) -> pa.Array | pa.ChunkedArray:
    """A boolean mask (nulls as false) of the values matching ``pattern``."""
    return pc.fill_null(pc.match_substring_regex(for_matching(arr), pattern), False)


def count_matches(arr: pa.Array | pa.ChunkedArray, pattern: str) -> int:
    return int(pc.sum(matches(arr, pattern)).as_py() or 0)


def match_rows(arr: pa.Array | pa.ChunkedArray, pattern: str) -> pa.Array:
    """Zero-based indices of the values matching ``pattern``."""
    return pc.indices_nonzero(matches(arr, pattern))


class BatchMatcher:
    """Runs one pattern over many text columns of a record batch in one RE2 call.

    RE2 compiles the pattern on every call, and for the guard's alternation of every
    identifier format and mention the compile costs as much as matching tens of
    thousands of values. So the columns are concatenated into one array and matched
    once. Low-cardinality columns (cities, codes, names) contribute only their distinct
    values (a dictionary), and the mask is mapped back to rows. Whether a column is
    low-cardinality is learned on its first batch and kept.
    """

    #: A column whose first batch has fewer distinct values than this share of its
    #: rows is matched through its dictionary.
    DISTINCT_SHARE = 0.2

    def __init__(self) -> None:
        self._low: dict[str, bool] = {}

    def masks(
        self, batch: pa.RecordBatch, columns: list[str], pattern: str
    ) -> dict[str, pa.Array]:
        """For each column, a boolean mask over the batch's rows (nulls false)."""
        parts: list[pa.Array] = []
        indices: list[pa.Array | None] = []
        for name in columns:
            arr = as_text(batch.column(name))
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks()
            if not pa.types.is_string(arr.type):
                arr = pc.cast(arr, pa.string())
            low = self._low.get(name)
            if low is None or low:
                enc = arr.dictionary_encode()
                if low is None:
                    low = len(enc.dictionary) <= self.DISTINCT_SHARE * max(len(arr), 1)
                    self._low[name] = low
                if low:
                    parts.append(enc.dictionary)
                    indices.append(enc.indices)
                    continue
            parts.append(arr)
            indices.append(None)
        if not parts:
            return {}
        hit = matches(pa.concat_arrays(parts), pattern)
        out: dict[str, pa.Array] = {}
        offset = 0
        for name, part, idx in zip(columns, parts, indices, strict=True):
            mask = hit.slice(offset, len(part))
            offset += len(part)
            if idx is not None:
                mask = pc.fill_null(mask.take(idx), False)
            out[name] = mask
        return out
