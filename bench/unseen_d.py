"""Fourth held-out corpus: eight state-agency extracts written apart from the filter.

    python bench/unseen_d.py --out DIR [--rows 2000] [--seed 41] [--check]

Layouts (all synthetic, random.Random(seed); phones 555-01xx):

1. court_efile.psv - court e-filing / case-management party export, pipe-delimited, with
   immigration-consequences advisement and interpreter decoys.
2. magi_household.jsonl - hospital presumptive / Medicaid MAGI eligibility, nested
   household members with qualified-non-citizen and five-year-bar fields.
3. realid_scan.csv - DMV REAL ID document-scan audit (UTF-8-BOM, CRLF): lawful-presence
   document type, number and expiry vs proof-of-residency and card-class decoys.
4. jail_booking.csv - county jail booking, semicolon-delimited cp1252, ICE hold /
   consular notification vs criminal warrant and marshal hold decoys.
5. admissions_sevis.tsv - university admissions with SEVIS ids, I-20 dates and F-1/J-1
   classes vs ordinary student ids and in-state tuition residency.
6. snap_case.csv - SNAP/TANF mainframe case unload with short names (ALN_STAT, SPON_IND,
   PRUCOL_IND ...) vs quality-control and ABAWD decoys.
7. ui_claims.jsonl - unemployment-insurance claims: able-and-available, identity
   proofing decoys vs work-authorization verification.
8. opaque.parquet - columns c01..c20: int64 A-numbers, a date32 naturalization date and
   dictionary status codes beside ordinary dates, counts and codes.

Vocabulary from public sources: USCIS form names and numbers (I-551, I-766, I-94, I-20,
DS-2019, I-797, N-550), USCIS receipt prefixes (IOE, EAC, WAC, LIN, SRC, MSC, NBC), EAD
category codes of 8 CFR 274a.12 (A03, A05, A12, C08, C09, C11, C33), the SAVE program's
published response wording, 8 U.S.C. 1641 qualified-alien categories, 8 U.S.C. 1613
five-year bar, ICE Form I-247A, the Vienna Convention consular notification list,
REAL ID Act 2005 sec. 202(c)(2)(B), and SEVIS / SEVP public guidance. The manifest format
and the writer/checker are bench/unseen_b.py's.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import sys
from types import SimpleNamespace as NS

import pyarrow as pa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unseen_b import main as _main

FIRST = "Aroha Bilal Camila Dmitri Esperanza Fatuma Giovanni Hye-jin Ifeoma Joaquín Kalani Lucía"
FIRST = (
    FIRST + " Mateus Nadia Oksana Pradeep Quynh Rashida Soren Tupac Ulla Valentina Wen Ximena"
).split()
LAST = [
    "Acosta",
    "Bjornsen",
    "Chukwu",
    "Dávila",
    "Esposito",
    "Farouk",
    "Gallagher",
    "Hernández",
    "Ivanova",
    "Jaramillo",
]
LAST += [
    "Kowalczyk",
    "Lindqvist",
    "Mbeki",
    "Nakamura",
    "Okonkwo",
    "Peña",
    "Quispe",
    "Rahimi",
    "Szabo",
    "Trujillo",
    "Ueda",
]
STATUS = ["USC", "NAT", "LPR", "REF", "ASY", "DACA", "TPS", "PAR", "NIV", "UND"]
STATUS_W = [45, 12, 15, 4, 4, 4, 4, 3, 5, 4]
COUNTRY = ["Mexico", "Guatemala", "Honduras", "El Salvador", "Haiti", "Venezuela", "India"]
COUNTRY += ["Philippines", "Vietnam", "Ukraine", "Somalia", "Afghanistan", "China", "Nigeria"]
ISO3 = dict(
    zip(
        COUNTRY,
        [
            "MEX",
            "GTM",
            "HND",
            "SLV",
            "HTI",
            "VEN",
            "IND",
            "PHL",
            "VNM",
            "UKR",
            "SOM",
            "AFG",
            "CHN",
            "NGA",
        ],
        strict=True,
    )
)
RCPT = ["IOE", "EAC", "WAC", "LIN", "SRC", "MSC", "NBC"]
EADCAT = {"REF": "A03", "ASY": "A05", "TPS": "A12", "DACA": "C33", "PAR": "C11", "UND": "C08"}
NIVCLS = ["F-1", "J-1", "H-1B", "B-2", "M-1", "H-4"]
COUNTY = ["Ashford", "Bellmoor", "Cedar Fork", "Dunmore", "Elk Basin", "Fairlawn", "Granger"]
LANG = ["Spanish", "Haitian Creole", "Vietnamese", "Somali", "Mixteco", "Pashto", "English"]


def day(r, y0, y1):
    return dt.date(y0, 1, 1) + dt.timedelta(
        days=r.randrange((dt.date(y1, 12, 31) - dt.date(y0, 1, 1)).days)
    )


def phone(r):
    return f"({r.randint(201, 989)}) 555-01{r.randint(0, 99):02d}"


# ------------------------------------------------------------------ notes
# [[...]] marks a span that reveals status and must be gone after the filter.
MENTION_CIT = [
    "Showed [[U.S. passport]] as proof of [[citizenship]]",
    "[[Naturalization certificate]] seen, [[naturalized {Y}]]",
    "Applicant states [[she is a US citizen by birth]]",
    "Presentó [[pasaporte estadounidense]]; [[ciudadana]] por nacimiento",
    "[[Se naturalizó]] en {Y}, certificado N-550 visto",
    "[[Naturalizd]] {Y} per client, cert copy filed",
    "[[US citizn]] per birth cert - Ohio",
]
MENTION_NC = [
    "Client has [[green card]], [[resident since {Y}]]",
    "Showed [[perminant resident card]] at the window",
    "Said she [[entered on a tourist visa]] in {Y} and [[overstayed]]",
    "[[Not a U.S. citizen]]; referred to immigration counsel",
    "[[Asylum application pending]] since {Y}",
    "Has [[work permit]] good until {D}",
    "[[ICE detainer]] mentioned by officer at intake",
    "[[undocumented]] per mother, no SSN",
    "Dice que [[no tiene papeles]]",
    "Presentó [[tarjeta de residente permanente]]",
    "[[Solicitud de asilo]] pendiente desde {Y}",
    "Tiene [[permiso de trabajo]], vence {D}",
    "[[indocumentado]] según la hija",
    "Cliente tem [[green card]] desde {Y}",
    "[[Refugee]] arrival {Y}, resettlement agency called",
    "[[I-55l]] presented, copy made",
]
MENTION_ID = {
    "anum": [
        "A-number on file: [[{v}]]",
        "Número de extranjero [[{v}]]",
        "Alien no. [[{v}]] given",
    ],
    "rcpt": ["USCIS receipt [[{v}]] pending", "Recibo de USCIS [[{v}]]"],
    "i94": ["I-94 [[{v}]] printed from CBP site", "Arrival record [[{v}]]"],
}
NEGATIVE = [
    "Paid the fee with Visa card ending 4411",
    "Green card stock ran out at the printer; reorder",
    "Citizen complaint about parking forwarded to county",
    "Interpreter requested: {L}",
    "Resident of {K} County since {Y}",
    "Alien Ant Farm concert refund noted",
    "Status of case: closed, documents returned",
    "Naturalist program volunteer badge issued",
    "Foreign object removed from left eye",
    "Senior citizen discount applied",
    "Pagó con tarjeta Visa",
    "Ciudadano llamó para quejarse del ruido",
    "Residente del condado desde {Y}",
    "Necesita intérprete de {L}",
    "Estado civil actualizado a casado",
    "Permanent address changed to PO box",
    "Work permit for the street fair approved by city",
]
PLAIN = [
    "Left message at 555-01{n}",
    "Address updated",
    "Documents scanned, 3 pages",
    "Rescheduled to {D}",
    "Llamó para cambiar la cita",
    "Sin novedades",
    "No answer, will retry",
    "Mailed notice {D}",
]


# ------------------------------------------------------------------ extract
class Extract:
    """One extract's random stream, people, planted identifiers and note labels."""

    def __init__(self, seed, rows, name):
        self.r = random.Random(f"unseen_d/{seed}/{name}")
        self.n, self.planted, self.labels, self.taken = rows, set(), {}, set()

    def plant(self, v):
        if v not in (None, ""):
            self.planted.add(str(v))
        return v

    def uniq(self, f):
        v = f()
        while v in self.taken:
            v = f()
        self.taken.add(v)
        return v

    def dig(self, k, first="123456789"):
        r = self.r
        return r.choice(first) + "".join(r.choice("0123456789") for _ in range(k - 1))

    def person(self):
        r, u = self.r, self.uniq
        st = r.choices(STATUS, STATUS_W)[0]
        p = NS(st=st, first=r.choice(FIRST), last=r.choice(LAST), dob=day(r, 1948, 2007))
        p.cit, p.nc = st in ("USC", "NAT"), st not in ("USC", "NAT")
        p.country = "United States" if p.cit else r.choice(COUNTRY)
        p.anum = (
            u(lambda: self.dig(9, "12"))
            if st in ("NAT", "LPR", "REF", "ASY", "DACA", "TPS", "PAR")
            else None
        )
        p.i94 = u(lambda: self.dig(11, "3456789")) if st in ("REF", "ASY", "PAR", "NIV") else None
        p.rcpt = (
            u(lambda: r.choice(RCPT) + self.dig(10, "129"))
            if st in ("DACA", "TPS", "PAR", "ASY") or (st == "LPR" and r.random() < 0.3)
            else None
        )
        p.natz = day(r, 1985, 2025) if st == "NAT" else None
        p.entry = day(r, 1990, 2025) if st != "USC" else None
        p.ead = EADCAT.get(st) if st != "UND" or r.random() < 0.3 else None
        if st == "LPR":
            p.ead = None
        p.ead_exp = day(r, 2025, 2029) if p.ead else None
        p.visa = r.choice(NIVCLS) if st == "NIV" else None
        p.sevis = (
            u(lambda: "N00" + self.dig(8, "0123")) if p.visa in ("F-1", "J-1", "M-1") else None
        )
        return p

    def rows(self, fn):
        return [fn(self.person(), i) for i in range(self.n)]

    def note(self, col, rid, p, share=(0.38, 0.25, 0.25)):
        """A note for row ``rid`` of ``col``, its label recorded; None for an empty note."""
        r = self.r
        k = r.random()
        lab = self.labels.setdefault(col, {})
        fill = dict(
            Y=str(r.randint(1995, 2024)),
            D=day(r, 2025, 2028).strftime("%m/%d/%Y"),
            L=r.choice(LANG),
            K=r.choice(COUNTY),
            n=f"{r.randint(0, 99):02d}",
        )
        if k < share[0]:
            pool = list(MENTION_CIT if p.cit else MENTION_NC)
            ids = [(f, getattr(p, f)) for f in ("anum", "rcpt", "i94") if getattr(p, f)]
            t = r.choice(pool)
            if ids and r.random() < 0.45:
                f, v = r.choice(ids)
                v = ("A" + v) if f == "anum" and r.random() < 0.6 else v
                self.plant(v)
                t = r.choice(MENTION_ID[f]).replace("{v}", v)
            for a, b in fill.items():
                t = t.replace("{" + a + "}", b)
            spans = re.findall(r"\[\[(.+?)\]\]", t)
            text = t.replace("[[", "").replace("]]", "")
            lab[str(rid)] = {"label": "mention", "spans": spans}
            return text
        if k < share[0] + share[1]:
            t, kind = r.choice(NEGATIVE), "negative"
        elif k < sum(share):
            t, kind = r.choice(PLAIN), "plain"
        else:
            return None
        for a, b in fill.items():
            t = t.replace("{" + a + "}", b)
        lab[str(rid)] = {"label": kind}
        return t


def spec(file, layout, id_, cols, **kw):
    s = {"file": file, "layout": layout, "id": id_}
    s["protected"] = [c[1] for c in cols if c[0] == "P"]
    s["decoys"] = [c[1] for c in cols if c[0] == "D"]
    s["notes"] = [c[1] for c in cols if c[0] == "N"]
    s.update(kw)
    s.setdefault("format", "csv")
    return s


def flat(x, cols):
    return x.rows(lambda p, i: {c[1]: c[2](p, i) for c in cols})


def d(v, fmt="%Y-%m-%d"):
    return v.strftime(fmt) if v else None


def csvopt(delim=",", bom=False, crlf=False, nulls=("",), encoding=None):
    o = {"delim": delim, "bom": bom, "crlf": crlf, "nulls": list(nulls)}
    if encoding:
        o["encoding"] = encoding
    return o


# ---- 1 court e-filing party export
def x_court_efile(x):
    r, P = x.r, x.plant
    cit_word = {"USC": "US CITIZEN", "NAT": "US CITIZEN", "UND": "NONCITIZEN-NO STATUS"}
    cols = [
        ("O", "PARTY_ID", lambda p, i: f"CP{700000 + i}"),
        ("D", "CASE_NUMBER", lambda p, i: f"{r.randint(20, 26)}-CR-{r.randint(1, 99999):05d}"),
        ("D", "DEF_LAST_NAME", lambda p, i: p.last),
        ("D", "DEF_DOB", lambda p, i: d(p.dob, "%m/%d/%Y")),
        ("D", "IMM_CONSEQ_ADVISED", lambda p, i: r.choice(["Y", "Y", "Y", "N"])),
        ("D", "INTERPRETER_NEEDED", lambda p, i: r.choice(["Y", "N", "N"])),
        ("D", "INTERP_LANGUAGE", lambda p, i: r.choice(LANG)),
        (
            "D",
            "CHARGE_STATUTE",
            lambda p, i: f"{r.randint(12, 90)}-{r.randint(1, 9)}-{r.randint(100, 999)}",
        ),
        ("D", "CASE_STATUS", lambda p, i: r.choice(["OPEN", "DISPOSED", "WARRANT", "STAYED"])),
        ("D", "BOND_AMT", lambda p, i: f"{r.choice([500, 1000, 2500, 10000])}.00"),
        ("D", "ATTY_BAR_NO", lambda p, i: f"BAR{r.randint(10000, 99999)}"),
        ("D", "DEF_PHONE", lambda p, i: phone(r)),
        ("P", "DEF_CITIZENSHIP_STAT", lambda p, i: cit_word.get(p.st, "NONCITIZEN-" + p.st)),
        ("P", "DEF_CTRY_OF_CITIZENSHIP", lambda p, i: p.country),
        ("P", "DEF_ALIEN_REG_NO", lambda p, i: P("A" + p.anum) if p.anum else None),
        (
            "P",
            "ICE_DETAINER_RCVD",
            lambda p, i: ("Y" if r.random() < 0.4 else "N") if p.nc else "N",
        ),
        (
            "P",
            "I247A_DATE",
            lambda p, i: d(day(r, 2020, 2025), "%m/%d/%Y") if p.nc and r.random() < 0.4 else None,
        ),
        ("P", "PADILLA_NONCIT_REFERRAL", lambda p, i: "Y" if p.nc and r.random() < 0.7 else "N"),
        ("P", "CONSUL_NOTIF_COUNTRY", lambda p, i: p.country if p.nc else None),
        (
            "P",
            "DEF_IMMIG_DOC_TYPE",
            lambda p, i: {"LPR": "I-551", "NIV": "I-94"}.get(p.st, "I-766" if p.ead else None),
        ),
        ("P", "DEF_USCIS_RECEIPT", lambda p, i: P(p.rcpt)),
        (
            "P",
            "REMOVAL_PROCEEDINGS_PENDING",
            lambda p, i: ("Y" if r.random() < 0.3 else "N") if p.nc else "N",
        ),
        ("P", "DEF_VISA_CLASS", lambda p, i: p.visa or {"REF": "RE", "ASY": "AS"}.get(p.st)),
        ("P", "DEF_I94_NO", lambda p, i: P(p.i94)),
        ("N", "CLERK_NOTE", None),
    ]

    def row(p, i):
        rec = {c[1]: c[2](p, i) for c in cols if c[2]}
        rec["CLERK_NOTE"] = x.note("CLERK_NOTE", rec["PARTY_ID"], p)
        return rec

    return spec(
        "court_efile.psv",
        "court case-management party export",
        "PARTY_ID",
        cols,
        rows=x.rows(row),
        csv=csvopt("|", nulls=("", "NULL")),
    )


# ---- 2 Medicaid MAGI household JSONL
def x_magi_household(x):
    r, P = x.r, x.plant
    qnc = {"LPR": "Q1-LPR", "REF": "Q2-REFUGEE", "ASY": "Q3-ASYLEE", "PAR": "Q5-PAROLEE"}

    def member(p, rel):
        return {
            "relationship": rel,
            "given_name": p.first,
            "birth_date": d(p.dob),
            "tax_filer_status": r.choice(["FILER", "DEPENDENT", "NON-FILER"]),
            "monthly_magi_income": round(r.uniform(0, 4200), 2),
            "is_pregnant": r.random() < 0.05,
            "tribal_member": r.random() < 0.04,
            "state_residency_verified": r.choice(["ATTESTED", "VERIFIED-DMV", "VERIFIED-LEASE"]),
            "citizenship_attested": "Y" if p.cit else "N",
            "qualified_noncitizen_code": qnc.get(p.st, "NQ" if p.nc else None),
            "five_year_bar_met": (r.choice(["Y", "N"]) if p.st == "LPR" else None),
            "lp_document": {
                "kind": {"LPR": "I-551", "NIV": "I-94", "REF": "I-94"}.get(
                    p.st, "I-766" if p.ead else None
                ),
                "number": P("A" + p.anum) if p.anum else P(p.i94),
                "expires": d(p.ead_exp),
            },
            "save_step_result": (
                r.choice(
                    [
                        "LAWFUL PERMANENT RESIDENT",
                        "INSTITUTE ADDITIONAL VERIFICATION",
                        "TEMPORARY RESIDENT",
                    ]
                )
                if p.nc
                else None
            ),
            "emergency_medicaid_only": p.st in ("UND", "NIV")
            or (p.st == "LPR" and r.random() < 0.3),
            "us_entry_date": d(p.entry) if p.nc else None,
            "arrival_record_no": P(p.i94),
        }

    def row(p, i):
        hh = [member(p, "SELF")] + [
            member(x.person(), r.choice(["SPOUSE", "CHILD", "PARENT"]))
            for _ in range(r.randint(0, 3))
        ]
        rid = f"MAGI-{2025}{i:06d}"
        return {
            "application_id": rid,
            "submitted": d(day(r, 2024, 2025)),
            "county": r.choice(COUNTY),
            "household_size": len(hh),
            "program_track": r.choice(["MAGI-ADULT", "MAGI-CHILD", "CHIP", "HOSPITAL-PE"]),
            "contact_phone": phone(r),
            "members": hh,
            "caseworker_note": x.note("caseworker_note", rid, p),
        }

    m = "members."
    cols = [
        ("D", "submitted"),
        ("D", "county"),
        ("D", "household_size"),
        ("D", "program_track"),
        ("D", "contact_phone"),
        ("D", m + "relationship"),
        ("D", m + "birth_date"),
        ("D", m + "tax_filer_status"),
        ("D", m + "monthly_magi_income"),
        ("D", m + "is_pregnant"),
        ("D", m + "tribal_member"),
        ("D", m + "state_residency_verified"),
        ("P", m + "citizenship_attested"),
        ("P", m + "qualified_noncitizen_code"),
        ("P", m + "five_year_bar_met"),
        ("P", m + "lp_document.kind"),
        ("P", m + "lp_document.number"),
        ("P", m + "lp_document.expires"),
        ("P", m + "save_step_result"),
        ("P", m + "emergency_medicaid_only"),
        ("P", m + "us_entry_date"),
        ("P", m + "arrival_record_no"),
        ("N", "caseworker_note"),
    ]
    return spec(
        "magi_household.jsonl",
        "Medicaid MAGI eligibility, nested household",
        "application_id",
        cols,
        format="jsonl",
        records=x.rows(row),
    )


# ---- 3 DMV REAL ID document-scan audit
def x_realid_scan(x):
    r, P = x.r, x.plant

    def doc(p):
        if p.st == "USC":
            return r.choice(["USPP", "BC-US", "PPCARD"]), None, None
        if p.st == "NAT":
            return "N550", "A" + p.anum, None
        if p.st == "LPR":
            return "I551", "A" + p.anum, d(day(r, 2026, 2035), "%Y%m%d")
        if p.ead:
            return "I766", "A" + p.anum if p.anum else (p.rcpt or None), d(p.ead_exp, "%Y%m%d")
        if p.i94:
            return "FPP+I94", p.i94, d(day(r, 2025, 2028), "%Y%m%d")
        return "NONE", None, None

    def row(p, i):
        kind, num, exp = doc(p)
        sid = f"RS{r.randint(1, 9)}{i:07d}"
        limited = p.nc and p.st != "LPR"
        return {
            "SCAN_ID": sid,
            "OFFICE_NO": f"{r.randint(1, 120):03d}",
            "OPERATOR_ID": f"OP{r.randint(100, 999)}",
            "SCAN_TS": f"{day(r, 2024, 2025)} {r.randint(8, 16):02d}:{r.randint(0, 59):02d}",
            "CARD_CLASS": r.choice(["C", "M", "CM", "ID"]),
            "CARD_EXP_DT": d(day(r, 2026, 2033), "%Y%m%d"),
            "RES_DOC1_TYPE": r.choice(["UTILITY BILL", "LEASE", "BANK STMT", "PAYSTUB"]),
            "RES_DOC1_DT": d(day(r, 2024, 2025), "%Y%m%d"),
            "SSOLV_RESULT": r.choice(["MATCH", "MATCH", "NO MATCH-NAME", "DECEASED FLAG"]),
            "NAME_CHG_DOC": r.choice(["", "MARRIAGE CERT", "COURT ORDER"]),
            "IMG_QUALITY": r.randint(40, 100),
            "ORGAN_DONOR": r.choice("YN"),
            "VETERAN_IND": r.choice("YNN"),
            "LP_DOC_TYPE_CD": kind,
            "LP_DOC_NBR": P(num),
            "LP_DOC_EXP_DT": exp,
            "SAVE_CASE_NBR": P(x.uniq(lambda: f"{r.randint(2024, 2025)}{x.dig(9)}AB"))
            if p.nc and kind != "NONE"
            else None,
            "SAVE_RESP_TXT": ("VERIFIED - " + kind) if p.nc and kind != "NONE" else None,
            "LIMITED_TERM_IND": "Y" if limited else "N",
            "LIC_END_LINKED_TO_STAY": exp if limited else None,
            "COUNTRY_ISSUING_PP": (
                ISO3[p.country]
                if p.nc and kind == "FPP+I94"
                else ("USA" if kind == "USPP" else None)
            ),
            "NATZ_CERT_DT": d(p.natz, "%Y%m%d"),
            "I94_ADMIT_CLASS": ({"REF": "RE", "ASY": "AS", "PAR": "DT"}.get(p.st) or p.visa),
            "OPR_REMARK": x.note("OPR_REMARK", sid, p),
        }

    cols = [
        (
            (
                "D"
                if k
                in [
                    "OFFICE_NO",
                    "OPERATOR_ID",
                    "SCAN_TS",
                    "CARD_CLASS",
                    "CARD_EXP_DT",
                    "RES_DOC1_TYPE",
                    "RES_DOC1_DT",
                    "SSOLV_RESULT",
                    "NAME_CHG_DOC",
                    "IMG_QUALITY",
                    "ORGAN_DONOR",
                    "VETERAN_IND",
                ]
                else "P"
            ),
            k,
        )
        for k in [
            "OFFICE_NO",
            "OPERATOR_ID",
            "SCAN_TS",
            "CARD_CLASS",
            "CARD_EXP_DT",
            "RES_DOC1_TYPE",
            "RES_DOC1_DT",
            "SSOLV_RESULT",
            "NAME_CHG_DOC",
            "IMG_QUALITY",
            "ORGAN_DONOR",
            "VETERAN_IND",
            "LP_DOC_TYPE_CD",
            "LP_DOC_NBR",
            "LP_DOC_EXP_DT",
            "SAVE_CASE_NBR",
            "SAVE_RESP_TXT",
            "LIMITED_TERM_IND",
            "LIC_END_LINKED_TO_STAY",
            "COUNTRY_ISSUING_PP",
            "NATZ_CERT_DT",
            "I94_ADMIT_CLASS",
        ]
    ]
    cols.append(("N", "OPR_REMARK"))
    rows = x.rows(row)
    for rec in rows:
        if rec["NAME_CHG_DOC"] == "":
            rec["NAME_CHG_DOC"] = "NONE"
    return spec(
        "realid_scan.csv",
        "DMV REAL ID document-scan audit",
        "SCAN_ID",
        cols,
        rows=rows,
        csv=csvopt(",", bom=True, crlf=True, nulls=("",)),
    )


# ---- 4 county jail booking, cp1252
def x_jail_booking(x):
    r, P = x.r, x.plant

    def row(p, i):
        bk = f"B{25}{i:06d}"
        ice = p.nc and r.random() < 0.35
        return {
            "BKG_NO": bk,
            "INMATE_NM": f"{p.last}, {p.first}",
            "BOOK_DT": d(day(r, 2024, 2025), "%d.%m.%Y"),
            "CHARGE_DESC": r.choice(["DUI", "THEFT 3RD", "ASSAULT 4", "FTA", "TRESPASS"]),
            "BAIL_AMT": r.choice(["500", "1500", "NO BAIL", "ROR"]),
            "HOUSING_UNIT": f"{r.choice('ABCD')}-{r.randint(1, 40)}",
            "CRIM_HOLD_TYPE": r.choice(
                ["NONE", "WARRANT-OTHER CNTY", "PROBATION HOLD", "USMS HOLD"]
            ),
            "HOLD_AGENCY_ORI": f"ST{r.randint(1000000, 9999999)}",
            "SID_NO": f"SID{r.randint(100000, 999999)}",
            "CLASS_LEVEL": r.choice(["MIN", "MED", "MAX"]),
            "MED_SCREEN": r.choice(["CLEAR", "REFER"]),
            "IMMIG_HOLD": "SÍ" if ice else "NO",
            "I247_RCVD_DT": d(day(r, 2024, 2025), "%d.%m.%Y") if ice else None,
            "CONSULAR_NOTIF_CTRY": p.country if p.nc else None,
            "CONSULAR_NOTIF_DT": d(day(r, 2024, 2025), "%d.%m.%Y")
            if p.nc and r.random() < 0.6
            else None,
            "SCR_287G_RESULT": (
                r.choice(["REMOVABLE", "NOT AMENABLE", "PENDING ERO"]) if p.nc else "US CITIZEN"
            ),
            "POB_CITIZENSHIP": ("EE.UU." if p.cit else p.country)
            + (" (nat.)" if p.st == "NAT" else ""),
            "ALIEN_FILE_NO": P("A" + p.anum) if p.anum else None,
            "ERO_FOLLOWUP": "Y" if ice else "N",
            "ICE_RELEASE_TO": "ICE ERO" if ice and r.random() < 0.5 else None,
            "IMMIG_DOC_SEEN": {"LPR": "I-551", "NAT": "N-550"}.get(p.st, "I-94" if p.i94 else None),
            "INTAKE_NARR": x.note("INTAKE_NARR", bk, p),
        }

    names = list(row(x.person(), 0))
    dec = [
        "INMATE_NM",
        "BOOK_DT",
        "CHARGE_DESC",
        "BAIL_AMT",
        "HOUSING_UNIT",
        "CRIM_HOLD_TYPE",
        "HOLD_AGENCY_ORI",
        "SID_NO",
        "CLASS_LEVEL",
        "MED_SCREEN",
    ]
    x.labels.clear()
    x.planted.clear()
    cols = [("N" if k == "INTAKE_NARR" else "D" if k in dec else "P", k) for k in names[1:]]
    return spec(
        "jail_booking.csv",
        "county jail booking",
        "BKG_NO",
        cols,
        rows=x.rows(row),
        csv=csvopt(";", nulls=("", "--"), encoding="cp1252"),
    )


# ---- 5 university admissions / SEVIS
def x_admissions_sevis(x):
    r, P = x.r, x.plant

    def row(p, i):
        ref = f"AP-{r.randint(10, 99)}{i:05d}"
        intl = p.st == "NIV" or (p.nc and r.random() < 0.2)
        return {
            "applicant_ref": ref,
            "student_id": f"U{r.randint(1000000, 9999999)}",
            "admit_term": r.choice(["FA25", "SP26", "FA26"]),
            "intended_major": r.choice(["BIOL", "CS", "NURS", "ECON", "HIST", "MECH"]),
            "hs_ceeb": f"{r.randint(100000, 999999)}",
            "gpa_weighted": f"{r.uniform(2.0, 4.6):.2f}",
            "test_optional": r.choice("YN"),
            "tuition_residency": r.choice(["IN-STATE", "OUT-OF-STATE", "IN-STATE", "WUE"]),
            "first_gen": r.choice("YN"),
            "housing_pref": r.choice(["ON", "OFF", "COMMUTER"]),
            "decision": r.choice(["ADMIT", "DENY", "WAITLIST"]),
            "sevis_id": P(p.sevis),
            "i20_issue_date": d(day(r, 2024, 2025)) if p.sevis else None,
            "visa_class": p.visa,
            "intl_applicant": "Y" if intl else "N",
            "citizenship_country": p.country,
            "dual_citizen": "Y" if p.cit and r.random() < 0.05 else "N",
            "ab540_affidavit": "Y" if p.st in ("UND", "DACA") else "N",
            "daca_tps_self_report": {"DACA": "DACA", "TPS": "TPS"}.get(p.st),
            "perm_res_card_no": P("A" + p.anum) if p.st == "LPR" else None,
            "ds2019_no": P(x.uniq(lambda: "N00" + x.dig(8, "456"))) if p.visa == "J-1" else None,
            "fin_cert_amount": f"{r.randint(30000, 90000)}" if p.sevis else None,
            "reader_comments": x.note("reader_comments", ref, p),
        }

    names = list(row(x.person(), 0))
    x.labels.clear()
    x.planted.clear()
    prot = set(names[names.index("sevis_id") : names.index("fin_cert_amount") + 1])
    cols = [("N" if k == "reader_comments" else "P" if k in prot else "D", k) for k in names[1:]]
    return spec(
        "admissions_sevis.tsv",
        "university admissions with SEVIS",
        "applicant_ref",
        cols,
        rows=x.rows(row),
        csv=csvopt("\t", nulls=("", "n/a")),
    )


# ---- 6 SNAP/TANF mainframe case unload
def x_snap_case(x):
    r, P = x.r, x.plant
    aln = {
        "USC": "C",
        "NAT": "C",
        "LPR": "L",
        "REF": "R",
        "ASY": "Y",
        "PAR": "P",
        "DACA": "D",
        "TPS": "T",
        "NIV": "N",
        "UND": "U",
    }

    def row(p, i):
        cn = f"{r.randint(10, 99)}{i:07d}K"
        return {
            "CASE_NO": cn,
            "OFC_CD": f"{r.randint(1, 88):02d}",
            "WRKR_ID": f"W{r.randint(1000, 9999)}",
            "HH_SZ": r.randint(1, 7),
            "GRS_INC": r.randint(0, 3900),
            "SHLT_CST": r.randint(0, 1800),
            "CERT_PD": r.choice([6, 12, 24]),
            "ELIG_DT": d(day(r, 2024, 2025), "%Y%m%d"),
            "ABAWD_IND": r.choice("YN"),
            "QC_CD": r.choice(["00", "11", "23", "41"]),
            "ELD_IND": r.choice("YNN"),
            "STU_IND": r.choice("YNNN"),
            "ALN_STAT": aln[p.st],
            "QUAL_ALN_CD": {"LPR": "01", "REF": "03", "ASY": "04", "PAR": "05"}.get(
                p.st, "99" if p.nc else "00"
            ),
            "ALN_NO": P("A" + p.anum) if p.anum else None,
            "SPON_IND": "Y" if p.st == "LPR" and r.random() < 0.5 else "N",
            "SPON_INC": r.randint(2000, 9000) if p.st == "LPR" and r.random() < 0.5 else None,
            "PRUCOL_IND": "Y" if p.st in ("DACA", "TPS", "PAR") else "N",
            "US_ENTRY_DT": d(p.entry, "%Y%m%d"),
            "Q40_CREDIT": r.choice(["Y", "N"]) if p.st == "LPR" else None,
            "VER_SRC": "SAVE" if p.nc else "SSA-CIT",
            "CIT_VER_CD": "V" if p.cit else "N",
            "SAVE_VER_NO": P(x.uniq(lambda: f"{r.randint(2023, 2025)}{x.dig(9)}QZ"))
            if p.nc and p.st != "UND"
            else None,
            "CASE_CMT": x.note("CASE_CMT", cn, p),
        }

    names = list(row(x.person(), 0))
    x.labels.clear()
    x.planted.clear()
    i0 = names.index("ALN_STAT")
    cols = [
        ("N" if k == "CASE_CMT" else "P" if j >= i0 else "D", k) for j, k in enumerate(names) if j
    ]
    return spec(
        "snap_case.csv",
        "SNAP/TANF mainframe case unload",
        "CASE_NO",
        cols,
        rows=x.rows(row),
        csv=csvopt(",", nulls=("", "NULL")),
    )


# ---- 7 UI claims JSONL
def x_ui_claims(x):
    r, P = x.r, x.plant

    def row(p, i):
        cid = f"UI{2025}-{i:06d}"
        wa = p.nc
        return {
            "claim_id": cid,
            "filed": d(day(r, 2024, 2025)),
            "weekly_benefit_amount": r.randint(120, 780),
            "base_period_wages": r.randint(4000, 80000),
            "separation_reason": r.choice(["LACK OF WORK", "QUIT", "DISCHARGE", "LAYOFF"]),
            "able_and_available": r.choice(["Y", "Y", "N"]),
            "work_search_contacts": r.randint(0, 5),
            "identity_verified": r.choice(["ID.ME", "IN-PERSON", "PENDING"]),
            "union_member": r.random() < 0.1,
            "claimant": {
                "first": p.first,
                "phone": phone(r),
                "county": r.choice(COUNTY),
                "citizen_yn": "Y" if p.cit else "N",
                "citizenship_country": p.country,
            },
            "work_auth": {
                "verified_via": "SAVE" if wa else None,
                "doc_type": (
                    "I-551" if p.st == "LPR" else "I-766" if p.ead else "I-94" if p.i94 else None
                ),
                "ead_category": p.ead,
                "ead_expires": d(p.ead_exp),
                "alien_number": P("A" + p.anum) if p.anum and p.nc else None,
                "authorized_during_base_period": (r.choice(["Y", "N"]) if wa else None),
                "i94_number": P(p.i94),
                "uscis_receipt": P(p.rcpt),
            },
            "adjudicator_note": x.note("adjudicator_note", cid, p),
        }

    cols = [
        ("D", k)
        for k in [
            "filed",
            "weekly_benefit_amount",
            "base_period_wages",
            "separation_reason",
            "able_and_available",
            "work_search_contacts",
            "identity_verified",
            "union_member",
            "claimant.first",
            "claimant.phone",
            "claimant.county",
        ]
    ]
    cols += [
        ("P", k)
        for k in [
            "claimant.citizen_yn",
            "work_auth.verified_via",
            "work_auth.doc_type",
            "work_auth.ead_category",
            "work_auth.ead_expires",
            "work_auth.alien_number",
            "work_auth.authorized_during_base_period",
            "work_auth.i94_number",
            "work_auth.uscis_receipt",
            "claimant.citizenship_country",
        ]
    ]
    cols.append(("N", "adjudicator_note"))
    return spec(
        "ui_claims.jsonl",
        "unemployment-insurance claims",
        "claim_id",
        cols,
        format="jsonl",
        records=x.rows(row),
    )


# ---- 8 opaque parquet
def x_opaque(x):
    r, P = x.r, x.plant
    ppl = [x.person() for _ in range(x.n)]
    dic = lambda vals: pa.array(vals).dictionary_encode()  # noqa: E731
    st_code = {
        "USC": "U1",
        "NAT": "U2",
        "LPR": "L1",
        "REF": "R1",
        "ASY": "R2",
        "DACA": "D1",
        "TPS": "T1",
        "PAR": "P1",
        "NIV": "V1",
        "UND": "X9",
    }
    cols = {
        "c01": pa.array([f"K{900000 + i}" for i in range(x.n)]),
        "c02": pa.array([r.randint(1, 9) for _ in ppl], pa.int64()),
        "c03": pa.array([p.dob for p in ppl], pa.date32()),
        "c04": pa.array([int(P(p.anum)) if p.anum else None for p in ppl], pa.int64()),
        "c05": dic([r.choice(COUNTY) for _ in ppl]),
        "c06": pa.array([round(r.uniform(0, 900), 2) for _ in ppl], pa.float64()),
        "c07": pa.array([p.natz for p in ppl], pa.date32()),
        "c08": pa.array([r.randint(80001, 83999) for _ in ppl], pa.int64()),
        "c09": dic([st_code[p.st] for p in ppl]),
        "c10": dic([r.choice("MFX") for _ in ppl]),
        "c11": pa.array([day(r, 2023, 2025) for _ in ppl], pa.date32()),
        "c12": pa.array([P(p.i94) for p in ppl]),
        "c13": dic([r.choice(["SNAP", "WIC", "LIHEAP", "CCAP"]) for _ in ppl]),
        "c14": pa.array([r.random() < 0.5 for _ in ppl]),
        "c15": pa.array([P(p.rcpt) for p in ppl]),
        "c16": pa.array([phone(r) for _ in ppl]),
        "c17": pa.array([r.randint(1, 8) for _ in ppl], pa.int64()),
        "c18": dic([p.ead for p in ppl]),
        "c19": dic([r.choice(LANG) for _ in ppl]),
        "c20": pa.array([p.entry for p in ppl], pa.date32()),
    }
    table = pa.table(cols)
    prot = {"c04", "c07", "c09", "c12", "c15", "c18", "c20"}
    spec_cols = [("P" if k in prot else "D", k) for k in cols if k != "c01"]
    return spec(
        "opaque.parquet", "opaque c01..c20 parquet", "c01", spec_cols, format="parquet", table=table
    )


EXTRACTS = [
    x_court_efile,
    x_magi_household,
    x_realid_scan,
    x_jail_booking,
    x_admissions_sevis,
    x_snap_case,
    x_ui_claims,
    x_opaque,
]


def main(argv=None):
    return _main(argv, extracts=EXTRACTS, make=Extract, corpus="unseen_d", seed=41, doc=__doc__)


if __name__ == "__main__":
    sys.exit(main())
