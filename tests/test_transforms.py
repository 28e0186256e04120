import datetime as dt

import pyarrow as pa
import pytest

from redaction import transforms
from redaction.plan import plan, scrub_pattern
from redaction.plan_model import ColumnDecision
from redaction.policy import load_policy

POLICY = load_policy()


@pytest.mark.parametrize(
    "arr",
    [
        pa.array(["x", None, ""]),
        pa.array([1, 2, None], pa.int64()),
        pa.array([dt.date(2020, 1, 1), None, None], pa.date32()),
        pa.array(["a", "b", "a"]).dictionary_encode(),
        pa.array([True, False, None]),
        pa.array(["x", "y", "z"], pa.large_string()),
    ],
)
def test_null_keeps_column_type(arr):
    out, changed = transforms.get("null")(arr, ColumnDecision("c", "null", None, ""))
    assert out.type == arr.type
    assert out.null_count == len(arr)
    assert changed == len(arr) - arr.null_count


def test_drop_removes_the_column_from_the_batch():
    batch = pa.record_batch({"a": ["1"], "citizenship_status": ["LPR"]})
    p = plan(batch.schema, {}, POLICY)
    p = type(p)(
        p.source_schema,
        (p.decisions[0], ColumnDecision("citizenship_status", "drop", "citizenship_status", "")),
        p.policy_id,
    )
    out, counts = transforms.apply(p, batch)
    assert out.schema.names == ["a"]
    assert counts == {"citizenship_status": 1}


def test_scrub_replaces_mentions_and_keeps_the_rest():
    d = ColumnDecision(
        "notes",
        "scrub",
        "status_notes",
        "",
        params={"pattern": scrub_pattern(POLICY), "marker": "[WITHHELD]"},
    )
    arr = pa.array(
        [
            "Renewed by mail",
            "Customer is undocumented, moved to Aurora",
            "A-number A123456789 on file",
            None,
        ]
    )
    out, changed = transforms.get("scrub")(arr, d)
    assert out.to_pylist() == [
        "Renewed by mail",
        "Customer is [WITHHELD], moved to Aurora",
        "[WITHHELD] [WITHHELD] on file",
        None,
    ]
    assert changed == 2


def test_generalize_maps_every_spelling_and_keeps_others():
    d = ColumnDecision(
        "license_type",
        "generalize",
        "sb251_credential",
        "",
        params={"values": ("SB251", "RCSA"), "to": "STANDARD", "keep": ("STANDARD", "CDL")},
    )
    # An allowlist: the neutral values pass, every other value (listed or never seen,
    # "NEW-CODE") becomes STANDARD, so a mapped value reads like an unmapped one.
    arr = pa.array(["SB251", "sb-251", " SB 251 ", "RCSA", "NEW-CODE", "CDL", "STANDARD", None])
    out, changed = transforms.get("generalize")(arr, d)
    assert out.to_pylist() == ["STANDARD"] * 5 + ["CDL", "STANDARD", None]
    assert changed == 5
    assert out.type == arr.type


def test_generalize_keeps_dictionary_type():
    d = ColumnDecision(
        "t",
        "generalize",
        None,
        "",
        params={"values": ("SB251",), "to": "STANDARD", "keep": ("CDL",)},
    )
    arr = pa.array(["SB251", "CDL"]).dictionary_encode()
    out, _ = transforms.get("generalize")(arr, d)
    assert pa.types.is_dictionary(out.type)
    assert out.to_pylist() == ["STANDARD", "CDL"]


def test_unknown_transform_lists_known_ones():
    with pytest.raises(KeyError, match="known: drop, generalize, null, release, scrub"):
        transforms.get("nul")


def test_apply_does_not_touch_the_input_batch():
    batch = pa.record_batch({"citizenship_status": ["LPR", "US_CITIZEN"]})
    before = batch.to_pylist()
    transforms.apply(plan(batch.schema, {}, POLICY), batch)
    assert batch.to_pylist() == before


# ------------------------------------------------------------------ nested (issue 4)

from redaction.nested import leaf_rows, rebuild  # noqa: E402
from redaction.plan_model import Plan  # noqa: E402

REC = pa.struct([("kind", pa.string()), ("pages", pa.int64())])
DOCS = pa.array(
    [
        [{"kind": "FOREIGN PASSPORT", "pages": 2}],
        None,  # a null list
        [],  # an empty list
        [{"kind": "EAD", "pages": 1}, {"kind": None, "pages": None}],
    ],
    pa.list_(REC),
)
STATUS = pa.array(
    [
        {"citizenship": "LPR", "note": "x"},
        None,
        {"citizenship": None, "note": "y"},
        {"citizenship": "C", "note": "z"},
    ],
    pa.struct([("citizenship", pa.string()), ("note", pa.string())]),
)


def _nested_plan(arr: pa.Array, name: str) -> Plan:
    return plan(pa.schema([(name, arr.type)]), {}, POLICY)


@pytest.mark.parametrize(
    ("name", "arr", "sliced", "expected"),
    [
        # a leaf of list elements nulled: lists, nulls and other leaves kept
        ("documents", DOCS, False,
         [[{"kind": None, "pages": 2}], None, [], [{"kind": None, "pages": 1}, {"kind": None, "pages": None}]]),  # noqa: E501
        # the same from a slice (offsets not starting at zero)
        ("documents", DOCS, True,
         [[], [{"kind": None, "pages": 1}, {"kind": None, "pages": None}]]),
        # a struct leaf nulled, a null struct stays null
        ("immigration", STATUS, False,
         None),
    ],
)  # fmt: skip
def test_nested_withholding_keeps_the_record_and_schema(name, arr, sliced, expected):
    batch = pa.RecordBatch.from_arrays([arr], names=[name])
    if sliced:
        batch = batch.slice(2)
    p = _nested_plan(arr, name)
    out, counts = transforms.apply(p, batch)
    assert out.schema == batch.schema  # typed nulls inside, same type
    if expected is None:  # "immigration.*": every leaf protected: the column is nulled
        assert out.column(0).null_count == len(out)
    else:
        assert out.column(0).to_pylist() == expected
        assert counts[name] == sum(
            v is not None
            for v in pa.array(arr.to_pylist()[2 if sliced else 0 :], arr.type)
            .flatten()
            .field("kind")
            .to_pylist()
        )


def test_nested_released_text_leaf_is_guarded():
    from redaction.errors import GuardHit

    arr = pa.array(
        [{"make": "Ford", "ref_x": "A123456789"}],
        pa.struct([("make", pa.string()), ("ref_x", pa.string())]),
    )
    p = plan(pa.schema([("vehicle", arr.type)]), {}, POLICY)  # no profile: released
    assert p.decision("vehicle").action == "release"
    with pytest.raises(GuardHit) as e:
        transforms.apply(p, pa.RecordBatch.from_arrays([arr], names=["vehicle"]))
    assert "vehicle.ref_x" in str(e.value) and "A123456789" not in str(e.value)


def test_leaf_rows_map_list_values_to_records():
    paths = {p: rows.to_pylist() for p, _, rows in leaf_rows("documents", DOCS)}
    assert paths["documents[].kind"] == [0, 3, 3]


def test_rebuild_identity_is_equal():
    assert rebuild("documents", DOCS, lambda p, a: a).equals(DOCS)
