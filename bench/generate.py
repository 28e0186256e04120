"""Seeded generator of DMV-like extracts for the benchmarks (no real person).

    python bench/generate.py --rows 1000000 --out bench/data

Writes ``dmv_bench_<rows>.parquet`` and ``.csv`` with 36 columns: 24 releasable (20 of
them text), 12 protected (status columns, identifiers, a notes column), and the dataset
contract ``schemas/datasets/dmv_bench.yaml`` is written beside them. Rows are built in
chunks, so memory stays flat whatever ``--rows`` is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

CHUNK = 100_000
TEXT_RELEASABLE = {
    "first_name": [
        "Ana",
        "Luis",
        "Maria",
        "James",
        "Wei",
        "Fatima",
        "Olga",
        "Jose",
        "Emily",
        "Omar",
    ],
    "last_name": ["Garcia", "Smith", "Nguyen", "Lopez", "Johnson", "Kim", "Martinez", "Brown"],
    "middle_initial": list("ABCDEFGHJKLMNPRST"),
    "suffix": ["", "", "", "JR", "SR", "III"],
    "street_address": ["100 Colfax Ave", "2200 Federal Blvd", "15 Broadway", "870 Alameda Ave"],
    "unit": ["", "", "APT 2", "UNIT 5B", "#12"],
    "city": ["Denver", "Aurora", "Boulder", "Pueblo", "Greeley", "Durango", "Lakewood"],
    "county": ["Denver", "Adams", "Arapahoe", "Boulder", "Weld", "El Paso"],
    "state": ["CO"],
    "zip": ["80202", "80010", "80302", "81003", "02139"],
    "eye_color": ["BRO", "BLU", "GRN", "HAZ"],
    "hair_color": ["BLK", "BRO", "BLN", "RED", "GRY"],
    "sex": ["F", "M", "X"],
    "license_class": ["C", "C", "R", "A", "B"],
    "restrictions": ["", "", "B", "CORRECTIVE LENSES", "DAYLIGHT ONLY"],
    "endorsements": ["", "", "M", "H", "N"],
    "office_code": ["DEN01", "AUR02", "BLD03", "PUE04"],
    "mail_preference": ["EMAIL", "POST", "NONE"],
    "organ_donor": ["Y", "N"],
    "veteran": ["Y", "N", "N", "N"],
}
PROTECTED = {
    "citizenship_status": ["US_CITIZEN"] * 7 + ["LPR", "NON_CITIZEN", "UNKNOWN"],
    "lawful_presence_verified": ["Y", "Y", "Y", "N"],
    "visa_class": ["", "", "", "", "H-1B", "F-1"],
    "country_of_birth": ["United States"] * 6 + ["Mexico", "India", "China", "Vietnam"],
    "document_presented": ["US_PASSPORT", "BIRTH_CERT", "BIRTH_CERT", "FOREIGN_PASSPORT", "EAD"],
    "license_type": ["STANDARD"] * 8 + ["CDL", "SB251"],
    "real_id_compliant": ["Y"] * 9 + ["N"],
    "limited_term": ["N"] * 9 + ["Y"],
    "notes": [
        "",
        "",
        "Renewed by mail",
        "Address change",
        "Presented green card",
        "Resident of Denver",
        "Cliente indocumentado",
    ],
}
CONTRACT_TYPES = {
    "driver_id": "string",
    "height_in": "int64",
    "weight_lb": "int64",
    "date_of_birth": "date",
    "issue_date": "date",
    "a_number": "string",
    "uscis_receipt_number": "string",
}


def _choice(rng: np.random.Generator, vocab: list[str], n: int) -> pa.Array:
    return pa.array(np.array(vocab, dtype=object)[rng.integers(0, len(vocab), n)], pa.string())


def _ids(prefix: str, start: int, n: int, width: int) -> pa.Array:
    nums = pc.cast(pa.array(np.arange(start, start + n)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(nums, width, "0"), "")


def _dates(rng: np.random.Generator, n: int, lo: str, days: int) -> pa.Array:
    base = np.datetime64(lo)
    return pa.array((base + rng.integers(0, days, n)).astype("datetime64[D]"), pa.date32())


def _maybe(rng: np.random.Generator, arr: pa.Array, share: float) -> pa.Array:
    keep = pa.array(rng.random(len(arr)) < share)
    return pc.if_else(keep, arr, pa.scalar("", pa.string()))


def chunk(rng: np.random.Generator, start: int, n: int) -> pa.Table:
    cols: dict[str, pa.Array] = {"driver_id": _ids("D", start, n, 9)}
    for name, vocab in TEXT_RELEASABLE.items():
        cols[name] = _choice(rng, vocab, n)
    cols["license_number"] = _ids("", 10**8 + start, n, 9)
    cols["date_of_birth"] = _dates(rng, n, "1950-01-01", 365 * 55)
    cols["issue_date"] = _dates(rng, n, "2019-01-01", 365 * 6)
    cols["height_in"] = pa.array(rng.integers(58, 78, n))
    cols["weight_lb"] = pa.array(rng.integers(100, 300, n))
    for name, vocab in PROTECTED.items():
        cols[name] = _choice(rng, vocab, n)
    cols["a_number"] = _maybe(rng, _ids("A", 2 * 10**8 + start, n, 9), 0.2)
    cols["uscis_receipt_number"] = _maybe(rng, _ids("EAC", 10**9 + start, n, 10), 0.2)
    return pa.table(cols)


def contract_yaml() -> str:
    lines = [
        "# Written by bench/generate.py.",
        "dataset: dmv_bench",
        "title: benchmark extract",
        "columns:",
    ]
    t = chunk(np.random.default_rng(0), 0, 1)
    for name in t.schema.names:
        ctype = CONTRACT_TYPES.get(name, "string")
        category = {
            "citizenship_status": "citizenship_status",
            "lawful_presence_verified": "immigration_status",
            "visa_class": "visa_class",
            "country_of_birth": "country_of_birth",
            "document_presented": "identity_document",
            "license_type": "sb251_credential",
            "real_id_compliant": "sb251_credential",
            "limited_term": "limited_term_credential",
            "notes": "status_notes",
            "a_number": "a_number",
            "uscis_receipt_number": "uscis_receipt_number",
        }.get(name, "releasable")
        extra = ", confirm_releasable: true" if name == "license_class" else ""
        lines.append(f"  - {{name: {name}, type: {ctype}, category: {category}{extra}}}")
    return "\n".join(lines) + "\n"


def generate(rows: int, out: Path, seed: int = 7) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    pq_path, csv_path = out / f"dmv_bench_{rows}.parquet", out / f"dmv_bench_{rows}.csv"
    datasets = out / "schemas" / "datasets"
    datasets.mkdir(parents=True, exist_ok=True)
    (datasets / "dmv_bench.yaml").write_text(contract_yaml())
    if pq_path.exists() and csv_path.exists():
        return pq_path, csv_path
    rng = np.random.default_rng(seed)
    pw = cw = None
    try:
        for start in range(0, rows, CHUNK):
            t = chunk(rng, start, min(CHUNK, rows - start))
            if pw is None:
                pw = pq.ParquetWriter(str(pq_path) + ".part", t.schema)
                cw = pcsv.CSVWriter(str(csv_path) + ".part", t.schema)
            pw.write_table(t, row_group_size=CHUNK)
            cw.write_table(t)
    finally:
        if pw is not None:
            pw.close()
        if cw is not None:
            cw.close()
    Path(str(pq_path) + ".part").replace(pq_path)
    Path(str(csv_path) + ".part").replace(csv_path)
    return pq_path, csv_path


def wide(cols: int, out: Path, rows: int = 2) -> Path:
    """A CSV of ``rows`` records and ``cols`` columns (``field_00001``...): short codes,
    words and numbers, no status data. The shape of a pivoted or denormalised export."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"wide_{rows}x{cols}.csv"
    if path.exists():
        return path
    words = ["alpha", "Denver", "ok", "12", "B7", "yes", "1999-04-01", "north side"]
    lines = [",".join(f"field_{c:05d}" for c in range(cols))]
    for r in range(rows):
        lines.append(",".join(words[(c + r) % len(words)] for c in range(cols)))
    tmp = path.with_suffix(".part")
    tmp.write_text("\n".join(lines) + "\n")
    tmp.replace(path)
    return path


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    for p in generate(a.rows, a.out, a.seed):
        print(p, f"{p.stat().st_size / 1e6:.0f} MB")
