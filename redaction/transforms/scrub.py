"""``scrub``: each status mention in free text is replaced by a fixed marker.

The rest of the text is kept. Settings: ``pattern`` (RE2, from the policy's mentions and
identifier detectors) and ``marker`` (the policy's marker, e.g. ``[WITHHELD]``).
"""

from __future__ import annotations

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


def transform(arr: pa.Array, decision: ColumnDecision) -> tuple[pa.Array, int]:
    pattern = str(decision.params["pattern"])
    marker = str(decision.params["marker"])
    text = as_text(arr)
    seen = for_matching(text)
    hits = matches(seen, pattern)
    changed = int(pc.sum(hits).as_py() or 0)
    if changed == 0:
        return arr, 0
    # Only values with a mention are rewritten (from their normalised form, where the
    # mention was found); every other value is kept byte for byte.
    rewritten = pc.replace_substring_regex(seen.filter(hits), pattern, marker)
    out = pc.replace_with_mask(text, hits, pc.cast(rewritten, text.type))
    if out.type != arr.type:
        out = pc.cast(out, arr.type) if not pa.types.is_dictionary(arr.type) else out.dictionary_encode()
    return out, changed
