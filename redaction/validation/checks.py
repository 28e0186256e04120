"""Turn a :class:`ValidationSpec` into the list of checks the gate runs; pure, no GX import.

A check is one GX expectation on one column (or the table). Row checks run through GX on
every chunk of the file; file checks (column list, Arrow types, row count) are decided
once per file. Each check carries a stable ``key`` (``null:notes``) that ties GX results
back to the spec and names the rule in the outcome, the ledger and Data Docs.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# The text grammar (null tokens, the forms each type parses from) and the formats are
# the reader's too: one definition, in ``redaction.types``.
from redaction.types import FORMATS, NULL_TOKENS, PARSEABLE, Format
from redaction.validation.spec import ValidationSpec

__all__ = ["FORMATS", "NULL_TOKENS", "PARSEABLE", "Format"]


COLUMNS_IN_ORDER = "expect_table_columns_to_match_ordered_list"
#: GX's regex expectations, run in Arrow's RE2 (see ``gx_arrow``).
NOT_MATCH_IN_ARROW = "expect_column_values_to_not_match_regex_in_arrow"
MATCH_IN_ARROW = "expect_column_values_to_match_regex_in_arrow"
ROW_COUNT = "expect_table_row_count_to_equal"
OF_TYPE = "expect_column_values_to_be_of_type"


#: JSON kinds (GX's Python type names) allowed for each Arrow type in JSON-lines output;
#: dates and timestamps travel as text and also get a format check.
_JSON_KINDS: Mapping[str, tuple[str, ...]] = {
    "string": ("str",),
    "large_string": ("str",),
    "bool": ("bool",),
    "double": ("int", "float"),
    "float": ("int", "float"),
    "halffloat": ("int", "float"),
}


@dataclass(frozen=True)
class Check:
    """One expectation: ``expectation`` is GX's type name, ``kwargs`` its arguments."""

    key: str
    expectation: str
    column: str | None
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    #: For a rule over several columns: the per-column checks it stands for.
    members: tuple[Check, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    """One check's result on one chunk: counts only, never a value."""

    key: str
    success: bool
    unexpected_count: int
    element_count: int
    #: False for a pass-or-fail run, whose counts are not known (zero here).
    counted: bool = True


#: Per-column rule -> the same rule over a list of columns (``gx_arrow``).
_MULTICOLUMN: Mapping[str, str] = {
    "expect_column_values_to_be_null": "expect_multicolumn_values_to_be_null",
    "expect_column_values_to_not_be_null": "expect_multicolumn_values_to_not_be_null",
    NOT_MATCH_IN_ARROW: "expect_multicolumn_values_to_not_match_regex_in_arrow",
    MATCH_IN_ARROW: "expect_multicolumn_values_to_match_regex_in_arrow",
    "expect_column_values_to_be_in_set": "expect_multicolumn_values_to_be_in_set",
    "expect_column_values_to_not_be_in_set": "expect_multicolumn_values_to_not_be_in_set",
}


def grouped(checks: list[Check]) -> list[Check]:
    """The checks as GX runs them on a chunk, one expectation per rule where possible.

    Checks of one rule with the same arguments (null, not null, one regex, one value
    set) become one multicolumn check whose ``members`` are the per-column checks; a
    row fails it if any member column breaks the rule. GX's cost is per expectation
    per run, so this is what keeps a wide extract's gate cheap. A rule on one column
    takes the multicolumn form too: GX runs a single-column expectation on the rows
    where the column is not null, and selecting those rows copies every column of the
    chunk; the multicolumn form reads every row and copies nothing (nulls pass these
    rules as they pass GX's own; its one column is listed twice, since GX asks for
    two). Type checks stay per column. Order is stable: a group
    takes its first member's place.
    """
    slots: list[Check | str] = []
    groups: dict[str, tuple[str, dict[str, Any], list[Check]]] = {}
    for check in checks:
        multi = _MULTICOLUMN.get(check.expectation)
        if multi is None or check.column is None:
            slots.append(check)
            continue
        rule = multi + repr(sorted(check.kwargs.items()))
        if rule not in groups:
            groups[rule] = (multi, dict(check.kwargs), [])
            slots.append(rule)
        groups[rule][2].append(check)
    out: list[Check] = []
    for slot in slots:
        if isinstance(slot, Check):
            out.append(slot)
            continue
        expectation, kwargs, members = groups[slot]
        prefix = members[0].key.split(":", 1)[0]
        columns = [m.column for m in members]
        if len(columns) == 1:
            # GX takes two columns or more; a column twice is the same rule on it.
            columns *= 2
        out.append(
            Check(
                f"group:{prefix}:{len(out)}",
                expectation,
                None,
                {**kwargs, "column_list": columns},
                members=tuple(members),
            )
        )
    return out


#: One expectation for every multicolumn rule at once (``gx_arrow``).
ALL_RULES = "expect_multicolumn_values_to_keep_redaction_rules"


def combined(suite: list[Check]) -> list[Check]:
    """``suite`` (from ``grouped``) with its multicolumn rules stated as one expectation,
    whose members are those rules: a chunk's pass-or-fail run. GX's fixed cost per
    expectation (~6 ms a run, most of a passing chunk's time beside the rules' own
    work) is then paid once; a chunk that fails it is run again rule by rule, with
    counts. Other checks (JSON types) stay as they are."""
    rules = [c for c in suite if c.expectation in _MULTICOLUMN.values()]
    if len(rules) < 2:
        return suite
    columns = list(dict.fromkeys(col for c in rules for col in c.kwargs["column_list"]))
    if len(columns) == 1:
        columns *= 2  # GX takes two columns or more
    stated = [
        {
            "rule": c.expectation,
            "columns": list(dict.fromkeys(c.kwargs["column_list"])),
            "kwargs": {k: v for k, v in c.kwargs.items() if k != "column_list"},
        }
        for c in rules
    ]
    rest = [c for c in suite if c.expectation not in _MULTICOLUMN.values()]
    every = Check(
        "rules",
        ALL_RULES,
        None,
        {"column_list": columns, "rules": _as_json(stated)},
        members=tuple(rules),
    )
    return [every, *rest]


def _as_json(stated: list[dict[str, Any]]) -> str | list[dict[str, Any]]:
    """The rules as one JSON text. GX copies an expectation's arguments through pydantic
    dozens of times a run, element by element: the guard pattern and the value sets as
    nested lists cost ~10 ms of a ~55 ms run, one string nothing. Rules JSON cannot hold
    exactly (a NaN, a value of another type) stay as they are; the rule takes either."""
    try:
        return json.dumps(stated, allow_nan=False)
    except (TypeError, ValueError):
        return stated


def leaves(check: Check) -> tuple[Check, ...]:
    """The per-column checks ``check`` stands for (itself, if it is one)."""
    if not check.members:
        return (check,)
    return tuple(leaf for member in check.members for leaf in leaves(member))


def row_checks(spec: ValidationSpec, fmt: str) -> list[Check]:
    """Checks GX runs on every chunk, in a stable order."""
    checks: list[Check] = []
    for col in spec.null_columns:
        checks.append(Check(f"null:{col}", "expect_column_values_to_be_null", col))
    for col, regex in spec.guarded_columns.items():
        checks.append(
            Check(
                f"guarded:{col}",
                NOT_MATCH_IN_ARROW,
                col,
                {"regex": regex},
            )
        )
    for col, regex in spec.scrubbed_columns.items():
        checks.append(
            Check(
                f"scrubbed:{col}",
                NOT_MATCH_IN_ARROW,
                col,
                {"regex": regex},
            )
        )
    for col, values in spec.forbidden_values.items():
        checks.append(
            Check(
                f"forbidden:{col}",
                "expect_column_values_to_not_be_in_set",
                col,
                {"value_set": _value_set(values, fmt)},
            )
        )
    for col in spec.not_null_columns:
        checks.append(Check(f"not_null:{col}", "expect_column_values_to_not_be_null", col))
    for col, values in spec.allowed_values.items():
        checks.append(
            Check(
                f"allowed:{col}",
                "expect_column_values_to_be_in_set",
                col,
                {"value_set": _value_set(values, fmt)},
            )
        )
    if fmt in ("csv", "jsonl"):
        # Text forms: every CSV value, and JSON values (dates travel as text in JSON).
        parse = _parse_checks(spec)
        checks.extend(parse)
        if fmt == "jsonl":
            checks.extend(_jsonl_type_checks(spec, {c.column for c in parse}))
    return checks


def set_check_columns(checks: list[Check]) -> set[str]:
    """Columns compared against value sets; Parquet compares them in Arrow's text form."""
    return {
        c.column
        for c in checks
        if c.column is not None
        and c.expectation
        in ("expect_column_values_to_not_be_in_set", "expect_column_values_to_be_in_set")
    }


def per_value_columns(checks: list[Check]) -> set[str]:
    """Columns with a check on their values (regexes, value sets, types), not only on
    their nulls: worth reading as distinct values when they repeat."""
    nulls = ("expect_column_values_to_be_null", "expect_column_values_to_not_be_null")
    return {c.column for c in checks if c.column is not None and c.expectation not in nulls}


def _value_set(values: tuple[str, ...], fmt: str) -> list[Any]:
    """Policy values as the reader will see them.

    CSV and Parquet columns are compared as text. JSON-lines keeps JSON types, so a code
    "7" must also match the number 7 and "true" the boolean true.
    """
    out: list[Any] = list(dict.fromkeys(values))
    if fmt != "jsonl":
        return out
    extra: list[Any] = []
    for v in values:
        low = v.strip().lower()
        if low in ("true", "false"):
            extra.append(low == "true")
            continue
        try:
            extra.append(int(v))
        except ValueError:
            with contextlib.suppress(ValueError):
                extra.append(float(v))
    for e in extra:
        if not any(type(e) is type(o) and e == o for o in out):
            out.append(e)
    return out


def _parse_checks(spec: ValidationSpec) -> list[Check]:
    withheld = spec.withheld_columns
    checks = []
    for col, declared in spec.declared_types.items():
        if col in withheld or declared == "string":
            continue
        checks.append(
            Check(
                f"parseable:{col}",
                MATCH_IN_ARROW,
                col,
                {"regex": PARSEABLE[declared]},
            )
        )
    return checks


def _jsonl_type_checks(spec: ValidationSpec, parsed: set[str | None]) -> list[Check]:
    """JSON kinds from the Arrow types; dates and timestamps also get a format check
    unless a declared type already parses the column."""
    checks = []
    for col, arrow_type in spec.expected_columns:
        if arrow_type == "null":
            continue
        kinds = _JSON_KINDS.get(arrow_type)
        if kinds is None and arrow_type.startswith(("int", "uint")):
            kinds = ("int",)
        if kinds is None and arrow_type.startswith(("date", "timestamp")):
            kinds = ("str",)
        if arrow_type.startswith(("date", "timestamp")) and col not in parsed:
            fmt_regex = PARSEABLE["date" if arrow_type.startswith("date") else "timestamp"]
            checks.append(
                Check(
                    f"parseable:{col}",
                    MATCH_IN_ARROW,
                    col,
                    {"regex": fmt_regex},
                )
            )
        if kinds is None:
            # Nested and other types have no single JSON kind; the column list still
            # guards them and the value checks above still run.
            continue
        checks.append(
            Check(
                f"type:{col}",
                "expect_column_values_to_be_in_type_list",
                col,
                {"type_list": list(kinds)},
            )
        )
    return checks
