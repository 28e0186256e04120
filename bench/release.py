"""Release throughput and memory against a plain pyarrow stream copy, in one run.

    python bench/release.py --rows 1000000 [--rows 5000000] [--formats parquet,csv]
                            [--validate] [--repeat 2]

For each size and format it runs, each in a fresh process: the baseline copy
(``iter_batches`` + ``ParquetWriter``; ``open_csv`` + ``CSVWriter``), ``release`` with
the dmv_bench contract and the validation gate off, and (``--validate``) with it on.
It prints the work time (imports excluded), wall time and peak RSS of each, and the
ratios: throughput = copy time / release time (higher is better, targets >= 0.8 on
Parquet, >= 0.7 on CSV); RSS = release peak / copy peak (target <= 1.2).
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402


def measure(mode: str, src: Path, schemas: Path) -> dict[str, float]:
    out = Path(tempfile.mkdtemp(prefix="bench-out-"))
    try:
        t = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(HERE / "_run.py"), mode, str(src), str(out), str(schemas)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "GX_ANALYTICS_ENABLED": "False", "DO_NOT_TRACK": "1"},
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        stdout = proc.stdout.read().decode() if proc.stdout else ""
        stderr = proc.stderr.read().decode() if proc.stderr else ""
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{mode} on {src.name} failed:\n{stderr[-2000:]}")
        work = json.loads(stdout.strip().splitlines()[-1])["seconds"]
        return {"work": work, "wall": wall, "rss_mb": usage.ru_maxrss / 1024}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def best(mode: str, src: Path, schemas: Path, repeat: int) -> dict[str, float]:
    runs = [measure(mode, src, schemas) for _ in range(repeat)]
    return min(runs, key=lambda r: r["work"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, action="append")
    ap.add_argument("--formats", default="parquet,csv")
    ap.add_argument("--validate", action="store_true", help="also measure with the validation gate")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--data", type=Path, default=HERE / "data")
    a = ap.parse_args()
    rows_list = a.rows or [1_000_000]
    modes = ["copy", "release"] + (["release-validate"] if a.validate else [])
    print(
        f"{'rows':>9} {'format':8} {'job':17} {'work s':>7} {'wall s':>7} {'peak MB':>8} "
        f"{'thru x':>7} {'rss x':>6}"
    )
    for rows in rows_list:
        pq_path, csv_path = generate(rows, a.data)
        schemas = a.data / "schemas"
        shutil.copy(HERE.parent / "schemas" / "policy.yaml", schemas / "policy.yaml")
        for fmt in a.formats.split(","):
            src = pq_path if fmt == "parquet" else csv_path
            base = None
            for mode in modes:
                r = best(mode, src, schemas, a.repeat)
                base = base or r
                print(
                    f"{rows:>9} {fmt:8} {mode:17} {r['work']:>7.2f} {r['wall']:>7.2f} "
                    f"{r['rss_mb']:>8.0f} {base['work'] / r['work']:>7.2f} "
                    f"{r['rss_mb'] / base['rss_mb']:>6.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
