"""The policy pack: a user's own schemas folder layers on the shipped one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import REPO, SAMPLES, redact

from redaction import pack
from redaction.policy import known_datasets, load_contract, load_policy


@pytest.fixture
def user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "mine"
    (folder / "datasets").mkdir(parents=True)
    monkeypatch.setenv("REDACT_SCHEMAS", str(folder))
    return folder


def test_a_user_contract_sits_beside_the_shipped_ones(user):
    shutil.copy(REPO / "schemas/datasets/dmv_vehicles.yaml", user / "datasets/fleet.yaml")
    text = (user / "datasets/fleet.yaml").read_text().replace("dmv_vehicles", "fleet", 1)
    (user / "datasets/fleet.yaml").write_text(text)
    assert {"dmv_drivers", "dmv_vehicles", "fleet"} <= set(known_datasets())
    policy = load_policy()  # no policy.yaml of the user's: the shipped one
    assert policy.profile == "colorado"
    assert load_contract("fleet", policy).dataset == "fleet"


def test_a_user_file_shadows_the_shipped_file_of_the_same_path(user):
    shipped = (REPO / "schemas/datasets/dmv_drivers.yaml").read_text()
    (user / "datasets/dmv_drivers.yaml").write_text(shipped.replace("title:", "title: Ours -", 1))
    contract = load_contract("dmv_drivers", load_policy())
    assert contract.title.startswith("Ours -")


def test_a_user_policy_extending_colorado_layers_on_the_shipped_policy(user):
    (user / "policy.yaml").write_text(
        "extends: colorado\nprofile: agency\ntitle: Our agency\nmentions: ['tarjeta verde']\n"
    )
    policy = load_policy()
    shipped = load_policy(REPO / "schemas/policy.yaml")
    assert policy.profile == "agency"
    assert policy.categories == shipped.categories
    assert policy.mentions == (*shipped.mentions, "tarjeta verde")


def test_the_cwd_schemas_folder_is_layered_when_no_variable_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv("REDACT_SCHEMAS")
    (tmp_path / "schemas" / "profiles").mkdir(parents=True)
    (tmp_path / "schemas/profiles/ours.yaml").write_text(
        "extends: colorado\nprofile: ours\ntitle: Ours\n"
    )
    assert pack.layers()[0] == (tmp_path / "schemas").resolve()
    assert load_policy(profile="ours").profile == "ours"
    assert load_policy(profile="california").profile == "california"  # shipped


def test_a_mistyped_schemas_folder_fails_instead_of_falling_back(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACT_SCHEMAS", str(tmp_path / "no-such-folder"))
    run = redact("plan", SAMPLES / "dmv_drivers.csv", "--dataset", "dmv_drivers")
    assert run.code == 2
    assert "REDACT_SCHEMAS" in run.err and "not a directory" in run.err
