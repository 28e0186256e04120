"""``scrub``: each status mention in free text is replaced by a fixed marker.

The rest of the text is kept. Settings: ``pattern`` (RE2, from the policy's mentions and
identifier detectors) and ``marker`` (the policy's marker, e.g. ``[WITHHELD]``).
"""

from __future__ import annotations

import re
from functools import cache

import pyarrow as pa
import pyarrow.compute as pc

from redaction.detect import as_text, count_matches, for_matching, matches
from redaction.plan_model import ColumnDecision


def check(decision: ColumnDecision) -> None:
    p = decision.params
    if not isinstance(p.get("pattern"), str) or not isinstance(p.get("marker"), str):
        raise ValueError(f"scrub of '{decision.column}' needs 'pattern' and 'marker' settings")
    if count_matches(pa.array([str(p["marker"])]), str(p["pattern"])):
        raise ValueError("the scrub marker itself matches the scrub pattern")


@cache
def _python(pattern: str) -> re.Pattern[str] | None:
    """The RE2 pattern for Python's ``re`` (compiled once per process), or ``None``."""
    try:
        return re.compile(pattern.replace(r"\p{Nd}", r"\d"))
    except re.error:
        return None


def _rewrite(hit_values: pa.Array, pattern: str, marker: str) -> pa.Array:
    """Each value with its mentions replaced by the marker.

    RE2 compiles a pattern on every call, and for the scrub pattern (fuzzy mentions: a
    large alternation) that costs more than rewriting a batch's few distinct notes. So
    the rewrite runs in Python's ``re`` (compiled once), and RE2, the engine that found
    the mentions, checks the result; a value it still finds a mention in is rewritten
    by RE2 itself."""
    rx = _python(pattern)
    if rx is None or len(hit_values) > 5_000:
        return pc.replace_substring_regex(hit_values, pattern, marker)
    out = pa.array([rx.sub(marker, v) for v in hit_values.to_pylist()], hit_values.type)
    left = matches(out, pattern)
    if pc.any(left).as_py():
        out = pc.replace_with_mask(
            out, left, pc.replace_substring_regex(out.filter(left), pattern, marker)
        )
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
    value_hits = matches(values, pattern)
    if not pc.any(value_hits).as_py():
        return arr, 0
    # Only values with a mention are rewritten (from their normalised form, where the
    # mention was found); every other value is kept byte for byte.
    rewritten = pc.replace_with_mask(
        values, value_hits, _rewrite(values.filter(value_hits), pattern, marker)
    )
    if indices is not None:
        hits = pc.fill_null(value_hits.take(indices), False)
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
