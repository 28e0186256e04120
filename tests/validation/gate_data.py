"""Test data for the validation gate: a good redacted output, its spec, and writers.

The table is what a correct release of a DMV-like extract looks like after redaction:
``status`` and ``dob`` nulled, ``lic_type`` generalized, ``notes`` scrubbed, ``a_number``
dropped. Tests plant one failure at a time (or canaries) into a copy of it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from redaction.validation import ValidationSpec

A_NUMBER = r"\bA-?\d{8,9}\b|\b[A-Z]{3}\d{10}\b"
STATUS_MENTION = r"(?i)\b(green card|undocumented|indocumentad[oa]|visa)\b"
FORMATS = ("parquet", "csv", "jsonl")

Writer = Callable[[pa.Table, str], Path]


def good_table(n: int) -> pa.Table:
    """``n`` rows of a correctly redacted output."""
    codes = ["R", "C", "OTHER", "R", "P"]
    return pa.table(
        {
            "record_id": pa.array([f"K{i:07d}" for i in range(n)]),
            "name": pa.array([f"Person {i}" for i in range(n)]),
            "status": pa.nulls(n, pa.string()),
            "dob": pa.nulls(n, pa.date32()),
            "lic_type": pa.array([codes[i % len(codes)] for i in range(n)]),
            "notes": pa.array([None if i % 3 else f"renewed [WITHHELD] {i}" for i in range(n)]),
            "issued": pa.array(
                [dt.date(2020, 1, 1) + dt.timedelta(days=i % 1500) for i in range(n)],
                pa.date32(),
            ),
            "points": pa.array([i % 12 for i in range(n)], pa.int64()),
        }
    )


def spec_for(table: pa.Table, fmt: str, *, expected_rows: int | None = None) -> ValidationSpec:
    """The spec the planner would build for ``table`` written as ``fmt``."""
    types = (
        tuple((f.name, "string") for f in table.schema)
        if fmt == "csv"
        else tuple((f.name, str(f.type)) for f in table.schema)
    )
    return ValidationSpec(
        dataset="dmv_test",
        expected_columns=types,
        expected_rows=table.num_rows if expected_rows is None else expected_rows,
        absent_columns=("a_number",),
        null_columns=("status", "dob"),
        guarded_columns={"name": A_NUMBER, "notes": A_NUMBER, "record_id": A_NUMBER},
        scrubbed_columns={"notes": STATUS_MENTION},
        forbidden_values={"lic_type": ("N", "F")},
        not_null_columns=("record_id",),
        allowed_values={"lic_type": ("R", "C", "P", "OTHER")},
        declared_types={
            "record_id": "string",
            "issued": "date",
            "points": "int64",
            "dob": "date",
            "lic_type": "string",
        },
    )


def write(table: pa.Table, fmt: str, path: Path) -> Path:
    """Write ``table`` the way the release path does: Parquet, CSV text or JSON lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        # Small row groups so chunks cross row-group boundaries.
        pq.write_table(table, path, row_group_size=700)
    elif fmt == "csv":
        pcsv.write_csv(table, path)
    elif fmt == "jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for row in table.to_pylist():
                fh.write(json.dumps(row, default=str) + "\n")
    else:
        raise ValueError(fmt)
    return path


def with_cell(table: pa.Table, column: str, row: int, value: object) -> pa.Table:
    """A copy of ``table`` with one cell replaced (the column keeps its type)."""
    idx = table.schema.get_field_index(column)
    values = table.column(column).to_pylist()
    values[row] = value
    return table.set_column(idx, column, pa.array(values, table.schema.field(idx).type))
