#!/usr/bin/env python3
"""Independent "unseen" corpus for measuring an outbound immigration-status redaction filter.

    python bench/unseen.py --out DIR [--rows N] [--seed S] [--check]

Writes ten synthetic extracts (N rows each, default 2000, seed 11) and DIR/manifest.json,
the ground truth: which columns are protected (status data and its proxies), which are
decoys that look alike but must be released byte-for-byte, per-row labels for every
free-text notes column (mention / negative / plain, with the exact sensitive substrings
of each mention) and every identifier planted in each file. Written without reference
to the filter's code or rules. All people, numbers and addresses are synthetic, drawn
from random.Random(seed); phone numbers use the fictional 555-01xx block.

Layouts
  1 dmv_mainframe_drv.csv    CO DMV mainframe dump: '|' delimited, CRLF, UPPER_ABBREV
                             headers (CTZ_CD, LP_DOC, ALN_NO, ADM_NO, NATZ_DT, DOC_TYP_1),
                             YYYYMMDD dates, code values, mostly upper-case remarks.
  2 county_clerk_export.csv  county clerk spreadsheet: ';', UTF-8 BOM, CRLF, human Spanish/
                             English headers with accents and punctuation ("Situación
                             migratoria", "País de origen"), DD/MM/YYYY, quoted embedded
                             newlines, mixed null tokens ("", N/A, -, NONE, ?), two notes.
  3 vendor_license_feed.csv  California-style vendor system: tab delimited, camelCase
                             (citizenshipCd, lawfulPresenceInd, eadExpDate), "NULL" tokens.
  4 opaque_extract.parquet   generic names (field_07, attr3, code_b, misc_id): only values
                             reveal status ("2-LPR", int64 bare A-numbers, receipt numbers).
  5 vehicle_registration.parquet  typed Parquet (int16/int32/int64/float/bool/date32), a
                             struct (owner_id_doc.*) and a list of structs (prior_status_docs.*)
                             beside vehicle decoys (citizen_band_radio, lpr_hits, emis_tps_volts).
  6 credential_events.jsonl  New York style JSON lines, nested objects and arrays
                             (person.status.lawfulPresence.caseNumber, documents[].kind).
  7 probation_dmv_match.csv  probation / police match: ',' LF, ICE detainer and 287(g)
                             hold columns beside parole_officer, route_i94_mile, citations.
  8 motor_voter_transfer.csv DMV to elections: tab, every field quoted, CRLF; voter
                             ineligibility / citizenship attestation as citizenship proxies.
  9 ag_permits.csv           agriculture permits: H-2A workers, E-Verify, ITIN beside
                             alien_species (invasive species) decoys, "?" null tokens.
 10 dpc_issuance_nfd.csv     Spanish driver privilege card office, every string in NFD
                             (combining accents, not Latin-1 encodable), CRLF.

Manifest notes: "rows" maps an id (as a string) to {"label", "spans"}; ids missing from it
have an empty or null-token note. Mentions are drawn for the row's own synthetic status, so
note and columns agree; negatives reuse the same words in harmless senses (Visa card,
Interstate 94, criminal parole, plate-reader "LPR", throttle "TPS" sensor, county resident).
Identifiers are listed in the manifest as the token written in the file: the A-number
with a glued "A" (A123456789, A-123-456-789, A012345678) or the bare digits when a
separate cue precedes them ("A# 123456789", "USCIS# 123456789"); receipt, I-94, SAVE,
E-Verify, ITIN and naturalization certificate numbers as written.

Public sources of the vocabulary: USCIS "All Forms" list (I-94, I-551, I-766, I-797C,
I-20 / DS-2019 (ICE SEVP, State Dept), I-327, I-571, I-512, N-550/N-560/N-570, I-130,
I-485, I-589, I-821, I-821D, I-765, I-90, I-129, N-400); Form I-765 instructions and
8 CFR 274a.12 (EAD eligibility categories A03, A05, A10, A12, C08, C09, C10, C11, C14,
C19, C33 ...); 22 CFR 41.12 (nonimmigrant visa classes); CBP I-94 website (admission
number formats); USCIS case-status help (receipt prefixes IOE, EAC, WAC, LIN, SRC, NBC,
MSC, YSC); USCIS SAVE and E-Verify program pages (case numbers, response wording); IRS
ITIN pages (9XX-7X-XXXX group ranges); NCSL summary of state laws on driver's licenses
for immigrants: Colorado SB13-251 (CO-RCSA, "not valid for federal purposes"), California
AB 60 ("Federal Limits Apply"), New York Driver's License Access and Privacy Act (Green
Light), Illinois TVDL, Utah/Delaware driving privilege cards, Virginia driver privilege
card, Nevada driver authorization card, New Mexico driving authorization card, Connecticut
drive-only; DHS REAL ID rule (6 CFR 37, limited-term credentials); INA 287(g) and ICE
Form I-247A (detainers). Surnames "Visa" and "Alien" appear as decoys on purpose.
"""

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import unicodedata
from types import SimpleNamespace as NS

import pyarrow as pa
import pyarrow.parquet as pq

# ------------------------------------------------------------------ vocabulary
FIRST = [
    "Maria",
    "Jose",
    "Luis",
    "Ana",
    "Carlos",
    "Juan",
    "Sofia",
    "Miguel",
    "Guadalupe",
    "Rosa",
    "Jorge",
    "Elena",
    "Pedro",
    "Lucia",
    "James",
    "Mary",
    "Robert",
    "Linda",
    "Michael",
    "Sarah",
    "David",
    "Emily",
    "Daniel",
    "Grace",
    "Kevin",
    "Laura",
    "Thomas",
    "Minh",
    "Linh",
    "Wei",
    "Mei",
    "Arjun",
    "Priya",
    "Olena",
    "Dmytro",
    "Amina",
    "Abdi",
    "Fatima",
    "Kwame",
    "Ngozi",
    "Hyun",
    "Jae",
]
LAST = [
    "Garcia",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Rodriguez",
    "Perez",
    "Sanchez",
    "Ramirez",
    "Flores",
    "Cruz",
    "Morales",
    "Reyes",
    "Ortiz",
    "Gutierrez",
    "Chavez",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Nguyen",
    "Tran",
    "Le",
    "Pham",
    "Kim",
    "Park",
    "Lee",
    "Chen",
    "Wang",
    "Li",
    "Patel",
    "Shah",
    "Singh",
    "Kovalenko",
    "Shevchenko",
    "Mohamed",
    "Hassan",
    "Okafor",
    "Mensah",
    "Adeyemi",
    "Haile",
    "Tesfaye",
    "Baptiste",
    "Joseph",
    "Pierre",
    "Silva",
    "Santos",
]
RARE_LAST = ["Visa", "Alien"]  # real (rare) surnames: decoys for naive keyword matching
STREETS = [
    "Maple",
    "Oak",
    "Pine",
    "Cedar",
    "Elm",
    "Aspen",
    "Willow",
    "Birch",
    "Spruce",
    "Juniper",
    "Lincoln",
    "Colfax",
    "Federal",
    "Alameda",
    "Mesa",
    "Sunset",
]
CO_COUNTIES = [
    "Adams",
    "Arapahoe",
    "Boulder",
    "Denver",
    "Douglas",
    "Eagle",
    "El Paso",
    "Garfield",
    "Jefferson",
    "Larimer",
    "Mesa",
    "Pueblo",
    "Weld",
]
CO_CITIES = [
    "Denver",
    "Aurora",
    "Greeley",
    "Pueblo",
    "Lakewood",
    "Thornton",
    "Grand Junction",
    "Fort Collins",
]
NY_COUNTIES = [
    "Queens",
    "Kings",
    "Bronx",
    "Suffolk",
    "Nassau",
    "Westchester",
    "Monroe",
    "Erie",
    "Onondaga",
    "Albany",
]
NY_CITIES = [
    "Queens",
    "Brooklyn",
    "Bronx",
    "Hempstead",
    "Yonkers",
    "Rochester",
    "Buffalo",
    "Syracuse",
]
US = ("US", "USA", "United States", "Estados Unidos", "American", "estadounidense")
COUNTRIES = [  # iso2, iso3, English, Spanish, adjective EN, adjective ES
    ("MX", "MEX", "Mexico", "México", "Mexican", "mexicano"),
    ("GT", "GTM", "Guatemala", "Guatemala", "Guatemalan", "guatemalteco"),
    ("HN", "HND", "Honduras", "Honduras", "Honduran", "hondureño"),
    ("SV", "SLV", "El Salvador", "El Salvador", "Salvadoran", "salvadoreño"),
    ("VE", "VEN", "Venezuela", "Venezuela", "Venezuelan", "venezolano"),
    ("CU", "CUB", "Cuba", "Cuba", "Cuban", "cubano"),
    ("HT", "HTI", "Haiti", "Haití", "Haitian", "haitiano"),
    ("CO", "COL", "Colombia", "Colombia", "Colombian", "colombiano"),
    ("BR", "BRA", "Brazil", "Brasil", "Brazilian", "brasileño"),
    ("IN", "IND", "India", "India", "Indian", "indio"),
    ("CN", "CHN", "China", "China", "Chinese", "chino"),
    ("PH", "PHL", "Philippines", "Filipinas", "Filipino", "filipino"),
    ("VN", "VNM", "Vietnam", "Vietnam", "Vietnamese", "vietnamita"),
    ("NG", "NGA", "Nigeria", "Nigeria", "Nigerian", "nigeriano"),
    ("ET", "ETH", "Ethiopia", "Etiopía", "Ethiopian", "etíope"),
    ("SO", "SOM", "Somalia", "Somalia", "Somali", "somalí"),
    ("UA", "UKR", "Ukraine", "Ucrania", "Ukrainian", "ucraniano"),
    ("AF", "AFG", "Afghanistan", "Afganistán", "Afghan", "afgano"),
    ("KR", "KOR", "South Korea", "Corea del Sur", "Korean", "coreano"),
    ("CA", "CAN", "Canada", "Canadá", "Canadian", "canadiense"),
]
CW = [30, 10, 7, 7, 6, 3, 3, 3, 2, 5, 4, 3, 3, 2, 2, 2, 3, 2, 2, 2]
STATUSES = [
    "USC",
    "NATZ",
    "LPR",
    "REF",
    "ASYLEE",
    "DACA",
    "TPS",
    "ASYP",
    "AOS",
    "PAROLE",
    "NI",
    "UND",
]
DEFAULT_W = [52, 8, 11, 1.5, 1.5, 3, 2.5, 2, 2, 1.5, 6, 9]
TEMP = {"DACA", "TPS", "ASYP", "AOS", "PAROLE", "NI"}  # limited-term credentials
VISAS = [
    "B-1/B-2",
    "F-1",
    "J-1",
    "H-1B",
    "H-2A",
    "H-2B",
    "L-1A",
    "O-1",
    "TN",
    "K-1",
    "E-2",
    "H-4",
    "M-1",
    "U-1",
    "T-1",
]
EAD_BY = {
    "DACA": ["C33", "C33", "C14"],
    "TPS": ["A12", "C19"],
    "ASYP": ["C08"],
    "AOS": ["C09", "C10"],
    "PAROLE": ["C11", "A04"],
    "REF": ["A03"],
    "ASYLEE": ["A05", "A10"],
    "NI": ["C03B", "C26", "A17", "A18"],
}
SAVE_RES = {
    "NATZ": ["NATURALIZED CITIZEN", "US CITIZEN"],
    "LPR": ["LAWFUL PERMANENT RESIDENT", "LAWFUL PERMANENT RESIDENT - EMPLOYMENT AUTHORIZED"],
    "REF": ["REFUGEE"],
    "ASYLEE": ["ASYLEE"],
    "DACA": ["DEFERRED ACTION"],
    "TPS": ["TEMPORARY PROTECTED STATUS"],
    "ASYP": ["ASYLUM APPLICANT"],
    "AOS": ["APPLICANT FOR ADJUSTMENT", "TEMPORARY RESIDENT"],
    "PAROLE": ["PAROLEE", "HUMANITARIAN PAROLE"],
    "NI": ["NONIMMIGRANT", "NONIMMIGRANT - {visa}"],
}
RCPT_PFX = ["IOE", "EAC", "WAC", "LIN", "SRC", "NBC", "MSC", "YSC"]
ITIN_GROUPS = list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100))
IDOC = {
    "USC": ["USPP", "BC", "BC", "USPC"],
    "NATZ": ["USPP", "N550", "N550", "N560"],
    "LPR": ["I551", "I551", "FPP"],
    "REF": ["I94", "I766", "I571"],
    "ASYLEE": ["I94", "I766"],
    "DACA": ["I766", "I766", "FPP"],
    "TPS": ["I766", "I766", "FPP"],
    "ASYP": ["I766", "FPP"],
    "AOS": ["I766", "I766", "FPP"],
    "PAROLE": ["I94", "I766", "I512"],
    "NI": ["FPP", "FPP", "I94"],
    "UND": ["MATR", "MATR", "FPP", "CONID"],
}
LPDOC = {
    "NATZ": ["N550", "N560", "USPP"],
    "LPR": ["I551"],
    "REF": ["I94", "I571"],
    "ASYLEE": ["I94", "I766"],
    "DACA": ["I766", "I797"],
    "TPS": ["I766", "I797"],
    "ASYP": ["I766", "I797"],
    "AOS": ["I766", "I797"],
    "PAROLE": ["I94", "I512"],
    "NI": ["I94", "I797"],
    "UND": [None],
}
DOCS = {  # key: (mainframe code, English words, Spanish words)
    "USPP": ("USPP", "US PASSPORT", "Pasaporte EE.UU."),
    "USPC": ("USPC", "US PASSPORT CARD", "Tarjeta pasaporte EE.UU."),
    "BC": ("BC", "BIRTH CERT", "Acta de nacimiento"),
    "N550": ("N550", "NATURALIZATION CERT (N-550)", "Certificado de naturalización"),
    "N560": ("N560", "CERT OF CITIZENSHIP (N-560)", "Certificado de ciudadanía"),
    "I551": ("I551", "PERMANENT RESIDENT CARD (I-551)", "Tarjeta de residencia (I-551)"),
    "I766": ("I766", "EAD (I-766)", "Permiso de trabajo (I-766)"),
    "FPP": ("FPP", "FOREIGN PASSPORT", "Pasaporte extranjero"),
    "I94": ("I94", "I-94 ARRIVAL RECORD", "Registro I-94"),
    "I20": ("I20", "I-20", "Formulario I-20"),
    "DS2019": ("DS2019", "DS-2019", "Formulario DS-2019"),
    "I797": ("I797", "I-797 NOTICE", "Aviso I-797"),
    "I571": ("I571", "REFUGEE TRAVEL DOC (I-571)", "Documento de viaje de refugiado"),
    "I512": ("I512", "ADVANCE PAROLE (I-512)", "Permiso de viaje I-512"),
    "MATR": ("MATR", "MATRICULA CONSULAR", "Matrícula consular"),
    "CONID": ("CNID", "CONSULAR ID", "Identificación consular"),
}
SIT_ES = {
    "USC": ["Ciudadano", "Ciudadano EE.UU."],
    "NATZ": ["Ciudadano naturalizado"],
    "LPR": ["Residente permanente", "Residente", "LPR"],
    "REF": ["Refugiado"],
    "ASYLEE": ["Asilado"],
    "DACA": ["Acción diferida (DACA)", "DACA"],
    "TPS": ["TPS"],
    "ASYP": ["Asilo solicitado"],
    "AOS": ["Ajuste de estatus pendiente"],
    "PAROLE": ["Parole humanitario"],
    "NI": ["Visa {visa}"],
    "UND": ["Sin estatus", "Indocumentado", "Sin papeles"],
}
PAY = ["VISA", "VISA", "MC", "MASTERCARD", "AMEX", "DISCOVER", "CASH"]

# --------------------------------------------------------------- note templates
# lang|tags|text || text ...  [[...]] marks a sensitive cue (becomes a span); {anum} {anumd} {i94} {rcpt}
# {save} {itin} {natz} are identifiers (spans + manifest identifiers); other {...} are fillers.
MENTION_TXT = """
en|LPR|Cust presented [[green card]] exp {date} || [[PR card]] verified, {anum} || [[LPR]], [[I-551]] exp {date}
en|LPR|[[greencard]] on file [[A#]]{anumd} || [[permanent resident card]] expired, [[I-90]] filed, receipt {rcpt}
en|LPR|[[I-551 stamp]] in [[{adj_en} passport]]
en|LPR NATZ|[[reentry permit]] [[I-327]] shown
en|NATZ|[[naturalized citizen]], [[N-550]] #{natz} || [[naturalization cert]] {natz} verified
en|NATZ|[[naturalized]] {year}, [[N-550]] on file || [[USCIS#]] {anumd} on [[naturalization certificate]]
en|CIT|[[US citizen]] verified w/ [[birth cert]] || [[USC]] per [[US passport]]
en|USC|[[born in the US]], [[birth certificate]] on file
en|DACA|[[DACA]] approved, [[work permit]] exp {date} || [[deferred action]] renewal pending, receipt {rcpt}
en|DACA TPS ASYP AOS|[[EAD{eadcatl}]] seen
en|TPS|[[TPS {cty_en}]], [[EAD auto-extended]] || [[Temporary Protected Status]] - [[I-821]] receipt {rcpt}
en|ASYP ASYLEE|[[asylum]] applicant, [[I-589]] filed
en|ASYP|[[asylum pending]] - [[EAD C08]] exp {date}
en|ASYLEE|[[asylee]], [[I-94]] {i94}
en|REF|[[refugee]] - [[I-94]] {i94} || [[refugee travel doc]] [[I-571]] presented
en|AOS|[[AOS pending]], receipt {rcpt} || [[I-485]] pending, [[I-797C]] {rcpt}
en|PAROLE|[[humanitarian parole]] ([[I-94]] {i94}) || [[parolee]], [[I-512]] advance parole doc
en|NI|[[{visa} visa]] holder, [[I-94]] {i94} || [[I94:]]{i94} [[{visa}]] || [[TVDL]] issued, [[visa]] exp {date}
en|NI|[[limited-term]] DL tied to [[authorized stay]] {date}
en|F1|[[F-1]] student, [[I-20]] presented
en|J1|[[J-1]] [[DS-2019]] exp {date}
en|H2A H2B|[[{visa}]] worker, [[I-797]] petition {rcpt}
en|NC|[[EAD]] [[{eadcat}]] exp {date} || [[work permit expired]] {date}, has [[I-797]] extension
en|NC|[[SAVE]] case {save} result [[{saveres}]] || [[SAVE verification]] {save} || [[alien registration no]] {anumd}
en|NC|[[A-number]] {anum} || [[{adj_en} passport]] presented as ID || [[born in {cty_en}]]
en|NC|[[non-citizen]] - not eligible to register to vote || declined voter reg, [[not a citizen]]
en|UND|[[matricula consular]] presented as ID || [[no lawful presence]], issued [[SB251]] license
en|UND|[[not valid for federal purposes]] marking explained || [[NVFP]] cred issued
en|UND|[[federal limits apply]] card, [[AB 60]] || [[undocumented]], [[ITIN]] {itin} in place of SSN
en|UND|[[ITIN]] {itin} used, no SSN || [[DPC]] - [[ITIN]] {itin} || [[drive only]] license issued
en|UND|[[Green Light]] applicant, [[{adj_en} passport]] || [[REAL ID denied]] - [[no lawful status docs]]
en|UND|[[driver authorization card]], [[no SSN]] || [[driving privilege card]] issued, [[standard license, not REAL ID]]
en|LPR|old [[I-688]] card, told to renew || [[I-864]] sponsor letter shown
en|NATZ|[[N-570]] replacement cert requested
en|NC|[[I-9]] List A: [[{adj_en} passport]] + [[I-94]] || [[no LP docs]] at counter, referred to [[SAVE]]
en|GT|[[Guatemalan consular ID]] accepted
en|DET|[[ICE]] [[detainer]] on file || [[detained by ICE]] per family || [[287(g)]] [[hold]] - see jail
en|DET|[[ERO]] called re: [[immigration hold]] || [[in ICE custody]] at [[detention center]]
es|LPR|[[presentó tarjeta de residencia]] || [[residente permanente]], [[A#]] {anumd} || [[mica]] vence {date}
es|NATZ|[[ciudadano naturalizado]] desde {year} || [[certificado de naturalización]] {natz}
es|CIT|[[ciudadano estadounidense]], [[acta de nacimiento]]
es|UND|[[sin papeles]], [[licencia SB251]] || cliente [[indocumentado]]
es|UND|[[pasaporte {adj_es}]] y [[matrícula consular]] || [[no válida para fines federales]]
es|UND|[[ITIN]] en vez de SSN: {itin} || [[sin estatus legal]], se le dio [[licencia de privilegio]]
es|GT|[[ID consular de Guatemala]] presentado
es|NC|[[permiso de trabajo vencido]] el {date} || [[permiso de trabajo]] categoría [[{eadcat}]]
es|NC|[[estatus migratorio]] pendiente || [[número de extranjero]] {anum}
es|NC|[[no es ciudadano]], no puede registrarse para votar || [[nació en {cty_es}]]
es|NC|[[pasaporte {adj_es}]] presentado || [[caso SAVE]] {save}
es|ASYP|[[asilo solicitado]], recibo {rcpt}
es|ASYLEE|[[asilado]] con [[I-94]] {i94}
es|DACA|[[acción diferida]] ([[DACA]]) aprobada
es|TPS|[[TPS para {cty_es}]]
es|REF|[[refugiado]] con [[I-94]] {i94}
es|PAROLE|[[parole humanitario]], [[I-94]] {i94}
es|NI|[[visa {visa}]] vigente hasta {date}
es|B1B2|[[visa de turista]] vencida
es|AOS|[[ajuste de estatus]] pendiente, recibo {rcpt}
es|DET|[[detenido por ICE]] según familia || [[orden de detención de inmigración]] || [[en custodia de ICE]]
"""
NEGATIVE_TXT = """
en|VISA card declined at counter, paid cash || Paid w/ Visa debit, receipt emailed
en|Drove on I-94 to Detroit for plates || Crash report: I-94 mile {mile}, eastbound
en|Parole officer {off} called re: appointment || On criminal parole, PO notified of address change
en|Permanent address updated || Residence address changed to {street}
en|Customer is a US Army veteran, vet designation added || LPR camera hits reviewed, plate {plate} cleared
en|CB radio antenna noted on inspection || TPS sensor replaced, emissions retest pass
en|MSO received from dealer, title issued || Vehicle manufactured in Mexico, VIN verified
en|Spoke w/ Mr. Alien re: title transfer || Ms. Visa picked up plates || Proof of residency: utility bill + lease
en|Green car, color corrected on title || Resident of {county} County {n} yrs, address confirmed
en|Citizen complaint re: wait time sent to supervisor
es|Tarjeta VISA rechazada, pagó en efectivo || Pagó con tarjeta Visa || Manejó por la I-94 hasta Detroit
es|Llamó el oficial de libertad condicional || Dirección permanente actualizada || Cambio de domicilio registrado
es|Cliente es veterano del ejército || Sensor TPS cambiado, pasó emisiones
es|Vehículo fabricado en México, VIN verificado || Placa {plate} reemplazada por robo
es|Residente del condado {county} desde hace {n} años || Comprobante de domicilio: recibo de luz
"""
PLAIN_TXT = """
en|Renewal processed || Vision test passed || Knowledge test scheduled {date} || Photo retaken, glare
en|Fee paid ${fee} || Duplicate license issued || Address verified by mail || Customer called, appointment moved
en|Name change per marriage cert || Restriction B (corrective lenses) added
es|Renovación procesada || Examen de la vista aprobado || Cita reprogramada para {date} || Foto tomada de nuevo
es|Pagó la tarifa de ${fee} || Licencia duplicada entregada || Examen escrito aprobado
"""
NEEDS = {
    "anum": "anum",
    "anumd": "anum",
    "i94": "i94",
    "rcpt": "rcpt",
    "save": "save",
    "saveres": "save",
    "itin": "itin",
    "natz": "natz",
    "eadcat": "ead",
    "eadcatl": "ead",
    "visa": "visa",
    "year": "natz_dt",
    "cty_en": "foreign",
    "cty_es": "foreign",
    "adj_en": "foreign",
    "adj_es": "foreign",
}
IDENTS = {"anum", "anumd", "i94", "rcpt", "save", "itin", "natz"}
TOK = re.compile(r"\[\[(.+?)\]\]|\{(\w+)\}")
LABELS = ["mention", "negative", "plain", "empty"]


def _tpl(block, tagged):
    out = []
    for line in block.strip().splitlines():
        parts = line.split("|", 2 if tagged else 1)
        tags = set(parts[1].split()) if tagged else set()
        for text in parts[-1].split(" || "):
            out.append(
                (
                    parts[0],
                    tags,
                    text,
                    {NEEDS[k] for k in re.findall(r"\{(\w+)\}", text) if k in NEEDS},
                )
            )
    return out


MENTIONS, NEGATIVES, PLAINS = (
    _tpl(MENTION_TXT, True),
    _tpl(NEGATIVE_TXT, False),
    _tpl(PLAIN_TXT, False),
)
OCR = {"O": "0", "0": "O", "o": "0", "l": "1", "1": "l", "I": "1", "S": "5", "B": "8", "e": "c"}


def typo(r, s):
    """Clerk / OCR noise on a cue: case change, transposition, drop, doubling, OCR swap, lost space."""
    x = r.random()
    if x < 0.80 or (x >= 0.88 and len(s) < 4):
        return s
    if x < 0.88:
        return r.choice([s.upper(), s.lower(), s.title()])
    i, op = r.randrange(1, len(s) - 2), r.choice(["swap", "drop", "dup", "ocr", "ocr", "nospace"])
    ocr = [j for j, c in enumerate(s) if c in OCR]
    if op == "ocr" and ocr:
        i = r.choice(ocr)
        return s[:i] + OCR[s[i]] + s[i + 1 :]
    return {
        "swap": s[:i] + s[i + 1] + s[i] + s[i + 2 :],
        "drop": s[:i] + s[i + 1 :],
        "dup": s[:i] + s[i] + s[i:],
        "ocr": s,
        "nospace": s.replace(" ", "", 1),
    }[op]


# ------------------------------------------------------------------ value helpers
def rdate(r, y0, y1):
    return dt.date.fromordinal(
        r.randint(dt.date(y0, 1, 1).toordinal(), dt.date(y1, 12, 31).toordinal())
    )


def fd(d, fmt):
    return d.strftime(fmt) if d else None


def ymd(d):
    return fd(d, "%Y%m%d")


def iso(d):
    return fd(d, "%Y-%m-%d")


def dmy(d):
    return fd(d, "%d/%m/%Y")


def mdy(d):
    return fd(d, "%m/%d/%Y")


def anum_style(d, style):
    """A-number token (d: 8 or 9 digits) written as A, Adash, Azero, lower, bare or dashes."""
    if d is None:
        return None
    g = f"{d[:3]}-{d[3:6]}-{d[6:]}" if len(d) == 9 else d
    return {
        "Adash": "A-" + g if len(d) == 9 else "A" + d,
        "dashes": g,
        "bare": d,
        "Azero": "A" + d.zfill(9),
        "lower": "a" + d,
    }.get(style, "A" + d)


def ead_fmt(r, c):
    if c is None:
        return None
    m = re.fullmatch(r"([AC])(\d\d)(\w?)", c)
    paren = f"({m[1].lower()})({int(m[2])})" + (f"({m[3]})" if m[3] else "")
    return r.choice([c, c, f"{c[0]}-{c[1:]}", paren])


VIN_CH = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
VIN_VAL = {
    **{str(i): i for i in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def vin(r):
    v = [r.choice(VIN_CH) for _ in range(17)]
    s = sum(VIN_VAL[c] * w for c, w in zip(v, VIN_W, strict=True)) % 11
    v[8] = "X" if s == 10 else str(s)
    return "".join(v)


def plate(r):
    L = "ABCDEFGHJKLMNPRSTUVWXYZ"
    if r.random() < 0.5:
        return "".join(r.choice(L) for _ in range(3)) + f"-{r.randint(0, 9999):04d}"
    return f"{r.randint(100, 999)}-" + "".join(r.choice(L) for _ in range(3))


def phone(r, codes=("303", "720", "970", "719")):
    return f"({r.choice(codes)}) 555-01{r.randint(0, 99):02d}"


def zipc(r, prefixes):
    p = r.choice(prefixes)
    return p + "".join(str(r.randint(0, 9)) for _ in range(5 - len(p)))


def street(r):
    return f"{r.randint(10, 9999)} {r.choice(STREETS)} {r.choice(['St', 'Ave', 'Blvd', 'Dr', 'Ct', 'Way'])}"


class Gen:
    """Identifier factory; every value unique within one extract."""

    def __init__(self, r):
        self.r, self.seen = r, set()

    def new(self, kind):
        r, L = self.r, lambda: self.r.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
        make = {
            "anum": lambda: str(
                r.randint(10**7, 10**8 - 1) if r.random() < 0.3 else r.randint(200000000, 239999999)
            ),
            "i94": lambda: (
                str(r.randint(10**10, 10**11 - 1))
                if r.random() < 0.7
                else f"{r.randint(10**8, 10**9 - 1)}{L()}{r.randint(0, 9)}"
            ),  # 11 digits, or 9 digits + letter + digit
            "rcpt": lambda: f"{r.choice(RCPT_PFX)}{r.randint(19, 25)}{r.randint(0, 10**8 - 1):08d}",
            "save": lambda: (
                f"{r.randint(0, 10**13 - 1):013d}" + (L() + L() if r.random() < 0.75 else "")
            ),
            "everify": lambda: f"{r.randint(2019, 2025)}{r.randint(0, 10**9 - 1):09d}{L()}{L()}",
            "itin": lambda: (
                f"9{r.randint(0, 99):02d}-{r.choice(ITIN_GROUPS)}-{r.randint(0, 9999):04d}"
            ),
            "natz": lambda: str(r.randint(10**7, 4 * 10**7)),
        }[kind]
        v = make()
        while v in self.seen:
            v = make()
        self.seen.add(v)
        return v


# ------------------------------------------------------------------ extract state
class X:
    """One extract under construction: its rng, people, planted identifiers and note labels."""

    def __init__(self, seed, rows, name):
        self.r = random.Random(f"unseen/{seed}/{name}")
        self.g, self.n = Gen(self.r), rows
        self.ids, self.labels, self.used = set(), {}, set()
        self.weights, self.visas, self.counties, self.detain = DEFAULT_W, VISAS, CO_COUNTIES, 0.0

    def tok(self, v):
        if v:
            self.ids.add(v)
        return v

    def rows(self, row):
        return [row(self.person(), i) for i in range(self.n)]

    def uniq(self, f):
        while True:
            v = f()
            if v not in self.used:
                self.used.add(v)
                return v

    def person(self):
        r, g = self.r, self.g
        st = r.choices(STATUSES, self.weights)[0]
        p = NS(
            st=st,
            first=r.choice(FIRST),
            last=r.choice(RARE_LAST) if r.random() < 0.015 else r.choice(LAST),
            dob=rdate(r, 1950, 2006),
            sex=r.choice("MF"),
        )
        p.cit, p.foreign = st in ("USC", "NATZ"), st != "USC"
        p.ctry = US if st == "USC" else r.choices(COUNTRIES, CW)[0]
        lawful_nc = not p.cit and st != "UND"
        p.visa = r.choice(self.visas) if st == "NI" else None
        p.anum = (
            g.new("anum")
            if (lawful_nc and st != "NI")
            or st == "NATZ"
            or (st in ("NI", "UND") and r.random() < 0.15)
            else None
        )
        p.i94 = (
            g.new("i94")
            if st in ("NI", "REF", "ASYLEE", "PAROLE") or (st == "AOS" and r.random() < 0.5)
            else None
        )
        p.rcpt = (
            g.new("rcpt")
            if st in TEMP - {"NI"} or (st in ("NATZ", "LPR", "NI") and r.random() < 0.3)
            else None
        )
        p.ead = r.choice(EAD_BY[st]) if st in EAD_BY and (st != "NI" or r.random() < 0.3) else None
        p.ead_exp = rdate(r, 2022, 2028) if p.ead else None
        p.stay = p.ead_exp or (rdate(r, 2023, 2029) if p.visa else None)
        p.gc_exp = rdate(r, 2023, 2035) if st == "LPR" else None
        p.natz_dt = rdate(r, 1985, 2024) if st == "NATZ" else None
        p.natz = g.new("natz") if st == "NATZ" else None
        p.save = (
            g.new("save")
            if (lawful_nc and r.random() < 0.85) or (st == "NATZ" and r.random() < 0.25)
            else None
        )
        p.saveres = None
        if p.save:
            p.saveres = (
                r.choice(SAVE_RES[st]).replace("{visa}", p.visa or "")
                if r.random() < 0.9
                else "INSTITUTE ADDITIONAL VERIFICATION"
            )
        p.itin = (
            g.new("itin")
            if (st == "UND" and r.random() < 0.6) or (st == "NI" and r.random() < 0.1)
            else None
        )
        p.idoc = r.choice(IDOC[st])
        if st == "USC":
            p.lpdoc = p.idoc
        elif st == "NI" and p.visa in ("F-1", "J-1"):
            p.lpdoc = "I20" if p.visa == "F-1" else "DS2019"
        else:
            p.lpdoc = r.choice(LPDOC[st])
        p.cred = (
            "NOLP" if st == "UND" else "LTD" if st in TEMP else r.choice(["REAL", "REAL", "STD"])
        )
        p.detained = (not p.cit) and r.random() < self.detain
        p.tags = (
            {st, "ALL"}
            | ({"CIT"} if p.cit else {"NC", p.ctry[0]})
            | ({"DET"} if p.detained else set())
        )
        if p.visa:
            p.tags.add(p.visa.replace("-", "").replace("/", ""))
        return p

    # ---- notes
    def val(self, k, p, mention=True):
        """Value for a template placeholder; status dates only inside mentions."""
        r = self.r
        date = (p.ead_exp or p.gc_exp or p.stay if mention else None) or rdate(r, 2024, 2027)
        return {
            "anum": lambda: anum_style(p.anum, r.choice(["A", "A", "Adash", "Azero", "lower"])),
            "anumd": lambda: anum_style(p.anum, r.choice(["bare", "bare", "dashes"])),
            "rcpt": lambda: p.rcpt if r.random() < 0.9 else p.rcpt.lower(),
            "itin": lambda: p.itin if r.random() < 0.7 else p.itin.replace("-", ""),
            "i94": lambda: p.i94,
            "save": lambda: p.save,
            "saveres": lambda: p.saveres,
            "natz": lambda: p.natz,
            "visa": lambda: p.visa,
            "eadcat": lambda: p.ead,
            "eadcatl": lambda: p.ead.lower(),
            "date": lambda: date.strftime(r.choice(["%m/%d/%Y", "%Y-%m-%d", "%m/%y", "%d/%m/%Y"])),
            "year": lambda: str(p.natz_dt.year),
            "cty_en": lambda: p.ctry[2],
            "cty_es": lambda: p.ctry[3],
            "adj_en": lambda: p.ctry[4],
            "adj_es": lambda: p.ctry[5],
            "plate": lambda: plate(r),
            "street": lambda: street(r),
            "off": lambda: f"{r.choice(FIRST)[0]}. {r.choice(LAST)}",
            "mile": lambda: f"{r.uniform(1, 275):.1f}",
            "fee": lambda: r.choice(["28", "31.50", "36", "64.50", "94"]),
            "county": lambda: r.choice(self.counties),
            "n": lambda: str(r.randint(1, 30)),
        }[k]()

    def fill(self, tpl, p, mention=True):
        out, spans, idents, pos = [], [], [], 0
        for m in TOK.finditer(tpl):
            out.append(tpl[pos : m.start()])
            pos = m.end()
            if m.group(1) is not None:
                s = typo(
                    self.r,
                    re.sub(r"\{(\w+)\}", lambda k: self.val(k.group(1), p, mention), m.group(1)),
                )
                spans.append(s)
            else:
                s = self.val(m.group(2), p, mention)
                if m.group(2) in IDENTS:
                    if self.r.random() < 0.03:  # OCR slip inside the identifier
                        idx = [i for i, c in enumerate(s) if c in "01"]
                        if idx:
                            i = self.r.choice(idx)
                            s = s[:i] + {"0": "O", "1": "l"}[s[i]] + s[i + 1 :]
                    spans.append(s)
                    idents.append(s)
            out.append(s)
        out.append(tpl[pos:])
        return "".join(out), spans, idents

    def note(self, col, rid, p, es=0.3, nl=True, upper=0.0):
        """Free-text note for one row; records its label (and spans) in self.labels[col]."""
        r = self.r
        label = r.choices(LABELS, (15, 32, 36, 17) if p.st == "USC" else (60, 17, 15, 8))[0]
        if label == "empty":
            return None
        lang = "es" if r.random() < es else "en"
        if label == "mention":
            ok = lambda t, lg: t[0] == lg and t[1] & p.tags and all(getattr(p, n) for n in t[3])  # noqa: E731
            cands = [t for t in MENTIONS if ok(t, lang)] or [t for t in MENTIONS if ok(t, "en")]
            frags = [self.fill(r.choice(cands)[2], p)]
        else:
            pool = NEGATIVES if label == "negative" else PLAINS
            frags = [self.fill(r.choice([t for t in pool if t[0] == lang])[2], p, False)]
        if r.random() < 0.3:  # a second, harmless sentence before or after
            pool = PLAINS + NEGATIVES if label == "mention" else PLAINS
            frags.insert(
                r.randrange(2), self.fill(r.choice([t for t in pool if t[0] == lang])[2], p, False)
            )
        if upper and r.random() < upper:
            frags = [
                (t.upper(), [s.upper() for s in sp], [s.upper() for s in ids])
                for t, sp, ids in frags
            ]
        seps = [" / ", "; ", ". ", "  "] + (["\n", "\r\n"] if nl else [])
        text = r.choice(seps).join(t for t, _, _ in frags)
        spans = list(dict.fromkeys(s for _, sp, _ in frags for s in sp))
        for _, _, ids in frags:
            self.ids.update(ids)
        self.labels.setdefault(col, {})[str(rid)] = (
            {"label": label, "spans": spans} if label == "mention" else {"label": label}
        )
        return text


def docnum(x, key, p):
    """Number printed on the document; status-document numbers are planted identifiers."""
    r = x.r
    if key in (
        "I551",
        "I766",
        "I797",
        "I94",
        "N550",
        "N560",
    ):  # EAD / PR card numbers share the receipt shape
        kind = {"I94": "i94", "N550": "natz", "N560": "natz"}.get(key, "rcpt")
        return x.tok((getattr(p, kind) if key not in ("I551", "I766") else None) or x.g.new(kind))
    return {
        "USPP": lambda: str(r.randint(5 * 10**8, 6 * 10**8 - 1)),
        "USPC": lambda: f"C{r.randint(0, 10**8 - 1):08d}",
        "FPP": lambda: r.choice("GNPE") + f"{r.randint(0, 10**8 - 1):08d}",
        "BC": lambda: f"{r.randint(100, 199)}-{r.randint(10, 99)}-{r.randint(100000, 999999)}",
    }.get(key, lambda: f"{r.choice('MKTR')}{r.randint(10**6, 10**7 - 1)}")()


# ------------------------------------------------------------------ the extracts
# Each e_* returns the extract's metadata and its rows (one synthetic person per row); column
# lists are "|"-separated. Every extract has the same N rows but its own population and vocabulary.
def cols(s):
    return s.split("|")


def e_mainframe(x):
    r = x.r
    cred = {"REAL": "DL-REAL", "STD": "DL-STD", "LTD": "DL-LTD"}

    def row(p, i):
        rid = x.uniq(lambda: f"{r.randint(10, 99)}-{r.randint(100, 999)}-{r.randint(1000, 9999)}")
        sec = (
            None
            if r.random() < 0.55
            else (
                "ITIN LTR"
                if p.itin
                else "I-94"
                if p.i94 and r.random() < 0.5
                else r.choice(["SSN CARD", "SSN CARD", "W-2", "PAY STUB"])
            )
        )
        return {
            "DL_NBR": rid,
            "LST_NM": p.last.upper(),
            "FST_NM": p.first.upper(),
            "BRTH_DT": ymd(p.dob),
            "CNTY_CD": f"{r.randint(1, 64):02d}",
            "LIC_CLS": r.choices("RABCM", [80, 3, 3, 6, 8])[0],
            "LIC_STAT": r.choices(["VAL", "SUS", "REV", "EXP", "CAN"], [80, 8, 3, 7, 2])[0],
            "ZIP_CD": zipc(r, ["80", "81"]),
            "ISS_DT": ymd(rdate(r, 2016, 2025)),
            "ENDRS_CD": r.choices([None, "M", "P", "N", "T"], [85, 7, 3, 3, 2])[0],
            "CTZ_CD": "U" if r.random() < 0.04 else "C" if p.cit else "N",
            "LP_DOC": DOCS[p.lpdoc][0] if p.lpdoc else None,
            "CRED_TYP": ("ID-RCSA" if r.random() < 0.2 else "CO-RCSA")
            if p.cred == "NOLP"
            else cred[p.cred],
            "WP_EXP": ymd(p.ead_exp),
            "ALN_NO": x.tok(anum_style(p.anum, "Azero")),
            "ADM_NO": x.tok(p.i94),
            "BRTH_CTRY": p.ctry[0],
            "NATZ_DT": ymd(p.natz_dt),
            "DOC_TYP_1": DOCS[p.idoc][1].split(" (")[0],
            "DOC_TYP_2": sec,
            "LPV_SRC": "SAVE" if p.save else None if p.st == "UND" else r.choice(["SSA", None]),
            "NVFP_IND": "Y" if p.cred == "NOLP" else "N",
            "RMK_TXT": x.note("RMK_TXT", rid, p, es=0.15, nl=False, upper=0.7),
        }

    return dict(
        file="dmv_mainframe_drv.csv",
        format="csv",
        id="DL_NBR",
        notes=["RMK_TXT"],
        rows=x.rows(row),
        layout="CO DMV mainframe driver dump: pipe, CRLF, abbreviated upper-case headers, code values, YYYYMMDD",
        protected=cols(
            "CTZ_CD|LP_DOC|CRED_TYP|WP_EXP|ALN_NO|ADM_NO|BRTH_CTRY|NATZ_DT|DOC_TYP_1|DOC_TYP_2|LPV_SRC|NVFP_IND"
        ),
        decoys=cols("LST_NM|FST_NM|BRTH_DT|CNTY_CD|LIC_CLS|LIC_STAT|ZIP_CD|ISS_DT|ENDRS_CD"),
        csv=dict(delim="|", crlf=True, bom=False, nulls=[""]),
    )


def e_clerk(x):
    r = x.r
    cred = {
        "REAL": "Licencia REAL ID",
        "STD": "Licencia estándar",
        "LTD": "Licencia de duración limitada",
        "NOLP": "No válida para fines federales (SB251)",
    }
    abbrev = {"I551": "greencard", "I766": "EAD", "MATR": "matricula"}

    def row(p, i):
        rid = f"T-25-{i + 1:06d}"
        return {
            "Nº de trámite": rid,
            "Nombre(s)": p.first,
            "Apellido(s)": p.last,
            "Fecha de nacimiento": dmy(p.dob),
            "Condado": r.choice(x.counties),
            "Dirección permanente": f"{street(r)}, {r.choice(CO_CITIES)} CO",
            "Teléfono": phone(r),
            "Código postal": zipc(r, ["80", "81"]),
            "Forma de pago": r.choice(["VISA", "MC", "Mastercard", "Efectivo", "Débito", "AMEX"]),
            "Clase de licencia": r.choice(["R", "R", "R", "C", "M"]),
            "Situación migratoria": None
            if r.random() < 0.15
            else r.choice(SIT_ES[p.st]).replace("{visa}", p.visa or ""),
            "País de origen": p.ctry[3],
            "Documento presentado": abbrev[p.idoc]
            if p.idoc in abbrev and r.random() < 0.15
            else DOCS[p.idoc][2],
            "¿Ciudadano EE.UU.? (S/N)": None if r.random() < 0.05 else "S" if p.cit else "N",
            "A# / Nº de extranjero": x.tok(anum_style(p.anum, r.choice(["Adash", "A"]))),
            "Vence permiso de trabajo": dmy(p.ead_exp),
            "Fecha de naturalización": dmy(p.natz_dt),
            "Tipo de credencial": cred[p.cred],
            "ITIN / Nº de contribuyente": x.tok(p.itin),
            "Observaciones": x.note("Observaciones", rid, p, es=0.8),
            "Notes (staff)": x.note("Notes (staff)", rid, p, es=0.15),
        }

    return dict(
        file="county_clerk_export.csv",
        format="csv",
        id="Nº de trámite",
        notes=["Observaciones", "Notes (staff)"],
        rows=x.rows(row),
        layout="county clerk spreadsheet export: ';', UTF-8 BOM, CRLF, Spanish/English human "
        "headers, DD/MM/YYYY, quoted embedded newlines, mixed null tokens",
        protected=cols(
            "Situación migratoria|País de origen|Documento presentado|¿Ciudadano EE.UU.? (S/N)|"
            "A# / Nº de extranjero|Vence permiso de trabajo|Fecha de naturalización|Tipo de credencial|"
            "ITIN / Nº de contribuyente"
        ),
        decoys=cols(
            "Nombre(s)|Apellido(s)|Fecha de nacimiento|Condado|Dirección permanente|Teléfono|Código postal|"
            "Forma de pago|Clase de licencia"
        ),
        csv=dict(delim=";", crlf=True, bom=True, nulls=["", "N/A", "-", "NONE", "?"]),
    )


def e_vendor(x):
    r = x.r
    reason = {
        "LTD": ["TEMPORARY LAWFUL STATUS"],
        "NOLP": ["NO LAWFUL PRESENCE - AB60", "AB 60 APPLICANT"],
        "STD": ["CUSTOMER DECLINED", "NO SSN DOCUMENT", "ADDRESS DOCS MISSING"],
        "REAL": [None],
    }
    h = r.getrandbits

    def row(p, i):
        rid = x.uniq(
            lambda: f"{h(32):08x}-{h(16):04x}-4{h(12):03x}-{8 + h(2):x}{h(12):03x}-{h(48):012x}"
        )
        cz = (
            "UNK"
            if r.random() < 0.03
            else "USC"
            if p.st == "USC"
            else ("NATZ" if r.random() < 0.3 else "USC")
            if p.cit
            else "LPR"
            if p.st == "LPR"
            else "NC"
        )
        words = re.findall(r"[A-Z0-9]+", p.saveres or "")  # SAVE response as a short vendor code
        res = (words[0][:3] if len(words) == 1 else "".join(w[0] for w in words)) if words else None
        return {
            "recordId": rid,
            "firstName": p.first,
            "lastName": p.last,
            "dateOfBirth": iso(p.dob),
            "licenseClass": r.choices(["C", "A", "B", "M1", "M2"], [85, 4, 3, 5, 3])[0],
            "licenseStatus": r.choices(["VALID", "SUSPENDED", "REVOKED", "EXPIRED"], [85, 7, 2, 6])[
                0
            ],
            "paymentCardBrand": r.choice(PAY),
            "phoneNumber": phone(r, ("213", "415", "559", "916")),
            "postalCode": zipc(r, ["9", "9", "05", "06", "07", "02"]),
            "mailingCity": r.choice(["Fresno", "Oakland", "Salinas", "Stockton"]),
            "vehicleVin": vin(r) if r.random() < 0.7 else None,
            "citizenshipCd": cz,
            "lawfulPresenceInd": "N"
            if p.st == "UND"
            else "P"
            if p.st in ("ASYP", "AOS") and r.random() < 0.3
            else "Y",
            "lpVerificationSrc": "SAVE"
            if p.save
            else "SSA"
            if p.cit and r.random() < 0.6
            else None,
            "eadCategoryCd": ead_fmt(r, p.ead),
            "eadExpDate": iso(p.ead_exp),
            "visaClassCd": p.visa and p.visa.replace("-", ""),
            "i94Number": x.tok(p.i94),
            "greenCardExpDate": iso(p.gc_exp),
            "alienRegNbr": x.tok(anum_style(p.anum, r.choice(["Adash", "A", "bare"]))),
            "realIdIneligibleReason": r.choice(reason[p.cred]),
            "saveCaseNbr": x.tok(p.save),
            "saveResultCd": res,
            "fedLimitsApplyInd": "Y" if p.cred == "NOLP" else "N",
            "caseNotes": x.note("caseNotes", rid, p, es=0.35),
        }

    return dict(
        file="vendor_license_feed.csv",
        format="csv",
        id="recordId",
        notes=["caseNotes"],
        rows=x.rows(row),
        layout="vendor DMV system (CA AB 60 style): tab delimited, LF, camelCase headers, NULL tokens",
        protected=cols(
            "citizenshipCd|lawfulPresenceInd|lpVerificationSrc|eadCategoryCd|eadExpDate|visaClassCd|i94Number|"
            "greenCardExpDate|alienRegNbr|realIdIneligibleReason|saveCaseNbr|saveResultCd|fedLimitsApplyInd"
        ),
        decoys=cols(
            "firstName|lastName|dateOfBirth|licenseClass|licenseStatus|paymentCardBrand|phoneNumber|postalCode|"
            "mailingCity|vehicleVin"
        ),
        csv=dict(delim="\t", crlf=False, bom=False, nulls=["NULL"]),
    )


def table(rows, types):
    """Rows -> Arrow table; columns not named in types are strings."""
    return pa.Table.from_pylist(
        rows, schema=pa.schema([(k, types.get(k, pa.string())) for k in rows[0]])
    )


def e_opaque(x):
    r = x.r
    code = {"USC": "1-CITIZEN", "NATZ": "1-CITIZEN", "LPR": "2-LPR"}
    credc = {"REAL": "RID", "STD": "STD", "LTD": "LTD", "NOLP": "RCSA"}

    def row(p, i):
        return {
            "rec_key": 500001 + i,
            "field_01": p.last,
            "field_02": r.choice(x.counties),
            "field_03": r.randint(0, 350000),
            "field_04": plate(r),
            "field_05": p.dob,
            "field_06": r.choice(["ACTIVE", "ACTIVE", "SUSP", "EXPD"]),
            "field_07": "9-UNK" if r.random() < 0.04 else code.get(p.st, "3-OTHER"),
            "field_08": p.stay,
            "field_09": rdate(r, 2016, 2025),
            "field_10": vin(r),
            "field_11": x.tok(p.i94),
            "field_12": p.ctry[1],
            "attr1": zipc(r, ["80", "81"]),
            "attr2": r.choice(PAY),
            "attr3": x.tok(p.rcpt),
            "attr4": credc[p.cred],
            "attr5": x.tok(p.itin and p.itin.replace("-", "")),
            "code_a": r.choice("RRRRABCM"),
            "code_b": "N" if p.cit else "Y",
            "code_c": p.ead,
            "misc_id": int(x.tok(p.anum)) if p.anum else None,
            "txt_1": x.note("txt_1", 500001 + i, p, es=0.25),
        }

    types = {k: pa.int64() for k in ("rec_key", "field_03", "misc_id")} | {
        k: pa.date32() for k in ("field_05", "field_08", "field_09")
    }
    return dict(
        file="opaque_extract.parquet",
        format="parquet",
        id="rec_key",
        notes=["txt_1"],
        table=table(x.rows(row), types),
        layout="opaque Parquet: generic column names, int64 bare A-numbers, status codes only in values",
        protected=cols(
            "field_07|field_08|field_11|field_12|attr3|attr4|attr5|code_b|code_c|misc_id"
        ),
        decoys=cols(
            "field_01|field_02|field_03|field_04|field_05|field_06|field_09|field_10|attr1|attr2|code_a"
        ),
    )


FORM_BY = {
    "AOS": "I-485",
    "DACA": "I-821D",
    "TPS": "I-821",
    "ASYP": "I-589",
    "NATZ": "N-400",
    "LPR": "I-90",
    "NI": "I-129",
    "PAROLE": "I-131",
}
US_ISSUED = {
    "USPP",
    "USPC",
    "BC",
    "N550",
    "N560",
    "I551",
    "I766",
    "I94",
    "I571",
    "I512",
    "I797",
    "I20",
    "DS2019",
}


def e_vehicle(x):
    r = x.r

    def row(p, i):
        rid = 7_000_000 + i * 3 + r.randint(0, 2)
        prior = (
            [{"form": FORM_BY[p.st], "receipt": x.tok(p.rcpt)}]
            if p.rcpt and p.st in FORM_BY
            else []
        )
        if prior and p.st in ("AOS", "DACA", "TPS", "ASYP") and r.random() < 0.5:
            prior.append({"form": "I-765", "receipt": x.tok(x.g.new("rcpt"))})
        if prior and p.st == "AOS" and r.random() < 0.4:
            prior.append({"form": "I-130", "receipt": x.tok(x.g.new("rcpt"))})
        return {
            "registration_id": rid,
            "vin": vin(r),
            "plate_number": plate(r),
            "make": r.choice(
                [
                    "FORD",
                    "CHEVROLET",
                    "TOYOTA",
                    "HONDA",
                    "NISSAN",
                    "RAM",
                    "SUBARU",
                    "KIA",
                    "HYUNDAI",
                    "VOLKSWAGEN",
                ]
            ),
            "model_year": r.randint(1998, 2025),
            "odometer_miles": r.randint(0, 350000),
            "title_document_type": r.choices(
                ["TITLE", "MSO", "REGISTRATION", "SALVAGE CERT", "BILL OF SALE"], [60, 10, 20, 5, 5]
            )[0],
            "manufacture_country": r.choice(
                ["USA", "USA", "MEXICO", "JAPAN", "KOREA", "GERMANY", "CANADA"]
            ),
            "citizen_band_radio": r.random() < 0.05,
            "lpr_hits": min(int(r.expovariate(0.3)), 60),
            "emis_tps_volts": round(r.uniform(0.45, 4.6), 2),
            "owner_dob": p.dob,
            "owner_zip": zipc(r, ["80", "81"]),
            "registration_expires": rdate(r, 2025, 2027),
            "owner_us_citizen": None if r.random() < 0.05 else p.cit,
            "owner_lawful_presence_verified": False
            if p.st == "UND"
            else None
            if r.random() < 0.15
            else True,
            "owner_naturalized_on": p.natz_dt,
            "owner_authorized_stay_until": p.stay,
            "owner_alien_number": x.tok(anum_style(p.anum, "Azero")),
            "owner_birth_country": p.ctry[2].upper(),
            "owner_itin": x.tok(p.itin),
            "owner_id_doc": {
                "doc_type": DOCS[p.idoc][1],
                "doc_number": docnum(x, p.idoc, p),
                "issuing_country": "USA" if p.idoc in US_ISSUED else p.ctry[1],
            },
            "prior_status_docs": prior,
            "clerk_note": x.note("clerk_note", rid, p, es=0.2),
        }

    s = pa.string()
    types = {
        "registration_id": pa.int64(),
        "model_year": pa.int16(),
        "odometer_miles": pa.int64(),
        "lpr_hits": pa.int32(),
        "emis_tps_volts": pa.float64(),
        "owner_id_doc": pa.struct([("doc_type", s), ("doc_number", s), ("issuing_country", s)]),
        "prior_status_docs": pa.list_(pa.struct([("form", s), ("receipt", s)])),
    }
    types |= {
        k: pa.bool_()
        for k in ("citizen_band_radio", "owner_us_citizen", "owner_lawful_presence_verified")
    }
    types |= {
        k: pa.date32()
        for k in (
            "owner_dob",
            "registration_expires",
            "owner_naturalized_on",
            "owner_authorized_stay_until",
        )
    }
    return dict(
        file="vehicle_registration.parquet",
        format="parquet",
        id="registration_id",
        notes=["clerk_note"],
        table=table(x.rows(row), types),
        layout="typed Parquet vehicle registration with owner block: int/float/bool/date32, struct and list<struct>",
        protected=cols(
            "owner_us_citizen|owner_lawful_presence_verified|owner_naturalized_on|owner_authorized_stay_until|"
            "owner_alien_number|owner_birth_country|owner_itin|owner_id_doc.doc_type|owner_id_doc.doc_number|"
            "owner_id_doc.issuing_country|prior_status_docs.form|prior_status_docs.receipt"
        ),
        decoys=cols(
            "vin|plate_number|make|model_year|odometer_miles|title_document_type|manufacture_country|"
            "citizen_band_radio|lpr_hits|emis_tps_volts|owner_dob|owner_zip|registration_expires"
        ),
    )


def e_events(x):
    r = x.r
    x.counties = NY_COUNTIES
    ctype = {
        "REAL": ["REAL ID", "REAL ID", "ENHANCED"],
        "STD": ["STANDARD", "STANDARD - NOT FOR FEDERAL PURPOSES"],
        "LTD": ["LIMITED TERM"],
        "NOLP": ["STANDARD", "STANDARD - NOT FOR FEDERAL PURPOSES"],
    }
    why = {
        "REAL": [None],
        "STD": [None, "NOT REQUESTED"],
        "LTD": ["TEMPORARY STATUS"],
        "NOLP": ["NO SSN / GREEN LIGHT", "NO PROOF OF LAWFUL STATUS"],
    }
    cit = {"USC": "US Citizen", "NATZ": "Naturalized Citizen", "LPR": "Permanent Resident"}

    def doc(d, p):
        exp = {"I551": p.gc_exp, "I766": p.ead_exp, "I94": p.stay}.get(d)
        exp = exp or (rdate(r, 2025, 2034) if d in ("USPP", "FPP", "MATR") else None)
        return {
            "kind": DOCS[d][1]
            .title()
            .replace("Us ", "US ")
            .replace("Ead", "EAD")
            .replace(" Of ", " of "),
            "number": docnum(x, d, p),
            "issuer": "USA" if d in US_ISSUED else p.ctry[1],
            "expires": iso(exp),
        }

    def row(p, i):
        rid = f"GL-{r.randint(19, 25)}{i + 1:06d}"
        lawful = {
            "shown": None if p.st == "UND" and r.random() < 0.7 else p.st != "UND",
            "method": "SAVE" if p.save else ("DOS" if p.cit and r.random() < 0.3 else None),
            "caseNumber": x.tok(p.save),
            "result": p.saveres,
        }
        return {
            "txnId": rid,
            "office": r.choice(
                ["Jamaica", "Atlantic Ave", "Hempstead", "Yonkers", "Rochester", "Buffalo"]
            ),
            "person": {
                "name": {"given": p.first, "family": p.last},
                "dob": iso(p.dob),
                "phone": phone(r, ("718", "347", "516", "585")),
                "address": {
                    "permanent": f"{street(r)}, {r.choice(NY_CITIES)}, NY",
                    "county": r.choice(x.counties),
                },
                "birthPlace": {"country": p.ctry[2]},
                "status": {
                    "citizenship": None
                    if p.st == "UND" and r.random() < 0.7
                    else cit.get(p.st, "Non-citizen"),
                    "lawfulPresence": lawful,
                },
            },
            "documents": [doc(d, p) for d in dict.fromkeys([p.idoc, p.lpdoc]) if d],
            "credential": {
                "class": r.choices(["D", "DJ", "M", "E", "CDL-A"], [80, 5, 6, 5, 4])[0],
                "status": r.choices(["VALID", "SUSPENDED", "EXPIRED"], [88, 6, 6])[0],
                "type": r.choice(ctype[p.cred]),
                "limitedTerm": p.cred == "LTD",
                "realIdIneligibleReason": r.choice(why[p.cred]),
            },
            "payment": {
                "cardBrand": r.choice(PAY[:-1] + [None]),
                "amount": r.choice([64.5, 80.5, 17.5, 12.5]),
            },
            "vehicle": {
                "vin": vin(r) if r.random() < 0.6 else None,
                "plate": plate(r) if r.random() < 0.6 else None,
                "odometer": r.randint(0, 300000) if r.random() < 0.6 else None,
            },
            "remarks": x.note("remarks", rid, p, es=0.3),
            "audit": {
                "clerkId": f"C{r.randint(1000, 9999)}",
                "comment": x.note("audit.comment", rid, p, es=0.2),
            },
        }

    return dict(
        file="credential_events.jsonl",
        format="jsonl",
        id="txnId",
        notes=["remarks", "audit.comment"],
        records=x.rows(row),
        layout="NY Green Light style credential events: JSON lines, nested objects and arrays of documents",
        protected=cols(
            "person.birthPlace.country|person.status.citizenship|person.status.lawfulPresence.shown|"
            "person.status.lawfulPresence.method|person.status.lawfulPresence.caseNumber|"
            "person.status.lawfulPresence.result|documents.kind|documents.number|documents.issuer|"
            "documents.expires|credential.type|credential.limitedTerm|credential.realIdIneligibleReason"
        ),
        decoys=cols(
            "office|person.name.given|person.name.family|person.dob|person.phone|person.address.permanent|"
            "person.address.county|credential.class|credential.status|payment.cardBrand|vehicle.vin|"
            "vehicle.plate|vehicle.odometer|audit.clerkId"
        ),
    )


def e_probation(x):
    r = x.r
    x.detain = 0.2
    fac = [
        "ICE Processing Center - Aurora",
        "County Jail (ICE contract)",
        "ERO Field Office hold room",
        "Federal detention center",
    ]

    def row(p, i):
        rid = f"PB-{r.randint(18, 25)}-{i + 1:05d}"
        cue = (
            r.choice(["A#", "A# ", ""]) if p.anum else ""
        )  # identifier token excludes a separate cue
        return {
            "case_no": rid,
            "offender_last": p.last,
            "offender_first": p.first,
            "dob": mdy(p.dob),
            "parole_officer": f"{r.choice(LAST)}, {r.choice(FIRST)[0]}.",
            "citation_number": f"{r.choice(['CT', 'TR', 'DU'])}{r.randint(100000, 999999)}",
            "plate": plate(r),
            "resident_county": r.choice(x.counties),
            "offense_code": r.choice(
                [
                    "42-4-1301 DUI",
                    "18-4-401 THEFT",
                    "42-2-138 DUR",
                    "18-3-204 ASSAULT 3",
                    "18-18-403.5 POSS",
                ]
            ),
            "citizen_complaint_id": f"CC-{r.randint(20, 25)}-{r.randint(0, 9999):04d}"
            if r.random() < 0.1
            else None,
            "route_i94_mile": f"{r.uniform(1, 350):.1f}" if r.random() < 0.3 else None,
            "ice_detainer": None if r.random() < 0.25 else "Y" if p.detained else "N",
            "detention_facility": r.choice(fac) if p.detained and r.random() < 0.7 else None,
            "immigration_hold_type": r.choice(
                ["287(g)", "I-247A DETAINER", "ICE HOLD", "I-203 ORDER"]
            )
            if p.detained
            else r.choice(["NONE", None]),
            "country_of_citizenship": "USA" if p.cit else p.ctry[2].upper(),
            "alien_no": cue + x.tok(anum_style(p.anum, "bare" if cue else "A")) if p.anum else None,
            "consular_notified": None if p.cit else "Y" if p.detained else r.choice(["N", None]),
            "place_of_birth_ctry": p.ctry[1],
            "ero_contact": r.choice(["ERO DENVER FO", "ERO SALT LAKE CITY", "ERO SAN ANTONIO"])
            if p.detained and r.random() < 0.5
            else None,
            "detainer_date": mdy(rdate(r, 2023, 2025)) if p.detained else None,
            "officer_notes": x.note("officer_notes", rid, p, es=0.2),
        }

    return dict(
        file="probation_dmv_match.csv",
        format="csv",
        id="case_no",
        notes=["officer_notes"],
        rows=x.rows(row),
        layout="probation / police DMV match: comma, LF, quoted embedded newlines, MM/DD/YYYY, NULL and N/A tokens",
        protected=cols(
            "ice_detainer|detention_facility|immigration_hold_type|country_of_citizenship|alien_no|"
            "consular_notified|place_of_birth_ctry|ero_contact|detainer_date"
        ),
        decoys=cols(
            "offender_last|offender_first|dob|parole_officer|citation_number|plate|resident_county|offense_code|"
            "citizen_complaint_id|route_i94_mile"
        ),
        csv=dict(delim=",", crlf=False, bom=False, nulls=["", "NULL", "N/A"]),
    )


def e_voter(x):
    r = x.r
    kind = {
        "REAL": "DL - REAL ID",
        "STD": "DL",
        "LTD": "LIMITED-TERM DL",
        "NOLP": "DRIVER PRIVILEGE CARD",
    }
    proof = {
        "USC": ["US PASSPORT", "BIRTH CERTIFICATE", None],
        "NATZ": ["N-550 NATURALIZATION CERT", "N-560 CERT OF CITIZENSHIP", "US PASSPORT"],
    }
    inelig = ["NOT A US CITIZEN", "NON-CITIZEN PER DMV RECORD", "NO CITIZENSHIP ATTESTATION"]

    def row(p, i):
        rid = f"MV{r.randint(10, 99)}{i + 1:07d}"
        return {
            "transaction_id": rid,
            "surname": p.last,
            "given_name": p.first,
            "date_of_birth": iso(p.dob),
            "residence_address": f"{street(r)}, {r.choice(CO_CITIES)}",
            "residency_years": str(r.randint(0, 40)),
            "county_of_residence": r.choice(x.counties),
            "precinct": f"{r.randint(1, 9)}{r.randint(0, 999):03d}",
            "mail_ballot_pref": r.choice(["Y", "N"]),
            "sex": p.sex,
            "vr_optin": r.choices(["Y", "N"], [70, 30])[0]
            if p.cit
            else r.choices(["N", "INELIGIBLE", None], [50, 30, 20])[0],
            "vr_inelig_reason": ("NO SIGNATURE" if r.random() < 0.05 else None)
            if p.cit
            else r.choice(inelig)
            if r.random() < 0.85
            else None,
            "citizenship_attested": ("Y" if r.random() < 0.85 else None)
            if p.cit
            else r.choice(["N", None]),
            "proof_of_citizenship_doc": r.choice(proof[p.st]) if p.cit else "NONE PROVIDED",
            "natz_cert_no": x.tok(p.natz) if p.natz and r.random() < 0.7 else None,
            "lp_status_cd": "01 CITIZEN"
            if p.cit
            else "02 PERMANENT RESIDENT"
            if p.st == "LPR"
            else "04 NO LP SHOWN"
            if p.st == "UND"
            else "03 TEMPORARY LAWFUL",
            "dmv_credential_kind": kind[p.cred],
            "vr_comment": x.note("vr_comment", rid, p, es=0.2),
        }

    return dict(
        file="motor_voter_transfer.csv",
        format="csv",
        id="transaction_id",
        notes=["vr_comment"],
        rows=x.rows(row),
        layout="DMV motor-voter transfer to elections: tab, all fields quoted, CRLF",
        protected=cols(
            "vr_optin|vr_inelig_reason|citizenship_attested|proof_of_citizenship_doc|natz_cert_no|lp_status_cd|"
            "dmv_credential_kind"
        ),
        decoys=cols(
            "surname|given_name|date_of_birth|residence_address|residency_years|county_of_residence|precinct|"
            "mail_ballot_pref|sex"
        ),
        csv=dict(delim="\t", crlf=True, bom=False, nulls=[""], quote=csv.QUOTE_ALL),
    )


def e_ag(x):
    r = x.r
    x.weights = [40, 5, 15, 1, 1, 3, 3, 1, 1, 1, 25, 12]
    x.visas = ["H-2A"] * 6 + ["H-2B", "TN", "J-1"]
    species = [
        ("Zebra mussel", "EURASIA"),
        ("Emerald ash borer", "CHINA"),
        ("Tamarisk", "EURASIA"),
        ("Japanese beetle", "JAPAN"),
        ("Russian olive", "RUSSIA"),
        ("Eurasian watermilfoil", "EURASIA"),
        ("Spotted lanternfly", "CHINA"),
    ]
    cz = {
        "USC": "U.S. citizen",
        "NATZ": "U.S. citizen",
        "LPR": "Permanent resident",
        "NI": "Nonimmigrant worker",
        "UND": "Not stated",
    }
    wad = {
        "USC": ["US PASSPORT", "BIRTH CERT + SSN CARD"],
        "NATZ": ["US PASSPORT", "N-550"],
        "LPR": ["I-551"],
        "NI": ["FOREIGN PASSPORT + I-94"],
        "UND": [None],
    }

    def row(p, i):
        rid = f"AG-{r.randint(22, 25)}-{i + 1:05d}"
        ptype = r.choice(
            ["PESTICIDE APPLICATOR", "FARM LABOR HOUSING", "NURSERY", "INVASIVE SPECIES TRANSPORT"]
        )
        sp = (
            r.choice(species)
            if ptype in ("NURSERY", "INVASIVE SPECIES TRANSPORT") and r.random() < 0.8
            else (None, None)
        )
        worker = p.st == "NI" and p.visa in ("H-2A", "H-2B")
        return {
            "permit_no": rid,
            "applicant_name": f"{p.last}, {p.first}",
            "business_phone": phone(r),
            "county": r.choice(x.counties),
            "permit_type": ptype,
            "alien_species": sp[0],
            "species_origin_country": sp[1],
            "permit_expires": mdy(rdate(r, 2025, 2028)),
            "acreage": f"{r.uniform(0.5, 1200):.1f}",
            "mailing_zip": zipc(r, ["80", "81"]),
            "applicant_citizenship": cz.get(p.st, "Other"),
            "visa_category": p.visa,
            "worker_i94": x.tok(p.i94),
            "h2a_petition_receipt": x.tok((p.rcpt or x.g.new("rcpt")) if worker else None),
            "everify_case_no": x.tok(x.g.new("everify"))
            if not p.cit and p.st != "UND" and r.random() < 0.5
            else None,
            "applicant_itin": x.tok(p.itin),
            "work_auth_doc": r.choice(wad.get(p.st, ["I-766 EAD"])),
            "inspector_notes": x.note("inspector_notes", rid, p, es=0.4),
        }

    return dict(
        file="ag_permits.csv",
        format="csv",
        id="permit_no",
        notes=["inspector_notes"],
        rows=x.rows(row),
        layout="agriculture permits and farm-labor licensing: comma, LF, '?' / NONE null tokens",
        protected=cols(
            "applicant_citizenship|visa_category|worker_i94|h2a_petition_receipt|everify_case_no|applicant_itin|"
            "work_auth_doc"
        ),
        decoys=cols(
            "applicant_name|business_phone|county|permit_type|alien_species|species_origin_country|permit_expires|"
            "acreage|mailing_zip"
        ),
        csv=dict(delim=",", crlf=False, bom=False, nulls=["?", "", "NONE"]),
    )


def e_dpc(x):
    r = x.r
    x.weights = [15, 5, 10, 1, 1, 5, 5, 5, 2, 1, 5, 50]
    tipo = {
        "REAL": ["DL REAL ID"],
        "STD": ["DL"],
        "LTD": ["DL TEMPORAL"],
        "NOLP": ["DPC", "DPC - NO VÁLIDA PARA IDENTIFICACIÓN"],
    }
    razon = {
        "REAL": None,
        "STD": "No solicitó",
        "LTD": "Estatus temporal",
        "NOLP": "Sin presencia legal",
    }

    def row(p, i):
        rid = f"S-{r.randint(100, 999)}-{i + 1:05d}"
        return {
            "Número de solicitud": rid,
            "Nombre": p.first,
            "Apellido paterno": p.last,
            "Apellido materno": r.choice(LAST),
            "Fecha nacimiento": dmy(p.dob),
            "Municipio / County": r.choice(["Salt Lake", "Utah", "Weber", "Davis", "Cache"]),
            "Domicilio permanente": f"{street(r)}, Salt Lake City, UT",
            "Teléfono móvil": phone(r, ("801", "385", "435")),
            "Código ZIP": zipc(r, ["84"]),
            "Tarjeta de pago": r.choice(["VISA", "MASTERCARD", "Efectivo", "Débito"]),
            "Tipo de credencial (DPC/DL)": r.choice(tipo[p.cred]),
            "Prueba de identidad": DOCS[p.idoc][2],
            "País emisor del pasaporte": p.ctry[3]
            if p.idoc in ("FPP", "USPP") or r.random() < 0.3
            else None,
            "Número ITIN": x.tok(p.itin),
            "Estatus migratorio declarado": r.choice(SIT_ES[p.st]).replace("{visa}", p.visa or ""),
            "Fecha de vencimiento EAD": dmy(p.ead_exp),
            "¿Presencia legal verificada?": "No" if p.st == "UND" else "Sí",
            "Razón no elegible REAL ID": razon[p.cred],
            "Notas del empleado": x.note("Notas del empleado", rid, p, es=0.7),
        }

    return dict(
        file="dpc_issuance_nfd.csv",
        format="csv",
        id="Número de solicitud",
        notes=["Notas del empleado"],
        rows=x.rows(row),
        layout="Spanish driver privilege card office export: comma, CRLF, every string in NFD (combining accents)",
        protected=cols(
            "Tipo de credencial (DPC/DL)|Prueba de identidad|País emisor del pasaporte|Número ITIN|"
            "Estatus migratorio declarado|Fecha de vencimiento EAD|¿Presencia legal verificada?|"
            "Razón no elegible REAL ID"
        ),
        decoys=cols(
            "Nombre|Apellido paterno|Apellido materno|Fecha nacimiento|Municipio / County|Domicilio permanente|"
            "Teléfono móvil|Código ZIP|Tarjeta de pago"
        ),
        csv=dict(delim=",", crlf=True, bom=False, nulls=["", "NULL"], nfd=True),
    )


EXTRACTS = [
    e_mainframe,
    e_clerk,
    e_vendor,
    e_opaque,
    e_vehicle,
    e_events,
    e_probation,
    e_voter,
    e_ag,
    e_dpc,
]


# ------------------------------------------------------------------ writing
def nfd(v):
    return unicodedata.normalize("NFD", v) if isinstance(v, str) else v


def write(spec, x, out):
    path = os.path.join(out, spec["file"])
    if spec["format"] == "parquet":
        pq.write_table(spec["table"], path)
    elif spec["format"] == "jsonl":
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for rec in spec["records"]:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        c = spec["csv"]
        norm = nfd if c.get("nfd") else (lambda v: v)
        header = list(spec["rows"][0])
        with open(path, "w", encoding="utf-8-sig" if c["bom"] else "utf-8", newline="") as f:
            w = csv.writer(
                f,
                delimiter=c["delim"],
                lineterminator="\r\n" if c["crlf"] else "\n",
                quoting=c.get("quote", csv.QUOTE_MINIMAL),
            )
            w.writerow([norm(h) for h in header])
            for row in spec["rows"]:
                w.writerow(
                    [
                        x.r.choice(c["nulls"]) if row[h] is None else norm(str(row[h]))
                        for h in header
                    ]
                )


def entry(spec, x):
    norm = nfd if spec.get("csv", {}).get("nfd") else (lambda v: v)
    notes = [
        {
            "column": norm(c),
            "rows": {
                k: (
                    {"label": v["label"], "spans": [norm(s) for s in v["spans"]]}
                    if "spans" in v
                    else v
                )
                for k, v in x.labels.get(c, {}).items()
            },
        }
        for c in spec["notes"]
    ]
    return {
        "file": spec["file"],
        "format": spec["format"],
        "layout": spec["layout"],
        "id": norm(spec["id"]),
        "protected": [norm(c) for c in spec["protected"]],
        "decoys": [norm(c) for c in spec["decoys"]],
        "notes": notes,
        "identifiers": sorted(x.ids),
    }


def generate(out, rows, seed):
    os.makedirs(out, exist_ok=True)
    man = {"corpus": "unseen", "seed": seed, "rows": rows, "extracts": []}
    for fn in EXTRACTS:
        x = X(seed, rows, fn.__name__)
        spec = fn(x)
        write(spec, x, out)
        man["extracts"].append(entry(spec, x))
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(man, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return man


# ------------------------------------------------------------------ check
NULLS = {"", "NULL", "N/A", "-", "NONE", "?"}


def resolve(o, parts):
    """Values at a dotted path; lists are walked through (path.name for [] elements)."""
    if isinstance(o, list):
        return [v for e in o for v in resolve(e, parts)]
    if not parts:
        return [o]
    return resolve(o[parts[0]], parts[1:]) if isinstance(o, dict) and parts[0] in o else []


def json_paths(o, pre=""):
    for k, v in o.items() if isinstance(o, dict) else []:
        yield pre + k
        for e in v if isinstance(v, list) else [v]:
            yield from json_paths(e, pre + k + ".")


def schema_paths(fields, pre=""):
    for f in fields:
        t = f.type
        yield pre + f.name
        while pa.types.is_list(t):
            t = t.value_type
        if pa.types.is_struct(t):
            yield from schema_paths(list(t), pre + f.name + ".")


def load(out, e, delim):
    """(records, column paths, searchable text of the whole file, getter) for one extract."""
    path = os.path.join(out, e["file"])
    if e["format"] == "parquet":
        t = pq.read_table(path)
        recs, paths = t.to_pylist(), set(schema_paths(list(t.schema)))
        raw = "\x00".join(str(v) for rec in recs for c in paths for v in resolve(rec, c.split(".")))
        return recs, paths, raw, lambda rec, c: resolve(rec, c.split("."))
    with open(path, encoding="utf-8-sig", newline="") as f:
        raw = f.read()
    if e["format"] == "jsonl":
        recs = [json.loads(line) for line in raw.split("\n") if line]
        return (
            recs,
            {c for rec in recs for c in json_paths(rec)},
            raw,
            lambda rec, c: resolve(rec, c.split(".")),
        )
    table = list(csv.reader(io.StringIO(raw, newline=""), delimiter=delim))
    assert all(len(row) == len(table[0]) for row in table), f"{e['file']}: ragged rows"
    return (
        [dict(zip(table[0], row, strict=True)) for row in table[1:]],
        set(table[0]),
        raw,
        lambda rec, c: [rec[c]] if c in rec else [],
    )


def isnull(v):
    return v is None or v == [] or (isinstance(v, str) and v.strip() in NULLS)


def check(out, rows, seed):
    """Every listed column exists, ids are unique, labels match notes, spans and identifiers occur where claimed."""
    errs, warn = [], []
    need = lambda ok, msg: ok or errs.append(msg)  # noqa: E731
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        man = json.load(f)
    need(
        (man["corpus"], man["seed"], man["rows"]) == ("unseen", seed, rows),
        "manifest header mismatch",
    )
    delims = {
        s["file"]: s["csv"]["delim"]
        for s in (fn(X(seed, 1, fn.__name__)) for fn in EXTRACTS)
        if "csv" in s
    }
    big, counts, owner, nprot, ndec = (
        rows >= 500,
        dict.fromkeys(LABELS[:3] + ["cells"], 0),
        {},
        0,
        0,
    )
    for e in man["extracts"]:
        f, prot, dec, notes = (
            e["file"],
            e["protected"],
            e["decoys"],
            [n["column"] for n in e["notes"]],
        )
        recs, paths, raw, get = load(out, e, delims.get(f))
        nprot, ndec = nprot + len(prot), ndec + len(dec)
        need(len(prot) >= 5 and len(dec) >= 5, f"{f}: needs >=5 protected and >=5 decoys")
        need(not set(prot) & set(dec), f"{f}: column both protected and decoy")
        for c in prot:
            need(c not in owner, f"{f}: protected header {c!r} also used by {owner.get(c)}")
            owner[c] = f
            need(
                not big or not all(isnull(v) for rec in recs for v in get(rec, c)),
                f"{f}: protected {c!r} entirely null",
            )
        for c in [e["id"]] + prot + dec + notes:
            need(c in paths, f"{f}: column {c!r} missing")
        need(len(recs) == rows, f"{f}: {len(recs)} rows, expected {rows}")
        byid = {str(get(rec, e["id"])[0]): rec for rec in recs}
        need(len(byid) == len(recs), f"{f}: id column not unique")
        for n in e["notes"]:
            c = n["column"]
            need(set(n["rows"]) <= set(byid), f"{f}:{c}: labels for unknown ids")
            for rid, rec in byid.items():
                txt, lab = (get(rec, c) or [None])[0], n["rows"].get(rid)
                counts["cells"] += 1
                if lab is None:
                    need(isnull(txt), f"{f}:{c}:{rid} unlabelled non-empty note")
                    continue
                counts[lab["label"]] += 1
                need(
                    isinstance(txt, str) and not isnull(txt),
                    f"{f}:{c}:{rid} labelled note is empty",
                )
                if lab["label"] == "mention":
                    need(bool(lab.get("spans")), f"{f}:{c}:{rid} mention without spans")
                    for s in lab.get("spans", []):
                        need(bool(s) and s in (txt or ""), f"{f}:{c}:{rid} span {s!r} not in note")
                else:
                    need(
                        "spans" not in lab and lab["label"] in ("negative", "plain"),
                        f"{f}:{c}:{rid} bad label {lab}",
                    )
        decoy_text, held = (
            "\x00".join(str(v) for rec in recs for c in cs for v in get(rec, c) if v is not None)
            for cs in (dec, prot + notes)
        )
        for ident in e["identifiers"]:
            need(ident in raw, f"{f}: identifier {ident!r} not in file")
            need(ident in held, f"{f}: identifier {ident!r} not in a protected or notes column")
            need(ident not in decoy_text, f"{f}: identifier {ident!r} appears in a decoy column")
    need(
        len(man["extracts"]) >= 8 and len({e["format"] for e in man["extracts"]}) == 3,
        "need >=8 extracts in all three formats",
    )
    need(nprot >= 70 and ndec >= 50, f"totals too small: {nprot} protected, {ndec} decoys")
    fm, fn_ = counts["mention"] / counts["cells"], counts["negative"] / counts["cells"]
    for ok, msg in (
        (0.30 <= fm <= 0.42, f"mention share {fm:.2f} outside 0.30-0.42"),
        (0.18 <= fn_ <= 0.32, f"negative share {fn_:.2f} outside 0.18-0.32"),
    ):
        (need if big else lambda ok, m: ok or warn.append(m))(ok, msg)
    return errs, warn, dict(protected=nprot, decoys=ndec, fm=fm, fn=fn_, cells=counts["cells"])


def digest(d):
    return {
        n: hashlib.sha256(open(os.path.join(d, n), "rb").read()).hexdigest()
        for n in sorted(os.listdir(d))
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument(
        "--check",
        action="store_true",
        help="regenerate, then verify determinism and manifest consistency",
    )
    a = ap.parse_args(argv)
    man = generate(a.out, a.rows, a.seed)
    if not a.check:
        print(f"wrote {len(man['extracts'])} extracts + manifest.json to {a.out}")
        return 0
    tmp = tempfile.mkdtemp(prefix="unseen-check-")
    try:
        generate(tmp, a.rows, a.seed)
        first = digest(a.out)
        same = all(first.get(k) == v for k, v in digest(tmp).items())
    finally:
        shutil.rmtree(tmp)
    errs, warn, st = check(a.out, a.rows, a.seed)
    if not same:
        errs.append("output not deterministic for this seed")
    for e in man["extracts"]:
        print(
            f"{e['file']:30} {e['format']:8} rows={a.rows} protected={len(e['protected']):2} decoys={len(e['decoys']):2} "
            f"notes={len(e['notes'])} identifiers={len(e['identifiers'])}"
        )
    print(
        f"total protected={st['protected']} decoys={st['decoys']} note cells={st['cells']} "
        f"mention={st['fm']:.3f} negative={st['fn']:.3f} deterministic={same}"
    )
    for w in warn:
        print("warning:", w)
    for e in errs[:50]:
        print("ERROR:", e)
    print("check", "FAILED" if errs else "passed", f"({len(errs)} errors)")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
