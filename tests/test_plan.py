from dataclasses import dataclass

import pyarrow as pa
import pytest

from redaction.plan import plan
from redaction.policy import load_contract, load_policy
from redaction.profile import ColumnProfile

POLICY = load_policy()


@dataclass(frozen=True)
class Exc:
    id: str
    categories: frozenset[str]


def _schema(*names, t=pa.string()):
    return pa.schema([pa.field(n, t) for n in names])


def test_contract_undeclared_column_is_withheld_and_said():
    contract = load_contract("dmv_vehicles", POLICY)
    schema = pa.schema(
        [*(pa.field(c.name, pa.string()) for c in contract.columns), ("extra_col", pa.string())]
    )
    p = plan(schema, None, POLICY, contract)
    d = p.decision("extra_col")
    assert d.action == "null"
    assert d.evidence[0].rule == "contract:undeclared"
    assert "not declared" in d.reason


def test_contract_releasable_but_name_is_protected_is_withheld(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        "dataset: c\ntitle: t\ncolumns:\n  - {name: a_number, type: string, category: releasable}\n"
    )
    from redaction.policy import load_contract as lc

    p = plan(_schema("a_number"), None, POLICY, lc(path, POLICY))
    assert p.decision("a_number").action == "null"
    assert p.decision("a_number").category == "a_number"


def test_no_contract_names_decide():
    p = plan(_schema("driver_id", "citizenship_status", "notes"), {}, POLICY)
    assert [d.action for d in p.decisions] == ["release", "null", "scrub"]
    assert p.decision("citizenship_status").evidence[0].rule == "name:citizenship_status"


def test_no_contract_values_decide_under_a_generic_name():
    prof = {"OTHER_ID_3": ColumnProfile(scanned=1000, hits={"a_number": 900})}
    d = plan(_schema("OTHER_ID_3"), prof, POLICY).decision("OTHER_ID_3")
    assert (d.action, d.category) == ("null", "a_number")
    ev = next(e for e in d.evidence if e.rule == "value:a_number")
    assert (ev.matched, ev.scanned) == (900, 1000)


def test_weak_detector_below_its_share_does_not_classify():
    prof = {"ref_no": ColumnProfile(scanned=1000, hits={"i94_number_legacy": 10})}
    assert plan(_schema("ref_no"), prof, POLICY).decision("ref_no").action == "release"


def test_free_text_with_mentions_is_scrubbed():
    prof = {"remarks_2": ColumnProfile(scanned=100, hits={"mention": 5}, wordy=90)}
    # "remarks" is a notes name; use a generic one
    prof["col_x"] = prof.pop("remarks_2")
    d = plan(_schema("col_x"), prof, POLICY).decision("col_x")
    assert (d.action, d.category) == ("scrub", "status_notes")


def test_exception_releases_only_its_categories():
    exc = Exc("EX-7", frozenset({"a_number"}))
    p = plan(_schema("a_number", "visa_class"), {}, POLICY, exception=exc)
    assert p.decision("a_number").action == "release"
    assert "EX-7" in p.decision("a_number").reason
    assert not p.decision("a_number").guarded  # holds A-numbers by design
    assert p.decision("visa_class").action == "null"
    assert p.exception_id == "EX-7"


def test_generalize_on_a_boolean_column_becomes_null():
    p = plan(_schema("license_type", t=pa.bool_()), {}, POLICY)
    assert p.decision("license_type").action == "null"


def test_output_schema_drops_only_dropped_columns():
    p = plan(_schema("a", "citizenship_status"), {}, POLICY)
    assert p.output_schema == _schema("a", "citizenship_status")


def test_streaming_withhold_overrides_release():
    p = plan(_schema("ref"), {}, POLICY, withhold={"ref": "guard:a_number"})
    assert p.decision("ref").action == "null"


@pytest.mark.parametrize("dataset", ["dmv_drivers", "dmv_vehicles"])
def test_every_column_gets_an_action_and_a_reason(dataset):
    contract = load_contract(dataset, POLICY)
    schema = pa.schema([pa.field(c.name, pa.string()) for c in contract.columns])
    for d in plan(schema, None, POLICY, contract).decisions:
        assert d.action and d.reason


# ------------------------------------------------ value thresholds and look-alikes (issue 4)


@pytest.mark.parametrize(
    ("prof", "action", "rule"),
    [
        # most values are A-numbers: the column is withheld whole
        (ColumnProfile(scanned=1000, hits={"a_number": 600}, siblings={"a_number": 600}),
         "null", "value:a_number"),
        # a few A-number look-alikes under the threshold: kept, those values scrubbed
        (ColumnProfile(scanned=10000, hits={"a_number": 5}, siblings={"a_number": 5}),
         "scrub", "chance:a_number"),
        # letter+8 digits with every letter: the "A" ones are chance matches
        (ColumnProfile(scanned=1000, hits={"a_number": 40}, siblings={"a_number": 1000}),
         "scrub", "chance:a_number"),
        # a weak detector under its share: released, not even scrubbed
        (ColumnProfile(scanned=1000, hits={"itin_undashed": 20}), "release", "default"),
        # a revealing code anywhere: no threshold
        # A credential code with no contract allowlist of neutral values: withheld whole.
        (ColumnProfile(scanned=10000, hits={"sb251_code": 1}), "null", "value:sb251_code"),
        # a limited-term marking under a generic name: the column is nulled
        (ColumnProfile(scanned=100, hits={"limited_term_code": 3}), "null",
         "value:limited_term_code"),
    ],
)  # fmt: skip
def test_value_threshold_and_plausibility(prof, action, rule):
    d = plan(_schema("OTHER_ID_3"), {"OTHER_ID_3": prof}, POLICY).decision("OTHER_ID_3")
    assert d.action == action
    ev = [e for e in d.evidence if e.rule == rule]
    assert ev, [e.rule for e in d.evidence]
    if rule != "default":  # the plan says which detector fired on how many values
        assert (ev[0].matched, ev[0].scanned) == (prof.hits[rule.split(":")[1]], prof.scanned)


NESTED = pa.schema(
    [
        ("id", pa.string()),
        (
            "status",
            pa.struct(
                [("citizenship", pa.string()), ("visa", pa.struct([("admission_no", pa.string())]))]
            ),
        ),
        ("documents", pa.list_(pa.struct([("kind", pa.string()), ("pages", pa.int64())]))),
        ("comments", pa.list_(pa.struct([("author", pa.string()), ("body", pa.string())]))),
        ("vehicle", pa.struct([("make", pa.string()), ("route_i94_mile", pa.string())])),
    ]
)


@pytest.mark.parametrize(
    ("column", "action", "leaves"),
    [
        # every leaf protected: the column is nulled
        ("status", "null", {"status.citizenship": "null", "status.visa.admission_no": "null"}),
        # one leaf protected: that leaf is withheld, the rest kept
        ("documents", "scrub", {"documents[].kind": "null", "documents[].pages": "release"}),
        # a notes list: text leaves scrubbed
        ("comments", "scrub", {"comments[].body": "scrub", "comments[].author": "scrub"}),
        # look-alikes only: released, every leaf released
        ("vehicle", "release", {"vehicle.make": "release", "vehicle.route_i94_mile": "release"}),
    ],
)
def test_nested_columns_get_one_decision_per_leaf(column, action, leaves):
    d = plan(NESTED, {}, POLICY).decision(column)
    assert d.action == action
    assert {leaf.column: leaf.action for leaf in d.leaves} == leaves


def test_nested_leaf_classified_by_values():
    prof = {"vehicle.make": ColumnProfile(scanned=100, hits={"a_number": 90})}
    d = plan(NESTED, prof, POLICY).decision("vehicle")
    assert {leaf.column: leaf.action for leaf in d.leaves}["vehicle.make"] == "null"
    assert d.to_dict()["leaves"][0]["column"] == "vehicle.make"


@pytest.mark.parametrize(
    ("value", "out"),
    [
        ("SB-251", None),  # an SB13-251 code
        ("Limited-Term", None),  # a limited-term marking, any case or separator
        ("TEMPORARY VISITOR", None),
        ("CDL", None),  # an ordinary credential type too: the column is withheld whole
    ],
)
def test_credential_type_without_a_contract_is_withheld_whole(value, out):
    from redaction import transforms

    d = plan(_schema("LIC_TYP_IND"), {}, POLICY).decision("LIC_TYP_IND")
    assert d.action == "null"
    got, _ = transforms.get(d.action)(pa.array([value]), d)
    assert got.to_pylist() == [out]
