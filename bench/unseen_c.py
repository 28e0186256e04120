#!/usr/bin/env python3
"""Third independent held-out corpus ("unseen_c") for the immigration-status redaction filter.

    python bench/unseen_c.py --out DIR [--rows N] [--seed S] [--check]

Writes ten synthetic extracts (N rows each, default 2000, seed 31) and DIR/manifest.json in
the manifest format of bench/unseen_b.py (whose generic writer and checker it reuses; a CSV
entry may carry an ``encoding``, default utf-8): per extract the protected columns (status
data and its proxies, to be withheld whole), the decoys (look alike, to be released byte
for byte), every free-text notes column with per-row labels (mention / negative / plain;
a mention lists the exact sensitive substrings written in the note) and every planted
identifier. Written without reference to the filter's code, rules, tests or the other
corpora's vocabulary; layouts, names, phrasing and values are new. Everything is
synthetic and drawn from random.Random(seed); phone numbers use the 555-01xx block.

Layouts
  1 ca_dl_unload.csv        fixed-width DL master unload converted to CSV: ',', CRLF, terse
                            4-6 letter names (FEDLM, LPDOC, LPDXP, AFFDT, ANBR, SAVNO ...),
                            upper-case values, AB 60 "FEDERAL LIMITS APPLY" card text.
  2 ui_reclamos.csv         unemployment-insurance claims, Windows-1252, accented Spanish
                            headers ("Número de registro de extranjero", "Verificación
                            SAVE", "Fecha de naturalización"), ';'-free, all quoted.
  3 oplic_api.csv           professional/occupational licensing web-API dump: camelCase
                            headers (taxIdType, itinNumber, lawfulPresenceAffidavit ...).
  4 wioa_wide.csv           WIOA eligibility, tab, ~80 columns; I-9 List A/B/C documents,
                            work-authorisation expiry and refugee priority hidden among them.
  5 medicaid_dict.parquet   Medicaid eligibility: dictionary-encoded strings, int64 A-numbers
                            with no prefix, qualified non-citizen and five-year-bar fields.
  6 tuition_nested.parquet  in-state tuition residency (AB 540 / HB 1403 affidavits): struct
                            imm_doc.* (type, number, SEVIS id, expiry), list<string> history.
  7 probation_docs.jsonl    court / probation records: "documents": [{type, number, ...}],
                            immigration hold (I-247A / 287(g)), NTA I-862, I-205, I-220A,
                            bond I-286 beside criminal parole / criminal detainer decoys.
  8 rca_codes.csv           refugee cash assistance roster, '|': status only as one-letter
                            codes whose legend is not in the file, beside one-letter decoys.
  9 counter_notes.csv       DMV counter log, ',', CRLF, quoted newlines: notes in English,
                            Spanish, Vietnamese and Portuguese, plus a second notes column.
 10 tempvis_fees.csv        Florida/Georgia-style temporary-visitor licence fee ledger: ';'
                            delimiter, decimal commas, DD.MM.YYYY dates.

Public sources of the vocabulary: California AB 60 (2013) licences and "FEDERAL LIMITS
APPLY"; New York Green Light law ("NOT FOR FEDERAL PURPOSES"); Colorado SB 13-251 /
SB 19-139 CO-RCSA documents; Florida and Georgia temporary-visitor licences; REAL ID
lawful-status document lists; USCIS forms I-327, I-551 (ADIT stamp), I-571, I-688/I-688A/
I-688B, I-751, I-90, I-131A, N-550, N-565, I-20, DS-2019; DHS/ICE forms I-862, I-205,
I-220A/I-220B, I-286, I-247A; INA 287(g); SEVIS ids (N00 + 8 digits); IDENT FIN numbers;
Form I-9 Lists A/B/C; Medicaid "qualified non-citizen" and the five-year bar; ORR Refugee
Cash Assistance; Texas HB 1403 and California AB 540 tuition affidavits; state UI claim
forms asking for an alien registration number; SAVE case verification numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import re
import sys
from types import SimpleNamespace as NS

import pyarrow as pa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from unseen_b import main as _main

# ------------------------------------------------------------------ vocabulary
GIVEN = [
    "Thanh",
    "Minh",
    "Lan",
    "Huong",
    "Duc",
    "Quynh",
    "Anh",
    "Joao",
    "Thiago",
    "Larissa",
    "Beatriz",
    "Renata",
    "Osvaldo",
    "Marisol",
    "Esperanza",
    "Jacinto",
    "Ignacio",
    "Leticia",
    "Wendell",
    "Priscilla",
    "Rosalind",
    "Odette",
    "Emmanuel",
    "Fabiola",
    "Ketly",
    "Wilner",
    "Dieunel",
    "Tobias",
    "Imelda",
    "Corinne",
    "Halvard",
    "Yusuf",
    "Amina",
    "Farrukh",
    "Olena",
    "Bohdan",
]
FAMILY = [
    "Nguyen",
    "Tran",
    "Pham",
    "Hoang",
    "Vo",
    "Dang",
    "Bui",
    "Souza",
    "Oliveira",
    "Pereira",
    "Ferreira",
    "Carvalho",
    "Almeida",
    "Jean-Baptiste",
    "Etienne",
    "Castaneda",
    "Villanueva",
    "Ochoa",
    "Zamora",
    "Quintero",
    "Barrios",
    "Whitfield",
    "Kowalczyk",
    "Lindqvist",
    "Abernathy",
    "Okafor",
    "Mensah",
    "Haddad",
    "Rahimi",
    "Shevchenko",
    "Duarte",
    "Brennan",
]
ODD_SURNAMES = ["Visa", "Legal", "Green"]  # real surnames that look like keywords
ORIGIN = [  # iso3, English, Spanish, Vietnamese, Portuguese
    ("VNM", "Vietnam", "Vietnam", "Việt Nam", "Vietnã"),
    ("BRA", "Brazil", "Brasil", "Brazil", "Brasil"),
    ("HTI", "Haiti", "Haití", "Haiti", "Haiti"),
    ("GTM", "Guatemala", "Guatemala", "Guatemala", "Guatemala"),
    ("VEN", "Venezuela", "Venezuela", "Venezuela", "Venezuela"),
    ("UKR", "Ukraine", "Ucrania", "Ukraina", "Ucrânia"),
    ("AFG", "Afghanistan", "Afganistán", "Afghanistan", "Afeganistão"),
    ("SOM", "Somalia", "Somalia", "Somali", "Somália"),
    ("CUB", "Cuba", "Cuba", "Cuba", "Cuba"),
    ("NIC", "Nicaragua", "Nicaragua", "Nicaragua", "Nicarágua"),
    ("PHL", "Philippines", "Filipinas", "Philippines", "Filipinas"),
    ("CPV", "Cabo Verde", "Cabo Verde", "Cabo Verde", "Cabo Verde"),
    ("MMR", "Burma", "Birmania", "Miến Điện", "Birmânia"),
    ("MEX", "Mexico", "México", "Mexico", "México"),
]
USA = ("USA", "United States", "Estados Unidos", "Hoa Kỳ", "Estados Unidos")
ST = ["USC", "NAT", "LPR", "CR", "REF", "ASY", "DAC", "TPS", "PAR", "NIV", "PND", "NON"]
ST_W = [46, 9, 11, 2, 2, 2, 3, 3, 2, 6, 3, 11]
GROUP = {  # note tags per status
    "USC": {"cit", "all"},
    "NAT": {"cit", "nat", "all"},
    "LPR": {"lpr", "nc", "all"},
    "CR": {"lpr", "cr", "nc", "all"},
    "REF": {"hum", "nc", "all"},
    "ASY": {"hum", "nc", "all"},
    "DAC": {"tmp", "dac", "nc", "all"},
    "TPS": {"tmp", "tps", "nc", "all"},
    "PAR": {"tmp", "par", "nc", "all"},
    "NIV": {"niv", "nc", "all"},
    "PND": {"tmp", "nc", "all"},
    "NON": {"non", "nc", "all"},
}
VISA = ["F-1", "J-1", "M-1", "L-1A", "O-1A", "E-2", "H-4", "K-1", "G-4", "E-1", "O-2", "R-2"]
STUDENT = {"F-1", "J-1", "M-1"}
EAD_CAT = {
    "REF": ["A03", "A04"],
    "ASY": ["A05", "C08"],
    "DAC": ["C33"],
    "TPS": ["A12", "C19"],
    "PAR": ["C11", "A04"],
    "PND": ["C09", "C10"],
    "NIV": ["C03B", "C03C", "C26", "A17", "A18"],
}
RCPT = ["VSC", "CSC", "NSC", "TSC"]
# document a person shows for lawful status, by status (REAL ID style names)
LP_DOC = {
    "USC": ["US PASSPORT", "US PASSPORT CARD", "BIRTH CERT", "CRBA FS-240"],
    "NAT": ["CERT OF NATURALIZATION N-550", "US PASSPORT", "CERT OF CITIZENSHIP N-560"],
    "LPR": ["I-551 PRC", "I-551 ADIT STAMP", "MRIV I-551 ANNOTATION", "I-327 REENTRY PERMIT"],
    "CR": ["I-551 CONDITIONAL", "I-797 I-751 EXTENSION"],
    "REF": ["I-94 REFUGEE", "I-571 REFUGEE TRAVEL DOC", "I-766 A03"],
    "ASY": ["I-94 ASYLEE", "I-766 A05", "ASYLUM GRANT LETTER"],
    "DAC": ["I-766 C33", "I-797 DACA APPROVAL"],
    "TPS": ["I-766 A12", "I-797 TPS APPROVAL"],
    "PAR": ["I-94 PAROLE", "I-512L", "I-766 C11"],
    "NIV": ["FOREIGN PASSPORT + I-94", "I-20 + I-94", "DS-2019 + I-94", "MRIV FOIL"],
    "PND": ["I-797C I-485 RECEIPT", "I-766 C09", "I-688B"],
    "NON": ["FOREIGN PASSPORT", "CONSULAR ID", "AB60 AFFIDAVIT", "NONE"],
}
LIST_A = {
    "cit": ["U.S. Passport", "U.S. Passport Card"],
    "lpr": ["Form I-551", "Foreign passport with I-551 stamp"],
    "ead": ["Form I-766", "Foreign passport with Form I-94"],
}
LIST_B = ["State driver's license", "State ID card", "School ID with photo", "Voter card"]
LIST_C = ["SSN card (unrestricted)", "Form FS-240", "Birth certificate", "Form I-94 (List C #7)"]
SPECIES = ["zebra mussel", "emerald ash borer", "cheatgrass", "Russian olive", "tamarisk"]
BOARDS = ["Citizen Advisory Board", "Citizens' Budget Committee", "Citizen Police Review Panel"]
STREETS = ["Asylum St", "Asylum Ave", "Refuge Rd", "Harbor Way", "Pueblo Blvd", "Colfax Ave"]
COUNTIES = [
    "Adams",
    "Arapahoe",
    "Boulder",
    "Denver",
    "Weld",
    "Larimer",
    "Pueblo",
    "Mesa",
    "Eagle",
    "Garfield",
]
OFFENSES = ["DUI 42-4-1301", "Theft 18-4-401", "Assault 3 18-3-204", "Trespass 18-4-504"]
MONTHS_PT = ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"]


def day(r, y0, y1):
    a, b = dt.date(y0, 1, 1).toordinal(), dt.date(y1, 12, 28).toordinal()
    return dt.date.fromordinal(r.randint(a, b))


# ------------------------------------------------------------------ notes
MENTION = """
en|cit|[[US passport]] shown for [[legal presence]], ok
en|cit|[[birth cert]] Pueblo Co. accepted as [[LP doc]]
en|cit|cust is [[US born citizen]], no [[SAVE]] needed
en|nat|[[naturalized]] {yr}, [[N-550]] seen at window
en|nat|says [[natz cert]] lost, [[N-565]] pending
en|lpr|[[I-551]] w/ [[ADIT stamp]] in passport exp {date}
en|lpr|[[perm res card]] {a} scanned
en|lpr|[[LPR]] - [[reentry permit]] [[I-327]] presented
en|lpr|[[green card]] expired, [[I-90]] receipt {rc}
en|cr|[[conditional resident]], [[I-751]] filed {rc}
en|hum|[[refugee travel doc]] [[I-571]] copy in file
en|hum|[[asylee]] - [[I-94]] {i94} stamped [[asylum granted]]
en|hum|[[RCA]] eligible ([[refugee cash]]) arrived {date}
en|tmp|[[EAD]] cat {cat} exp {date}
en|tmp|[[work permit]] pending, receipt {rc}
en|dac|[[DACA]] renewal mailed, {rc}
en|tps|[[TPS]] {ctry} extended, [[EAD]] auto-ext
en|par|[[humanitarian parole]] [[I-94]] {i94}
en|par|[[CHNV parole]], sponsor letter on file
en|niv|[[{visa} visa]] [[MRIV foil]] checked
en|niv|[[temporary visitor]] lic tied to [[I-94]] exp {date}
en|niv|[[SEVIS]] {sev} [[I-20]] signed by DSO
en|non|[[no lawful presence]], issued [[driver privilege card]]
en|non|[[undocumented]] per cust, files taxes w/ [[ITIN]] {it}
en|non|[[AB 60]] applicant, [[foreign passport]] + [[consular ID]]
en|non|[[overstayed visa]] since {y}
en|nc|[[SAVE]] case {sv} - [[institute additional verification]]
en|nc|[[SAVE]] step 2 sent, cust [[not a citizen]]
en|nc|[[NTA]] [[I-862]] in file, hearing {date}
en|nc|[[ICE hold]] [[I-247A]] lodged at booking
en|nc|[[alien reg no]] {a}
en|nc|[[FIN]] {fin} from biometrics
en|lpr|[[5-year bar]] applies, [[qualified non-citizen]] since {date}
es|cit|[[ciudadano americano]], pasaporte de EEUU
es|nat|se [[naturalizó]] en {yr}
es|lpr|mostró su [[mica]] de [[residente]] vence {date}
es|lpr|[[tarjeta de residente]] {a}
es|hum|tiene [[asilo]] aprobado, [[I-94]] {i94}
es|dac|[[DACA]] vigente, [[permiso de trabajo]] hasta {date}
es|tps|[[TPS]] de {ctry_es}, [[EAD]] cat {cat}
es|par|entró con [[parole humanitario]]
es|niv|[[visa de estudiante]] {visa}, [[SEVIS]] {sev}
es|non|cliente [[sin papeles]], pide licencia [[solo para manejar]]
es|non|[[indocumentado]], trae [[matrícula consular]]
es|non|[[visa vencida]] desde {y}
es|nc|[[núm. de extranjero]] {a}
es|nc|[[no es ciudadano]], se verificó en [[SAVE]]
vi|cit|[[công dân Mỹ]], có hộ chiếu Mỹ
vi|nat|[[nhập tịch]] năm {yr}
vi|lpr|có [[thẻ xanh]], hết hạn {date}
vi|lpr|[[thường trú nhân]], [[A#]] {a}
vi|hum|[[tị nạn]] từ {ctry_vi}, [[I-94]] {i94}
vi|tmp|[[giấy phép làm việc]] hết hạn {date}
vi|dac|đang gia hạn [[DACA]], biên nhận {rc}
vi|non|[[không có giấy tờ]], chỉ có hộ chiếu {ctry_vi}
vi|non|[[hết hạn visa]] từ {y}
vi|nc|[[không phải công dân]], đã kiểm tra [[SAVE]]
pt|cit|[[cidadão americano]] nato
pt|nat|[[naturalizado]] em {yr}
pt|lpr|apresentou [[cartão verde]] {a}
pt|hum|[[asilo]] concedido em {date}
pt|tmp|[[autorização de trabalho]] categoria {cat}
pt|tps|[[TPS]] do {ctry_pt} renovado
pt|non|[[sem documentos]], só passaporte do {ctry_pt}
pt|non|[[visto vencido]] desde {y}
pt|nc|[[não é cidadão]], [[SAVE]] {sv}
"""
NEGATIVE = """
en|paid w/ Visa debit ending {last4}
en|asked about Alien Ant Farm concert parking
en|boat stickered, {species} inspection (aquatic invasive alien species)
en|golf green card fee waived, senior rate
en|referred to Legal Aid for eviction matter
en|case status: pending hearing, call back {date}
en|on criminal parole, PO {officer}, curfew 9pm
en|criminal detainer from {county} County sheriff (FTA warrant)
en|new address {n} Asylum St
en|county resident since {y}, proof utility bill
en|member of {board}, district {n}
en|building permit B-{n}{last4} closed
en|vehicle imported from Japan, VIN verified
en|naturalist volunteer pass, state park
en|ice rink season pass renewed
en|National Guard drill weekend, reschedule
es|pagó con tarjeta Visa
es|caso en estado pendiente, volver {date}
es|residente del condado desde {y}
es|permiso de construcción aprobado
es|libertad condicional (penal), agente {officer}
es|asesoría legal gratuita, Legal Aid
vi|thanh toán bằng thẻ Visa
vi|cư dân quận {county} từ năm {y}
vi|giấy phép xây dựng đã duyệt
vi|hồ sơ đang chờ xử lý
pt|pagou com cartão Visa
pt|residente do condado há {n} anos
pt|alvará de construção aprovado
pt|liberdade condicional criminal, oficial {officer}
"""
PLAIN = """
en|address change, new utility bill
en|photo retaken, glasses off
en|vision test passed
en|fee paid cash, receipt given
en|appointment moved to {date}
es|cambio de domicilio
es|pagó en efectivo
es|examen de la vista aprobado
vi|đổi địa chỉ
vi|chụp lại ảnh
vi|đã trả lệ phí
pt|mudança de endereço
pt|pagou em dinheiro
pt|exame de vista ok
"""
NEEDS = {"a": "anum", "i94": "i94", "rc": "rcpt", "sev": "sevis", "sv": "save", "it": "itin"}
NEEDS |= {"fin": "fin", "visa": "visa", "cat": "ead", "yr": "natz"}
IDENT_FILLS = {"a", "i94", "rc", "sev", "sv", "it", "fin"}
TOKEN = re.compile(r"\[\[(.+?)\]\]|\{(\w+)\}")


def templates(block, tagged):
    out = []
    for line in block.strip().splitlines():
        parts = line.split("|")
        lang, text = parts[0], parts[-1]
        tags = {parts[1]} if tagged else {"all"}
        needs = {NEEDS[k] for k in re.findall(r"\{(\w+)\}", text) if k in NEEDS}
        out.append(NS(lang=lang, tags=tags, text=text, needs=needs))
    return out


MENTIONS, NEGATIVES, PLAINS = (
    templates(MENTION, True),
    templates(NEGATIVE, False),
    templates(PLAIN, False),
)
LANGS = ["en", "es", "vi", "pt"]


def slip(r, s):
    """A clerk or OCR slip in one word of a cue, now and then."""
    if r.random() > 0.14 or len(s) < 5:
        return s
    i = r.randrange(1, len(s) - 1)
    kind = r.choice(["drop", "swap", "ocr", "upper"])
    if kind == "drop" and s[i].isalpha():
        return s[:i] + s[i + 1 :]
    if kind == "swap" and s[i].isalpha() and s[i + 1].isalpha():
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if kind == "ocr":
        for a, b in (("0", "O"), ("1", "l"), ("m", "rn"), ("I", "1"), ("S", "5")):
            if a in s:
                return s.replace(a, b, 1)
    return s.upper()


# ------------------------------------------------------------------ people and extracts
class Extract:
    """One extract's random stream, people, planted identifiers and note labels."""

    def __init__(self, seed, rows, name):
        self.r = random.Random(f"unseen_c/{seed}/{name}")
        self.n, self.planted, self.labels, self.taken = rows, set(), {}, set()

    def plant(self, v):
        if v not in (None, ""):
            self.planted.add(str(v))
        return v

    def unique(self, f):
        v = f()
        while v in self.taken:
            v = f()
        self.taken.add(v)
        return v

    def digits(self, k, first="123456789"):
        r = self.r
        return r.choice(first) + "".join(r.choice("0123456789") for _ in range(k - 1))

    def person(self):
        r = self.r
        st = r.choices(ST, ST_W)[0]
        p = NS(st=st, first=r.choice(GIVEN), dob=day(r, 1950, 2006), sex=r.choice("MFX"))
        p.last = r.choice(ODD_SURNAMES) if r.random() < 0.03 else r.choice(FAMILY)
        p.cit, p.nc = st in ("USC", "NAT"), st not in ("USC", "NAT")
        p.origin = USA if st == "USC" else r.choice(ORIGIN)
        if st == "PAR" and r.random() < 0.6:
            p.origin = r.choice([o for o in ORIGIN if o[0] in ("CUB", "HTI", "NIC", "VEN", "UKR")])
        u = self.unique
        p.anum = (
            u(lambda: int(self.digits(9, "2")))
            if st in ("NAT", "LPR", "CR", "REF", "ASY", "DAC", "TPS", "PAR", "PND")
            or (st in ("NIV", "NON") and r.random() < 0.15)
            else None
        )
        p.i94 = (
            u(lambda: self.digits(11, "3456789"))
            if st in ("REF", "ASY", "PAR", "NIV") or (st == "PND" and r.random() < 0.5)
            else None
        )
        p.rcpt = (
            u(lambda: r.choice(RCPT) + self.digits(10, "12"))
            if st in ("DAC", "TPS", "PND", "PAR", "CR") or (st == "LPR" and r.random() < 0.3)
            else None
        )
        p.visa = r.choice(VISA) if st == "NIV" else None
        p.sevis = u(lambda: "N00" + self.digits(8, "0123")) if p.visa in STUDENT else None
        p.fin = u(lambda: self.digits(10, "1")) if p.nc and r.random() < 0.25 else None
        p.save = (
            u(
                lambda: (
                    f"{r.randint(2019, 2026)}{self.digits(9)}{r.choice('ABCDEFGHJK')}"
                    f"{r.choice('LMNPQRSTUVWXYZ')}"
                )
            )
            if (p.nc and st != "NON" and r.random() < 0.75) or (st == "NAT" and r.random() < 0.3)
            else None
        )
        p.saveans = (
            None
            if not p.save
            else "NATURALIZED CITIZEN"
            if st == "NAT"
            else r.choice(["INSTITUTE ADDITIONAL VERIFICATION", "CLOSED - LPR"])
            if st in ("LPR", "CR")
            else "NO RECORD FOUND"
            if r.random() < 0.1
            else "TEMPORARY RESIDENT / EMPLOYMENT AUTHORIZED"
        )
        p.itin = (
            u(
                lambda: (
                    f"9{self.digits(2, '0123456789')}-{r.choice(['70', '78', '83', '92'])}"
                    f"-{self.digits(4, '0123456789')}"
                )
            )
            if st == "NON" and r.random() < 0.6
            else None
        )
        p.ead = (
            r.choice(EAD_CAT[st]) if st in EAD_CAT and (st != "NIV" or r.random() < 0.3) else None
        )
        p.ead_exp = day(r, 2024, 2029) if p.ead else None
        p.doc = r.choice(LP_DOC[st])
        p.doc_exp = (
            None
            if st in ("USC", "NAT", "NON")
            else day(r, 2026, 2036)
            if st == "LPR"
            else p.ead_exp or day(r, 2024, 2030)
        )
        p.natz = day(r, 1985, 2025) if st == "NAT" else None
        p.tags = GROUP[st]
        return p

    def rows(self, make):
        return [make(self.person(), i) for i in range(self.n)]

    # ---- decoy values shared by the layouts
    def phone(self, area=("303", "720", "719", "970")):
        return f"{self.r.choice(area)}-555-01{self.r.randint(0, 99):02d}"

    def case9(self):
        return self.digits(9, "3456789")

    def tracking(self):
        r = self.r
        if r.random() < 0.5:
            return "1Z" + "".join(r.choice("0123456789ABCDEFGHJKLMNPRSTVWXY") for _ in range(16))
        return "9400" + self.digits(18, "0123456789")

    # ---- notes
    def value(self, k, p):
        r = self.r
        anum = p.anum
        return {
            "a": lambda: r.choice(
                [
                    f"A{anum}",
                    f"A-{anum}",
                    f"A{str(anum)[:3]}-{str(anum)[3:6]}-{str(anum)[6:]}",
                    f"A# {anum}",
                    f"{anum}",
                ]
            ),
            "i94": lambda: p.i94,
            "rc": lambda: p.rcpt,
            "sev": lambda: p.sevis,
            "sv": lambda: p.save,
            "it": lambda: p.itin,
            "fin": lambda: p.fin,
            "visa": lambda: p.visa,
            "cat": lambda: p.ead,
            "yr": lambda: str(p.natz.year),
            "y": lambda: str(r.randint(2008, 2024)),
            "ctry": lambda: p.origin[1],
            "ctry_es": lambda: p.origin[2],
            "ctry_vi": lambda: p.origin[3],
            "ctry_pt": lambda: p.origin[4],
            "date": lambda: (p.doc_exp or day(r, 2024, 2028)).strftime(
                r.choice(["%m/%d/%Y", "%m-%d-%y", "%Y%m%d", "%d/%m/%Y"])
            ),
            "last4": lambda: f"{r.randint(0, 9999):04d}",
            "officer": lambda: f"{r.choice(GIVEN)} {r.choice(FAMILY)}",
            "county": lambda: r.choice(COUNTIES),
            "board": lambda: r.choice(BOARDS),
            "species": lambda: r.choice(SPECIES),
            "n": lambda: str(r.randint(3, 980)),
        }[k]()

    def render(self, text, p):
        out, spans, idents, pos = [], [], [], 0
        for m in TOKEN.finditer(text):
            out.append(text[pos : m.start()])
            pos = m.end()
            if m.group(1) is not None:
                cue = re.sub(r"\{(\w+)\}", lambda k: str(self.value(k.group(1), p)), m.group(1))
                s = slip(self.r, cue)
                spans.append(s)
            else:
                s = str(self.value(m.group(2), p))
                if m.group(2) in IDENT_FILLS:
                    spans.append(s)
                    idents.append(s)
            out.append(s)
        out.append(text[pos:])
        return "".join(out), spans, idents

    def note(self, col, rid, p, langs=(0.55, 0.25, 0.1, 0.1), newlines=False):
        r = self.r
        label = r.choices(["mention", "negative", "plain", "empty"], (40, 26, 25, 9))[0]
        if label == "empty":
            return None
        lang = r.choices(LANGS, langs)[0]
        if label == "mention":

            def ok(t, lg):
                return t.lang == lg and t.tags & p.tags and all(getattr(p, n) for n in t.needs)

            pool = [t for t in MENTIONS if ok(t, lang)] or [t for t in MENTIONS if ok(t, "en")]
        else:
            pool = [t for t in (NEGATIVES if label == "negative" else PLAINS) if t.lang == lang]
        parts = [self.render(r.choice(pool).text, p)]
        if r.random() < 0.35:
            extra = [t for t in PLAINS if t.lang == lang]
            parts.insert(r.randrange(2), self.render(r.choice(extra).text, p))
        seps = ["; ", " / ", ". ", " -- "] + (["\n", "\r\n"] if newlines else [])
        text = r.choice(seps).join(t for t, _, _ in parts)
        if r.random() < 0.1:
            text = text.upper()
            parts = [(t, [s.upper() for s in sp], [s.upper() for s in ids]) for t, sp, ids in parts]
        for _, _, ids in parts:
            self.planted.update(ids)
        spans = list(dict.fromkeys(s for _, sp, _ in parts for s in sp))
        self.labels.setdefault(col, {})[str(rid)] = (
            {"label": label, "spans": spans} if label == "mention" else {"label": label}
        )
        return text


def spec(file, layout, id_, cols, rows=None, **kw):
    """cols: (role, name) pairs, role P protected / D decoy / N notes / O ordinary."""
    s = {"file": file, "layout": layout, "id": id_}
    s["protected"] = [n for role, n in cols if role == "P"]
    s["decoys"] = [n for role, n in cols if role == "D"]
    s["notes"] = [n for role, n in cols if role == "N"]
    if rows is not None:
        s["rows"] = rows
    s.update(kw)
    s.setdefault("format", "csv")
    return s


def table(cols, rows):
    """Rows (lists in column order) -> a flat dict; cols: (role, name, fn(p, i))."""
    return [dict(zip([c[1] for c in cols], vals, strict=True)) for vals in rows]


def make_rows(x, cols):
    return x.rows(lambda p, i: [fn(p, i) for _, _, fn in cols])


def ymd(d, fmt="%Y%m%d"):
    return d.strftime(fmt) if d else None


# ---- 1 California-style DL master, fixed-width unload converted to CSV
def x_ca_unload(x):
    r = x.r
    card = {"NON": "FEDERAL LIMITS APPLY"}

    def cols():
        return [
            ("O", "RECID", lambda p, i: f"R{i + 1:07d}"),
            ("D", "DLNUM", lambda p, i: r.choice("ABDEFGNY") + x.digits(7, "0123456789")),
            ("D", "LNAME", lambda p, i: p.last.upper()),
            ("O", "FNAME", lambda p, i: p.first.upper()),
            ("O", "BRTDT", lambda p, i: ymd(p.dob)),
            ("D", "CLASS", lambda p, i: r.choice(["C", "C", "M1", "A", "B"])),
            ("D", "RSTR", lambda p, i: r.choice(["", "01", "B", "47", "SPEC"])),
            (
                "P",
                "FEDLM",
                lambda p, i: "Y" if p.st == "NON" else r.choice(["N", "N", "Y"]) if p.nc else "N",
            ),
            ("P", "CRDTX", lambda p, i: card.get(p.st, r.choice(["REAL ID", "REAL ID", ""]))),
            ("P", "LPDOC", lambda p, i: p.doc.replace(" ", "")[:10]),
            ("P", "LPDXP", lambda p, i: ymd(p.doc_exp)),
            ("P", "AFFDT", lambda p, i: ymd(day(r, 2015, 2025)) if p.st == "NON" else None),
            ("P", "ANBR", lambda p, i: x.plant(f"A{p.anum}") if p.anum else None),
            ("P", "CTZF", lambda p, i: "Y" if p.cit else "N"),
            ("P", "SAVNO", lambda p, i: x.plant(p.save)),
            ("P", "SAVRS", lambda p, i: p.saveans),
            (
                "P",
                "LTEXP",
                lambda p, i: ymd(p.doc_exp) if p.st not in ("LPR", "USC", "NAT", "NON") else None,
            ),
            ("D", "CNRES", lambda p, i: r.choice(["Y", "Y", "Y", "N"])),
            ("D", "CNTY", lambda p, i: f"{r.randint(1, 58):02d}"),
            ("D", "VSTS", lambda p, i: r.choice(["ACTIVE", "PNO", "SALVAGE", "EXPIRED", "ACTIVE"])),
            ("D", "VIMP", lambda p, i: r.choice(["JPN", "DEU", "MEX", "KOR", "USA", "CAN"])),
            ("D", "DPPRM", lambda p, i: f"DP{x.digits(6)}" if r.random() < 0.2 else None),
            ("D", "HRGNO", lambda p, i: x.case9() if r.random() < 0.3 else None),
            ("D", "TRKNO", lambda p, i: x.tracking()),
            ("D", "PHONE", lambda p, i: x.phone(("916", "213", "559"))),
            ("N", "RMKS", lambda p, i: x.note("RMKS", f"R{i + 1:07d}", p)),
        ]

    c = cols()
    rows = table(c, make_rows(x, c))
    for rec in rows:
        for k, v in rec.items():
            if isinstance(v, str) and k != "RMKS":
                rec[k] = v.upper()
    return spec(
        "ca_dl_unload.csv",
        "fixed-width unload as CSV, terse names",
        "RECID",
        [(a, b) for a, b, _ in c],
        rows,
        csv={"delim": ",", "crlf": True, "bom": False, "nulls": [""]},
    )


# ---- 2 UI claims, Windows-1252, Spanish headers
def x_ui_claims(x):
    r = x.r

    def status_es(p, i):
        return {
            "USC": "Ciudadano de EE.UU.",
            "NAT": "Ciudadano naturalizado",
            "LPR": "Residente permanente",
            "CR": "Residente condicional",
            "REF": "Refugiado",
            "ASY": "Asilado",
            "NON": "Sin estatus",
        }.get(p.st, "Extranjero con permiso de trabajo")

    c = [
        ("O", "Número de reclamo", lambda p, i: f"UI-{2026}-{i + 100001}"),
        ("D", "Apellido", lambda p, i: p.last),
        ("O", "Nombre", lambda p, i: p.first),
        ("O", "Fecha de nacimiento", lambda p, i: ymd(p.dob, "%d/%m/%Y")),
        ("P", "¿Es ciudadano de EE.UU.?", lambda p, i: "Sí" if p.cit else "No"),
        ("P", "Condición migratoria", status_es),
        (
            "P",
            "Número de registro de extranjero",
            lambda p, i: x.plant(f"A-{p.anum}") if p.anum else None,
        ),
        ("P", "Verificación SAVE", lambda p, i: x.plant(p.save)),
        ("P", "Resultado SAVE", lambda p, i: p.saveans),
        ("P", "Fecha de naturalización", lambda p, i: ymd(p.natz, "%d/%m/%Y")),
        ("P", "Categoría de autorización de empleo", lambda p, i: p.ead),
        ("P", "Vencimiento de autorización", lambda p, i: ymd(p.ead_exp, "%d/%m/%Y")),
        ("P", "Documento de inmigración", lambda p, i: p.doc.title() if p.nc else None),
        (
            "D",
            "Razón de separación",
            lambda p, i: r.choice(["Despido", "Renuncia", "Falta de trabajo", "Cierre temporal"]),
        ),
        (
            "D",
            "Empleador",
            lambda p, i: r.choice(
                [
                    "Visa Hospitality LLC",
                    "Pueblo Nogales S.A.",
                    "Ciudadanía Café",
                    "Alien Ant Farm Tours",
                ]
            ),
        ),
        ("D", "Dirección", lambda p, i: f"{r.randint(10, 9999)} {r.choice(STREETS)}"),
        ("D", "Condado de residencia", lambda p, i: r.choice(COUNTIES)),
        (
            "D",
            "Estado del reclamo",
            lambda p, i: r.choice(["Pendiente", "Aprobado", "Denegado", "En apelación"]),
        ),
        ("D", "Número de caso de apelación", lambda p, i: x.case9() if r.random() < 0.25 else None),
        (
            "D",
            "Método de pago",
            lambda p, i: r.choice(["Tarjeta Visa prepagada", "Depósito directo", "Cheque"]),
        ),
        ("D", "Monto semanal", lambda p, i: f"{r.randint(120, 781)}.00"),
        ("D", "Teléfono", lambda p, i: x.phone()),
        (
            "N",
            "Observaciones",
            lambda p, i: x.note("Observaciones", f"UI-2026-{i + 100001}", p, (0.4, 0.6, 0, 0)),
        ),
    ]
    return spec(
        "ui_reclamos.csv",
        "cp1252 CSV, accented Spanish headers",
        "Número de reclamo",
        [(a, b) for a, b, _ in c],
        table(c, make_rows(x, c)),
        csv={
            "delim": ",",
            "crlf": True,
            "bom": False,
            "nulls": ["", "N/D"],
            "quote": csv.QUOTE_ALL,
            "encoding": "cp1252",
        },
    )


# ---- 3 professional licensing, camelCase web-API header
def x_oplic_api(x):
    r = x.r

    def lid(i):
        return f"PL{i + 40000:06d}"

    c = [
        ("O", "licenseId", lambda p, i: lid(i)),
        ("D", "lastName", lambda p, i: p.last),
        ("O", "firstName", lambda p, i: p.first),
        (
            "D",
            "licenseType",
            lambda p, i: r.choice(
                ["Cosmetologist", "Master Plumber", "RN", "Barber", "Electrician J"]
            ),
        ),
        ("D", "licenseStatus", lambda p, i: r.choice(["Active", "Lapsed", "Probation", "Active"])),
        (
            "D",
            "permitType",
            lambda p, i: r.choice(["Building", "Mobile Vendor", "Sign", "Food Truck"]),
        ),
        (
            "P",
            "taxIdType",
            lambda p, i: (
                "ITIN" if p.itin else r.choice(["SSN", "SSN", "EIN"]) if p.st != "NON" else "NONE"
            ),
        ),
        ("P", "itinNumber", lambda p, i: x.plant(p.itin)),
        (
            "P",
            "lawfulPresenceAffidavit",
            lambda p, i: (
                r.choice(["citizen", "qualified alien", "none signed"]) if not p.cit else "citizen"
            ),
        ),
        ("P", "usCitizenAttest", lambda p, i: "true" if p.cit else "false"),
        ("P", "qualifiedAlienDoc", lambda p, i: p.doc if p.nc and p.st != "NON" else None),
        (
            "P",
            "alienRegistrationNo",
            lambda p, i: (
                x.plant(f"A{str(p.anum)[:3]}-{str(p.anum)[3:6]}-{str(p.anum)[6:]}")
                if p.anum
                else None
            ),
        ),
        ("P", "workAuthExpires", lambda p, i: ymd(p.ead_exp, "%Y-%m-%dT00:00:00Z")),
        ("P", "saveVerificationId", lambda p, i: x.plant(p.save)),
        ("P", "visaCategory", lambda p, i: p.visa),
        (
            "D",
            "boardName",
            lambda p, i: r.choice(
                [
                    "Board of Barbering",
                    "Citizen Advisory Board on Licensing",
                    "State Board of Nursing",
                ]
            ),
        ),
        ("D", "disciplinaryCaseNo", lambda p, i: x.case9() if r.random() < 0.2 else None),
        (
            "D",
            "paymentCardBrand",
            lambda p, i: r.choice(["Visa", "Mastercard", "Amex", "Discover"]),
        ),
        ("D", "mailingTracking", lambda p, i: x.tracking() if r.random() < 0.5 else None),
        ("D", "legalAidReferral", lambda p, i: r.choice(["true", "false", "false"])),
        ("D", "contactPhone", lambda p, i: x.phone()),
        (
            "N",
            "reviewerComment",
            lambda p, i: x.note("reviewerComment", lid(i), p, (0.8, 0.2, 0, 0)),
        ),
    ]
    return spec(
        "oplic_api.csv",
        "camelCase web-API CSV",
        "licenseId",
        [(a, b) for a, b, _ in c],
        table(c, make_rows(x, c)),
        csv={"delim": ",", "crlf": False, "bom": False, "nulls": ["", "NULL"]},
    )


# ---- 4 WIOA eligibility, ~80 columns, tab
def x_wioa_wide(x):
    r = x.r

    def pid(i):
        return f"W{i + 7000:05d}"

    protected = [
        (
            "P",
            "elig_right_to_work_doc",
            lambda p, i: (
                r.choice(LIST_A["cit"])
                if p.cit
                else r.choice(LIST_A["lpr"] if p.st in ("LPR", "CR") else LIST_A["ead"])
                if p.st != "NON"
                else "None presented"
            ),
        ),
        (
            "P",
            "i9_list_c_doc",
            lambda p, i: (
                r.choice(LIST_C[:3]) if p.cit else r.choice(LIST_C) if p.st != "NON" else None
            ),
        ),
        ("P", "work_auth_exp_dt", lambda p, i: ymd(p.ead_exp, "%m/%d/%Y")),
        (
            "P",
            "refugee_entry_dt",
            lambda p, i: ymd(day(r, 2010, 2025), "%m/%d/%Y") if p.st in ("REF", "ASY") else None,
        ),
        ("P", "uscis_receipt", lambda p, i: x.plant(p.rcpt)),
        ("P", "i94_admission", lambda p, i: x.plant(p.i94)),
        ("P", "elig_noncitizen_ind", lambda p, i: "0" if p.cit else "1"),
        (
            "P",
            "everify_result",
            lambda p, i: (
                r.choice(
                    ["Employment Authorized", "Tentative Nonconfirmation", "Case in Continuance"]
                )
                if p.nc and p.st != "NON" and r.random() < 0.5
                else None
            ),
        ),
    ]
    decoys = [
        ("D", "last_nm", lambda p, i: p.last),
        ("D", "county_resident", lambda p, i: r.choice(["Y", "N", "Y"])),
        ("D", "selective_svc_reg", lambda p, i: r.choice(["Y", "N", "NA"])),
        (
            "D",
            "veteran_status",
            lambda p, i: r.choice(["Not a veteran", "Eligible veteran", "Spouse"]),
        ),
        ("D", "case_status", lambda p, i: r.choice(["Open", "Exited", "Follow-up", "Pending"])),
        ("D", "parole_criminal", lambda p, i: r.choice(["N", "N", "Y - state parole"])),
        ("D", "offender_reentry", lambda p, i: r.choice(["N", "N", "Y"])),
        (
            "D",
            "green_card_training",
            lambda p, i: r.choice(["Forklift green card", "OSHA-10", "", "ServSafe"]),
        ),
        ("D", "legal_aid_ref", lambda p, i: r.choice(["Y", "N", "N"])),
        ("D", "ui_claim_no", lambda p, i: x.case9()),
        ("D", "phone_home", lambda p, i: x.phone()),
        ("D", "street", lambda p, i: f"{r.randint(10, 9999)} {r.choice(STREETS)}"),
        (
            "D",
            "native_lang",
            lambda p, i: r.choice(["English", "Spanish", "Vietnamese", "Portuguese", "Somali"]),
        ),
    ]
    ordinary = []
    for k in range(1, 26):
        ordinary.append(
            (
                "O",
                f"svc_{k:02d}_dt",
                lambda p, i: ymd(day(r, 2023, 2026), "%m/%d/%Y") if r.random() < 0.4 else None,
            )
        )
    for k in range(1, 16):
        ordinary.append(("O", f"barrier_{k:02d}", lambda p, i: r.choice(["0", "1", "0", "0"])))
    for k in range(1, 13):
        ordinary.append(
            ("O", f"wage_q{k:02d}", lambda p, i: f"{r.randint(0, 15000)}.{r.randint(0, 99):02d}")
        )
    for n_ in [
        "hs_diploma",
        "ged",
        "cred_attained",
        "ota_cd",
        "prog_yr",
        "local_area",
        "provider_cd",
    ]:
        ordinary.append(("O", n_, lambda p, i: r.choice(["0", "1", "2", "9"])))
    c = [("O", "pirl_id", lambda p, i: pid(i)), ("O", "first_nm", lambda p, i: p.first)]
    mix = protected + decoys + ordinary
    r.shuffle(mix)
    c += [
        *mix,
        ("N", "case_note", lambda p, i: x.note("case_note", pid(i), p, (0.6, 0.2, 0.1, 0.1))),
    ]
    return spec(
        "wioa_wide.csv",
        "wide tab CSV, ~80 columns",
        "pirl_id",
        [(a, b) for a, b, _ in c],
        table(c, make_rows(x, c)),
        csv={"delim": "\t", "crlf": False, "bom": False, "nulls": [""]},
    )


# ---- 5 Medicaid eligibility, Parquet, dictionary strings, int64 A-numbers
def x_medicaid(x):
    r = x.r
    rows = []
    for i in range(x.n):
        p = x.person()
        rows.append(
            {
                "mbr_id": f"M{i + 900000}",
                "last_name": p.last,
                "first_name": p.first,
                "dob": p.dob,
                "anbr": x.plant(p.anum),
                "qualified_noncitizen": "N/A-CITIZEN"
                if p.cit
                else "QUALIFIED"
                if p.st in ("LPR", "CR", "REF", "ASY", "PAR")
                else "NOT QUALIFIED",
                "five_yr_bar": (
                    "EXEMPT" if p.st in ("REF", "ASY") else r.choice(["MET", "NOT MET"])
                )
                if p.st in ("LPR", "CR", "REF", "ASY", "PAR")
                else None,
                "emergency_only": "Y" if p.st in ("NON", "NIV", "DAC") else "N",
                "citz_verif_src": r.choice(["SSA", "SSA", "DOCUMENT"])
                if p.cit
                else "SAVE"
                if p.save
                else "NONE",
                "imm_status_cd": p.st,
                "lpr_date": day(r, 2005, 2025) if p.st in ("LPR", "CR") else None,
                "sponsor_deeming": r.choice(["Y", "N"]) if p.st in ("LPR", "CR") else None,
                "aid_category": r.choice(["MAGI-ADULT", "CHP+", "AND", "OAP-A"]),
                "case_status": r.choice(["ACTIVE", "PENDING", "DENIED", "CLOSED"]),
                "county": r.choice(COUNTIES),
                "county_resident_yn": r.choice(["Y", "Y", "N"]),
                "prior_auth_no": int(x.case9()),
                "pharmacy_card": r.choice(["VISA FSA", "MC", "NONE"]),
                "phone": x.phone(),
                "parole_flag_doc": r.choice(["N", "N", "Y"]),
                "worker_note": x.note("worker_note", f"M{i + 900000}", p, (0.7, 0.3, 0, 0)),
            }
        )
    dict_cols = {
        "qualified_noncitizen",
        "five_yr_bar",
        "emergency_only",
        "citz_verif_src",
        "imm_status_cd",
        "aid_category",
        "case_status",
        "county",
        "county_resident_yn",
        "pharmacy_card",
        "parole_flag_doc",
    }
    arrays = {}
    for k in rows[0]:
        vals = [rec[k] for rec in rows]
        if k == "anbr" or k == "prior_auth_no":
            arrays[k] = pa.array(vals, pa.int64())
        elif k in dict_cols:
            arrays[k] = pa.array(vals, pa.string()).dictionary_encode()
        else:
            arrays[k] = pa.array(vals)
    cols = [
        ("P", "anbr"),
        ("P", "qualified_noncitizen"),
        ("P", "five_yr_bar"),
        ("P", "emergency_only"),
        ("P", "citz_verif_src"),
        ("P", "imm_status_cd"),
        ("P", "lpr_date"),
        ("P", "sponsor_deeming"),
        ("D", "last_name"),
        ("D", "aid_category"),
        ("D", "case_status"),
        ("D", "county"),
        ("D", "county_resident_yn"),
        ("D", "prior_auth_no"),
        ("D", "pharmacy_card"),
        ("D", "phone"),
        ("D", "parole_flag_doc"),
        ("N", "worker_note"),
    ]
    return spec(
        "medicaid_dict.parquet",
        "Parquet, dictionary strings, int64 A-numbers",
        "mbr_id",
        cols,
        format="parquet",
        table=pa.table(arrays),
    )


# ---- 6 tuition residency, Parquet, nested struct and list
def x_tuition(x):
    r = x.r
    recs = []
    for i in range(x.n):
        p = x.person()
        affid = (
            "AB540"
            if p.st in ("NON", "DAC")
            else "HB1403"
            if p.st in ("TPS", "PND") and r.random() < 0.5
            else None
        )
        doc = {
            "doc_type": p.doc if p.nc else None,
            "doc_number": x.plant(p.i94 or p.rcpt) if p.nc else None,
            "sevis_id": x.plant(p.sevis),
            "expires": p.doc_exp,
        }
        hist = (
            ["B-2", p.visa]
            if p.st == "NIV"
            else ["F-1", "OPT", "LPR"]
            if p.st == "LPR" and r.random() < 0.3
            else ["DACA"]
            if p.st == "DAC"
            else []
        )
        recs.append(
            {
                "stu_id": f"S{i + 3100000}",
                "last": p.last,
                "first": p.first,
                "residency_class": "NONRESIDENT-INTL"
                if p.st == "NIV"
                else "AB540-EXEMPT"
                if affid == "AB540"
                else r.choice(["RESIDENT", "RESIDENT", "NONRESIDENT-DOMESTIC"]),
                "tuition_affidavit": affid,
                "imm_doc": doc,
                "status_history": hist,
                "us_citizen": p.cit,
                "home_county": r.choice(COUNTIES),
                "months_in_state": r.randint(0, 240),
                "fafsa_dependency": r.choice(["Dependent", "Independent"]),
                "parking_permit": f"LOT-{r.choice('ABCDEF')}{r.randint(100, 999)}",
                "advisor_board": r.choice([*BOARDS, "Student Senate"]),
                "bursar_card": r.choice(["Visa", "Mastercard", "none"]),
                "hold_status": r.choice(["NONE", "BURSAR", "ADVISING", "NONE"]),
                "registrar_note": x.note(
                    "registrar_note", f"S{i + 3100000}", p, (0.6, 0.25, 0.1, 0.05)
                ),
            }
        )
    struct = pa.struct(
        [
            ("doc_type", pa.string()),
            ("doc_number", pa.string()),
            ("sevis_id", pa.string()),
            ("expires", pa.date32()),
        ]
    )
    schema = pa.schema(
        [
            ("stu_id", pa.string()),
            ("last", pa.string()),
            ("first", pa.string()),
            ("residency_class", pa.string()),
            ("tuition_affidavit", pa.string()),
            ("imm_doc", struct),
            ("status_history", pa.list_(pa.string())),
            ("us_citizen", pa.bool_()),
            ("home_county", pa.string()),
            ("months_in_state", pa.int16()),
            ("fafsa_dependency", pa.string()),
            ("parking_permit", pa.string()),
            ("advisor_board", pa.string()),
            ("bursar_card", pa.string()),
            ("hold_status", pa.string()),
            ("registrar_note", pa.string()),
        ]
    )
    cols = [
        ("P", "residency_class"),
        ("P", "tuition_affidavit"),
        ("P", "imm_doc.doc_type"),
        ("P", "imm_doc.doc_number"),
        ("P", "imm_doc.sevis_id"),
        ("P", "imm_doc.expires"),
        ("P", "status_history"),
        ("P", "us_citizen"),
        ("D", "last"),
        ("D", "home_county"),
        ("D", "months_in_state"),
        ("D", "fafsa_dependency"),
        ("D", "parking_permit"),
        ("D", "advisor_board"),
        ("D", "bursar_card"),
        ("D", "hold_status"),
        ("N", "registrar_note"),
    ]
    return spec(
        "tuition_nested.parquet",
        "Parquet, struct imm_doc and list<string>",
        "stu_id",
        cols,
        format="parquet",
        table=pa.Table.from_pylist(recs, schema=schema),
    )


# ---- 7 court / probation records, JSONL with arrays of objects
def x_probation(x):
    r = x.r
    recs = []
    for i in range(x.n):
        p = x.person()
        docs = [{"type": "STATE DL", "number": r.choice("ABCD") + x.digits(8, "0123456789")}]
        if p.nc and p.st != "NON":
            docs.append({"type": p.doc, "number": x.plant(p.i94 or p.rcpt or f"A{p.anum}")})
        hold = p.nc and r.random() < 0.2
        recs.append(
            {
                "docket": f"26CR{i + 10000}",
                "defendant": {"last": p.last, "first": p.first, "dob": ymd(p.dob, "%Y-%m-%d")},
                "documents": docs,
                "immigration": {
                    "hold_form": r.choice(["I-247A", "I-203"]) if hold else None,
                    "program_287g": "REFERRED" if hold else None,
                    "nta_i862_date": ymd(day(r, 2022, 2026), "%Y-%m-%d") if hold else None,
                    "removal_i205": ("ISSUED" if r.random() < 0.3 else "NONE") if hold else None,
                    "release_form": r.choice(["I-220A", "I-220B"]) if hold else None,
                    "bond_i286": f"${r.randint(15, 90)}00" if hold else None,
                    "country_of_citizenship": p.origin[0],
                },
                "offense": r.choice(OFFENSES),
                "parole": {
                    "type": r.choice(["state parole", "none", "intensive"]),
                    "officer": r.choice(FAMILY),
                },
                "criminal_detainer": r.choice(["none", f"{r.choice(COUNTIES)} Co. warrant"]),
                "address": f"{r.randint(10, 9999)} {r.choice(STREETS)}",
                "case_status": r.choice(["open", "closed", "stayed"]),
                "restitution_case": x.case9(),
                "supervision_note": x.note(
                    "supervision_note", f"26CR{i + 10000}", p, (0.6, 0.3, 0.05, 0.05)
                ),
            }
        )
    cols = [
        ("P", "documents.type"),
        ("P", "documents.number"),
        ("P", "immigration.hold_form"),
        ("P", "immigration.program_287g"),
        ("P", "immigration.nta_i862_date"),
        ("P", "immigration.removal_i205"),
        ("P", "immigration.release_form"),
        ("P", "immigration.bond_i286"),
        ("P", "immigration.country_of_citizenship"),
        ("D", "defendant.last"),
        ("D", "offense"),
        ("D", "parole.type"),
        ("D", "parole.officer"),
        ("D", "criminal_detainer"),
        ("D", "address"),
        ("D", "case_status"),
        ("D", "restitution_case"),
        ("N", "supervision_note"),
    ]
    return spec(
        "probation_docs.jsonl",
        "JSONL, arrays of objects",
        "docket",
        cols,
        format="jsonl",
        records=recs,
    )


# ---- 8 refugee cash assistance roster, one-letter codes, legend elsewhere
CODE1 = {
    "USC": "C",
    "NAT": "N",
    "LPR": "L",
    "CR": "K",
    "REF": "R",
    "ASY": "Y",
    "DAC": "D",
    "TPS": "T",
    "PAR": "P",
    "NIV": "V",
    "PND": "J",
    "NON": "U",
}


def x_rca_codes(x):
    r = x.r
    c = [
        ("O", "CASE", lambda p, i: f"RC{i + 500:05d}"),
        ("D", "SNM", lambda p, i: p.last),
        ("P", "S", lambda p, i: CODE1[p.st]),
        ("P", "E", lambda p, i: r.choice("YN") if p.nc else "X"),
        (
            "P",
            "B",
            lambda p, i: ("M" if r.random() < 0.5 else "W") if p.st in ("LPR", "CR") else "-",
        ),
        (
            "P",
            "Q",
            lambda p, i: (
                "Q" if p.st in ("LPR", "CR", "REF", "ASY", "PAR") else "C" if p.cit else "O"
            ),
        ),
        ("P", "A", lambda p, i: x.plant(str(p.anum)) if p.anum else None),
        (
            "P",
            "ENTRY",
            lambda p, i: (
                ymd(day(r, 2012, 2026), "%m%d%y") if p.st in ("REF", "ASY", "PAR") else None
            ),
        ),
        ("P", "V", lambda p, i: r.choice("123") if p.save else None),
        ("D", "G", lambda p, i: p.sex),
        ("D", "M", lambda p, i: r.choice("SMDW")),
        ("D", "R", lambda p, i: r.choice("ABCDE")),
        ("D", "P", lambda p, i: r.choice("YN")),
        ("D", "CNTY", lambda p, i: r.choice(COUNTIES)[:4].upper()),
        ("D", "STS", lambda p, i: r.choice("AOPC")),
        ("D", "AMT", lambda p, i: f"{r.randint(100, 900)}.00"),
        ("N", "NT", lambda p, i: x.note("NT", f"RC{i + 500:05d}", p, (0.7, 0.1, 0.1, 0.1))),
    ]
    return spec(
        "rca_codes.csv",
        "'|' CSV, one-letter status codes",
        "CASE",
        [(a, b) for a, b, _ in c],
        table(c, make_rows(x, c)),
        csv={"delim": "|", "crlf": False, "bom": False, "nulls": [""]},
    )


# ---- 9 DMV counter log, notes in four languages
def x_counter(x):
    r = x.r
    c = [
        ("O", "ticket", lambda p, i: f"T{i + 1:05d}"),
        ("D", "customer_last", lambda p, i: p.last),
        ("D", "window", lambda p, i: f"W{r.randint(1, 14)}"),
        (
            "D",
            "service",
            lambda p, i: r.choice(
                ["Renewal", "Title transfer", "Disabled parking permit", "Knowledge test"]
            ),
        ),
        ("P", "lp_doc_presented", lambda p, i: p.doc.lower()),
        (
            "P",
            "license_product",
            lambda p, i: (
                "CO-RCSA"
                if p.st == "NON"
                else r.choice(["TEMPORARY VISITOR", "LIMITED TERM"])
                if p.nc and p.st not in ("LPR",)
                else "REAL ID"
            ),
        ),
        (
            "P",
            "card_marking",
            lambda p, i: (
                "NOT FOR FEDERAL PURPOSES"
                if p.st == "NON"
                else "LIMITED TERM"
                if p.nc and p.st != "LPR"
                else "STAR"
            ),
        ),
        ("P", "green_light_applicant", lambda p, i: "Y" if p.st == "NON" else "N"),
        ("P", "i94_no", lambda p, i: x.plant(p.i94)),
        ("P", "receipt_no", lambda p, i: x.plant(p.rcpt)),
        ("P", "legal_presence_exp", lambda p, i: ymd(p.doc_exp, "%m/%d/%Y")),
        (
            "D",
            "vehicle_status",
            lambda p, i: r.choice(["registered", "expired", "stolen", "impounded"]),
        ),
        (
            "D",
            "vehicle_origin",
            lambda p, i: r.choice(["Japan", "Germany", "Mexico", "Korea", "USA"]),
        ),
        ("D", "phone", lambda p, i: x.phone()),
        ("D", "visit_status", lambda p, i: r.choice(["served", "no-show", "transferred"])),
        (
            "N",
            "clerk_note",
            lambda p, i: x.note("clerk_note", f"T{i + 1:05d}", p, (0.35, 0.3, 0.2, 0.15), True),
        ),
        (
            "N",
            "supervisor_note",
            lambda p, i: x.note("supervisor_note", f"T{i + 1:05d}", p, (0.4, 0.2, 0.2, 0.2)),
        ),
    ]
    return spec(
        "counter_notes.csv",
        "CSV, notes in EN/ES/VI/PT with newlines",
        "ticket",
        [(a, b) for a, b, _ in c],
        table(c, make_rows(x, c)),
        csv={"delim": ",", "crlf": True, "bom": False, "nulls": [""]},
    )


# ---- 10 temporary-visitor licence fee ledger, ';' and decimal commas
def x_tempvis(x):
    r = x.r

    def money(lo, hi):
        return f"{r.randint(lo, hi)},{r.randint(0, 99):02d}"

    c = [
        ("O", "Lfd", lambda p, i: str(i + 1)),
        ("D", "Name", lambda p, i: p.last),
        ("D", "Gebuehr", lambda p, i: money(20, 80)),
        ("D", "Steuer", lambda p, i: money(0, 9)),
        ("D", "Datum", lambda p, i: ymd(day(r, 2025, 2026), "%d.%m.%Y")),
        ("D", "Zahlart", lambda p, i: r.choice(["Visa", "EC", "Bar", "Mastercard"])),
        (
            "D",
            "Kennzeichen",
            lambda p, i: f"{r.choice(['ABC', 'KLM', 'XYZ'])}-{r.randint(100, 999)}",
        ),
        ("D", "Aktenzeichen", lambda p, i: x.case9()),
        (
            "P",
            "TempVisitor",
            lambda p, i: "TEMPORARY VISITOR" if p.st in ("NIV", "PAR", "TPS", "PND", "DAC") else "",
        ),
        ("P", "AufenthaltBis", lambda p, i: ymd(p.doc_exp, "%d.%m.%Y")),
        ("P", "VisaKlasse", lambda p, i: p.visa),
        ("P", "SEVIS", lambda p, i: x.plant(p.sevis)),
        ("P", "FIN", lambda p, i: x.plant(p.fin)),
        ("P", "Staatsang", lambda p, i: "US" if p.cit else p.origin[0]),
        ("P", "EADKat", lambda p, i: p.ead),
        ("N", "Bemerkung", lambda p, i: x.note("Bemerkung", str(i + 1), p, (0.5, 0.2, 0.1, 0.2))),
    ]
    return spec(
        "tempvis_fees.csv",
        "';' CSV, decimal commas",
        "Lfd",
        [(a, b) for a, b, _ in c],
        table(c, make_rows(x, c)),
        csv={"delim": ";", "crlf": False, "bom": False, "nulls": [""]},
    )


EXTRACTS = [
    x_ca_unload,
    x_ui_claims,
    x_oplic_api,
    x_wioa_wide,
    x_medicaid,
    x_tuition,
    x_probation,
    x_rca_codes,
    x_counter,
    x_tempvis,
]


def main(argv=None):
    return _main(argv, extracts=EXTRACTS, make=Extract, corpus="unseen_c", seed=31, doc=__doc__)


if __name__ == "__main__":
    sys.exit(main())
