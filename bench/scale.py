"""Scale-out: one partitioned extract released in one process vs on a local Dask cluster,
and the per-release cost of running a release as a Prefect flow.

    python bench/scale.py [--rows 5000000] [--parts 8] [--workers 2] [--no-validate]

1. Writes ``--parts`` Parquet parts (``generate.chunk``, seeded) under
   ``bench/data/parts_<rows>/dmv_bench/`` and the dmv_bench contract.
2. Starts a Prefect server (``prefect server start``, its own ``PREFECT_HOME``).
3. Releases the dataset (a) in one process, part after part, with
   ``redaction.partitioned.release_partitioned`` (no Prefect), and (b) with the
   ``release-partitioned`` flow on a local Dask cluster of ``--workers`` worker processes
   (1 thread each), cluster start-up included. Both validate every row unless
   ``--no-validate``. The outputs must be byte-identical.
4. Flow overhead: ``sample_data/dmv_drivers.parquet`` released ``--repeat`` times through
   the ``release-extract`` flow and through ``redaction.release.release`` directly
   (median of each, after a warm-up of both).

Prints the times, the ratio (one process / Dask) and the overhead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(HERE), str(REPO)]

import numpy as np  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from generate import CHUNK, chunk, contract_yaml  # noqa: E402

RECIPIENT = "Example Insurance"


def write_parts(rows: int, parts: int, data: Path) -> Path:
    folder = data / f"parts_{rows}" / "dmv_bench"
    done = folder / "_COMPLETE"
    if done.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = np.random.default_rng(7)
    per = -(-rows // parts)
    start = 0
    for i in range(parts):
        n_part = min(per, rows - start)
        writer = None
        try:
            for s in range(start, start + n_part, CHUNK):
                t = chunk(rng, s, min(CHUNK, start + n_part - s))
                if writer is None:
                    writer = pq.ParquetWriter(folder / f"part-{i:03d}.parquet", t.schema)
                writer.write_table(t, row_group_size=CHUNK)
        finally:
            if writer is not None:
                writer.close()
        start += n_part
    done.touch()
    return folder


def schemas_dir(data: Path) -> Path:
    schemas = data / "schemas"
    (schemas / "datasets").mkdir(parents=True, exist_ok=True)
    (schemas / "datasets" / "dmv_bench.yaml").write_text(contract_yaml())
    for contract in (REPO / "schemas" / "datasets").glob("*.yaml"):
        shutil.copy(contract, schemas / "datasets" / contract.name)
    shutil.copy(REPO / "schemas" / "policy.yaml", schemas / "policy.yaml")
    return schemas


def start_server(home: Path) -> subprocess.Popen[bytes]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PREFECT_HOME": str(home)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as r:
                if r.status == 200:
                    os.environ["PREFECT_API_URL"] = url
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the Prefect server did not become healthy in 120 s")


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--parts", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-validate", dest="validate", action="store_false")
    ap.add_argument("--data", type=Path, default=HERE / "data")
    a = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    os.environ.update(
        {
            "REDACT_SCHEMAS": str(schemas_dir(a.data)),
            "DO_NOT_TRACK": "1",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_HOME": str(work / "prefect-home"),
            "GX_ANALYTICS_ENABLED": "False",
            "PREFECT_LOGGING_LEVEL": "WARNING",
        }
    )
    t = time.perf_counter()
    folder = write_parts(a.rows, a.parts, a.data)
    size = sum(p.stat().st_size for p in folder.glob("*.parquet")) / 1e6
    print(
        f"dataset: {a.rows} rows in {a.parts} parts, {size:.0f} MB "
        f"({time.perf_counter() - t:.1f} s to write or find)"
    )
    server = start_server(work / "prefect-home")
    try:
        # Imports after the environment is set: Prefect reads its settings on import.
        from flows.partitioned import dask_runner, with_runner
        from flows.release import release_extract
        from redaction.partitioned import release_partitioned
        from redaction.release import ReleaseOptions, release

        if a.validate:
            import great_expectations  # noqa: F401  (its import is not release work)

        ledger = f"sqlite:///{work / 'ledger.sqlite3'}"
        opts = ReleaseOptions(
            recipient=RECIPIENT,
            outbox=work / "one",
            dataset="dmv_bench",
            validate=a.validate,
            ledger_url=ledger,
        )
        t = time.perf_counter()
        one = release_partitioned(folder, opts)
        t_one = time.perf_counter() - t
        print(f"one process (library, parts in turn): {t_one:7.1f} s  ({one.rows} rows)")

        t = time.perf_counter()
        two = with_runner(dask_runner(n_workers=a.workers))(
            source=str(folder),
            recipient=RECIPIENT,
            outbox=str(work / "dask"),
            dataset="dmv_bench",
            ledger_url=ledger,
            validate=a.validate,
        )
        t_dask = time.perf_counter() - t
        print(
            f"Dask flow, {a.workers} workers (start-up included): {t_dask:7.1f} s  "
            f"({two['rows']} rows)"
        )
        same = outputs(work / "one" / "dmv_bench") == outputs(work / "dask" / "dmv_bench")
        print(f"outputs byte-identical: {same}")
        print(f"ratio one process / Dask: {t_one / t_dask:.2f}x")

        src = REPO / "sample_data" / "dmv_drivers.parquet"
        flow_t, direct_t = [], []
        for i in range(a.repeat + 1):
            t = time.perf_counter()
            release(
                src,
                ReleaseOptions(
                    recipient=RECIPIENT,
                    outbox=work / f"d{i}",
                    dataset="dmv_drivers",
                    ledger_url=ledger,
                ),
            )
            direct_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            release_extract(
                source=str(src),
                recipient=RECIPIENT,
                outbox=str(work / f"f{i}"),
                dataset="dmv_drivers",
                ledger_url=ledger,
            )
            flow_t.append(time.perf_counter() - t)
        d, f = statistics.median(direct_t[1:]), statistics.median(flow_t[1:])
        print(
            f"per release (200 rows, validated; median of {a.repeat} after a warm-up): "
            f"direct {d:.2f} s, flow {f:.2f} s, flow overhead {f - d:.2f} s"
        )
        if not same:
            raise SystemExit(1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
