from pathlib import Path

import pytest

from redaction.errors import ConfigErrors, PolicyError, UsageError
from redaction.policy import load_contract, load_policy

BAD_POLICY = """
profile: broken
title: t
version: 1
basis: b
marker: "[WITHHELD]"
detectors:
  - {id: d1, description: x, kind: regex, pattern: 'A\\d+', strength: strong, min_share: 0}
mentions: ['x']
categories:
  - {id: c1, title: t, basis: b, action: nul, names: ['a']}
  - {id: c2, title: t, basis: b, action: "null", detectors: [nope]}
  - {id: c3, title: t, basis: b, action: "null", surprise: 1}
"""


def test_default_policy_declares_every_directive_category():
    policy = load_policy()
    assert policy.profile == "colorado"
    assert set(policy.category_ids) >= {
        "citizenship_status",
        "immigration_status",
        "a_number",
        "visa_class",
        "i94_number",
        "uscis_receipt_number",
        "save_verification",
        "country_of_birth",
        "passport_country",
        "identity_document",
        "sb251_credential",
        "limited_term_credential",
        "itin",
        "status_notes",
    }
    for c in policy.categories:
        assert c.basis.strip(), f"{c.id} has no legal basis"
        assert c.names or c.detectors, f"{c.id} has no way to be recognised"


def test_three_mistakes_are_reported_together_with_file_and_key_path(tmp_path: Path):
    path = tmp_path / "policy.yaml"
    path.write_text(BAD_POLICY)
    with pytest.raises(ConfigErrors) as err:
        load_policy(path)
    text = str(err.value)
    assert "categories[0].action" in text and "'drop', 'null', 'scrub' or 'generalize'" in text
    assert "categories[2].surprise" in text
    assert "categories[1].detectors[0]: unknown detector 'nope' (known: d1)" in text
    assert str(path) in text
    assert len(err.value.problems) == 3


def test_bad_yaml_names_the_line(tmp_path: Path):
    path = tmp_path / "policy.yaml"
    path.write_text("profile: [unclosed\n")
    with pytest.raises(ConfigErrors, match="line"):
        load_policy(path)


def test_unknown_dataset_lists_known_ones():
    with pytest.raises(PolicyError) as err:
        load_contract("dmv_nope", load_policy())
    assert err.value.reason == "unknown_dataset"
    assert "dmv_drivers" in str(err.value)


def test_unknown_profile_is_a_usage_error():
    with pytest.raises(UsageError, match="known profiles"):
        load_policy(profile="atlantis")


def test_contract_problems_are_collected(tmp_path: Path):
    path = tmp_path / "c.yaml"
    path.write_text(
        "dataset: x\ntitle: t\nkey: [missing]\ncolumns:\n"
        "  - {name: a, type: string, category: releasable}\n"
        "  - {name: a, type: string, category: not_a_category}\n"
    )
    with pytest.raises(ConfigErrors) as err:
        load_contract(path, load_policy())
    assert len(err.value.problems) == 3
    assert any("duplicate column 'a'" in p for p in err.value.problems)
    assert any("'not_a_category'" in p for p in err.value.problems)
    assert any("key: 'missing'" in p for p in err.value.problems)


def test_shipped_contracts_load():
    policy = load_policy()
    for name in ("dmv_drivers", "dmv_vehicles"):
        assert load_contract(name, policy).dataset == name
