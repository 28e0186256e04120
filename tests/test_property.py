"""The central rule, for generated extracts: with no exception, no protected value
survives in the output, whatever the column names, values and their mix."""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redaction.policy import load_policy
from redaction.release import ReleaseOptions, release

POLICY = load_policy()

PROTECTED_NAMES = [
    "citizenship_status",
    "CTZN_STS_CD",
    "A_NUMBER",
    "alienRegNo",
    "visa class",
    "I94_ADM_NO",
    "uscis_receipt",
    "save_case_no",
    "Country of Birth",
    "POB_CNTRY",
    "passport_country",
    "DOC_PRES_TYP",
    "lawful_presence_verified",
    "limited_term",
    "itin",
    "real_id_compliant",
]
PLAIN_NAMES = ["driver_id", "city", "zip", "ref_no", "other_id_3", "make", "county"]
IDENTIFIERS = st.one_of(
    st.from_regex(r"A\d{9}", fullmatch=True),
    st.from_regex(r"A-\d{3}-\d{3}-\d{3}", fullmatch=True),
    st.from_regex(r"(EAC|WAC|LIN|IOE)\d{10}", fullmatch=True),
    st.from_regex(r"\d{13}[A-Z]{2}", fullmatch=True),
    st.from_regex(r"\d{9}[A-Z]\d", fullmatch=True),
)
PLAIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 -", max_size=12)
IDENT_RX = re.compile(
    r"\bA-?\d{3}-?\d{3}-?\d{3}\b|\b(?:EAC|WAC|LIN|IOE)\d{10}\b|\b\d{13}[A-Z]{2}\b|\b\d{9}[A-Z]\d\b"
)


@st.composite
def extracts(draw):
    protected = draw(
        st.lists(st.sampled_from(PROTECTED_NAMES), min_size=1, max_size=5, unique=True)
    )
    plain = draw(st.lists(st.sampled_from(PLAIN_NAMES), min_size=1, max_size=4, unique=True))
    names = draw(st.permutations(protected + plain))
    n = draw(st.integers(min_value=1, max_value=40))
    # Identifiers may hide in any column, protected or not.
    cell = st.one_of(PLAIN, IDENTIFIERS)
    rows = [[draw(cell) for _ in names] for _ in range(n)]
    return names, protected, rows


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(extracts())
def test_no_protected_value_survives(extract):
    names, protected, rows = extract
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "x.csv"
        with src.open("w", newline="") as f:
            w = csv.writer(f)
            w.writerow(names)
            w.writerows(rows)
        result = release(src, ReleaseOptions(recipient="R", outbox=Path(d) / "out", validate=False))
        with result.output.open(newline="") as f:
            out = list(csv.reader(f))
    assert out[0] == names
    body = out[1:]
    assert len(body) == len(rows)
    for j, name in enumerate(names):
        column = [r[j] for r in body]
        if name in protected and result.plan.decision(name).action == "null":
            assert all(v == "" for v in column), name
        for v in column:
            assert not IDENT_RX.search(v), f"an identifier survived in {name}"
