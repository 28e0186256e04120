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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import pyarrow as pa

from redaction.detect import (
    MENTION,
    scoped,
    classify_name,
    detector_pattern,
    is_text,
    mention_pattern,
)
from redaction.plan_model import Action, ColumnDecision, Evidence, Plan
from redaction.policy import RELEASABLE, Category, Contract, Policy
from redaction.profile import ColumnProfile, Profile


class ExceptionScope(Protocol):
    """What the planner needs of a lawful exception (checked elsewhere for validity)."""

    @property
    def id(self) -> str: ...

    @property
    def categories(self) -> frozenset[str]: ...


def scrub_pattern(policy: Policy, *, python: bool = False) -> str:
    """Status mentions and identifier formats: everything ``scrub`` removes from text."""
    ids = [
        scoped(detector_pattern(d, python=python))
        for d in policy.detectors
        if d.strength == "strong" and d.kind == "regex"
    ]
    return "|".join([scoped(mention_pattern(policy)), *ids])


def _value_evidence(prof: ColumnProfile | None, policy: Policy) -> list[Evidence]:
    if prof is None:
        return []
    out = []
    for det, n in sorted(prof.hits.items(), key=lambda kv: -kv[1]):
        if det == MENTION:
            out.append(Evidence(f"value:{MENTION}", "status mentions in text", n, prof.scanned))
            continue
        d = policy.detector(det)
        share = n / prof.scanned if prof.scanned else 0.0
        if share > d.min_share:
            out.append(
                Evidence(f"value:{det}", f"{n} of {prof.scanned} values match", n, prof.scanned)
            )
    return out


def _classify_by_values(
    name: str, prof: ColumnProfile | None, policy: Policy
) -> tuple[Category, Evidence] | None:
    """The category the values point to, strongest evidence first."""
    evidence = _value_evidence(prof, policy)
    if not evidence or prof is None:
        return None
    mentions = [e for e in evidence if e.rule == f"value:{MENTION}"]
    if prof.free_text and (mentions or evidence):
        # Prose that mentions status or carries identifiers: scrub, keep the rest.
        return policy.category("status_notes"), (mentions or evidence)[0]
    for ev in evidence:
        det = ev.rule.removeprefix("value:")
        if det == MENTION:
            continue
        cat_id = policy.detector_category.get(det)
        if cat_id:
            return policy.category(cat_id), ev
    return policy.category("status_notes"), mentions[0]


def _fit_to_type(action: Action, field: pa.Field) -> tuple[Action, str]:
    if action == "generalize" and not is_text(field.type):
        return "null", " (not text: nulled, no neutral code to map to)"
    if action == "scrub" and not is_text(field.type):
        return "null", " (not text: nulled)"
    return action, ""


def _params(action: Action, category: Category | None, contract_gen: object, policy: Policy) -> dict[str, object]:
    if action == "generalize":
        gen = contract_gen or (category.generalize if category else None)
        assert gen is not None
        return {"values": tuple(gen.values), "to": gen.to}  # type: ignore[attr-defined]
    if action == "scrub":
        return {"pattern": scrub_pattern(policy), "marker": policy.marker}
    return {}


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
        else:
            by_values = _classify_by_values(name, prof, policy)
            if by_values:
                category, ev = by_values
                action = category.action
                evidence.extend(_value_evidence(prof, policy))
                reason = f"values: {ev.rule.removeprefix('value:')} in {ev.matched} of {ev.scanned}"
            else:
                evidence.append(Evidence("default", "no name rule or detector matched"))
                reason = "no status data found"

        if name in withhold:
            action = "null" if action == "release" else action
            evidence.append(Evidence(withhold[name], "protected values found while streaming"))
            reason = f"protected values found while streaming ({withhold[name]})"
        elif category is not None and action != "release" and category.id in covered:
            assert exception is not None
            evidence.append(Evidence(f"exception:{exception.id}", f"covers {category.id}"))
            action = "release"
            reason = f"released under lawful exception {exception.id}"

        action, note = _fit_to_type(action, field)
        decisions.append(
            ColumnDecision(
                column=name,
                action=action,
                category=category.id if category else None,
                reason=reason + note,
                evidence=tuple(evidence),
                params=_params(action, category, contract_gen, policy),
            )
        )
    return Plan(
        source_schema=schema,
        decisions=tuple(decisions),
        policy_id=policy.profile,
        dataset=contract.dataset if contract else None,
        exception_id=exception.id if exception else None,
        guard_detectors=tuple(
            [d.id for d in policy.detectors if d.strength == "strong"] + [MENTION]
        ),
    )
