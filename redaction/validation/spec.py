"""What a redacted output must satisfy before it may be published.

A :class:`ValidationSpec` is data: column names, Arrow type names, policy regexes and
policy code values. It is built from the plan by the release path
(``redaction.plan.validation_spec_for``) and consumed by :mod:`redaction.validation.gate`.
It never holds a cell of the extract, so it can be logged and stored as it is.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from redaction.errors import PolicyError
from redaction.types import COLUMN_TYPES

#: Contract types a dataset contract may declare (the one list, in redaction.types).
CONTRACT_TYPES: tuple[str, ...] = COLUMN_TYPES


@dataclass(frozen=True, kw_only=True)
class ValidationSpec:
    r"""The checks one redacted output must pass; every field names columns, never values.

    Attributes:
        dataset: the dataset contract's name, or None for an extract without one.
        expected_columns: output columns in order, each with ``str(pa_type)`` ("string",
            "int64", "date32[day]"). CSV outputs are text: every type is "string".
        expected_rows: rows the output must hold (the source's row count).
        absent_columns: dropped columns that must not be present.
        null_columns: columns withheld by nulling: every value must be a real null. An
            empty string counts as a value (CSV empty fields are read as null).
        guarded_columns: released string column -> regex that no value may match
            (A-numbers, I-94 and USCIS receipt numbers). Matched in RE2, as the release's
            streaming guard does, so RE2 syntax such as ``\p{Nd}`` (a digit of any
            script) works; Python-only syntax (lookaround) is refused.
        scrubbed_columns: scrubbed free-text column -> regex (RE2) of a status mention
            that no value may still match.
        forbidden_values: generalized code column -> codes that must not appear any more
            (credential types that exist only for people without lawful presence).
        not_null_columns: columns that must hold a value in every row (keys).
        allowed_values: column -> the only values it may hold.
        declared_types: column -> contract type; in CSV and JSON-lines every value's text
            must parse as that type (Parquet's Arrow types are checked from the footer).
            Ignored for withheld columns (absent, nulled, scrubbed, generalized).
    """

    dataset: str | None
    expected_columns: tuple[tuple[str, str], ...]
    expected_rows: int
    absent_columns: tuple[str, ...] = ()
    null_columns: tuple[str, ...] = ()
    guarded_columns: Mapping[str, str] = field(default_factory=dict)
    scrubbed_columns: Mapping[str, str] = field(default_factory=dict)
    forbidden_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    not_null_columns: tuple[str, ...] = ()
    allowed_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    declared_types: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            where = self.dataset or "output"
            raise PolicyError(
                f"validation spec for {where}: " + "; ".join(problems),
                reason="invalid_validation_spec",
                hint="The spec is built from the plan; check the contract and policy.",
            )

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.expected_columns)

    @property
    def withheld_columns(self) -> frozenset[str]:
        """Columns whose values the plan changed or removed."""
        return frozenset(
            (
                *self.absent_columns,
                *self.null_columns,
                *self.scrubbed_columns,
                *self.forbidden_values,
            )
        )


def _problems(spec: ValidationSpec) -> list[str]:
    """Every inconsistency in ``spec``, by column name and field (never a pattern's text)."""
    problems: list[str] = []
    names = [n for n, _ in spec.expected_columns]
    present = set(names)
    if len(present) != len(names):
        problems.append("expected_columns: a column name appears twice")
    if spec.expected_rows < 0:
        problems.append("expected_rows: must be >= 0")
    for col in spec.absent_columns:
        if col in present:
            problems.append(f"absent_columns: {col!r} is also an expected column")
    per_column: list[tuple[str, object]] = [
        ("null_columns", spec.null_columns),
        ("guarded_columns", spec.guarded_columns),
        ("scrubbed_columns", spec.scrubbed_columns),
        ("forbidden_values", spec.forbidden_values),
        ("not_null_columns", spec.not_null_columns),
        ("allowed_values", spec.allowed_values),
        ("declared_types", spec.declared_types),
    ]
    for field_name, columns in per_column:
        for col in columns:  # type: ignore[attr-defined]
            if col not in present:
                problems.append(f"{field_name}: {col!r} is not an expected column")
    for col in set(spec.null_columns) & set(spec.not_null_columns):
        problems.append(f"not_null_columns: {col!r} is also a null column")
    for field_name, patterns in (
        ("guarded_columns", spec.guarded_columns),
        ("scrubbed_columns", spec.scrubbed_columns),
    ):
        for col, pattern in patterns.items():
            if not _re2_ok(pattern):
                problems.append(f"{field_name}: the pattern for {col!r} does not compile in RE2")
    for col, declared in spec.declared_types.items():
        if declared not in CONTRACT_TYPES:
            problems.append(
                f"declared_types: {col!r} has type {declared!r}, not one of "
                + ", ".join(CONTRACT_TYPES)
            )
    return problems


@functools.lru_cache(maxsize=64)
def _re2_ok(pattern: str) -> bool:
    """True if ``pattern`` compiles in RE2 (pyarrow compute), where the gate runs it.
    Cached: every guarded column shares one pattern, ~4 ms a compile."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.match_substring_regex(pa.array([""], pa.string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return True
