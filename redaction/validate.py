"""The validation gate's side of the release: a ``ValidationSpec`` derived from the plan.

The suite is never written by hand per dataset: what the output must satisfy follows
from the plan (withheld columns null or absent, released text free of status
identifiers and mentions, generalized codes gone, the schema and row count unchanged)
and from the dataset contract (keys not null, allowed code sets, declared types).
"""

from __future__ import annotations

from pathlib import Path

from redaction.detect import guard_pattern, is_text
from redaction.plan import scrub_pattern
from redaction.plan_model import Plan
from redaction.policy import Contract, Policy, load_policy
from redaction.validation import ValidationSpec


def spec_from_plan(
    plan: Plan, policy: Policy, contract: Contract | None, rows: int, fmt: str
) -> ValidationSpec:
    """What the redacted output of ``plan`` must satisfy, row by row."""
    out = plan.output_schema
    text_cols = {f.name for f in plan.source_schema if is_text(f.type)}
    # The gate runs these in RE2 (like the streaming guard), so the forms that match
    # every script's digits are used.
    guard = guard_pattern(policy)
    scrub = scrub_pattern(policy)
    forbidden: dict[str, tuple[str, ...]] = {}
    for d in plan.decisions:
        if d.action == "generalize":
            values = tuple(str(v) for v in d.params["values"])
            # The listed spellings, plus upper and lower case forms.
            forbidden[d.column] = tuple(dict.fromkeys([*values, *(v.lower() for v in values)]))
    withheld = {d.column for d in plan.decisions if d.withheld}
    not_null: tuple[str, ...] = ()
    allowed: dict[str, tuple[str, ...]] = {}
    declared: dict[str, str] = {}
    if contract is not None:
        not_null = tuple(
            c.name for c in contract.columns if not c.nullable and c.name not in withheld
        )
        for c in contract.columns:
            if c.name in withheld and c.name not in forbidden:
                continue
            if c.allowed_values is not None:
                values = tuple(c.allowed_values)
                if c.name in forbidden:  # a generalized column holds its neutral code too
                    values = (*values, str(plan.decision(c.name).params["to"]))
                allowed[c.name] = tuple(dict.fromkeys(values))
            if c.type != "string" and c.name not in withheld:
                declared[c.name] = c.type
    return ValidationSpec(
        dataset=plan.dataset,
        expected_columns=tuple((f.name, "string" if fmt == "csv" else str(f.type)) for f in out),
        expected_rows=rows,
        absent_columns=tuple(plan.columns_with("drop")),
        null_columns=tuple(plan.columns_with("null")),
        guarded_columns={
            d.column: guard for d in plan.decisions if d.guarded and d.column in text_cols
        },
        scrubbed_columns={d.column: scrub for d in plan.decisions if d.action == "scrub"},
        forbidden_values=forbidden,
        not_null_columns=not_null,
        allowed_values=allowed,
        declared_types=declared if fmt in ("csv", "jsonl") else {},
    )


def spec_for_file(
    path: Path, dataset: str | None, policy_path: Path | None = None, *, profile: str | None = None
) -> tuple[ValidationSpec, str]:
    """A spec for a file produced elsewhere (``redact validate``): the plan the dataset
    contract gives for the file's columns, and the file's own row count."""
    from redaction.release import count_rows, make_plan, open_extract

    policy = load_policy(policy_path, profile=profile)
    src, contract = open_extract(path, policy, dataset)
    plan = make_plan(src, policy, contract)
    return spec_from_plan(plan, policy, contract, count_rows(src), src.format), src.format
