"""``scrub``: each status mention in free text is replaced by a fixed marker.

Spans, not words: in a note with a mention, every identifier-shaped run of digits
(``086119265``, ``A-123-456-789``, ``12345678901``, ``0012345678901AB``) goes with it,
wherever it stands, so a cue removed never leaves its number behind. Then the residual
check: a note that still matches ``residual`` (the exact mentions, identifier formats
and the second line, ``policy.sentinel``), or a note with a mention that holds a digit
anywhere (``RESIDUE``: an identifier, a category code, a date of the status), is
withheld whole (null), and counted. The rest of the text is kept. Settings:
``pattern`` (RE2, from the policy's mentions and identifier detectors), ``marker`` (the
policy's marker, e.g. ``[WITHHELD]``) and ``residual`` (RE2).
"""

from __future__ import annotations

import re
from functools import cache

import pyarrow as pa
import pyarrow.compute as pc

from redaction.detect import (
    as_text,
    correct,
    count_matches,
    for_matching,
    fuzzy_matches,
    fuzzy_parts,
    matches,
    original_span,
)
from redaction.literals import FALSE, row_numbers, strings
from redaction.plan_model import ColumnDecision

#: An identifier-shaped run in a note that mentions status: seven or more digits, single
#: separators allowed, with the letters an I-94 or SAVE number ends with.
ID_RUN = (
    r"\p{Nd}(?:[\p{Nd}\-./ ]?\p{Nd}){6,}(?:[A-Za-z]{1,2}\p{Nd}?)?"
    # and the form numbers beside them (I-94, N-400, DS-2019)
    r"|\b(?:[IiNn]|DS|ds)-?\s?\p{Nd}{2,4}[A-Da-d]?\b"
)


#: What a note with a mention may not hold, or it is withheld whole: any digit.
RESIDUE = r"\p{Nd}"


def check(decision: ColumnDecision) -> None:
    p = decision.params
    if not isinstance(p.get("pattern"), str) or not isinstance(p.get("marker"), str):
        raise ValueError(f"scrub of '{decision.column}' needs 'pattern' and 'marker' settings")
    if count_matches(strings([str(p["marker"])]), str(p["pattern"])):
        raise ValueError("the scrub marker itself matches the scrub pattern")
    if p.get("residual") is not None and count_matches(
        strings([str(p["marker"])]), str(p["residual"])
    ):
        raise ValueError("the scrub marker itself matches the residual check")


@cache
def _python(pattern: str) -> re.Pattern[str] | None:
    """The RE2 pattern for Python's ``re`` (compiled once per process), or ``None``."""
    try:
        return re.compile(pattern.replace(r"\p{Nd}", r"\d"))
    except re.error:
        return None


def _scrub_one(value: str, rx: re.Pattern[str], vocab: dict[str, str], marker: str) -> str:
    fixed, segs = correct(value, vocab) if vocab else (value, [])
    spans = [
        original_span(m.start(), m.end(), segs) for m in rx.finditer(fixed) if m.end() > m.start()
    ]
    out, last = [], 0
    for start, end in spans:
        if start < last:  # overlaps the previous span (a corrected word): extend it
            start = last
        out.append(value[last:start])
        out.append(marker)
        last = max(end, last)
    out.append(value[last:])
    return "".join(out)


def _rewrite(
    values: pa.Array,
    hits: pa.Array,
    typos: pa.Array,
    pattern: str,
    marker: str,
    tail: str | None = None,
) -> pa.Array:
    """``values`` with the mentions in the ``hits`` rows replaced by the marker.

    Mentions are replaced by RE2 with the exact pattern; in rows holding a misspelt
    word (``typos``) they are found in the value with its words corrected and replaced
    in the value as written, in Python's ``re`` (RE2 in Arrow cannot report where a
    match is). RE2 then checks the result: a value it still finds a mention in is
    replaced by the marker whole (never released with a mention left)."""
    parts = fuzzy_parts(pattern)
    exact, vocab = parts if parts else (pattern, {})
    out = pc.replace_with_mask(
        values, hits, pc.replace_substring_regex(values.filter(hits), exact, marker)
    )
    rx = _python(exact)
    rows = typos
    if len(rows):
        rows = rows.filter(hits.take(rows))
    if len(rows) and rx is not None:
        fixed = [_scrub_one(v, rx, vocab, marker) for v in values.take(rows).to_pylist()]
        mask = pc.is_in(row_numbers(len(values)), value_set=rows)
        out = pc.replace_with_mask(out, mask, strings(fixed, out.type))
    out = pc.replace_with_mask(
        out, hits, pc.replace_substring_regex(out.filter(hits), ID_RUN, marker)
    )
    if tail:
        # The words that complete a mention go with it ("[WITHHELD] visa" tells a visa).
        out = pc.replace_with_mask(
            out, hits, pc.replace_substring_regex(out.filter(hits), tail, marker)
        )
    left = pc.fill_null(pc.match_substring_regex(out, exact), FALSE)
    if len(rows):
        check = matches(out.take(rows), pattern)
        extra = pc.is_in(row_numbers(len(values)), value_set=rows.filter(check))
        left = pc.or_(left, extra)
    if pc.any(left).as_py():
        whole = strings([marker] * int(pc.sum(left).as_py()), out.type)
        out = pc.replace_with_mask(out, left, whole)
    return out


def transform(arr: pa.Array, decision: ColumnDecision) -> tuple[pa.Array, int]:
    pattern = str(decision.params["pattern"])
    marker = str(decision.params["marker"])
    text = as_text(arr)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    seen = for_matching(text)
    # Notes often repeat a few stock phrases: match and rewrite each distinct value once.
    enc = seen.dictionary_encode()
    if len(enc.dictionary) * 2 <= len(seen):
        values, indices = enc.dictionary, enc.indices
    else:
        values, indices = seen, None
    if fuzzy_parts(pattern) is not None:
        value_hits, typos = fuzzy_matches(values, pattern)
    else:
        value_hits, typos = matches(values, pattern), row_numbers(0)
    residual = decision.params.get("residual")
    resid_hits = matches(values, str(residual)) if residual else None
    if resid_hits is not None:
        value_hits = pc.or_(value_hits, resid_hits)
    if not pc.any(value_hits).as_py():
        return arr, 0
    # Only values with a mention are rewritten (from their normalised form, where the
    # mention was found); every other value is kept byte for byte.
    tail = decision.params.get("tail")
    rewritten = _rewrite(
        values, value_hits, typos, pattern, marker, str(tail) if tail is not None else None
    )
    if residual:
        # The residual check: a note that still reads as status is withheld whole, and so
        # is a note with a mention that holds a number anywhere: the identifier or the
        # code next to a cue is status too, and so is the cue, however misspelt, next to
        # an identifier (A-NUMBBER 086119265, C33, A-0789O0191, a date of the status).
        left = pc.or_(
            matches(rewritten, str(residual)),
            pc.and_(value_hits, pc.fill_null(pc.match_substring_regex(values, RESIDUE), FALSE)),
        )
        if pc.any(left).as_py():
            n = int(pc.sum(left).as_py() or 0)
            rewritten = pc.replace_with_mask(rewritten, left, pa.nulls(n, rewritten.type))
    if indices is not None:
        hits = pc.fill_null(value_hits.take(indices), FALSE)
        rewritten = rewritten.take(indices)
    else:
        hits = value_hits
    changed = int(pc.sum(hits).as_py() or 0)
    out = pc.replace_with_mask(text, hits, pc.cast(rewritten.filter(hits), text.type))
    if out.type != arr.type:
        out = (
            pc.cast(out, arr.type)
            if not pa.types.is_dictionary(arr.type)
            else out.dictionary_encode()
        )
    return out, changed
