"""The gate with real GX runs: good outputs pass, each planted failure fails, by count."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest
from gate_data import FORMATS, Writer, good_table, spec_for, with_cell

from redaction.errors import PolicyError, UsageError
from redaction.validation import ValidationOutcome, validate_file

N = 200


def _failed(outcome: ValidationOutcome) -> dict[str, int]:
    return {e.check: e.unexpected_count for e in outcome.failures()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_good_output_passes(fmt: str, writer: Writer) -> None:
    table = good_table(N)
    outcome = validate_file(writer(table, fmt), fmt, spec_for(table, fmt))  # type: ignore[arg-type]
    assert outcome.success, outcome.summary()
    assert outcome.rows_checked == N
    assert outcome.chunks == 1
    assert outcome.failures() == ()
    by_check = {e.check: e for e in outcome.expectations}
    # Every row of every checked column was looked at.
    assert by_check["null:status"].element_count == N
    assert by_check["guarded:name"].element_count == N
    assert by_check["row_count"].element_count == N


Plant = Callable[[pa.Table], pa.Table]

# (case id, formats, plant, failing checks -> unexpected count)
PLANTED: list[tuple[str, tuple[str, ...], Plant, dict[str, int]]] = [
    # a nulled column still holding a value
    (
        "null_column_value",
        FORMATS,
        lambda t: with_cell(t, "status", 3, "LPR"),
        {"null:status": 1},
    ),
    # an empty string is a value, not a null (CSV reads empty fields as null by design)
    (
        "null_column_empty_string",
        ("parquet", "jsonl"),
        lambda t: with_cell(t, "status", 5, ""),
        {"null:status": 1},
    ),
    # a dropped column present in the output
    (
        "dropped_column_present",
        FORMATS,
        lambda t: t.append_column("a_number", pa.array(["A000000001"] * t.num_rows)),
        {"columns": 1},
    ),
    # columns out of order
    (
        "column_order",
        FORMATS,
        lambda t: t.select(["name", "record_id", *t.column_names[2:]]),
        {"columns": 2},
    ),
    # a column of the wrong Arrow type
    (
        "column_type",
        ("parquet",),
        lambda t: t.set_column(7, "points", t.column("points").cast(pa.int32())),
        {"arrow_type:points": 1},
    ),
    # an A-number left in a guarded column
    (
        "a_number_in_guarded",
        FORMATS,
        lambda t: with_cell(t, "name", 7, "Person A123456789"),
        {"guarded:name": 1},
    ),
    # a USCIS receipt number left in free text
    (
        "receipt_in_guarded",
        FORMATS,
        lambda t: with_cell(t, "notes", 8, "case EAC2190012345 filed"),
        {"guarded:notes": 1},
    ),
    # a status mention left in a scrubbed column (English and Spanish)
    (
        "status_mention_in_scrubbed",
        FORMATS,
        lambda t: with_cell(
            with_cell(t, "notes", 9, "has a Green Card"), "notes", 10, "indocumentado"
        ),
        {"scrubbed:notes": 2},
    ),
    # a forbidden code left in a generalized column (also outside the allowed set)
    (
        "forbidden_code",
        FORMATS,
        lambda t: with_cell(t, "lic_type", 11, "N"),
        {"forbidden:lic_type": 1, "allowed:lic_type": 1},
    ),
    # a null key
    (
        "null_key",
        FORMATS,
        lambda t: with_cell(t, "record_id", 13, None),
        {"not_null:record_id": 1},
    ),
    # a value outside the allowed set
    (
        "value_not_allowed",
        FORMATS,
        lambda t: with_cell(t, "lic_type", 15, "ZZ"),
        {"allowed:lic_type": 1},
    ),
]


@pytest.mark.parametrize(
    ("fmt", "plant", "expected"),
    [
        pytest.param(fmt, plant, expected, id=f"{case}-{fmt}")
        for case, fmts, plant, expected in PLANTED
        for fmt in fmts
    ],
)
def test_planted_failure_fails(
    fmt: str, plant: Plant, expected: dict[str, int], writer: Writer
) -> None:
    good = good_table(N)
    outcome = validate_file(writer(plant(good), fmt), fmt, spec_for(good, fmt))  # type: ignore[arg-type]
    assert not outcome.success
    assert _failed(outcome) == expected


def test_dropped_column_named_in_outcome(writer: Writer) -> None:
    good = good_table(N)
    bad = good.append_column("a_number", pa.array(["A000000001"] * N))
    outcome = validate_file(writer(bad, "parquet"), "parquet", spec_for(good, "parquet"))
    assert outcome.unexpected_columns == ("a_number",)
    assert outcome.missing_columns == ()


def test_missing_column_fails_its_checks(writer: Writer) -> None:
    good = good_table(N)
    outcome = validate_file(
        writer(good.drop_columns(["status"]), "parquet"), "parquet", spec_for(good, "parquet")
    )
    assert outcome.missing_columns == ("status",)
    # The null check could not run: it fails closed rather than passing vacuously.
    assert set(_failed(outcome)) == {"columns", "arrow_type:status", "null:status"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_row_count_off_fails(fmt: str, writer: Writer) -> None:
    table = good_table(N)
    outcome = validate_file(
        writer(table, fmt),
        fmt,  # type: ignore[arg-type]
        spec_for(table, fmt, expected_rows=N + 3),
    )
    assert _failed(outcome) == {"row_count": 3}


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("issued", "2024-02-31"),  # no such day
        ("issued", "31/01/2024"),  # not ISO
        ("points", "7.5"),  # not an integer
    ],
)
def test_csv_unparseable_declared_type_fails(
    column: str, value: str, writer: Writer, tmp_path: Path
) -> None:
    good = good_table(N)
    path = writer(good, "csv")
    lines = path.read_text().splitlines()
    header = [h.strip('"') for h in lines[0].split(",")]
    cells = lines[20].split(",")
    cells[header.index(column)] = value
    lines[20] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    outcome = validate_file(path, "csv", spec_for(good, "csv"))
    assert _failed(outcome) == {f"parseable:{column}": 1}


def test_int_codes_compared_as_text(writer: Writer) -> None:
    # A generalized code column stored as int64: the policy's "7" must still match 7.
    good = good_table(N).append_column("class_code", pa.array([1, 2] * (N // 2), pa.int64()))
    spec = spec_for(good, "parquet")
    spec = dataclasses.replace(spec, forbidden_values={"class_code": ("7",)})
    assert validate_file(writer(good, "parquet"), "parquet", spec).success
    bad = with_cell(good, "class_code", 4, 7)
    outcome = validate_file(writer(bad, "parquet"), "parquet", spec)
    assert _failed(outcome) == {"forbidden:class_code": 1}


def test_ragged_csv_is_unreadable_not_a_crash(writer: Writer) -> None:
    good = good_table(N)
    path = writer(good, "csv")
    with path.open("a") as fh:
        fh.write('"K9","CANARY-RAGGED-ROW",,,R,,2020-01-01,1,extra\n')
    outcome = validate_file(path, "csv", spec_for(good, "csv", expected_rows=N + 1))
    assert not outcome.success
    assert outcome.error == "unreadable_csv"
    assert "CANARY-RAGGED-ROW" not in str(outcome.to_dict())


def test_bad_arguments_are_usage_errors(writer: Writer) -> None:
    table = good_table(10)
    path = writer(table, "parquet")
    with pytest.raises(UsageError):
        validate_file(path, "xlsx", spec_for(table, "parquet"))  # type: ignore[arg-type]
    with pytest.raises(UsageError):
        validate_file(path, "parquet", spec_for(table, "parquet"), chunk_rows=0)


@pytest.mark.parametrize(
    "change",
    [
        {"guarded_columns": {"name": "(?<=x)A\\d+"}},  # lookbehind: not RE2
        {"null_columns": ("no_such_column",)},  # not an output column
        {"absent_columns": ("name",)},  # absent and expected at once
        {"declared_types": {"points": "integer"}},  # not a contract type
    ],
)
def test_inconsistent_spec_is_refused(change: dict[str, object]) -> None:
    spec = spec_for(good_table(10), "parquet")
    with pytest.raises(PolicyError) as info:
        dataclasses.replace(spec, **change)
    assert info.value.reason == "invalid_validation_spec"


def test_import_does_not_load_gx() -> None:
    code = (
        "import sys, redaction.validation, redaction.validation.spec;"
        "sys.exit('great_expectations' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[2])
    assert done.returncode == 0


@pytest.mark.parametrize(
    ("column", "old", "new", "check"),
    [
        ("points", '"points": 1}', '"points": "1"}', "type:points"),  # number as text
        ("issued", '"issued": "2020-01-02"', '"issued": 20200102', "type:issued"),  # not text
        ("issued", '"issued": "2020-01-02"', '"issued": "02.01.2020"', "parseable:issued"),
    ],
)
def test_jsonl_value_of_wrong_json_type_fails(
    column: str, old: str, new: str, check: str, writer: Writer
) -> None:
    good = good_table(N)
    path = writer(good, "jsonl")
    lines = path.read_text().splitlines()
    assert old in lines[1], column
    lines[1] = lines[1].replace(old, new)
    path.write_text("\n".join(lines) + "\n")
    outcome = validate_file(path, "jsonl", spec_for(good, "jsonl"))
    assert _failed(outcome) == {check: 1}


@pytest.mark.parametrize("fmt", FORMATS)
def test_regex_with_s_runs_on_non_ascii_text(fmt: str, writer: Writer) -> None:
    # \s in the pattern and accents in the data: pandas would fall back to Python's re;
    # the gate matches in RE2 and still finds the mention.
    good = with_cell(good_table(N), "name", 1, "José Peña")
    bad = with_cell(good, "notes", 2, "Peña tiene green\t card")
    spec = dataclasses.replace(spec_for(good, fmt), scrubbed_columns={"notes": r"green\s+card"})
    assert validate_file(writer(good, fmt), fmt, spec).success  # type: ignore[arg-type]
    outcome = validate_file(writer(bad, fmt), fmt, spec)  # type: ignore[arg-type]
    assert _failed(outcome) == {"scrubbed:notes": 1}
    (scrub,) = [e for e in outcome.expectations if e.check == "scrubbed:notes"]
    assert scrub.expectation == "expect_column_values_to_not_match_regex_in_arrow"


def test_re2_digit_class_catches_other_script_digits(writer: Writer) -> None:
    # The release's guard spells digits \p{Nd}; the gate runs RE2 too, so an A-number in
    # Arabic-Indic digits is caught (Python's re would refuse the pattern).
    good = good_table(N)
    bad = with_cell(good, "name", 6, "Person A١٢٣٤٥٦٧٨٩")
    spec = dataclasses.replace(spec_for(good, "parquet"), guarded_columns={"name": r"A\p{Nd}{8,9}"})
    assert validate_file(writer(good, "parquet"), "parquet", spec).success
    outcome = validate_file(writer(bad, "parquet"), "parquet", spec)
    assert _failed(outcome) == {"guarded:name": 1}
