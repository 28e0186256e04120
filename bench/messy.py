"""Seeded generator of messy DMV-like extracts with ground truth (no real person).

    python bench/messy.py --out /tmp/messy --rows 3000 --seed 7

Variants (one file each, plus ``<name>.truth.json``):

- ``clean``: snake_case headers, plain CSV.
- ``abbreviated``: mainframe headers (``CTZN_STS_CD``, ``LGL_PRES_FLG``...), Parquet.
- ``messy``: human headers with blanks, punctuation and accents; ``;`` delimiter, UTF-8
  BOM, CRLF, quoted embedded newlines, doubled quotes, mixed null tokens and date
  formats, NFD accents, mojibake, and records that are not valid UTF-8.
- ``nested``: JSON lines with status in nested objects and arrays.
- ``nested_parquet``: the same records as Parquet struct and list columns.

Ground truth names, per file: protected columns or paths (and what counts as a leak
there), look-alike decoys that must be released unchanged, ordinary-ID columns that must
be kept, the notes column with per-row labels (``mention`` + the planted phrase,
``negative`` for a hard negative, ``plain``), distinctive identifiers planted anywhere,
and the ids of records that are not valid UTF-8.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import unicodedata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

VARIANTS = ("clean", "abbreviated", "messy", "nested", "nested_parquet")

# Protected columns: key -> (clean, abbreviated, messy header), leak rule.
#   "value": any surviving non-null original value is a leak;
#   "codes": a surviving sensitive code is a leak (generalize keeps the column).
PROTECTED: dict[str, tuple[tuple[str, str, str], str]] = {
    "citizenship": (("citizenship_status", "CTZN_STS_CD", "Citizenship Status  "), "value"),
    "presence": (("lawful_presence_verified", "LGL_PRES_FLG", "Lawful presence?"), "value"),
    "anumber": (("alien_number", "ALN_REG_NBR", "A #"), "value"),
    "i94": (("i94_number", "I94_ADM_NO", "I 94 #"), "value"),
    "cob": (("country_of_birth", "POB_CNTRY", "País de nacimiento"), "value"),
    "doc": (("document_presented", "DOC_PRES_TYP", "Doc. presented"), "value"),
    "lictype": (("license_type", "LIC_TYP_IND", "License type"), "codes"),
    "limited": (("limited_term", "LTD_TRM_FLG", "Limited-term credential"), "value"),
    "visa": (("visa_class", "VISA_CLS_CD", "Visa class"), "value"),
    "itin": (("itin", "ITIN_NBR", "ITIN #"), "value"),
    "passport": (("passport_country", "PPT_CNTRY", "Passport country"), "value"),
    # identifiers under generic names: caught by values
    "gen_anum": (("other_id_3", "OTHER_ID_3", "Other ID 3"), "value"),
    "gen_rcpt": (("ref_no", "REF_NO", "Ref. no"), "value"),
    "gen_save": (("case_ref", "CASE_REF_2", "Case ref"), "value"),
}
# Look-alikes that must be released unchanged.
DECOYS: dict[str, tuple[str, str, str]] = {
    "dob": ("date_of_birth", "BRTH_DT", "Date of birth"),
    "visa_card": ("payment_card_visa_last4", "PMT_CARD_VISA_L4", "Visa card (last 4)"),
    "route": ("route_i94_mile", "HWY_I94_MILE", "I-94 highway mile"),
    "mailing": ("permanent_mailing_address", "PERM_MAIL_ADDR", "Permanent mailing address"),
    "lic_status": ("license_status", "LIC_STS_CD", "License status"),
    "citation": ("citation_number", "CIT_NBR", "Citation #"),
    "county": ("county_of_residence", "RES_CNTY", "County of residence"),
    "make": ("vehicle_make", "VEH_MAKE", "Vehicle make"),
    "phone": ("phone", "PHONE_NBR", "Phone #"),
    "lic_class": ("license_class", "LIC_CLS", "License class"),
}
# Ordinary IDs: letter + 8 digits (a few start with "A", as A-numbers do): kept.
ORDINARY = ("permit_no", "PRMT_NBR", "Permit #")
NOTES = ("notes", "CMNTS", "Observaciones")
ID = ("driver_id", "DRVR_ID", "Driver ID")

SB251 = ["SB251", "SB-251", "NVFP", "NOT VALID FOR FEDERAL PURPOSES", "CO-RCSA"]

MENTIONS_EN = [
    "applicant is undocumented",
    "presented matricula consular",
    "presented a matrícula consular",
    "has a green card",
    "green-card holder",
    "lawful permanent resident",
    "permanent resident card shown",
    "DACA recipient",
    "TPS holder from El Salvador",
    "applied for asylum in 2019",
    "asylee",
    "refugee status",
    "visa overstay",
    "H-1B visa",
    "student visa",
    "not a US citizen",
    "non-citizen",
    "naturalized in 2012",
    "ITIN on file instead of SSN",
    "EAD card expired",
    "employment authorization document",
    "SAVE verification pending",
    "ICE detainer",
    "deported in 2018",
    "in removal proceedings",
    "consular ID presented",
    "foreign passport",
    "immigration status unclear",
    "illegal alien per caller",
    "resident alien",
    "SB251 credential",
    "not valid for federal purposes",
    "USCIS letter",
]
MENTIONS_ES = [
    "es indocumentado",
    "indocumentada",
    "residente permanente",
    "tarjeta verde",
    "no es ciudadano",
    "solicitante de asilo",
    "estatus migratorio irregular",
    "situación migratoria pendiente",
    "permiso de trabajo",
    "sin papeles",
    "ciudadanía en trámite",
    "inmigrante",
    "deportado en 2017",
    "pasaporte extranjero",
]
HARD_NEGATIVES = [
    "Took I-94 east to the Aurora office",
    "Paid with Visa card",
    "License status: revoked",
    "Permanent mailing address on file",
    "2019 Alien kit car, custom build",
    "Watched Alien at the drive-in",
    "Resident of Denver since 2010",
    "Status: active, no holds",
    "Legal name change recorded",
    "Visa debit card declined",
    "Customer was a citizen of the month at work",
    "Vehicle registered at permanent address",
    "Residente de Aurora",
    "Renewal processed, photo retaken",
    "Called about the TPS report for the fleet",
    "Exit 282 off I-94",
    "Legal guardian signed",
    "Ice on the road delayed the test",
]
PLAIN_NOTES = [
    "Renewal in person",
    "Address updated",
    "Vision test passed",
    "Paid fee by check",
    "Duplicate license issued",
    "Knowledge test retake scheduled",
    "Name spelled Peña on old record",
    "Called back, no answer",
]
FIRST = ["Ana", "Luis", "María", "José", "Emily", "Wei", "Fatima", "Olga", "Omar", "Zoë"]
COUNTRIES = ["United States"] * 5 + ["Mexico", "México", "India", "Vietnam", "Guatemala"]
DOCS = ["US PASSPORT", "BIRTH CERTIFICATE", "BIRTH CERTIFICATE", "FOREIGN PASSPORT",
        "CONSULAR ID", "EAD", "I-551"]  # fmt: skip
VISAS = ["H-1B", "F-1", "B1/B2", "J-1", "L-1", "TN"]
CITIZEN = ["US CITIZEN"] * 6 + ["NON-CITIZEN", "LPR", "NATURALIZED", "UNKNOWN"]
CITIZEN_CODES = ["C"] * 6 + ["N", "P", "Z", "U"]
MAKES = ["Toyota", "Ford", "Honda", "Alien Kit", "Subaru", "Chevrolet"]
COUNTIES = ["Denver", "Adams", "Arapahoe", "Boulder", "Weld"]


def _typo(rng: random.Random, phrase: str) -> str:
    """A realistic slip in the phrase's longest word: a letter dropped, doubled or two
    swapped, and the case scrambled."""
    words = phrase.split(" ")
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) >= 9:
        j = rng.randrange(2, len(w) - 2)
        kind = rng.choice(["drop", "double", "swap"])
        if kind == "drop":
            w = w[:j] + w[j + 1 :]
        elif kind == "double":
            w = w[:j] + w[j] + w[j:]
        else:
            w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    words[i] = w
    out = " ".join(words)
    return rng.choice([out, out.upper(), out.lower(), out.title()])


def _anumber(rng: random.Random) -> str:
    n = f"{rng.randrange(10_000_000, 260_000_000):09d}"
    return rng.choice([f"A{n}", f"A-{n[:3]}-{n[3:6]}-{n[6:]}", f"A{n[1:]}"])


def _i94(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return (
            f"{rng.randrange(10**8, 10**9)}{rng.choice(string.ascii_uppercase)}{rng.randrange(10)}"
        )
    return f"{rng.randrange(10**10, 10**11)}"


def _receipt(rng: random.Random) -> str:
    centre = rng.choice(["EAC", "WAC", "LIN", "SRC", "IOE", "MSC"])
    return f"{centre}{rng.randrange(10**9, 10**10):010d}"


def _itin(rng: random.Random) -> str:
    group = rng.choice([50, 63, 70, 78, 88, 90, 94, 99])
    return f"9{rng.randrange(10, 99)}-{group}-{rng.randrange(1000, 9999)}"


def _save(rng: random.Random) -> str:
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(2))
    return f"{rng.randrange(10**12, 10**13):013d}{letters}"


def _note(rng: random.Random) -> tuple[str, str, str | None]:
    """(text, label, planted phrase)."""
    r = rng.random()
    if r < 0.35:
        phrase = rng.choice(MENTIONS_EN + MENTIONS_ES)
        if rng.random() < 0.3:
            phrase = _typo(rng, phrase)
        elif rng.random() < 0.3:
            phrase = rng.choice([phrase.upper(), phrase.title()])
        pre = rng.choice(["", "Clerk: ", "Per counter, ", "Nota: ", "Renewal. "])
        post = rng.choice(["", ".", "; follow up", ", see file", " -- ok"])
        return f"{pre}{phrase}{post}", "mention", phrase
    if r < 0.45:
        a = _anumber(rng)
        return f"Alien reg on letter: {a}", "mention", a
    if r < 0.75:
        return rng.choice(HARD_NEGATIVES), "negative", None
    return rng.choice(PLAIN_NOTES), "plain", None


def _date(rng: random.Random, messy: bool) -> str:
    y, m, d = rng.randrange(1940, 2006), rng.randrange(1, 13), rng.randrange(1, 29)
    if not messy:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return rng.choice(
        [f"{y:04d}-{m:02d}-{d:02d}", f"{m:02d}/{d:02d}/{y:04d}", f"{y:04d}{m:02d}{d:02d}"]
    )


def _null(rng: random.Random, messy: bool) -> str | None:
    return rng.choice(["", "NULL", "N/A", "-"]) if messy else None


def _flat_row(
    rng: random.Random, i: int, v: int, messy: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A record (header -> value) and its truth annotations."""
    foreign = rng.random() < 0.3

    def nz(x: str | None) -> str | None:
        return x if x is not None else _null(rng, messy)

    vals: dict[str, Any] = {
        "citizenship": rng.choice(CITIZEN_CODES if v == 1 else CITIZEN),
        "presence": rng.choice(["Y", "N"]),
        "anumber": nz(_anumber(rng) if foreign else None),
        "i94": nz(_i94(rng) if foreign else None),
        "cob": rng.choice(COUNTRIES),
        "doc": rng.choice(DOCS),
        "lictype": rng.choice(["STANDARD", "STANDARD", "CDL", "INSTRUCTION", rng.choice(SB251)]),
        "limited": rng.choice(["Y", "N", "N"]),
        "visa": nz(rng.choice(VISAS) if foreign else None),
        "itin": nz(_itin(rng) if rng.random() < 0.2 else None),
        "passport": rng.choice(["USA", "USA", "MEX", "IND", "GTM"]),
        "gen_anum": nz(_anumber(rng) if rng.random() < 0.6 else None),
        "gen_rcpt": nz(_receipt(rng) if rng.random() < 0.5 else None),
        "gen_save": nz(_save(rng) if rng.random() < 0.5 else None),
        "dob": _date(rng, messy),
        "visa_card": f"{rng.randrange(10000):04d}",
        "route": f"{rng.randrange(1, 300)}",
        "mailing": f"{rng.randrange(1, 9999)} "
        + rng.choice(["Colfax Ave", "Federal Blvd", "Calle Ñandú"]),
        "lic_status": rng.choice(["VALID", "REVOKED", "SUSPENDED", "EXPIRED"]),
        "citation": f"C{rng.randrange(10**7, 10**8)}",
        "county": rng.choice(COUNTIES),
        "make": rng.choice(MAKES),
        "phone": f"303-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
        "lic_class": rng.choice(["C", "R", "A", "B"]),
        "ordinary": f"{rng.choice(string.ascii_uppercase)}{rng.randrange(10**7, 10**8)}",
        "name": rng.choice(FIRST),
    }
    note, label, phrase = _note(rng)
    if messy:
        r = rng.random()
        if r < 0.05:
            note = note + '\nsecond line, "quoted"'
        elif r < 0.1:
            note = unicodedata.normalize("NFD", note)
        elif r < 0.13:
            note = note.encode("utf-8").decode("cp1252", errors="replace")  # mojibake
            if phrase:
                phrase = phrase.encode("utf-8").decode("cp1252", errors="replace")
        vals["name"] = unicodedata.normalize(rng.choice(["NFC", "NFD"]), vals["name"])
    vals["notes"] = note
    truth = {"label": label, "phrase": phrase}
    return vals, truth


def _headers(v: int) -> dict[str, str]:
    h = {k: names[v] for k, (names, _) in PROTECTED.items()}
    h.update({k: names[v] for k, names in DECOYS.items()})
    h["ordinary"] = ORDINARY[v]
    h["notes"] = NOTES[v]
    h["name"] = ("first_name", "FRST_NM", "First name")[v]
    return h


def _nested_record(rng: random.Random, i: int) -> tuple[dict[str, Any], dict[str, Any]]:
    vals, truth = _flat_row(rng, i, 0, False)
    n_docs = rng.randrange(0, 3)
    rec = {
        "driver_id": f"D{i:07d}",
        "person": {"first_name": vals["name"], "date_of_birth": vals["dob"]},
        "status": {
            "citizenship": vals["citizenship"],
            "lawful_presence": vals["presence"],
            "visa": {"class": vals["visa"], "admission_no": vals["i94"]},
            "alien_number": vals["anumber"],
        },
        "documents": [
            {
                "kind": rng.choice(DOCS),
                "number": f"X{rng.randrange(10**6, 10**7)}",
                "pages": rng.randrange(1, 4),
            }
            for _ in range(n_docs)
        ],
        "license": {
            "type": vals["lictype"],
            "status": vals["lic_status"],
            "class": vals["lic_class"],
        },
        "vehicle": {"make": vals["make"], "route_i94_mile": vals["route"]},
        "payment": {"card_visa_last4": vals["visa_card"]},
        "other_id_3": vals["gen_anum"],
        "comments": [{"author": "clerk", "body": vals["notes"]}],
    }
    return rec, truth


NESTED_PROTECTED = {
    "status.citizenship": "value",
    "status.lawful_presence": "value",
    "status.visa.class": "value",
    "status.visa.admission_no": "value",
    "status.alien_number": "value",
    "documents[].kind": "value",
    "license.type": "codes",
    "other_id_3": "value",
}
NESTED_DECOYS = [
    "person.first_name",
    "person.date_of_birth",
    "documents[].pages",
    "license.status",
    "license.class",
    "vehicle.make",
    "vehicle.route_i94_mile",
    "payment.card_visa_last4",
    "comments[].author",
]


def leaves(
    obj: Any, path: str = "", out: dict[str, list[Any]] | None = None
) -> dict[str, list[Any]]:
    """Leaf path -> its values in one record (``a.b`` for struct fields, ``a[].b`` for a
    field of list elements; a scalar leaf holds one value)."""
    out = {} if out is None else out
    if isinstance(obj, dict):
        for k, v in obj.items():
            leaves(v, f"{path}.{k}" if path else k, out)
    elif isinstance(obj, list):
        out.setdefault(path + "[]", [])  # an empty list still names its path
        for e in obj:
            if isinstance(e, dict):
                leaves(e, path + "[]", out)
            else:
                out.setdefault(path + "[]", []).append(e)
    else:
        out.setdefault(path, []).append(obj)
    return out


def generate(variant: str, out: Path, rows: int, seed: int) -> Path:
    rng = random.Random(f"{seed}:{variant}")
    out.mkdir(parents=True, exist_ok=True)
    truth: dict[str, Any] = {"variant": variant, "sensitive_codes": SB251, "notes_rows": {}}
    if variant.startswith("nested"):
        recs = []
        for i in range(rows):
            rec, t = _nested_record(rng, i)
            recs.append(rec)
            truth["notes_rows"][rec["driver_id"]] = t
            truth.setdefault("rows", {})[rec["driver_id"]] = leaves(rec)
        truth.update(
            id="driver_id",
            protected=NESTED_PROTECTED,
            decoys=NESTED_DECOYS,
            ordinary=[],
            notes="comments[].body",
            bad_records=[],
        )
        if variant == "nested":
            path = out / "nested.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for r in recs:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            path = out / "nested.parquet"
            pq.write_table(pa.Table.from_pylist(recs), path)
    else:
        v = {"clean": 0, "abbreviated": 1, "messy": 2}[variant]
        messy = v == 2
        heads = _headers(v)
        id_col = ID[v]
        order = [id_col, heads["name"]] + [heads[k] for k in heads if k != "name"]
        rng.shuffle(order)
        records = []
        for i in range(rows):
            vals, t = _flat_row(rng, i, v, messy)
            rec = {id_col: f"D{i:07d}"}
            rec.update({heads[k]: vals[k] for k in heads})
            records.append(rec)
            truth["notes_rows"][rec[id_col]] = t
            truth.setdefault("rows", {})[rec[id_col]] = leaves(rec)
        truth.update(
            id=id_col,
            protected={PROTECTED[k][0][v]: PROTECTED[k][1] for k in PROTECTED},
            decoys=[DECOYS[k][v] for k in DECOYS],
            ordinary=[ORDINARY[v]],
            notes=NOTES[v],
            bad_records=[],
        )
        if variant == "abbreviated":
            path = out / "abbreviated.parquet"
            cols = {c: [r[c] for r in records] for c in order}
            pq.write_table(pa.table({c: pa.array(vs, pa.string()) for c, vs in cols.items()}), path)
        else:
            path = out / f"{variant}.csv"
            _write_csv(path, order, records, rng, messy, truth)
    (out / f"{path.name}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1))
    return path


def _quote(value: str | None, delim: str, rng: random.Random, messy: bool) -> str:
    if value is None:
        return ""
    needs = any(c in value for c in (delim, '"', "\n", "\r"))
    if needs or (messy and rng.random() < 0.3):  # inconsistent quoting
        return '"' + value.replace('"', '""') + '"'
    return value


def _write_csv(
    path: Path,
    order: list[str],
    records: list[dict[str, Any]],
    rng: random.Random,
    messy: bool,
    truth: dict[str, Any],
) -> None:
    delim, eol = (";", "\r\n") if messy else (",", "\n")
    with path.open("wb") as f:
        if messy:
            f.write(b"\xef\xbb\xbf")
        f.write((delim.join(_quote(h, delim, rng, messy) for h in order) + eol).encode("utf-8"))
        for rec in records:
            line = (delim.join(_quote(rec[c], delim, rng, messy) for c in order) + eol).encode(
                "utf-8"
            )
            if messy and rng.random() < 0.002:
                # A record that is not valid UTF-8 (a stray Latin-1 byte): never guessed at.
                line = line.replace(b";", b";\xe9", 1)
                truth["bad_records"].append(
                    rec[order[0]] if order[0] == truth["id"] else rec[truth["id"]]
                )
            f.write(line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--rows", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--variants", default=",".join(VARIANTS))
    a = ap.parse_args()
    for v in a.variants.split(","):
        print(generate(v, a.out, a.rows, a.seed))


if __name__ == "__main__":
    main()
