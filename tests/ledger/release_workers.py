"""Concurrent releases into one ledger (issue 15), shared by the CI test and
``bench/faults.py``: workers release real extracts with ``redaction.release`` in spawned
processes, and :func:`check` holds the ledger and the outbox to each other."""

from __future__ import annotations

import multiprocessing as mp
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redaction.errors import RedactionError
from redaction.ledger import Ledger
from redaction.ledger.reconcile import sha256_file

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "dmv_drivers.csv"


def _release(url: str, src: Path, outbox: Path) -> tuple[str, int, str]:
    """One release without --overwrite: ("published", 0, sha) or ("refused", code, reason)."""
    from redaction.release import ReleaseOptions, release

    opts = ReleaseOptions(
        recipient="Acme Insurance", outbox=outbox, dataset="dmv_drivers", ledger_url=url,
        validate=False,
    )  # fmt: skip
    try:
        result = release(src, opts)
    except RedactionError as exc:
        return ("refused", int(exc.exit_code), exc.reason)
    return ("published", 0, result.output_sha256)


def _worker(url: str, sources: list[Path], outbox: Path, barrier: Any, out: Any) -> None:
    barrier.wait(timeout=120)
    for src in sources:
        out.put((src.name, *_release(url, src, outbox)))


def run_concurrent(
    url: str, work: Path, outbox: Path, workers: int, each: int, *, same_name: bool = False
) -> list[tuple[str, str, int, str]]:
    """``workers`` processes, each releasing ``each`` extracts, started at once.
    With ``same_name`` every worker releases its own copy of one extract under one
    output name. Returns (name, outcome, exit code, sha or reason) per release."""
    # Spawned, not forked: a test session holds threads (a Prefect server, GX), and a
    # child forked while one of them holds a lock waits for it forever.
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(workers), ctx.Queue()
    jobs = []
    for w in range(workers):
        folder = work / f"w{w}"
        folder.mkdir(parents=True, exist_ok=True)
        names = ["same.csv"] if same_name else [f"w{w}_{i:03d}.csv" for i in range(each)]
        for name in names:
            lines = SAMPLE.read_text().splitlines(keepends=True)
            # every copy differs (one record left out), so hashes tell the files apart
            (folder / name).write_text(
                "".join(lines[: 1 + w % (len(lines) - 2)] + lines[2 + w % (len(lines) - 2) :])
            )
        jobs.append([folder / n for n in names])
    procs = [ctx.Process(target=_worker, args=(url, j, outbox, barrier, out)) for j in jobs]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for j in jobs for _ in j]
    for p in procs:
        p.join(timeout=60)
    return results


@dataclass
class Checked:
    published: int = 0
    refused: int = 0
    entries: int = 0
    problems: list[str] = field(default_factory=list)


def check(url: str, outbox: Path, results: list[tuple[str, str, int, str]]) -> Checked:
    """The chain verifies; every release has one intent and one finish; every published
    file is the bytes its published entry names; refusals are clean (exit 2, exists)."""
    c = Checked()
    with Ledger.open(url) as ledger:
        v = ledger.verify()
        if not v.ok:
            c.problems.append(f"verify: {v.summary()}")
        entries = ledger.entries(kinds=["release.intent", "release.finish"])
        c.entries = v.entries
    intents = {e.seq: e.payload for e in entries if e.kind == "release.intent"}
    finishes = [e.payload for e in entries if e.kind == "release.finish"]
    by_intent: dict[int, list[dict[str, Any]]] = {}
    for f in finishes:
        by_intent.setdefault(f["intent_seq"], []).append(f)
    if set(by_intent) != set(intents) or any(len(v) != 1 for v in by_intent.values()):
        c.problems.append(f"{len(intents)} intents, {len(finishes)} finishes: not one each")
    published: dict[str, list[str]] = {}
    for seq, f in ((s, fs[0]) for s, fs in by_intent.items()):
        if f["outcome"] == "published" and seq in intents:
            published.setdefault(intents[seq]["output_name"], []).append(f["output_sha256"])
    for name, outcome, code, detail in results:
        if outcome == "published":
            c.published += 1
        elif code == 2 and detail == "output_exists":
            c.refused += 1
        else:
            c.problems.append(f"{name}: exit {code} ({detail})")
    if sum(len(v) for v in published.values()) != c.published:
        c.problems.append(f"{c.published} releases published, ledger says {published}")
    files = {p.name: p for p in outbox.iterdir() if p.is_file() and not p.name.startswith(".")}
    for name, shas in published.items():
        if len(shas) != 1:
            c.problems.append(f"{name}: {len(shas)} published entries for one file")
        if name not in files:
            c.problems.append(f"{name}: published in the ledger, not in the outbox")
        elif sha256_file(files[name]) not in shas[-1:]:
            c.problems.append(f"{name}: the file is not the bytes its entry names")
    for name in set(files) - set(published):
        c.problems.append(f"{name}: in the outbox, no published entry")
    return c


def reset(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
