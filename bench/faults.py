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

Prints the figures (kills survived/tried, reconcile statuses, disk faults) and exits 1
if any check failed.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--work", type=Path, default=Path("/tmp/redact-faults"))
    ap.add_argument(
        "--no-validate", action="store_true", help="releases without the gate (faster kills)"
    )
    args = ap.parse_args()
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    c = Campaign(args.work, args.rows, args.seed, validate=not args.no_validate)
    duration = c.clean_run()
    gate = "validation on" if c.validate else "no validation"
    print(f"clean run: {args.rows:,} rows ({gate}) in {duration:.1f} s", flush=True)
    statuses: collections.Counter[str] = collections.Counter()
    survived = sum(c.kill_once(n, duration, statuses) for n in range(1, args.kills + 1))
    disk = c.disk_faults()
    print("\nfigures")
    print(f"  kills survived / tried: {survived} / {args.kills}")
    ended = {k: statuses.pop(k) for k in list(statuses) if k.startswith("(")}
    print(f"  children: {ended}")
    print(f"  orphan intents reconciled: {dict(statuses) or 'none'}")
    for name, outcome in disk:
        print(f"  {name}: {outcome}")
    print(f"  failures: {len(c.failures)}")
    return 1 if c.failures else 0


if __name__ == "__main__":
    sys.exit(main())
