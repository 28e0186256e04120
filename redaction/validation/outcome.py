"""The result of validating one output file: names and counts, never a cell's content."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation over the whole file, summed over its chunks.

    Attributes:
        expectation: GX's type name (``expect_column_values_to_be_null``).
        column: the column it checks, or None for a table-level expectation.
        success: True only if it passed on every chunk (and could run at all).
        unexpected_count: values (or, for the column list, positions) that broke it.
        element_count: values it looked at (rows; columns for the column list).
        check: the stable rule key tying it to the spec (``null:notes``,
            ``guarded:remarks``, ``columns``, ``row_count``, ``arrow_type:dob``).
    """

    expectation: str
    column: str | None
    success: bool
    unexpected_count: int
    element_count: int
    check: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "expectation": self.expectation,
            "column": self.column,
            "success": self.success,
            "unexpected_count": self.unexpected_count,
            "element_count": self.element_count,
        }


@dataclass(frozen=True)
class ValidationOutcome:
    """Whether one staged output may be published.

    Attributes:
        success: every expectation passed and the file could be read to the end.
        rows_checked: rows read and validated.
        chunks: GX validation runs over row chunks.
        expectations: one outcome per expectation, file-level ones first.
        dataset: the dataset contract's name, if any.
        format: ``csv``, ``parquet`` or ``jsonl``.
        missing_columns: expected columns the file lacks.
        unexpected_columns: columns the file has but should not (dropped ones included).
        error: a reason code when the file could not be read to the end
            (``unreadable_csv``...); the reader's own message is not kept, since parsers
            echo the offending text.
        docs_index: the Data Docs ``index.html`` written, when asked for.
        seconds: wall-clock time of the validation.
    """

    success: bool
    rows_checked: int
    chunks: int
    expectations: tuple[ExpectationOutcome, ...]
    dataset: str | None = None
    format: str = ""
    missing_columns: tuple[str, ...] = ()
    unexpected_columns: tuple[str, ...] = ()
    error: str | None = None
    docs_index: str | None = None
    seconds: float = 0.0

    def failures(self) -> tuple[ExpectationOutcome, ...]:
        """The expectations that failed, in outcome order."""
        return tuple(e for e in self.expectations if not e.success)

    def summary(self) -> str:
        """One line a person can read in five seconds; names and counts only."""
        failed = self.failures()
        head = "passed" if self.success else "FAILED"
        line = (
            f"validation {head}: {self.rows_checked} row(s) in {self.chunks} chunk(s), "
            f"{len(self.expectations) - len(failed)}/{len(self.expectations)} expectation(s) "
            "met"
        )
        if self.error:
            line += f"; file unreadable ({self.error})"
        if failed:
            line += "; failed: " + ", ".join(
                f"{e.check or e.expectation} ({e.unexpected_count})" for e in failed
            )
        return line

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for the ledger and Prefect artifacts: counts and names only."""
        return {
            "success": self.success,
            "dataset": self.dataset,
            "format": self.format,
            "rows_checked": self.rows_checked,
            "chunks": self.chunks,
            "error": self.error,
            "missing_columns": list(self.missing_columns),
            "unexpected_columns": list(self.unexpected_columns),
            "failed": len(self.failures()),
            "expectations": [e.to_dict() for e in self.expectations],
            "docs_index": self.docs_index,
            "seconds": round(self.seconds, 3),
        }
