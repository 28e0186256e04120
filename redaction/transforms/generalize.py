"""``generalize``: every value not on an allowlist of neutral codes becomes one of them.

E.g. an SB13-251 credential code becomes the standard credential code, so its holders
cannot be told apart from other holders. It is an allowlist: the neutral values
(``keep``, from the contract's ``allowed_values``) pass as they are and every other
value, the listed sensitive codes and any value never seen before alike, becomes ``to``;
nothing outside the allowlist is released, and a mapped value reads like an unmapped
one. Matching ignores case and separators (``sb-251`` = ``SB 251`` = ``SB251``).
Settings: ``values`` (the sensitive codes, counted and refused by the gate), ``keep``
(the neutral codes) and ``to`` (the neutral code the rest become, one of ``keep``).
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
    if not p.get("keep"):
        raise ValueError(f"generalize of '{decision.column}' needs 'keep', its neutral values")


def transform(arr: pa.Array, decision: ColumnDecision) -> tuple[pa.Array, int]:
    keep = tuple(str(v) for v in decision.params["keep"])
    text = as_text(arr)
    # Everything but the neutral values (and nulls) becomes the neutral code.
    mask = pc.invert(matches(text, codes_pattern(keep)))
    mask = pc.and_(mask, pc.is_valid(text))
    changed = int(pc.sum(mask).as_py() or 0)
    if changed == 0:
        return arr, 0
    neutral = string_scalar(str(decision.params["to"]), text.type)
    out = pc.if_else(mask, neutral, text)
    if pa.types.is_dictionary(arr.type):
        out = out.dictionary_encode()
    return out, changed
