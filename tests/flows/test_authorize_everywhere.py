"""Every profile's exception rules hold on every entry point: a single-file release, a
partitioned release, the batch flow and the partitioned (Dask) flow refuse or publish
the same release, for the same reason, with the same columns withheld.

The outcome is read where an operator reads it: the ledger entries the run added and
the outbox. New York lets an immigration-enforcement agency receive records only on a
court order; Colorado and California have no such rule, so there the same exceptions
publish.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import yaml
from prefect.task_runners import ThreadPoolTaskRunner

from redaction.disclosure.lawful import grant_exception
from redaction.disclosure.requests import decide_request, receive_request
from redaction.errors import RedactionError
from redaction.ledger import Ledger
from redaction.policy import load_policy

pytestmark = pytest.mark.prefect

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dmv_drivers.parquet"
PROFILES = ("colorado", "california", "new_york")
ICE = "U.S. Immigration and Customs Enforcement"
POLICE = "Denver Police Department"
# (recipient, basis) of the exception each case grants; each profile runs every case.
CASES = (
    (POLICE, "criminal_law_enforcement"),  # no profile limits an ordinary police request
    (ICE, "criminal_law_enforcement"),  # New York: an immigration agency needs a court order
    (ICE, "court_order"),  # ...and with one it receives what the exception covers
)
TODAY = date.today()


def _grant(ledger_url: str, folder: Path, recipient: str, basis: str) -> str:
    doc = folder / "request.pdf"
    doc.write_bytes(b"%PDF- a written request")
    with Ledger.open(ledger_url) as ledger:
        req = receive_request(
            ledger,
            requester="Agent",
            agency=recipient,
            received_on=TODAY,
            purpose="court_proceeding" if basis == "court_order" else "criminal_investigation",
            categories=["a_number"],
            document=doc,
        )
        decide_request(ledger, req.id, decision="grant", reason="on file", decided_by="Counsel")
        return grant_exception(
            ledger,
            request_id=req.id,
            recipient=recipient,
            basis=basis,
            categories=["a_number"],
            valid_from=TODAY - timedelta(days=1),
            valid_to=TODAY + timedelta(days=30),
            authorized_by="Counsel",
        ).id


def _parts(folder: Path) -> Path:
    table = pq.read_table(SAMPLE)
    folder.mkdir(parents=True)
    half = -(-table.num_rows // 2)
    for i in range(2):
        pq.write_table(table.slice(i * half, half), folder / f"part-{i}.parquet")
    return folder


def _outcome(ledger_url: str, since: int, outbox: Path) -> dict[str, Any]:
    """What a run left: refusal reasons, the release's withheld columns, the outbox."""
    with Ledger.open(ledger_url) as ledger:
        new = [e for e in ledger.entries() if e.seq > since]
    intents = [e.payload for e in new if e.kind == "release.intent"]
    return {
        "refusals": [e.payload["reason_code"] for e in new if e.kind == "refusal"],
        "withheld": sorted(
            (c["column"], c["category"], c["action"]) for i in intents for c in i["columns"]
        ),
        "exception_used": [i["exception_id"] is not None for i in intents],
        "published": outbox.exists() and any(outbox.iterdir()),
    }


def _last_seq(ledger_url: str) -> int:
    with Ledger.open(ledger_url) as ledger:
        return max((e.seq for e in ledger.entries()), default=0)


def _run_single(exc: str, recipient: str, profile: str, ledger_url: str, out: Path) -> None:
    from redaction.release import ReleaseOptions, release

    options = ReleaseOptions(
        recipient=recipient,
        outbox=out,
        dataset="dmv_drivers",
        exception_id=exc,
        profile=profile,
        validate=False,
        ledger_url=ledger_url,
    )
    release(SAMPLE, options)


def _run_partitioned(exc: str, recipient: str, profile: str, ledger_url: str, out: Path) -> None:
    from redaction.partitioned import release_partitioned
    from redaction.release import ReleaseOptions

    options = ReleaseOptions(
        recipient=recipient,
        outbox=out,
        dataset="dmv_drivers",
        exception_id=exc,
        profile=profile,
        validate=False,
        ledger_url=ledger_url,
    )
    release_partitioned(_parts(out.parent / f"{out.name}-in" / "dmv_drivers"), options)


def _run_batch_flow(exc: str, recipient: str, profile: str, ledger_url: str, out: Path) -> None:
    from flows.batch import release_batch

    manifest = out.parent / f"{out.name}.yaml"
    entry = {
        "source": str(SAMPLE),
        "dataset": "dmv_drivers",
        "recipient": recipient,
        "exception": exc,
        "outbox": str(out),
        "validate": False,
    }
    manifest.write_text(yaml.safe_dump({"extracts": [entry]}), encoding="utf-8")
    release_batch(manifest=str(manifest), ledger_url=ledger_url, profile=profile, return_state=True)


def _run_dask_flow(exc: str, recipient: str, profile: str, ledger_url: str, out: Path) -> None:
    from flows.partitioned import dask_runner, with_runner

    # The rule under test lives in New York's profile: there the flow runs on a real
    # Dask cluster; elsewhere on threads, to keep the suite short (same flow, same tasks).
    runner = dask_runner(n_workers=1) if profile == "new_york" else ThreadPoolTaskRunner(2)
    with_runner(runner)(
        source=str(_parts(out.parent / f"{out.name}-in" / "dmv_drivers")),
        recipient=recipient,
        outbox=str(out),
        dataset="dmv_drivers",
        exception_id=exc,
        ledger_url=ledger_url,
        profile=profile,
        validate=False,
        return_state=True,
    )


ENTRY_POINTS = {
    "single": _run_single,
    "partitioned": _run_partitioned,
    "batch flow": _run_batch_flow,
    "dask flow": _run_dask_flow,
}


def _barred(profile: str, recipient: str, basis: str) -> bool:
    """What the profile's own rules say, read from the profile, not restated here."""
    rules = load_policy(profile=profile).exceptions
    words = re.findall(r"\w+", recipient.casefold())
    agency = any(
        re.findall(r"\w+", a.casefold()) == words[i : i + len(a.split())]
        for a in rules.immigration_agencies
        for i in range(len(words))
    )
    return agency and basis not in rules.immigration_agency_bases


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(("recipient", "basis"), CASES)
def test_every_entry_point_enforces_the_profile_alike(
    prefect_server, ledger_url, tmp_path, profile, recipient, basis
):
    exc = _grant(ledger_url, tmp_path, recipient, basis)
    outcomes = {}
    for name, run in ENTRY_POINTS.items():
        since = _last_seq(ledger_url)
        out = tmp_path / name.replace(" ", "-")
        # The library entry points raise the refusal; the flows end Failed.
        with contextlib.suppress(RedactionError):
            run(exc, recipient, profile, ledger_url, out)
        outcomes[name] = _outcome(ledger_url, since, out)

    if _barred(profile, recipient, basis):
        expected = {
            "refusals": ["basis_not_allowed"],
            "withheld": [],
            "exception_used": [],
            "published": False,
        }
        assert outcomes["single"] == expected
    else:
        single = outcomes["single"]
        assert single["published"] and single["refusals"] == [] and single["exception_used"]
        # the exception's category is released, not withheld
        assert "a_number" not in {c[0] for c in single["withheld"]}
    for name, got in outcomes.items():
        assert got == outcomes["single"], name


def test_new_york_rule_is_exercised():
    """The matrix above would prove nothing if no profile had a rule to enforce."""
    assert _barred("new_york", ICE, "criminal_law_enforcement")
    assert not _barred("new_york", ICE, "court_order")
    assert not _barred("colorado", ICE, "criminal_law_enforcement")
    assert not _barred("new_york", POLICE, "criminal_law_enforcement")  # "ice" in "police"
