"""Detection quality on messy extracts with ground truth (bench/messy.py), measured.

    python bench/detection.py [--rows 3000] [--seed 7] [--presidio-python PATH]

Each variant is generated, then run through the release's own stages (open, profile,
plan, stream with the guard, apply) with no dataset contract and the default
``on_guard_hit=fail``; the staged output is read back and compared with the truth.
Printed per variant:

- leaked: protected values that survive in the output (target 0);
- protected: protected columns / paths with nothing left (target all);
- decoys: look-alike columns released byte for byte (target >= 99%);
- ordinary: ordinary-ID columns kept (not thrown away; a few look-alike values may be
  scrubbed);
- notes recall: planted status mentions no longer in the note (target >= 0.99);
- hard-neg precision: hard-negative notes released unchanged (target >= 0.98);
- bad records: records left out (quarantine opt-in) / records not valid UTF-8.

A last row runs Microsoft Presidio's analyzer (its predefined recognizers, no NLP model)
over the same notes, where an interpreter with ``presidio-analyzer`` is given.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.csv as pcsv
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from messy import VARIANTS, generate, leaves  # noqa: E402

from redaction.errors import RedactionError  # noqa: E402
from redaction.io.readers import open_source  # noqa: E402
from redaction.policy import load_policy  # noqa: E402
from redaction.release import Prepared, ReleaseOptions, make_plan, stage  # noqa: E402

NULL_TOKENS = {"", "NULL", "N/A", "-"}


def _norm(s: str) -> str:
    return unicodedata.normalize("NFKC", s).casefold()


def _code(s: str) -> str:
    return "".join(c for c in s.upper() if c.isalnum())


def run(
    path: Path, out_dir: Path, encoding: str | None = None
) -> tuple[list[dict[str, Any]], Any, int]:
    """Release ``path`` through the real stages; the output's records, plan, bad count.
    ``encoding``: the CSV's text encoding, as ``redact release --encoding`` takes it."""
    policy = load_policy()
    src = open_source(path, bad_records="quarantine", encoding=encoding)
    plan_ = make_plan(src, policy, None)
    options = ReleaseOptions(recipient="bench", outbox=out_dir, validate=False)
    prepared = Prepared(
        path, options, policy, src, None, plan_, None, "bench", datetime.now(UTC), time.monotonic()
    )
    staged = stage(prepared)
    try:
        p = staged.staged.path
        if src.format == "csv":
            t = pcsv.read_csv(
                p,
                parse_options=pcsv.ParseOptions(
                    delimiter=src.csv.delimiter, newlines_in_values=True
                ),
                convert_options=pcsv.ConvertOptions(
                    column_types={n: "string" for n in staged.plan.output_schema.names}
                ),
            )
            records = t.to_pylist()
        elif src.format == "parquet":
            records = pq.read_table(p).to_pylist()
        else:
            records = [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]
    finally:
        staged.staged.cleanup()
    return records, staged.plan, src.bad_records


def score(path: Path, truth: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    try:
        records, _, bad = run(path, out_dir)
    except RedactionError as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    id_path = truth["id"]
    out = {}
    for r in records:
        lv = leaves(r)
        out[lv[id_path][0]] = lv
    codes = {_code(c) for c in truth["sensitive_codes"]}
    leaked = 0
    protected_ok = 0
    for p, rule in truth["protected"].items():
        n = 0
        for rid, src_lv in truth["rows"].items():
            if rid not in out:
                continue
            got = [v for v in out[rid].get(p, []) if v is not None]
            if rule == "codes":
                n += sum(1 for v in got if _code(str(v)) in codes)
            else:
                orig = {str(v) for v in src_lv.get(p, []) if v is not None and v not in NULL_TOKENS}
                n += sum(1 for v in got if str(v) in orig)
        leaked += n
        protected_ok += n == 0
    decoys_ok = 0
    for p in truth["decoys"] + truth["ordinary"]:
        same = total = 0
        for rid, src_lv in truth["rows"].items():
            if rid in out:
                total += 1
                same += [str(v) for v in out[rid].get(p, [])] == [str(v) for v in src_lv.get(p, [])]
        if p in truth["decoys"]:
            decoys_ok += same == total
        else:
            ordinary = f"{same}/{total}"
    mentions = hits = negatives = kept = 0
    notes = truth["notes"]
    for rid, t in truth["notes_rows"].items():
        if rid not in out:
            continue
        before = truth["rows"][rid][notes][0]
        after = out[rid].get(notes, [None])[0] or ""
        if t["label"] == "mention":
            mentions += 1
            gone = _norm(t["phrase"]) not in _norm(after)
            hits += gone
            leaked += (
                not gone and any(ch.isdigit() for ch in t["phrase"]) and t["phrase"].startswith("A")
            )
        elif t["label"] == "negative":
            negatives += 1
            kept += after == before
    return {
        "leaked": leaked,
        "protected": f"{protected_ok}/{len(truth['protected'])}",
        "decoys": f"{decoys_ok}/{len(truth['decoys'])}",
        "ordinary": ordinary if truth["ordinary"] else "-",
        "recall": hits / mentions if mentions else 1.0,
        "precision": kept / negatives if negatives else 1.0,
        "bad": f"{bad}/{len(truth['bad_records'])}",
    }


def _flat(record: dict[str, Any]) -> dict[str, list[Any]]:
    """Leaf path (``a.b``, list levels dropped) -> values, for the unseen manifest."""
    out: dict[str, list[Any]] = {}
    for k, v in leaves(record).items():
        out.setdefault(k.replace("[]", ""), []).extend(v)
    return out


def score_unseen(entry: dict[str, Any], root: Path, out_dir: Path) -> dict[str, Any]:
    """One extract of ``bench/unseen.py`` (written apart from the detectors), scored
    strictly: a protected column must hold no value at all (withheld whole), a decoy
    must be released byte for byte, a mention note must keep none of its spans, a
    negative note must be unchanged, and no planted identifier may survive anywhere."""
    path = root / entry["file"]
    try:
        records, _, _ = run(path, out_dir, entry.get("encoding"))
    except RedactionError as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}
    src_records, _, _ = _read_source(path, entry["format"], entry.get("encoding"))
    idc = entry["id"]
    src = {str(r.get(idc)): _flat(r) for r in src_records}
    out = {str(r.get(idc)): _flat(r) for r in records}
    if len(out) != len(records) and len(records) == len(src_records):
        # The filter withheld the id column itself: rows keep their order, so pair them
        # by position (and count the id column as a decoy lost, if it is one).
        out = {str(s.get(idc)): _flat(r) for s, r in zip(src_records, records, strict=True)}
        for lv in out.values():
            lv[idc] = [None]
    leaked = 0
    protected_ok = 0
    missed: list[str] = []
    for col in entry["protected"]:
        n = sum(1 for lv in out.values() for v in lv.get(col, []) if v not in (None, ""))
        leaked += n
        protected_ok += n == 0
        if n:
            missed.append(col)
    decoys_ok = 0
    lost: list[str] = []
    for col in entry["decoys"]:
        same = all(
            [str(v) for v in out.get(rid, {}).get(col, [])] == [str(v) for v in lv.get(col, [])]
            for rid, lv in src.items()
        )
        decoys_ok += same
        if not same:
            lost.append(col)
    blob = _norm(json.dumps(records, default=str, ensure_ascii=False))
    id_left = sum(1 for i in set(entry["identifiers"]) if _norm(i) in blob)
    mentions = hits = negatives = kept = 0
    for nc in entry["notes"]:
        col = nc["column"]
        for rid, t in nc["rows"].items():
            after = (out.get(rid, {}).get(col) or [None])[0] or ""
            before = (src.get(rid, {}).get(col) or [None])[0] or ""
            if t["label"] == "mention":
                mentions += 1
                hits += all(_norm(sp) not in _norm(after) for sp in t["spans"])
            elif t["label"] == "negative":
                negatives += 1
                kept += after == before
    return {
        "leaked": leaked + id_left,
        "protected": f"{protected_ok}/{len(entry['protected'])}",
        "decoys": f"{decoys_ok}/{len(entry['decoys'])}",
        "recall": hits / mentions if mentions else 1.0,
        "precision": kept / negatives if negatives else 1.0,
        "missed": missed,
        "lost": lost,
        "n": (
            protected_ok,
            len(entry["protected"]),
            decoys_ok,
            len(entry["decoys"]),
            hits,
            mentions,
            kept,
            negatives,
        ),
    }


def _read_source(
    path: Path, fmt: str, encoding: str | None = None
) -> tuple[list[dict[str, Any]], None, None]:
    """The source's records as strings; a CSV in the manifest's ``encoding`` when it gives
    one (``bench/unseen_c.py`` writes a cp1252 file), else as the reader detects it."""
    if fmt == "parquet":
        return pq.read_table(path).to_pylist(), None, None
    if fmt == "jsonl":
        text = path.read_text(encoding="utf-8-sig")
        return [json.loads(x) for x in text.splitlines() if x.strip()], None, None
    src = open_source(path, encoding=encoding)
    t = pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(encoding=encoding or src.csv.encoding),
        parse_options=pcsv.ParseOptions(delimiter=src.csv.delimiter, newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(
            column_types={n: "string" for n in src.schema.names}, strings_can_be_null=False
        ),
    )
    return t.to_pylist(), None, None


def main_unseen(rows: int, seed: int, corpus: str = "unseen") -> None:
    """``--corpus unseen`` / ``unseen_b``: every extract of ``bench/<corpus>.py`` (each
    written apart from the detectors), one row each, and the totals."""
    import importlib

    gen = importlib.import_module(corpus)  # bench/unseen.py or bench/unseen_b.py

    print(
        f"{'extract':28} {'leaked':>6} {'protected':>9} {'decoys':>7} {'recall':>7} {'hn prec':>7}"
    )
    tot = [0] * 8
    leaked = 0
    with tempfile.TemporaryDirectory() as d:
        root = Path(d) / "in"
        subprocess.run(
            [
                sys.executable,
                gen.__file__,
                "--out",
                str(root),
                "--rows",
                str(rows),
                "--seed",
                str(seed),
            ],
            check=True,
            capture_output=True,
        )
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        for entry in manifest["extracts"]:
            r = score_unseen(entry, root, Path(d) / f"out-{entry['file']}")
            if "error" in r:
                print(f"{entry['file']:28} FAILED: {r['error']}")
                continue
            leaked += r["leaked"]
            tot = [a + b for a, b in zip(tot, r["n"], strict=True)]
            print(
                f"{entry['file']:28} {r['leaked']:>6} {r['protected']:>9} {r['decoys']:>7} "
                f"{r['recall']:>7.3f} {r['precision']:>7.3f}"
                + (f"  missed: {', '.join(r['missed'])}" if r["missed"] else "")
                + (f"  lost: {', '.join(r['lost'])}" if r["lost"] else ""),
                flush=True,
            )
    p_ok, p_n, d_ok, d_n, h, m, k, n = tot
    print(
        f"{'TOTAL':28} {leaked:>6} {p_ok:>4}/{p_n:<4} {d_ok:>3}/{d_n:<3} "
        f"{h / max(m, 1):>7.3f} {k / max(n, 1):>7.3f}"
    )


def presidio(python: str, notes: list[str]) -> dict[str, Any]:
    """Presidio's analyzer over the notes in a separate interpreter (its own venv)."""
    script = HERE / "_presidio.py"
    proc = subprocess.run(
        [python, str(script)], input=json.dumps(notes), capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    ap.add_argument("--presidio-python", default=None, help="an interpreter with presidio-analyzer")
    ap.add_argument(
        "--corpus",
        choices=("messy", "unseen", "unseen_b", "unseen_c", "unseen_d"),
        default="messy",
        help="messy: bench/messy.py (the generator the rules were first tuned on); "
        "unseen: bench/unseen.py, written apart from the detectors; "
        "unseen_b: bench/unseen_b.py, a second corpus written the same way; "
        "unseen_c: bench/unseen_c.py, a third; "
        "unseen_d: bench/unseen_d.py, a fourth",
    )
    a = ap.parse_args()
    if a.corpus == "unseen":
        main_unseen(a.rows, a.seed if a.seed != 7 else 11)
        return
    if a.corpus == "unseen_b":
        main_unseen(a.rows, a.seed if a.seed != 7 else 23, "unseen_b")
        return
    if a.corpus == "unseen_c":
        main_unseen(a.rows, a.seed if a.seed != 7 else 31, "unseen_c")
        return
    if a.corpus == "unseen_d":
        main_unseen(a.rows, a.seed if a.seed != 7 else 41, "unseen_d")
        return
    print(
        f"{'variant':15} {'leaked':>6} {'protected':>9} {'decoys':>7} {'ordinary':>10} "
        f"{'recall':>7} {'hn prec':>7} {'bad rec':>7}"
    )
    all_notes: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as d:
        for v in a.variants.split(","):
            path = generate(v, Path(d) / "in", a.rows, a.seed)
            truth = json.loads(
                (path.parent / f"{path.name}.truth.json").read_text(encoding="utf-8")
            )
            r = score(path, truth, Path(d) / f"out-{v}")
            if "error" in r:
                print(f"{v:15} FAILED: {r['error']}")
                continue
            print(
                f"{v:15} {r['leaked']:>6} {r['protected']:>9} {r['decoys']:>7} {r['ordinary']:>10} "
                f"{r['recall']:>7.3f} {r['precision']:>7.3f} {r['bad']:>7}",
                flush=True,
            )
            if v == "clean":
                notes = truth["notes"]
                for rid, t in truth["notes_rows"].items():
                    if t["label"] in ("mention", "negative"):
                        all_notes.append((t["label"], truth["rows"][rid][notes][0]))
    if a.presidio_python:
        r = presidio(a.presidio_python, [n for _, n in all_notes])
        if "error" in r:
            print(f"{'presidio':15} cannot run: {r['error']}")
        else:
            flags = r["flags"]
            m = [f for (lab, _), f in zip(all_notes, flags, strict=True) if lab == "mention"]
            n = [f for (lab, _), f in zip(all_notes, flags, strict=True) if lab == "negative"]
            print(
                f"{'presidio notes':15} {'':>6} {'':>9} {'':>7} {'':>10} "
                f"{sum(m) / len(m):>7.3f} {1 - sum(n) / len(n):>7.3f}   ({r['note']})"
            )


if __name__ == "__main__":
    main()
