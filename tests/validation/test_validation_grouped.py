"""One expectation per rule, distinct values, pass-or-fail first: the gate's fast paths
give the same per-column counts as checking every column of every row one by one."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from gate_data import A_NUMBER, FORMATS, Writer, good_table, spec_for, with_cell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redaction.validation import validate_file
from redaction.validation.checks import (
    NOT_MATCH_IN_ARROW,
    Check,
    CheckResult,
    combined,
    grouped,
    row_checks,
)
from redaction.validation.readers import open_source

N = 300


def _failed(outcome: object) -> dict[str, int]:
    return {e.check: e.unexpected_count for e in outcome.failures()}  # type: ignore[attr-defined]


def test_rules_are_grouped_by_rule_and_arguments() -> None:
    spec = spec_for(good_table(5), "csv")
    checks = row_checks(spec, "csv")
    suite = grouped(checks)
    # Two null columns -> one group; three guarded columns -> one group; a rule on one
    # column (the scrub rule, each value set, the key, each parse pattern) is a group of
    # one, its column listed twice (GX's multicolumn rules take two columns or more).
    groups = {c.members[0].key: c for c in suite}
    nulls = groups["null:status"]
    assert nulls.expectation == "expect_multicolumn_values_to_be_null"
    assert nulls.kwargs["column_list"] == ["status", "dob"]
    assert [m.key for m in nulls.members] == ["null:status", "null:dob"]
    guarded = groups["guarded:name"]
    assert guarded.expectation == "expect_multicolumn_values_to_not_match_regex_in_arrow"
    assert guarded.kwargs == {"regex": A_NUMBER, "column_list": ["name", "notes", "record_id"]}
    singles = {c.members[0].key: c.kwargs["column_list"] for c in suite if len(c.members) == 1}
    assert singles == {
        "scrubbed:notes": ["notes", "notes"],
        "forbidden:lic_type": ["lic_type", "lic_type"],
        "not_null:record_id": ["record_id", "record_id"],
        "allowed:lic_type": ["lic_type", "lic_type"],
        "parseable:issued": ["issued", "issued"],
        "parseable:points": ["points", "points"],
    }
    assert groups["allowed:lic_type"].expectation == "expect_multicolumn_values_to_be_in_set"
    assert groups["forbidden:lic_type"].kwargs["value_set"] == ["N", "F"]
    assert all(c.members for c in suite)
    # Every per-column check is in the suite exactly once, directly or as a member.
    flat = [m.key for c in suite for m in (c.members or (c,))]
    assert sorted(flat) == sorted(c.key for c in checks)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_failing_column_of_a_group_is_named(fmt: str, writer: Writer) -> None:
    good = good_table(N)
    bad = with_cell(good, "status", 3, "LPR")
    bad = with_cell(bad, "status", 4, "LPR")
    bad = with_cell(bad, "name", 7, "Person A123456789")
    bad = with_cell(bad, "record_id", 8, "A987654321")
    outcome = validate_file(writer(bad, fmt), fmt, spec_for(good, fmt))  # type: ignore[arg-type]
    # dob (in the same null group as status) and notes (same guard group) still pass.
    assert _failed(outcome) == {"null:status": 2, "guarded:name": 1, "guarded:record_id": 1}
    by_check = {e.check: e for e in outcome.expectations}
    assert by_check["null:dob"].success
    assert by_check["guarded:notes"].success


def _repeated(n: int) -> pa.Table:
    """``name`` holds a few values over and over, one of them an A-number (5 rows)."""
    names = ["Ann", "Bob", "Cy", "Dee"]
    table = good_table(n)
    values = [names[i % len(names)] for i in range(n)]
    for row in (10, 50, 90, 130, 170):
        values[row] = "A123456789"
    return table.set_column(1, "name", pa.array(values))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_repeated_value_counts_every_row_it_is_in(fmt: str, writer: Writer) -> None:
    table = _repeated(N)
    outcome = validate_file(writer(table, fmt), fmt, spec_for(good_table(N), fmt))  # type: ignore[arg-type]
    assert _failed(outcome) == {"guarded:name": 5}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_repeated_values_are_read_as_distinct_values(
    fmt: str, writer: Writer, tmp_path: Path
) -> None:
    # The path the count above went through: Parquet dictionaries and CSV columns of
    # repeated values arrive as Categoricals. Unique CSV values stay plain text (a
    # Parquet dictionary page this small is read as a dictionary whatever it holds).
    path = writer(_repeated(N), fmt)
    source = open_source(
        path, fmt, needed=["name", "record_id"], as_text=(), chunk_rows=N, by_value=["name"]
    )
    (frame,) = list(source.chunks)
    assert isinstance(frame["name"].dtype, pd.CategoricalDtype)
    if fmt == "csv":
        assert not isinstance(frame["record_id"].dtype, pd.CategoricalDtype)


def test_csv_columns_that_repeat_early_then_vary_are_checked_row_by_row(
    tmp_path: Path,
) -> None:
    # The first rows decide which CSV columns are parsed as dictionaries; a column that
    # repeats only at the start is still checked on every row, with exact counts.
    import dataclasses

    import pyarrow.csv as pcsv

    rows = 30_000
    code = ["X"] * 12_000 + [f"V{i}" for i in range(rows - 12_000)]
    code[25_000] = code[26_000] = "A123456789"
    ident = [f"K{i:07d}" for i in range(rows)]
    table = pa.table({"code": code, "ident": ident})
    path = tmp_path / "out.csv"
    pcsv.write_csv(table, path)
    source = open_source(
        path, "csv", needed=["code", "ident"], as_text=(), chunk_rows=rows, by_value=["code"]
    )
    (frame,) = list(source.chunks)
    assert isinstance(frame["code"].dtype, pd.CategoricalDtype)
    assert not isinstance(frame["ident"].dtype, pd.CategoricalDtype)
    spec = dataclasses.replace(
        spec_for(good_table(1), "csv"),
        expected_columns=(("code", "string"), ("ident", "string")),
        expected_rows=rows,
        absent_columns=(),
        null_columns=(),
        guarded_columns={"code": A_NUMBER, "ident": A_NUMBER},
        scrubbed_columns={},
        forbidden_values={},
        not_null_columns=("ident",),
        allowed_values={},
        declared_types={},
    )
    outcome = validate_file(path, "csv", spec, chunk_rows=7_000)
    assert _failed(outcome) == {"guarded:code": 2}


class _AllPass:
    """A runner whose second look finds nothing: what a disagreeing GX run returns."""

    def run(
        self, kind: str, checks: list[Check], frame: object, run_name: str
    ) -> list[CheckResult]:
        return [CheckResult(c.key, True, 0, 10) for c in checks]


@pytest.mark.parametrize("level", ["rule", "all rules"])
def test_runs_that_disagree_fail_closed(level: str) -> None:
    from redaction.validation.gate import _settle, _Tally

    columns = [
        Check("null:a", "expect_column_values_to_be_null", "a"),
        Check("null:b", "expect_column_values_to_be_null", "b"),
        Check("guarded:c", NOT_MATCH_IN_ARROW, "c", {"regex": "x"}),
    ]
    tally = _Tally(columns)
    tally.ran = {c.key for c in columns}
    suite = grouped(columns)
    failed = suite[0] if level == "rule" else combined(suite)[0]
    # The first run failed; the run one level down found nothing: every column the
    # failed check stands for fails, with the first run's count.
    first = CheckResult(failed.key, False, 4, 10, counted=True)
    _settle(tally, _AllPass(), failed, first, pd.DataFrame(index=range(10)), "r")  # type: ignore[arg-type]
    outcomes = {o.check: o for o in tally.outcomes(complete=True)}
    stood_for = {"null:a", "null:b"} if level == "rule" else {"null:a", "null:b", "guarded:c"}
    for key in stood_for:
        assert not outcomes[key].success and outcomes[key].unexpected_count == 4


@pytest.mark.parametrize("form", ["json", "list"])
def test_all_rules_check_fails_on_any_rule_as_text_or_list(form: str) -> None:
    """The all-rules check states its rules as one JSON text (cheap for GX to copy);
    rules JSON cannot hold stay a list. Either way a real GX run passes a clean frame
    and fails a frame that breaks any one rule."""
    import dataclasses
    import json

    from redaction.validation.gx_runner import GxRunner

    columns = [
        Check("null:a", "expect_column_values_to_be_null", "a"),
        Check("guarded:c", NOT_MATCH_IN_ARROW, "c", {"regex": "A[0-9]{8}"}),
        Check("allowed:d", "expect_column_values_to_be_in_set", "d", {"value_set": ["A", "B"]}),
    ]
    (every,) = combined(grouped(columns))
    assert isinstance(every.kwargs["rules"], str)
    if form == "list":
        kwargs = {**every.kwargs, "rules": json.loads(every.kwargs["rules"])}
        every = dataclasses.replace(every, kwargs=kwargs)
    clean = pd.DataFrame(
        {"a": pd.Series([None, None], dtype=object), "c": ["plain", "text"], "d": ["A", "B"]}
    )
    broken = {
        "a": clean.assign(a=["x", None]),
        "c": clean.assign(c=["plain", "A12345678"]),
        "d": clean.assign(d=["A", "C"]),
    }
    runner = GxRunner("all-rules", None)
    (ok,) = runner.run("rows", [every], clean, "clean", counts=False)
    assert ok.success
    for column, frame in broken.items():
        (bad,) = runner.run("rows", [every], frame, f"broken-{column}", counts=False)
        assert not bad.success, column


def test_data_docs_runs_count_the_same(writer: Writer, tmp_path: Path) -> None:
    # With Data Docs every run is stored with counts (no pass-or-fail first run).
    good = good_table(N)
    bad = with_cell(with_cell(good, "status", 3, "LPR"), "lic_type", 11, "N")
    path = writer(bad, "parquet")
    quick = validate_file(path, "parquet", spec_for(good, "parquet"))
    kept = validate_file(path, "parquet", spec_for(good, "parquet"), docs_dir=tmp_path / "docs")
    assert (
        _failed(quick)
        == _failed(kept)
        == {
            "null:status": 1,
            "forbidden:lic_type": 1,
            "allowed:lic_type": 1,
        }
    )


# ---------------------------------------------------------- the joined-text screen

_PATTERNS = [
    A_NUMBER,
    r"(?i)\b(green card|undocumented)\b",
    r"(?i:^\s*(?:NOT VALID FOR FEDERAL)\s*$)",
    r"^C$",
    r"^\d+$",
    r"x\s*y",
    r"(?i:\bvisa\b)",
]
_TOKENS = [*"aAxyC19 \n\t-", "visa", "A12345678", "green card", "NOT VALID FOR FEDERAL"]
_TEXT = st.lists(st.sampled_from(_TOKENS), max_size=6).map("".join)


def _python(pattern: str) -> re.Pattern[str]:
    # RE2's $ (without multi-line mode) is the end of the text only; Python's also
    # matches before a final line break. \Z is RE2's meaning in Python.
    return re.compile(pattern.replace("$", r"\Z"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(st.one_of(st.none(), _TEXT), max_size=12), pattern=st.sampled_from(_PATTERNS)
)
def test_screen_never_misses_a_value_that_matches_alone(
    values: list[str | None], pattern: str
) -> None:
    from redaction.validation.gx_arrow import _may_match, matched

    arr = pa.array(values, pa.large_string())
    oracle = _python(pattern)
    alone = any(v is not None and oracle.search(v) for v in values)
    if alone:
        assert _may_match(arr, pattern)
    # And the screened answer per row is the plain per-row answer.
    series = pd.Series(values, dtype=pd.ArrowDtype(pa.large_string()))
    (hits,) = matched([series], pattern, screen=True)
    (plain,) = matched([series], pattern)
    assert hits.tolist() == plain.tolist()
    assert plain.tolist() == [v is not None and bool(oracle.search(v)) for v in values]


def test_screen_is_skipped_for_absolute_anchors() -> None:
    from redaction.validation.gx_arrow import _may_match

    # \A means the start of the whole text: joined values would hide a match.
    assert _may_match(pa.array(["x", "A1"], pa.large_string()), r"\AA1")


def test_csv_record_longer_than_a_parse_block_still_validates(writer: Writer) -> None:
    # The gate parses in 1 MB blocks; a longer record makes it read again in larger
    # blocks, skipping the chunks already validated: every row once, counts exact.
    good = good_table(N)
    bad = with_cell(good, "notes", 250, "renewed " + "x" * (3 << 20))
    bad = with_cell(bad, "name", 280, "Person A123456789")
    bad = with_cell(bad, "name", 20, "Person A123456780")
    spec = spec_for(good, "csv")
    outcome = validate_file(writer(bad, "csv"), "csv", spec, chunk_rows=100)
    assert outcome.rows_checked == N
    assert outcome.chunks == 3
    assert _failed(outcome) == {"guarded:name": 2}


@pytest.mark.parametrize("fmt", FORMATS)
def test_full_width_identifier_is_read_as_the_guard_reads_it(fmt: str, writer: Writer) -> None:
    # The release's guard matches NFKC text (full-width A and digits as plain ones); the
    # gate reads released text the same way, so such an A-number fails it too.
    good = good_table(N)
    bad = with_cell(good, "name", 12, "Person Ａ１２３４５６７８９")
    outcome = validate_file(writer(bad, fmt), fmt, spec_for(good, fmt))  # type: ignore[arg-type]
    assert _failed(outcome) == {"guarded:name": 1}
