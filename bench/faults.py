"""Fault campaign: kill releases at random moments, fill the disk, make the outbox
read-only, and check that nothing partial is ever visible (issue 15).

    python bench/faults.py --kills 100 --rows 200000 --work /tmp/faults

Per kill: a ``redact release`` of a CSV extract (validation on) is started in a child
process and SIGKILLed after a random delay within a clean run's duration (so across
reading, writing, validating and publishing). Afterwards:

- every file under the outbox is a whole, published output (its SHA-256 is the clean
  run's), never a partial one; nothing of the run's staging is inside the outbox tree;
- the input is unchanged (same SHA-256);
- ``redact ledger verify`` passes;
- ``redact ledger reconcile --record`` explains every orphan intent (published,
  superseded or missing) and removes dead runs' staging; after it, reconcile says ok;
- a rerun (``--overwrite``) succeeds and publishes the clean run's bytes.

Then the disk faults: a release into a full tmpfs and into a read-only remount of it
(both need permission to mount; skipped and said when missing), and one under
``RLIMIT_FSIZE``: each must exit 7 with one line naming the path, and publish nothing.

Then the shared PostgreSQL ledger (a throwaway cluster, ``tests/pgcluster.py``):
``--workers`` processes (8) make ``--releases`` (200) releases at once into one ledger,
and 4 race for one output name; the chain must verify, every release have one intent
and one finish, every published file be its entry's bytes, and of the 4 exactly one
publish and three be refused (exit 2, the name exists). Last, the server is stopped
halfway through a release: exit 6 in one line, nothing published, and after a restart
the retry publishes. ``--ledger-only`` runs just this part.

Prints the figures (kills survived/tried, reconcile statuses, disk faults, concurrent
releases verified, the stopped ledger) and exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from redaction.ledger.reconcile import sha256_file

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "tests"), str(REPO / "tests" / "ledger")]
import pgcluster  # noqa: E402  (the tests' throwaway cluster)
import release_workers  # noqa: E402

DRIVERS = REPO / "sample_data" / "dmv_drivers.csv"


def make_extract(path: Path, rows: int) -> None:
    """The sample drivers repeated to ``rows`` records (ids made unique)."""
    lines = DRIVERS.read_text().splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    with path.open("w") as out:
        out.write(header)
        for i in range(rows):
            line = body[i % len(body)]
            # the first field is the record id: keep it unique across copies
            first, rest = line.split(",", 1)
            out.write(f"{first}{i // len(body):04d},{rest}")


class Campaign:
    def __init__(self, work: Path, rows: int, seed: int, validate: bool = True):
        self.work = work
        self.validate = validate
        self.rng = random.Random(seed)
        self.env = {
            **os.environ,
            "REDACT_SCHEMAS": str(REPO / "schemas"),
            "REDACT_LEDGER_URL": f"sqlite:///{work / 'ledger.sqlite3'}",
            "GX_ANALYTICS_ENABLED": "False",
            "DO_NOT_TRACK": "1",
            "XDG_STATE_HOME": str(work / "state"),
        }
        self.src = work / "drivers.csv"
        make_extract(self.src, rows)
        self.src_sha = sha256_file(self.src)
        self.outbox = work / "outbox"
        self.failures: list[str] = []

    def redact(self, *args: str, preexec=None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "redaction", *args],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.work,
            timeout=900,
            preexec_fn=preexec,
        )

    def release_args(self, outbox: Path) -> list[str]:
        return [
            "release", str(self.src), "-d", "dmv_drivers", "-r", "Acme Insurance",
            "-o", str(outbox), "--overwrite", *([] if self.validate else ["--no-validate"]),
        ]  # fmt: skip

    def fail(self, what: str) -> None:
        self.failures.append(what)
        print(f"  FAIL: {what}", flush=True)

    def clean_run(self) -> float:
        started = time.monotonic()
        run = self.redact(*self.release_args(self.outbox))
        took = time.monotonic() - started
        if run.returncode != 0:
            raise SystemExit(f"the clean run failed: {run.stderr}")
        self.out_sha = sha256_file(self.outbox / self.src.name)
        return took

    def check_outbox(self, tag: str) -> None:
        for path in self.outbox.rglob("*"):
            if path.is_file() and sha256_file(path) != self.out_sha:
                self.fail(f"{tag}: {path} is not a whole published output")
            if path.is_dir():
                self.fail(f"{tag}: a folder {path} inside the outbox")

    def kill_once(self, n: int, duration: float, statuses: collections.Counter[str]) -> bool:
        """One kill and its checks; True when every check passed. ``statuses`` counts
        reconcile's verdicts, and ``killed``/``finished`` how the child ended."""
        tag = f"kill {n}"
        # A warm run is faster than the first (ledger created, files cached): kill
        # within the fastest run seen, so most kills land inside a run.
        self.window = min(getattr(self, "window", duration), duration)
        delay = self.rng.uniform(0.05, self.window)
        proc = subprocess.Popen(
            [sys.executable, "-m", "redaction", *self.release_args(self.outbox)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=self.env,
            cwd=self.work,
        )
        time.sleep(delay)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        statuses["(killed)" if killed else "(finished before the kill)"] += 1
        before = len(self.failures)
        self.check_outbox(tag)
        if sha256_file(self.src) != self.src_sha:
            self.fail(f"{tag}: the input changed")
        verify = self.redact("ledger", "verify")
        if verify.returncode != 0:
            self.fail(f"{tag}: ledger verify exit {verify.returncode}: {verify.stderr.strip()}")
        rec = self.redact("ledger", "reconcile", "--outbox", str(self.outbox), "--record", "--json")
        if rec.returncode != 0:
            self.fail(f"{tag}: reconcile --record exit {rec.returncode}: {rec.stderr.strip()}")
        else:
            for orphan in json.loads(rec.stdout or "[]"):
                statuses[orphan["status"]] += 1
        again = self.redact("ledger", "reconcile", "--outbox", str(self.outbox))
        if again.returncode != 0:
            self.fail(f"{tag}: reconcile not ok after --record: {again.stderr.strip()}")
        started = time.monotonic()
        rerun = self.redact(*self.release_args(self.outbox))
        self.window = min(self.window, time.monotonic() - started)
        if rerun.returncode != 0:
            self.fail(f"{tag}: rerun exit {rerun.returncode}: {rerun.stderr.strip()}")
        elif sha256_file(self.outbox / self.src.name) != self.out_sha:
            self.fail(f"{tag}: the rerun published other bytes")
        print(
            f"{tag}: after {delay:.2f} s ({'killed' if killed else 'had finished'}): "
            f"{'ok' if len(self.failures) == before else 'FAILED'}",
            flush=True,
        )
        return len(self.failures) == before

    def disk_faults(self) -> list[tuple[str, str]]:
        results: list[tuple[str, str]] = []

        def expect_io(name: str, run: subprocess.CompletedProcess[str], outbox: Path) -> None:
            lines = run.stderr.strip().splitlines()
            published = outbox.exists() and any(outbox.iterdir())
            ok = run.returncode == 7 and not published and "Traceback" not in run.stderr
            results.append((name, f"exit {run.returncode}: {lines[0] if lines else ''}"))
            if not ok:
                self.fail(f"{name}: exit {run.returncode}, published={published}")

        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

        out = self.work / "outbox-fsize"
        expect_io("RLIMIT_FSIZE 1 MB", self.redact(*self.release_args(out), preexec=limit), out)

        mnt = self.work / "mnt"
        mnt.mkdir(exist_ok=True)
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True
            ).returncode
            == 0
        )
        if not mounted:
            results.append(("full tmpfs / read-only outbox", "skipped: cannot mount here"))
            return results
        try:
            out = mnt / "outbox"
            expect_io("full tmpfs (1 MB)", self.redact(*self.release_args(out)), out)
            out.mkdir(exist_ok=True)
            subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
            expect_io("read-only outbox", self.redact(*self.release_args(out)), out)
        finally:
            subprocess.run(["umount", "-l", str(mnt)], check=False)
        return results


def concurrent(work: Path, server: str, workers: int, total: int) -> list[str]:
    """``workers`` processes release ``total`` extracts into one PostgreSQL ledger, then
    4 race for one output name; returns the figures' lines (failures start FAIL)."""
    lines = []
    for label, n, each, same in (
        (f"{workers} concurrent workers", workers, total // workers, False),
        ("4 releases to one output name", 4, 1, True),
    ):
        url = pgcluster.fresh_database(server)
        root = work / f"concurrent-{n}-{int(same)}"
        release_workers.reset(root)
        started = time.monotonic()
        results = release_workers.run_concurrent(
            url, root / "src", root / "outbox", n, each, same_name=same
        )
        c = release_workers.check(url, root / "outbox", results)
        took = time.monotonic() - started
        lines.append(
            f"{label}: {len(results)} releases in {took:.1f} s, {c.published} published and "
            f"verified, {c.refused} refused (exists), {c.entries} ledger entries, "
            f"{len(c.problems)} problems"
        )
        lines += [f"FAIL {label}: {p}" for p in c.problems]
        if same and (c.published, c.refused) != (1, 3):
            lines.append(f"FAIL {label}: {c.published} published, {c.refused} refused")
        pgcluster.drop_database(server, url)
    return lines


def ledger_stopped(c: Campaign, server: str, delay: float) -> list[str]:
    """Stop the PostgreSQL server ``delay`` s into a release: exit 6, one line without a
    traceback, nothing published; after a restart the same release succeeds."""
    url = pgcluster.fresh_database(server)
    c.env = {**c.env, "REDACT_LEDGER_URL": url}
    out = c.work / "outbox-pg"
    c.redact("ledger", "verify")  # creates the ledger's tables
    proc = subprocess.Popen(
        [sys.executable, "-m", "redaction", *c.release_args(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=c.env, cwd=c.work,
    )  # fmt: skip
    time.sleep(delay)
    running = proc.poll() is None
    pgcluster.stop_server()
    _, err = proc.communicate(timeout=900)
    published = out.exists() and any(out.iterdir())
    first = (err.strip().splitlines() or [""])[0]
    lines = [f"ledger stopped {delay:.1f} s into a release: exit {proc.returncode}: {first}"]
    if not running:
        lines.append("FAIL ledger stopped: the release had finished before the stop")
    elif proc.returncode != 6 or published or "Traceback" in err or len(err.splitlines()) > 2:
        lines.append(f"FAIL ledger stopped: exit {proc.returncode}, published={published}")
    pgcluster.start_server_again()
    run = c.redact(*c.release_args(out))
    verify = c.redact("ledger", "verify")
    lines.append(
        f"retry after restart: exit {run.returncode}, ledger verify exit {verify.returncode}"
    )
    if run.returncode != 0 or verify.returncode != 0:
        lines.append(f"FAIL retry: {run.stderr.strip()[:300]} {verify.stderr.strip()[:300]}")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--work", type=Path, default=Path("/tmp/redact-faults"))
    ap.add_argument(
        "--no-validate", action="store_true", help="releases without the gate (faster kills)"
    )
    ap.add_argument("--workers", type=int, default=8, help="concurrent releases")
    ap.add_argument("--releases", type=int, default=200, help="concurrent releases in all")
    ap.add_argument(
        "--ledger-only",
        action="store_true",
        help="only the PostgreSQL part: concurrent releases and the stopped server",
    )
    args = ap.parse_args()
    if args.ledger_only:
        args.kills = 0
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    c = Campaign(args.work, args.rows, args.seed, validate=not args.no_validate)
    duration = c.clean_run()
    gate = "validation on" if c.validate else "no validation"
    print(f"clean run: {args.rows:,} rows ({gate}) in {duration:.1f} s", flush=True)
    statuses: collections.Counter[str] = collections.Counter()
    survived = sum(c.kill_once(n, duration, statuses) for n in range(1, args.kills + 1))
    disk = [] if args.ledger_only else c.disk_faults()
    os.environ.setdefault("REDACT_SCHEMAS", str(REPO / "schemas"))
    os.environ["XDG_STATE_HOME"] = str(args.work / "state")
    server = pgcluster.acquire()
    try:
        pg_lines = concurrent(args.work, server, args.workers, args.releases)
        pg_lines += ledger_stopped(c, server, duration / 2)
    finally:
        pgcluster.release()
    for line in pg_lines:
        if line.startswith("FAIL"):
            c.fail(line)
    print("\nfigures")
    print(f"  kills survived / tried: {survived} / {args.kills}")
    ended = {k: statuses.pop(k) for k in list(statuses) if k.startswith("(")}
    print(f"  children: {ended}")
    print(f"  orphan intents reconciled: {dict(statuses) or 'none'}")
    for name, outcome in disk:
        print(f"  {name}: {outcome}")
    for line in pg_lines:
        print(f"  {line}")
    print(f"  failures: {len(c.failures)}")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
