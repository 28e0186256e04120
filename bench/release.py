"""`redact release` throughput and memory against a plain pyarrow copy, in one run.

    python bench/release.py [--rows 20000 --rows 1000000] [--big] [--formats parquet,csv]
                            [--paths contract,detect] [--gate both|on|off]
                            [--wide-cols 20000] [--repeat 2] [--timeout 1800]

Every case is a whole process, started fresh: the baseline copy (``bench/_run.py copy``:
``iter_batches`` + ``ParquetWriter``; ``open_csv`` + ``CSVWriter``) and ``redact release``
itself (the CLI, its imports, its SQLite ledger in a scratch working directory), with
the dmv_bench contract (``-d dmv_bench``) and without one (detection decides: a profile
pass, then the release), with the validation gate and without it (``--no-validate``).
Peak RSS is the process's own (``os.wait4``). Sizes default to 20k and 1M rows;
``--big`` adds 5M. ``--wide-cols N`` adds a CSV of 2 records and N columns (0 skips it).

Columns printed:
    wall s    the whole process, start to exit (the best of ``--repeat``)
    work s    the copy's own timing of its work, or the ``seconds`` of the release's
              ``--json`` result (both exclude interpreter start and imports)
    peak MB   peak RSS
    thru x    copy wall / case wall (higher is better; issue 17 targets >= 0.8 Parquet,
              >= 0.7 CSV, no-contract with the gate)
    work x    copy work / case work
    rss x     case peak / copy peak (target <= 1.2)
    gate +    the gate's cost: wall with the gate / wall without it, less one
              (target <= 30%)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate, wide  # noqa: E402

ENV = {"GX_ANALYTICS_ENABLED": "False", "DO_NOT_TRACK": "1"}


def measure(argv: list[str], schemas: Path, timeout: float) -> dict[str, float] | None:
    """Run one case in a scratch working directory; None if it ran past ``timeout``."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-release-"))
    try:
        argv = [a.replace("{OUT}", str(scratch / "out")) for a in argv]
        (scratch / "out").mkdir()
        t = time.perf_counter()
        with open(scratch / "stdout", "wb") as so, open(scratch / "stderr", "wb") as se:
            proc = subprocess.Popen(
                argv,
                cwd=scratch,
                stdout=so,
                stderr=se,
                env={**os.environ, **ENV, "REDACT_SCHEMAS": str(schemas)},
            )
            deadline = t + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    proc.kill()
                    os.wait4(proc.pid, 0)
                    return None
                time.sleep(0.02)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout = (scratch / "stdout").read_text()
        if proc.returncode != 0:
            err = (scratch / "stderr").read_text()[-2000:]
            raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{err}")
        data = json.loads(stdout[stdout.index("{") :])
        return {"work": data["seconds"], "wall": wall, "rss_mb": usage.ru_maxrss / 1024}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def best(argv: list[str], schemas: Path, repeat: int, timeout: float) -> dict[str, float] | None:
    runs = [measure(argv, schemas, timeout) for _ in range(repeat)]
    done = [r for r in runs if r is not None]
    return min(done, key=lambda r: r["wall"]) if done else None


def copy_argv(src: Path) -> list[str]:
    return [sys.executable, str(HERE / "_run.py"), "copy", str(src), "{OUT}"]


def release_argv(src: Path, contract: bool, gate: bool) -> list[str]:
    redact = str(Path(sys.executable).with_name("redact"))
    argv = [redact, "release", str(src), "-r", "bench", "-o", "{OUT}", "--json"]
    argv += ["--quarantine", "{OUT}/../quarantine"]
    if contract:
        argv += ["-d", "dmv_bench"]
    if not gate:
        argv.append("--no-validate")
    return argv


HEADER = (
    f"{'rows':>9} {'cols':>6} {'format':8} {'case':22} {'wall s':>7} {'work s':>7} "
    f"{'peak MB':>8} {'thru x':>7} {'work x':>7} {'rss x':>6} {'gate +':>7}"
)


def row(
    rows: int,
    cols: int,
    fmt: str,
    case: str,
    r: dict[str, float] | None,
    base: dict[str, float],
    ungated: dict[str, float] | None = None,
    timeout: float = 0,
) -> str:
    head = f"{rows:>9} {cols:>6} {fmt:8} {case:22}"
    if r is None:
        return f"{head} over the {timeout:.0f} s timeout"
    gate = f"{r['wall'] / ungated['wall'] - 1:>+7.0%}" if ungated else f"{'':>7}"
    return (
        f"{head} {r['wall']:>7.2f} {r['work']:>7.2f} {r['rss_mb']:>8.0f} "
        f"{base['wall'] / r['wall']:>7.2f} {base['work'] / r['work']:>7.2f} "
        f"{r['rss_mb'] / base['rss_mb']:>6.2f} {gate}"
    )


def run_source(
    src: Path, rows: int, cols: int, fmt: str, paths: list[str], gates: list[bool], a: Any
) -> None:
    schemas = a.data / "schemas"
    base = best(copy_argv(src), schemas, a.repeat, a.timeout)
    assert base is not None, "the copy ran past the timeout"
    print(row(rows, cols, fmt, "pyarrow copy", base, base), flush=True)
    for path in paths:
        ungated = None
        for gate in gates:
            r = best(release_argv(src, path == "contract", gate), schemas, a.repeat, a.timeout)
            case = f"{path} {'gate' if gate else 'no gate'}"
            print(row(rows, cols, fmt, case, r, base, ungated if gate else None, a.timeout))
            sys.stdout.flush()
            if not gate:
                ungated = r


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, action="append")
    ap.add_argument("--big", action="store_true", help="also 5,000,000 rows")
    ap.add_argument("--formats", default="parquet,csv")
    ap.add_argument("--paths", default="contract,detect", help="contract, detect (no contract)")
    ap.add_argument("--gate", choices=["both", "on", "off"], default="both")
    ap.add_argument("--wide-cols", type=int, default=20_000, help="0: no wide-file case")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per process")
    ap.add_argument("--data", type=Path, default=HERE / "data")
    a = ap.parse_args()
    sizes = a.rows or [20_000, 1_000_000]
    if a.big:
        sizes.append(5_000_000)
    gates = {"both": [False, True], "on": [True], "off": [False]}[a.gate]
    paths = a.paths.split(",")
    with open("/proc/loadavg") as fh:
        load = " ".join(fh.read().split()[:3])
    print(f"load average at start: {load}; {os.cpu_count()} cores")
    print(HEADER, flush=True)
    shutil.copytree(HERE.parent / "schemas", a.data / "schemas", dirs_exist_ok=True)
    for rows in sizes:
        pq_path, csv_path = generate(rows, a.data)
        for fmt in a.formats.split(","):
            src = pq_path if fmt == "parquet" else csv_path
            run_source(src, rows, 36, fmt, paths, gates, a)
    if a.wide_cols:
        # No contract declares these columns: detection decides.
        src = wide(a.wide_cols, a.data)
        run_source(src, 2, a.wide_cols, "csv", ["detect"], gates, a)
    with open("/proc/loadavg") as fh:
        print(f"load average at end: {' '.join(fh.read().split()[:3])}")


if __name__ == "__main__":
    main()
