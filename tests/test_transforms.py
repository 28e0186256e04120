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
        params={"values": ("SB251", "RCSA"), "to": "STANDARD"},
    )
    arr = pa.array(["SB251", "sb-251", " SB 251 ", "RCSA", "CDL", "STANDARD", None])
    out, changed = transforms.get("generalize")(arr, d)
    assert out.to_pylist() == ["STANDARD"] * 4 + ["CDL", "STANDARD", None]
    assert changed == 4
    assert out.type == arr.type


def test_generalize_keeps_dictionary_type():
    d = ColumnDecision("t", "generalize", None, "", params={"values": ("SB251",), "to": "STANDARD"})
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
