"""Writes the bundled sample extracts (seeded: the same bytes every run).

    python sample_data/make_samples.py

Synthetic DMV data only: no real person. Some rows carry canary values in protected
columns (listed in ``CANARIES``); tests search everything a release writes for them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
ROWS = 200

#: Values planted in protected columns; none may appear in any output or artefact.
CANARIES = {
    "a_number": "A099887766",
    "uscis_receipt_number": "EAC2190123456",
    "save_case_number": "0123456789012CN",
    "i94_number": "987654321C7",
    "country_of_birth": "Canarystan",
    "passport_country": "Canarystan",
    "notes": "matricula consular",
}

FIRST = [
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
    "Sofia",
    "David",
    "Chen",
    "Lucia",
    "Tom",
    "Aisha",
    "Ivan",
    "Rosa",
    "Kim",
    "Noah",
]
LAST = [
    "Garcia",
    "Smith",
    "Nguyen",
    "Lopez",
    "Johnson",
    "Kim",
    "Martinez",
    "Brown",
    "Ali",
    "Hernandez",
    "Lee",
    "Walker",
    "Perez",
    "Young",
    "Silva",
    "Reyes",
    "Chavez",
    "Diaz",
]
CITIES = [
    ("Denver", "80202"),
    ("Aurora", "80010"),
    ("Boulder", "80302"),
    ("Pueblo", "81003"),
    ("Greeley", "80631"),
    ("Durango", "81301"),
    ("Lakewood", "80226"),
]
STREETS = ["Colfax Ave", "Federal Blvd", "Broadway", "Alameda Ave", "Main St", "Pearl St"]
COUNTRIES = ["Mexico", "Guatemala", "India", "China", "Vietnam", "Ethiopia", "Ukraine"]
MAKES = ["Toyota", "Ford", "Honda", "Subaru", "Chevrolet", "Nissan", "Alien"]  # "Alien": a
# look-alike value (a kit-car make) that must be released unchanged.
NOTES_PLAIN = [
    "Renewed by mail",
    "Address change processed",
    "Vision test passed; corrective lenses",
    "Resident of Denver since 2010",
    "Permanent mailing address on file",
    "Took I-94 east to the Aurora office",
    "Paid with Visa card",
    "License status: revoked then reinstated",
]
NOTES_STATUS = [
    "Applicant presented matricula consular",
    "Customer is a lawful permanent resident; green card verified",
    "SB13-251 applicant, ITIN provided",
    "Cliente indocumentado, presentó pasaporte extranjero",
    "Visa expired per SAVE response",
    "DACA recipient, EAD card shown",
    "Residente permanente, tarjeta verde vista",
]


def _drivers(rng: random.Random) -> list[dict[str, object]]:
    rows = []
    for i in range(ROWS):
        status = rng.choices(["US_CITIZEN", "LPR", "NON_CITIZEN", "SB251"], [70, 12, 8, 10])[0]
        city, zipc = rng.choice(CITIES)
        dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
        issued = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 6))
        foreign = status != "US_CITIZEN"
        doc = (
            rng.choice(["US_PASSPORT", "BIRTH_CERT"])
            if not foreign
            else {
                "LPR": "PRC",
                "NON_CITIZEN": "EAD",
                "SB251": rng.choice(["FOREIGN_PASSPORT", "CONSULAR_ID"]),
            }[status]
        )
        note = (
            rng.choice(NOTES_STATUS)
            if foreign and rng.random() < 0.5
            else rng.choice([*NOTES_PLAIN, ""])
        )
        rows.append(
            {
                "driver_id": f"D{100000 + i}",
                "first_name": rng.choice(FIRST),
                "last_name": rng.choice(LAST),
                "date_of_birth": dob.isoformat(),
                "street_address": f"{rng.randrange(100, 9999)} {rng.choice(STREETS)}",
                "city": city,
                "state": "CO",
                "zip": zipc if rng.random() > 0.1 else "02139",  # a leading zero must survive
                "license_number": f"{rng.randrange(10, 99)}-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
                "license_type": "SB251"
                if status == "SB251"
                else rng.choice(["STANDARD", "STANDARD", "CDL"]),
                "license_class": rng.choice(["C", "C", "R", "A", "B"]),
                "issue_date": issued.isoformat(),
                "expiration_date": (
                    issued
                    + dt.timedelta(days=365 * (3 if status in ("NON_CITIZEN", "SB251") else 5))
                ).isoformat(),
                "real_id_compliant": "N" if status == "SB251" else "Y",
                "limited_term": "Y" if status == "NON_CITIZEN" else "N",
                "citizenship_status": status if status != "SB251" else "UNKNOWN",
                "lawful_presence_verified": "N" if status == "SB251" else "Y",
                "a_number": f"A{rng.randrange(10**8, 10**9)}"
                if status in ("LPR", "NON_CITIZEN")
                else "",
                "visa_class": rng.choice(["H-1B", "F-1", "J-1", "TN"])
                if status == "NON_CITIZEN"
                else "",
                "i94_number": f"{rng.randrange(10**8, 10**9)}A{rng.randrange(10)}"
                if status == "NON_CITIZEN"
                else "",
                "uscis_receipt_number": f"{rng.choice(['EAC', 'WAC', 'LIN', 'IOE'])}{rng.randrange(10**9, 10**10)}"
                if status in ("LPR", "NON_CITIZEN")
                else "",
                "save_case_number": f"{rng.randrange(10**12, 10**13)}{rng.choice(['AB', 'CD', 'XY'])}"
                if foreign and status != "SB251"
                else "",
                "save_result": rng.choice(["VERIFIED", "INSTITUTE_ADDITIONAL_VERIFICATION"])
                if foreign and status != "SB251"
                else "",
                "country_of_birth": "United States" if not foreign else rng.choice(COUNTRIES),
                "passport_country": (
                    "USA"
                    if doc == "US_PASSPORT"
                    else (rng.choice(COUNTRIES) if doc == "FOREIGN_PASSPORT" else "")
                ),
                "document_presented": doc,
                "itin": f"9{rng.randrange(10, 99)}-{rng.choice([70, 78, 88, 90])}-{rng.randrange(1000, 9999)}"
                if status == "SB251"
                else "",
                "organ_donor": rng.choice(["Y", "N"]),
                "veteran": rng.choice(["Y", "N", "N", "N"]),
                "height_in": rng.randrange(58, 78),
                "notes": note,
            }
        )
    # Canary rows: distinctive values in protected columns.
    for row in rows[7::50]:
        row.update({k: v for k, v in CANARIES.items() if k != "notes"})
        row["notes"] = f"Applicant presented {CANARIES['notes']}"
    return rows


def _vehicles(rng: random.Random, drivers: list[dict[str, object]]) -> list[dict[str, object]]:
    out = []
    for _i in range(ROWS):
        d = rng.choice(drivers)
        out.append(
            {
                "vin": "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(17)),
                "plate": f"{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}{rng.choice('ABCDEFGHJK')}-{rng.randrange(100, 999)}",
                "make": rng.choice(MAKES),
                "model_year": rng.randrange(1998, 2027),
                "owner_driver_id": d["driver_id"],
                "registration_county": rng.choice(
                    ["Denver", "Adams", "Arapahoe", "Boulder", "Weld"]
                ),
                "owner_id_document": d["document_presented"],
                "title_status": rng.choice(["CLEAR", "LIEN", "SALVAGE"]),
                "registration_notes": rng.choice(
                    ["", "Plates replaced", "Owner is undocumented per affidavit", "Fee waived"]
                ),
            }
        )
    return out


def _write(
    rows: list[dict[str, object]],
    stem: str,
    formats: tuple[str, ...],
    types: dict[str, pa.DataType],
) -> None:
    if "csv" in formats:
        with (HERE / f"{stem}.csv").open("w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    if "jsonl" in formats:
        with (HERE / f"{stem}.jsonl").open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(
                    json.dumps(
                        {k: (None if v == "" else v) for k, v in r.items()}, ensure_ascii=False
                    )
                    + "\n"
                )
    if "parquet" in formats:
        cols = {}
        for name in rows[0]:
            values = [None if r[name] == "" else r[name] for r in rows]
            t = types.get(name, pa.string())
            if t == pa.date32():
                values = [dt.date.fromisoformat(str(v)) if v else None for v in values]
            if t == pa.bool_():
                values = [v == "Y" for v in values]
            cols[name] = pa.array(values, type=t)
        pq.write_table(pa.table(cols), HERE / f"{stem}.parquet")


def main() -> None:
    rng = random.Random(20261125)
    drivers = _drivers(rng)
    _write(
        drivers,
        "dmv_drivers",
        ("csv", "jsonl", "parquet"),
        {
            "date_of_birth": pa.date32(),
            "issue_date": pa.date32(),
            "expiration_date": pa.date32(),
            "height_in": pa.int64(),
            "organ_donor": pa.bool_(),
            "veteran": pa.bool_(),
        },
    )
    _write(
        _vehicles(rng, drivers),
        "dmv_vehicles",
        ("csv", "jsonl", "parquet"),
        {"model_year": pa.int64()},
    )


if __name__ == "__main__":
    main()
