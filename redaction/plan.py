"""The planner: ``plan(schema, profile, policy, contract, exception) -> Plan``. Pure.

Rules, in order, for each column of the extract:

1. With a dataset contract, the contract's category decides. A column the contract does
   not declare is withheld (``null``) and reported. A column the contract calls
   ``releasable`` whose name matches a protected category is withheld too, unless the
   contract column says ``confirm_releasable`` (fail closed on a contract slip).
2. Without a contract, a column-name rule decides; failing that, the value profile does:
   a detector that matched more than its ``min_share`` of the column's values classifies
   it (free text with status mentions is scrubbed, not nulled).
3. A lawful exception that covers the column's category turns the withholding into a
   release, and says so.
4. Whatever action is chosen is adapted to the column's type: a yes/no (boolean) column
   cannot be generalised to a neutral code and is nulled; only text can be scrubbed.

Value detectors and the streaming guard follow one rule:

- A *strong* detector is an identifier format with plausibility checks specific enough
  that a match in ordinary data is rare (A-number, USCIS receipt, SAVE case, I-94,
  dashed ITIN). More than ``min_share`` of a column's values matching withholds the whole
  column (uniform treatment). Fewer (or hits among many values of the same shape with
  other prefixes, ``SIBLINGS``) are *chance matches*: the column is kept and only those
  values are scrubbed, so no value in an identifier format is released and the streaming
  guard (which fails a release on one strong hit in a released column) never disagrees
  with the plan. The plan says which detector fired on how many values either way.
- A *weak* detector (legacy I-94 digits, undashed ITIN, bare visa or document codes,
  status words) only classifies a column above its ``min_share`` and never fails the
  guard: below its threshold the column is released.

Nested columns (struct, list) get one decision per leaf path (``status.visa.class``,
``documents[].kind``), made by the same rules on the path; the column's own decision is
derived from its leaves: ``release`` when every leaf is released, ``null`` when every
leaf is nulled, otherwise ``scrub`` (the withheld leaves are rebuilt as typed nulls,
scrubbed or generalized text; the rest of each record is kept).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Protocol

import pyarrow as pa

from redaction.detect import (
    MENTION,
    SENTINEL,
    classify_name,
    detector_pattern,
    guard_pattern,
    is_text,
    mention_pattern,
    normalize_name,
    scoped,
    sentinel_pattern,
)
from redaction.nested import is_nested, leaf_paths
from redaction.plan_model import Action, ColumnDecision, Evidence, Plan
from redaction.policy import RELEASABLE, Category, Contract, Policy
from redaction.profile import ColumnProfile, Profile
from redaction.types import NULL_TOKENS

#: Identifier-shaped values in at least this share of an opaque column withhold it.
OPAQUE_ID_SHARE = 0.5
#: A text column of few distinct values (``DISTINCT_KEPT``) in which this share of the
#: values read as status is a status column: withheld whole, not scrubbed.
STATUS_SHARE = 0.5
#: ... and whose values are short phrases (mean length in characters), not notes.
STATUS_PHRASE = 32
#: A column of short phrases whose values repeat this many times on average is a coded
#: column (a credential granted, a document shown): any status value in it withholds it
#: whole, since scrubbing value by value would mark the holders.
CODED_REPEAT = 4
#: An opaque date column with values in fewer than this share of its rows (an expiry or
#: naturalisation date only some people have) is withheld.
SPARSE_SHARE = 0.5


class ExceptionScope(Protocol):
    """What the planner needs of a lawful exception (checked elsewhere for validity)."""

    @property
    def id(self) -> str: ...

    @property
    def categories(self) -> frozenset[str]: ...


def _id_patterns(policy: Policy, *, python: bool = False) -> list[str]:
    return [
        scoped(detector_pattern(d, python=python))
        for d in policy.detectors
        if d.strength == "strong" and d.kind == "regex"
    ]


def scrub_pattern(policy: Policy, *, python: bool = False) -> str:
    """Status mentions and identifier formats: everything ``scrub`` removes from text."""
    return "|".join([scoped(mention_pattern(policy)), *_id_patterns(policy, python=python)])


def residual_pattern(policy: Policy) -> str:
    """What a scrubbed note may not hold afterwards: the exact mentions and identifier
    formats, and the second line. A note still matching it is withheld whole."""
    exact = scoped(mention_pattern(policy, fuzzy=False))
    notes = [f"(?:{p})" for p in policy.sentinel.note_shapes]
    return "|".join([exact, *_id_patterns(policy), sentinel_pattern(policy), *notes])


def tail_pattern(policy: Policy) -> str | None:
    """The words that complete a mention when they follow the marker (RE2), or ``None``."""
    if not policy.mention_tails:
        return None
    words = "|".join(f"(?:{w})" for w in policy.mention_tails)
    return rf"{re.escape(policy.marker)}(?:[\s,.;:/()\-]*(?i:\b(?:{words})\b))+"


#: Hits that are fewer than this share of the values of the same shape (any prefix)
#: are chance matches in ordinary IDs.
SIBLING_SHARE = 0.5


def _value_evidence(prof: ColumnProfile | None, policy: Policy) -> list[Evidence]:
    """``value:<detector>`` for detectors that classify the column; ``chance:<detector>``
    for strong detectors whose few hits are look-alikes (see the module docstring)."""
    if prof is None:
        return []
    out = []
    for det, n in sorted(prof.hits.items(), key=lambda kv: -kv[1]):
        if det == MENTION:
            out.append(Evidence(f"value:{MENTION}", "status mentions in text", n, prof.scanned))
            continue
        if det == SENTINEL:
            chance = sum(m for d, m in prof.hits.items() if d != SENTINEL and d != MENTION)
            if chance >= n and any(prof.siblings.values()):
                continue  # the same look-alike identifiers the chance rule scrubs
            out.append(
                Evidence(
                    f"value:{SENTINEL}",
                    "status stems, identifier shapes or status codes (second line)",
                    n,
                    prof.scanned,
                )
            )
            continue
        d = policy.detector(det)
        share = n / prof.scanned if prof.scanned else 0.0
        shape = prof.siblings.get(det, 0)
        if shape and n < SIBLING_SHARE * shape:
            if d.strength == "strong":
                out.append(
                    Evidence(
                        f"chance:{det}",
                        f"{n} of {prof.scanned} values match, among {shape} values of the "
                        "same shape: look-alikes in ordinary IDs",
                        n,
                        prof.scanned,
                    )
                )
        elif share > d.min_share:
            out.append(
                Evidence(f"value:{det}", f"{n} of {prof.scanned} values match", n, prof.scanned)
            )
        elif d.strength == "strong":
            out.append(
                Evidence(
                    f"chance:{det}",
                    f"{n} of {prof.scanned} values match, under the {d.min_share:.1%} "
                    "threshold: look-alikes scrubbed, column kept",
                    n,
                    prof.scanned,
                )
            )
    return out


def _classify_by_values(
    name: str, prof: ColumnProfile | None, policy: Policy
) -> tuple[Category | None, Evidence] | None:
    """The category the values point to, strongest evidence first; ``(None, evidence)``
    for status data of no one category (mentions, second-line hits) in a column that is
    not prose: such a column is withheld whole, never scrubbed value by value (which
    would leave the untouched values marking who is not a holder)."""
    evidence = [e for e in _value_evidence(prof, policy) if e.rule.startswith("value:")]
    if not evidence or prof is None:
        return None
    prose = [e for e in evidence if e.rule in (f"value:{MENTION}", f"value:{SENTINEL}")]
    if (
        prose
        and prof.distinct
        and (
            prof.scanned >= CODED_REPEAT * len(prof.distinct)
            or (
                prof.chars <= STATUS_PHRASE * prof.scanned
                and prose[0].matched >= STATUS_SHARE * prof.scanned
            )
        )
    ):
        # A few stock phrases, most of them status (an ineligibility reason, an enforcement
        # office, the document shown): a status column, not notes mentioning status.
        return None, prose[0]
    if prof.free_text:
        # Prose that mentions status or carries identifiers: scrub, keep the rest.
        return policy.category("status_notes"), (prose or evidence)[0]
    for ev in evidence:
        cat_id = policy.detector_category.get(ev.rule.removeprefix("value:"))
        if cat_id:
            return policy.category(cat_id), ev
    return None, evidence[0]


def _opaque(name: str, policy: Policy) -> bool:
    """A name that says nothing of what the column holds (``field_07``, ``misc_id``)."""
    known = set(policy.names.known)
    raw = normalize_name(name).split()
    expanded = normalize_name(name, policy.abbreviations).split()
    return not known.intersection(raw) and not known.intersection(expanded)


#: A yes/no flag has a "no" among its values (``X``/``Y`` are marks, not a flag).
_NO = frozenset({"N", "NO", "FALSE", "F", "0"})
#: The null tokens as the profile keeps distinct values (upper case, trimmed).
_NULLS = frozenset(t.upper() for t in NULL_TOKENS)


def _opaque_kind(
    field: pa.Field, prof: ColumnProfile | None, policy: Policy
) -> tuple[str, str] | None:
    """Why a column whose name says nothing (``code_b``, ``field_12``) is withheld though
    its values carry no status word: a yes/no flag, a country, or a date only some rows
    have (an expiry or a naturalisation date). Nothing says whose or what it is."""
    if prof is None or not prof.scanned or not _opaque(field.name, policy):
        return None
    t = field.type
    if pa.types.is_boolean(t):
        return "flag", "a yes/no flag"
    if pa.types.is_date(t) or pa.types.is_timestamp(t):
        if prof.rows and prof.scanned < SPARSE_SHARE * prof.rows:
            return "sparse_date", f"a date in {prof.scanned} of {prof.rows} rows"
        return None
    if (
        prof.rows
        and prof.datelike >= 0.9 * prof.scanned
        and prof.scanned < SPARSE_SHARE * prof.rows
    ):
        return "sparse_date", f"a date in {prof.scanned} of {prof.rows} rows"
    if prof.distinct is None:
        return None
    values = {_code(v) for v in prof.distinct if v not in _NULLS}
    if len(values) < 2:
        return None  # one value for every row tells no one apart
    if values <= {_code(v) for v in policy.names.flag_values} and values & _NO:
        return "flag", "a yes/no flag"
    if values & {_code(v) for v in policy.names.country_values}:
        return "country", "country values"
    if len(values) <= CODES_KEPT and all(len(v) <= CODE_LEN for v in values):
        codes = {_code(v) for v in policy.names.status_codes}
        found = {v for v in prof.distinct if _lead(v) in codes}
        if len(found) >= 2:
            return "status_codes", f"{len(found)} of {len(values)} codes are status codes"
        if all(v.isalpha() and len(v) <= LETTER_CODE for v in values) and not any(
            values <= {_code(c) for c in known} for known in policy.names.ordinary_codes
        ):
            # Letters that stand for something no ordinary code list explains (a legend
            # kept elsewhere): nothing says they are not a status.
            return "letter_codes", f"{len(values)} letter codes of no ordinary code list"
    return None


#: An opaque column of at most this many distinct short codes (of at most ``CODE_LEN``
#: characters) is read as a code list; two status codes in it withhold it.
CODES_KEPT = 12
CODE_LEN = 6
#: Letter codes this short (``C``, ``LP``, ``NAT``) in an opaque column are checked
#: against the ordinary code lists.
LETTER_CODE = 3


def _lead(value: str) -> str:
    """The code a value starts with (``CZ`` of ``CZ-N``, ``LPR`` of ``LPR_2``)."""
    head = re.split(r"[^0-9A-Za-z]", value.strip(), maxsplit=1)[0]
    return head.upper()


def _benign(category: Category, prof: ColumnProfile | None) -> bool:
    """Every value of the column (in every row profiled) is on the category's allowlist
    of benign values, and none reads as status data."""
    if not category.benign_values or prof is None or prof.distinct is None or prof.hits:
        return False
    allowed = {_code(v) for v in category.benign_values}
    values = {_code(v) for v in prof.distinct if v not in _NULLS}
    return bool(values) and values <= allowed


def _code(value: str) -> str:
    return "".join(c for c in value.upper() if c.isalnum())


def _fit_to_type(action: Action, field: pa.Field) -> tuple[Action, str]:
    if action == "generalize" and not is_text(field.type):
        return "null", " (not text: nulled, no neutral code to map to)"
    if action == "scrub" and not is_text(field.type):
        return "null", " (not text: nulled)"
    return action, ""


def _keep(
    category: Category | None, contract: Contract | None, name: str, contract_gen: object
) -> tuple[str, ...]:
    """The neutral values a generalized column may release as they are: the contract
    column's ``allowed_values``, else the mapping's own ``keep``."""
    col = contract.column(name) if contract is not None else None
    if col is not None and col.allowed_values:
        return tuple(col.allowed_values)
    gen = contract_gen or (category.generalize if category else None)
    return tuple(gen.keep) if gen is not None else ()  # type: ignore[attr-defined]


def _params(
    action: Action,
    category: Category | None,
    contract_gen: object,
    policy: Policy,
    keep: tuple[str, ...] = (),
) -> dict[str, object]:
    if action == "generalize":
        gen = contract_gen or (category.generalize if category else None)
        assert gen is not None
        return {"values": tuple(gen.values), "to": gen.to, "keep": keep}  # type: ignore[attr-defined]
    if action == "scrub":
        return {
            "pattern": scrub_pattern(policy),
            "marker": policy.marker,
            "residual": residual_pattern(policy),
            "tail": tail_pattern(policy),
        }
    return {}


def _decide(
    field: pa.Field,
    profile: Profile,
    policy: Policy,
    contract: Contract | None,
    exception: ExceptionScope | None,
    covered: frozenset[str],
    withhold: Mapping[str, str],
) -> ColumnDecision:
    """The decision for one column (or one leaf path, with ``contract=None``)."""
    name = field.name
    evidence: list[Evidence] = []
    category: Category | None = None
    action: Action = "release"
    contract_gen = None
    name_match = classify_name(name, policy)
    prof = profile.get(name)

    if contract is not None:
        col = contract.column(name)
        if col is None:
            action = "null"
            evidence.append(Evidence("contract:undeclared", "not declared by the contract"))
            reason = "not declared in the contract: withheld"
            if name_match:
                category = policy.category(name_match.category)
        elif col.category == RELEASABLE:
            if name_match and not col.confirm_releasable:
                category = policy.category(name_match.category)
                action = name_match.action
                evidence.append(
                    Evidence(f"name:{category.id}", f"name matches '{name_match.pattern}'")
                )
                reason = (
                    "contract says releasable, name reads as protected: withheld "
                    "(confirm_releasable releases it)"
                )
            else:
                evidence.append(Evidence("contract", "declared releasable"))
                reason = "contract: releasable"
        else:
            category = policy.category(col.category)
            action = category.action
            if name_match and name_match.category == category.id:
                action = name_match.action
            contract_gen = col.generalize
            evidence.append(Evidence("contract", f"declared {category.id}"))
            reason = "contract"
    elif name_match:
        category = policy.category(name_match.category)
        action = name_match.action
        evidence.append(Evidence(f"name:{category.id}", f"name matches '{name_match.pattern}'"))
        evidence.extend(_value_evidence(prof, policy))
        reason = "column name"
        if _benign(category, prof):
            assert prof is not None
            action = "release"
            evidence.append(
                Evidence("benign_values", "every value is on the allowlist", prof.scanned)
            )
            reason = f"column name reads as {category.id}, every value is on its benign allowlist"
            category = None
    else:
        by_values = _classify_by_values(name, prof, policy)
        all_ev = _value_evidence(prof, policy)
        chance = [e for e in all_ev if e.rule.startswith("chance:")]
        if by_values:
            category, ev = by_values
            action = category.action if category else "null"
            evidence.extend(all_ev)
            reason = f"values: {ev.rule.removeprefix('value:')} in {ev.matched} of {ev.scanned}"
            if category is None:
                reason += " (status data of no one category: withheld whole)"
        elif chance:
            # Look-alikes in ordinary IDs: the column is kept, the matching values are
            # scrubbed (so the guard and the validation gate find nothing to refuse).
            det = chance[0].rule.removeprefix("chance:")
            cat_id = policy.detector_category.get(det)
            category = policy.category(cat_id) if cat_id else None
            action = "scrub"
            evidence.extend(chance)
            n = sum(e.matched for e in chance)
            dets = ", ".join(e.rule.removeprefix("chance:") for e in chance)
            reason = f"values: {n} look-alike value(s) ({dets}) scrubbed, column kept"
        elif (
            prof is not None
            and prof.scanned
            and prof.idlike >= OPAQUE_ID_SHARE * prof.scanned
            and _opaque(name, policy)
        ):
            # Nothing says whose identifier it is (a bare A-number, an I-94 number):
            # fail closed.
            action = "null"
            evidence.append(
                Evidence("opaque:identifier", "identifier-shaped values", prof.idlike, prof.scanned)
            )
            reason = (
                f"opaque name, identifier-shaped values in {prof.idlike} of {prof.scanned}: "
                "withheld (a dataset contract can declare it releasable)"
            )
        elif (opaque := _opaque_kind(field, prof, policy)) is not None:
            action = "null"
            evidence.append(
                Evidence(f"opaque:{opaque[0]}", opaque[1], 0, prof.scanned if prof else 0)
            )
            reason = (
                f"opaque name, {opaque[1]}: withheld (a dataset contract can declare it releasable)"
            )
        else:
            evidence.append(Evidence("default", "no name rule or detector matched"))
            reason = "no status data found"

    top = name.split(".")[0].split("[")[0] if contract is None else name
    if name in withhold or top in withhold:
        key = name if name in withhold else top
        action = "null" if action == "release" else action
        evidence.append(Evidence(withhold[key], "protected values found while streaming"))
        reason = f"protected values found while streaming ({withhold[key]})"
    elif category is not None and action != "release" and category.id in covered:
        assert exception is not None
        evidence.append(Evidence(f"exception:{exception.id}", f"covers {category.id}"))
        action = "release"
        reason = f"released under lawful exception {exception.id}"

    action, note = _fit_to_type(action, field)
    if action == "generalize" and not _keep(category, contract, name, contract_gen):
        action, note = "null", note + " (no allowlist of neutral values: nulled)"
    return ColumnDecision(
        column=name,
        action=action,
        category=category.id if category else None,
        reason=reason + note,
        evidence=tuple(evidence),
        params=_params(
            action, category, contract_gen, policy, _keep(category, contract, name, contract_gen)
        ),
    )


def _nested(
    field: pa.Field,
    top: ColumnDecision | None,
    profile: Profile,
    policy: Policy,
    exception: ExceptionScope | None,
    covered: frozenset[str],
) -> ColumnDecision:
    """A released struct or list column, decided leaf by leaf (names on the path, values
    on the leaf's profile); the column's decision is derived from its leaves."""
    leaves = tuple(
        _decide(pa.field(path, t), profile, policy, None, exception, covered, {})
        for path, t in leaf_paths(field.name, field.type)
    )
    leaves = _with_document_dates(leaves)
    withheld = [d for d in leaves if d.withheld]
    if not withheld:
        if top is None:
            top = ColumnDecision(
                column=field.name,
                action="release",
                category=None,
                reason="no status data found in any leaf",
                evidence=(Evidence("default", "no name rule or detector matched a leaf"),),
            )
        return replace(top, leaves=leaves, params={**top.params, "guard": guard_pattern(policy)})
    if all(d.action == "null" for d in leaves):
        action: Action = "null"
    else:
        action = "scrub"
    first = withheld[0]
    evidence = tuple(
        Evidence(f"leaf:{d.column}", f"{d.action}: {d.reason}") for d in withheld
    ) + tuple(e for d in withheld for e in d.evidence)
    return ColumnDecision(
        column=field.name,
        action=action,
        category=first.category,
        reason=f"nested: {len(withheld)} of {len(leaves)} leaves withheld "
        f"({', '.join(d.column for d in withheld)})",
        evidence=evidence,
        params={"guard": guard_pattern(policy)},
        leaves=leaves,
    )


#: A leaf name that holds a date of the record it belongs to (``documents[].expires``).
_DATE_LEAF = re.compile(
    r"(?:^|[._])(?:exp\w*|valid\w*|issued?\w*|iss|until|dt|date\w*|\w*_on|\w*_at)$", re.I
)


def _with_document_dates(leaves: tuple[ColumnDecision, ...]) -> tuple[ColumnDecision, ...]:
    """A date beside a withheld leaf of the same record (the expiry of a withheld
    document, the date of a withheld status) says when that status ends or began: it is
    withheld with it."""
    parent = {d.column: d.column.rsplit(".", 1)[0] for d in leaves}
    held = {parent[d.column] for d in leaves if d.withheld and "." in d.column}
    out = []
    for d in leaves:
        leaf = d.column.rsplit(".", 1)[-1]
        if (
            not d.withheld
            and "." in d.column
            and parent[d.column] in held
            and _DATE_LEAF.search(leaf)
        ):
            d = replace(
                d,
                action="null",
                reason="the date of a withheld record beside it",
                evidence=(*d.evidence, Evidence("sibling", "date beside a withheld leaf")),
                params={},
            )
        out.append(d)
    return tuple(out)


def plan(
    schema: pa.Schema,
    profile: Profile | None,
    policy: Policy,
    contract: Contract | None = None,
    exception: ExceptionScope | None = None,
    *,
    withhold: Mapping[str, str] | None = None,
) -> Plan:
    """Decide, for every column of ``schema``, what the release does and why.

    Args:
        schema: the extract's schema as read.
        profile: detector counts per column (a first pass); may be ``None`` with a contract.
        policy: the policy profile in force.
        contract: the dataset contract, if the extract has one.
        exception: a lawful exception already checked for recipient and validity.
        withhold: columns to withhold whatever else says (column -> rule id), e.g. after
            the streaming guard found protected values in them.
    """
    profile = profile or {}
    withhold = withhold or {}
    covered = exception.categories if exception else frozenset()
    decisions: list[ColumnDecision] = []
    for field in schema:
        if is_nested(field.type) and contract is None and field.name not in withhold:
            # Leaf by leaf: a leaf's path carries its parents' names ("comments[].body").
            d = _nested(field, None, profile, policy, exception, covered)
        else:
            d = _decide(field, profile, policy, contract, exception, covered, withhold)
            if is_nested(field.type) and d.action == "release":
                d = _nested(field, d, {}, policy, exception, covered)
        decisions.append(d)
    return Plan(
        source_schema=schema,
        decisions=tuple(decisions),
        policy_id=policy.profile,
        dataset=contract.dataset if contract else None,
        exception_id=exception.id if exception else None,
    )
