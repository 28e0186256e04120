"""Checks built from a spec: CSV parse patterns agree in RE2 and ``re`` and with the reader."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from gate_data import good_table, spec_for

from redaction.validation.checks import NULL_TOKENS, PARSEABLE, row_checks

# (contract type, value, parseable?)
CASES = [
    ("date", "2024-01-31", True),  # ISO, as pyarrow writes dates
    ("date", "1978-4-7", True),  # ISO without zero padding
    ("date", "04/07/1978", True),  # US month/day/year
    ("date", "19780407", True),  # compact
    ("date", "2024/02/29", True),  # year first with slashes; leap day
    ("date", " 2024-01-31 ", True),  # padded
    ("date", "N/A", True),  # a null token is not a type error
    ("date", "2024-02-31", False),  # no such day
    ("date", "2024-13-01", False),  # no such month
    ("date", "31/01/2024", False),  # day first: not a form the reader takes
    ("date", "2024-01-31x", False),  # trailing text
    ("timestamp", "2024-01-31 10:00:00", True),  # as pyarrow writes timestamps
    ("timestamp", "2024-01-31T10:00:00.123456Z", True),  # ISO with zone
    ("timestamp", "2024-01-31", True),  # a date is a midnight timestamp
    ("timestamp", "2024-01-31 25:00", False),  # no such hour
    ("int64", " -12", True),  # sign and padding
    ("int64", "NULL", True),  # null token
    ("int64", "7.5", False),  # not an integer
    ("int64", "12345678901234567890", False),  # wider than int64
    ("float64", "-1e3", True),  # exponent
    ("float64", ".5", True),  # no leading digit
    ("float64", "1.2.3", False),  # two points
    ("boolean", "Y", True),  # the DMV's Y/N flags
    ("boolean", "false", True),  # as pyarrow writes booleans
    ("boolean", "maybe", False),  # not a boolean
]


@pytest.mark.parametrize(("declared", "value", "ok"), CASES)
def test_parse_pattern_same_in_re_and_re2(declared: str, value: str, ok: bool) -> None:
    pattern = PARSEABLE[declared]
    assert bool(re.search(pattern, value)) is ok
    assert pc.match_substring_regex(pa.array([value]), pattern)[0].as_py() is ok


def test_gate_accepts_what_the_release_reader_accepts() -> None:
    # Drift guard: every value the gate calls parseable, the release path's CSV reader
    # also takes (as a value or a null token), and the null tokens are the same list.
    readers = pytest.importorskip("redaction.io.readers")
    theirs = getattr(readers, "_TEXT_TYPE_PATTERNS", None)
    if theirs is None:
        pytest.skip("redaction.io.readers no longer exposes _TEXT_TYPE_PATTERNS")
    assert {*NULL_TOKENS, "", "\\N"} == set(readers.NULL_TOKENS)
    for declared, value, ok in CASES:
        if ok and value not in readers.NULL_TOKENS:
            assert re.search(theirs[declared], value), (declared, value)


def test_withheld_and_string_columns_get_no_parse_check() -> None:
    spec = spec_for(good_table(5), "csv")
    keys = {c.key for c in row_checks(spec, "csv")}
    # dob is nulled (withheld); record_id and lic_type are strings.
    assert {k for k in keys if k.startswith("parseable:")} == {
        "parseable:issued",
        "parseable:points",
    }
    assert not any(k.startswith("parseable:") for k in (c.key for c in row_checks(spec, "parquet")))


@pytest.mark.parametrize("declared", sorted(PARSEABLE))
def test_parse_pattern_stays_in_re2(declared: str) -> None:
    # pandas 3.1 sends \s (always) and \d, \w, \b (on non-ASCII data) through Python's re
    # value by value; the parse patterns avoid them so they run in Arrow at full speed.
    import pandas as pd

    arr = pd.array(["José", "2024-01-01"], dtype="str")
    needs_python = getattr(arr, "_needs_python_regex", None)
    if needs_python is None:
        pytest.skip("this pandas has no _needs_python_regex")
    assert needs_python(PARSEABLE[declared]) is False
