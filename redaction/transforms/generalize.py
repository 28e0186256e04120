"""``generalize``: sensitive code values become one neutral code.

E.g. an SB13-251 credential code becomes the standard credential code, so its holders
cannot be told apart from other holders. Matching ignores case and separators
(``sb-251`` = ``SB 251`` = ``SB251``). Settings: ``values`` (the sensitive codes) and
``to`` (the neutral code).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from redaction.detect import as_text, codes_pattern, matches
from redaction.literals import string_scalar
from redaction.plan_model import ColumnDecision


def check(decision: ColumnDecision) -> None:
    p = decision.params
    if not p.get("values") or not isinstance(p.get("to"), str):
        raise ValueError(f"generalize of '{decision.column}' needs 'values' and 'to' settings")


def transform(arr: pa.Array, decision: ColumnDecision) -> tuple[pa.Array, int]:
    pattern = codes_pattern(tuple(decision.params["values"]))
    text = as_text(arr)
    mask = matches(text, pattern)
    changed = int(pc.sum(mask).as_py() or 0)
    if changed == 0:
        return arr, 0
    neutral = string_scalar(str(decision.params["to"]), text.type)
    out = pc.if_else(mask, neutral, text)
    if pa.types.is_dictionary(arr.type):
        out = out.dictionary_encode()
    return out, changed
