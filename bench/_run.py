"""One measured job, run in its own process by the benchmarks (so peak RSS is its own).

    python bench/_run.py copy|release|release-validate FILE OUTDIR [SCHEMAS_DIR]

Prints one JSON line: the seconds spent on the work itself (imports excluded).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def copy(src: Path, out: Path) -> None:
    """The baseline: a plain pyarrow stream copy, the same batch size as a release."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    dest = out / src.name
    if src.suffix == ".parquet":
        pf = pq.ParquetFile(src, pre_buffer=False)
        with pq.ParquetWriter(dest, pf.schema_arrow) as w:
            for batch in pf.iter_batches(batch_size=65_536):
                w.write_batch(batch)
    else:
        reader = pcsv.open_csv(src, read_options=pcsv.ReadOptions(block_size=4 << 20))
        with pcsv.CSVWriter(dest, reader.schema) as w:
            for batch in reader:
                w.write_batch(batch)


def release(src: Path, out: Path, validate: bool) -> None:
    """What ``redact release`` runs, with the allocator it chooses (io.memory)."""
    from redaction.io.memory import release_pool
    from redaction.release import ReleaseOptions
    from redaction.release import release as run

    options = ReleaseOptions(
        recipient="bench",
        outbox=out,
        dataset="dmv_bench",
        validate=validate,
        quarantine=out / "q",
        overwrite=True,
    )
    with release_pool(src):
        run(src, options)


def main() -> None:
    mode, src, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if len(sys.argv) > 4:
        os.environ["REDACT_SCHEMAS"] = sys.argv[4]
    out.mkdir(parents=True, exist_ok=True)
    # Imports first, so the timed part is the work.
    import pyarrow  # noqa: F401

    if mode != "copy":
        import redaction.release  # noqa: F401

        if mode == "release-validate":
            import great_expectations  # noqa: F401
    t = time.perf_counter()
    if mode == "copy":
        copy(src, out)
    else:
        release(src, out, validate=mode == "release-validate")
    print(json.dumps({"seconds": time.perf_counter() - t}))


if __name__ == "__main__":
    main()
