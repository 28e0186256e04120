#!/usr/bin/env python3
"""Second independent held-out corpus ("unseen_b") for the immigration-status redaction filter.

    python bench/unseen_b.py --out DIR [--rows N] [--seed S] [--check]

Writes ten synthetic extracts (N rows each, default 2000, seed 23) and DIR/manifest.json in
the same format as bench/unseen.py: per extract the protected columns (status data and its
proxies, to be withheld whole), the decoys (look alike, to be released byte for byte), every
free-text notes column with per-row labels (mention / negative / plain; a mention lists the
exact sensitive substrings written in the note) and every planted identifier. Written
without reference to the filter's code, rules, tests or the other generators; layouts,
names, phrasing and values are new. Everything is synthetic and drawn from
random.Random(seed); phone numbers use the fictional 555-01xx block.

Layouts
  1 tx_dl_copybook.csv       Texas-style DL master unloaded from a COBOL copybook: ',', every
                             field quoted, CRLF, hyphenated 05-level names (CTZ-STS-C, LPE-SRC,
                             LPE-DOC-EXP, NTZ-CCYYMMDD, AR-NBR, ADMIT-NBR, VLP-CASE-NBR,
                             LTD-TERM-F) beside CCYYMMDD licence dates, PLT-NO, CNTY-RES-CD.
  2 aamva_scan_audit.csv     card-issuance audit keyed by AAMVA DL/ID element IDs (DAQ, DCS,
                             DBB, DBA, DCF, DCK ...) plus the compliance elements DDA / DDD and
                             jurisdiction "Z" elements (ZMB..ZMH) carrying status; '|', LF.
  3 il_tvdl_roster_es.csv    Illinois-style TVDL facility roster with Spanish headers ("Prueba
                             de presencia legal", "¿Presencia legal verificada? (Sí/No)"): ';',
                             UTF-8 BOM, CRLF, DD-MM-YYYY, quoted newlines, ICE-contact decoy.
  4 wa_positional.csv        positional unload, tab, LF: col_01..col_22 only; status codes,
                             A-numbers, receipts, EDL flag and EAD categories only in values.
  5 voter_jury_source.csv    motor-voter + jury master list: ',' all-quoted, UTF-8 BOM, LF;
                             registration-declined reason, citizenship affirmation and jury
                             non-citizen disqualification beside citizen-review-board district.
  6 benefits_case.parquet    SNAP/Medicaid member file: int16/int32/int64/float/bool/date32,
                             a struct (imm_doc.*) and a list of structs (save_steps.*), integer
                             CCYYMMDD decoys, ice_contact_phone, payment_card_brand.
  7 opaque_fld.parquet       anonymous names (fld_01..fld_15, attr, cd_a..cd_d); only values
                             tell status; vehicle origin vs person birth country side by side.
  8 jail_intake.jsonl        corrections intake, nested: enforcement.detainer.* (I-247A),
                             287(g) referral, consular notification beside criminal parole and
                             emergency (ICE) contact.
  9 jury_qualification.jsonl juror questionnaire, nested: qualification.* and dmv_match.*
                             (incl. the Spanish "fch_naturalizacion") beside resident agents,
                             county-resident flags, jury parking permits.
 10 outdoor_permits.csv      parks / wildlife / vendor permits: tab, UTF-8, LF; ITIN, H-2B
                             receipts, E-Verify beside fishing / parking / building permits,
                             ice-cream (ICE) vendor licences and alien (invasive) species.

Notes columns are labelled per row; mentions are drawn for the row's own synthetic status.
They use form numbers with and without hyphens (I-94, I94, I 94), identifiers after a cue
or on their own, compact spellings (greencard, workpermit), clerk and OCR slips (one and
two edits, transpositions, 0/O 1/l 5/S rn/m) and Spanish written with ordinary words;
negatives reuse the same words harmlessly (Visa card, Interstate 94, criminal parole,
county resident, naturalized plant species, youth work permit, Asylum Hill, ICE contact,
criminal detainer, TPS sensor). CSV files are UTF-8 or UTF-8 with BOM (the manifest format
has no encoding field).

Public sources of the vocabulary: USCIS "All Forms" list (I-94, I-551, I-766, I-797, I-797C,
I-20, DS-2019, I-327, I-571, I-512, I-485, I-589, I-821, I-821D, I-765, I-131, I-130, I-129,
N-400, N-550, N-560); 8 CFR 274a.12 (EAD categories (a)(3), (a)(5), (a)(10), (a)(12),
(c)(8), (c)(9), (c)(10), (c)(11), (c)(19), (c)(33), (c)(35)); 22 CFR 41.12 (visa classes
TN, E-3, R-1, P-1, Q-1, H-3, L-2, F-2, J-2, H-1B, H-2A, H-2B, U-1, T-1); CBP I-94 website
(11-digit and 9-digits-letter-digit admission numbers); USCIS receipt-number help (three
letters + ten digits); USCIS SAVE (verification case numbers, step 1/2/3, responses) and
E-Verify (case numbers, "Employment Authorized", tentative nonconfirmation); IRS ITIN
pages (9XX-7X-XXXX); 7 CFR 273.4 / PRWORA "qualified alien" categories and the five-year
bar, sponsor deeming; NCSL summary of state driver's-license laws for immigrants: Texas
limited-term licence, Washington enhanced DL (citizens only) vs standard, Oregon HB 2015,
Illinois TVDL, New Jersey standard (not REAL ID) licence, Virginia driver privilege card,
Nevada driver authorization card, New Mexico driving authorization card, Utah and
Delaware driving privilege cards, Connecticut drive-only, Maryland "not acceptable for
federal purposes", Vermont driver privilege card, Hawaii limited-purpose licence,
Massachusetts Work and Family Mobility Act, Minnesota Driver's Licenses for All; AAMVA
DL/ID Card Design Standard data element IDs (DAQ, DCS, DAC, DBB, DBA, DBD, DBC, DAY, DAU,
DAK, DCF, DCG, DCA, DAJ, DCK, DDA compliance type, DDD limited-duration indicator,
jurisdiction Z elements) and AAMVA EVVE / DLDV; COBOL copybook naming (05 levels, -F flags,
-C codes, CCYYMMDD); ICE Form I-247A, INA 287(g), Vienna Convention consular notification;
28 U.S.C. 1865 (juror qualification: citizenship).
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
from types import SimpleNamespace as NS

import pyarrow as pa
import pyarrow.parquet as pq

# ------------------------------------------------------------------ vocabulary
GIVEN = (
    "Xiomara Rigoberto Yesenia Beatriz Octavio Marisol Ignacio Dulce Esteban Paloma Wilfredo "
    "Araceli Teodoro Nayeli Heriberto Itzel Anh Quang Thuy Oksana Bohdan Tariq Samira Yusuf "
    "Halima Chidi Efua Kofi Rahel Dawit Sunita Rohan Jin Hao Yuna Seo Brenda Curtis Darlene "
    "Gordon Heather Wayne Tammy Russell Colleen Dale Monique Terrence"
).split()
FAMILY = (
    "Villanueva Castaneda Quintero Barrios Ochoa Zamora Bautista Arellano Cisneros Escobar "
    "Fuentes Galindo Ibarra Jaramillo Lozano Maldonado Navarro Olvera Pacheco Quiroz Rosales "
    "Salinas Trujillo Urbina Valdez Yanez Duong Vo Huynh Bondarenko Melnyk Qureshi Farah "
    "Abdullahi Eze Boateng Asante Gebremedhin Kebede Iyer Reddy Zhou Xu Choi Jung Kowalski "
    "Novak Oduya Campbell Fischer Gallagher Harrington Lindqvist Murphy Sorensen Whitfield"
).split()
RARE = ["Visa", "Alien", "Citizen"]  # real surnames, decoys for keyword matching
ROADS = "Bluebonnet Mesquite Pecan Laurel Sycamore Magnolia Chestnut Hawthorn Sumac Alder Prairie Ridge Quarry Depot Mill".split()
ROAD_SFX = ["Rd", "Ln", "Pkwy", "Trl", "Loop", "Pl"]
TX_COUNTIES = (
    "Bexar Travis Hidalgo Cameron El-Paso Webb Tarrant Harris Dallas Collin Lubbock Nueces".split()
)
IL_TOWNS = "Cicero Berwyn Aurora Elgin Waukegan Joliet Rockford Moline Skokie Palatine Harvey Melrose-Park".split()
WA_COUNTIES = (
    "Yakima Franklin Benton Grant Chelan Skagit Whatcom Spokane Pierce King Snohomish Adams".split()
)
PEOPLE_ORIGIN = [  # iso3, English, Spanish, adjective EN, adjective ES
    ("MEX", "Mexico", "México", "Mexican", "mexicano"),
    ("PER", "Peru", "Perú", "Peruvian", "peruano"),
    ("ECU", "Ecuador", "Ecuador", "Ecuadorian", "ecuatoriano"),
    ("DOM", "Dominican Republic", "República Dominicana", "Dominican", "dominicano"),
    ("NIC", "Nicaragua", "Nicaragua", "Nicaraguan", "nicaragüense"),
    ("GTM", "Guatemala", "Guatemala", "Guatemalan", "guatemalteco"),
    ("BOL", "Bolivia", "Bolivia", "Bolivian", "boliviano"),
    ("BGD", "Bangladesh", "Bangladés", "Bangladeshi", "bangladesí"),
    ("PAK", "Pakistan", "Pakistán", "Pakistani", "pakistaní"),
    ("NPL", "Nepal", "Nepal", "Nepali", "nepalí"),
    ("KEN", "Kenya", "Kenia", "Kenyan", "keniano"),
    ("GHA", "Ghana", "Ghana", "Ghanaian", "ghanés"),
    ("CMR", "Cameroon", "Camerún", "Cameroonian", "camerunés"),
    ("ERI", "Eritrea", "Eritrea", "Eritrean", "eritreo"),
    ("MMR", "Burma", "Birmania", "Burmese", "birmano"),
    ("IRQ", "Iraq", "Irak", "Iraqi", "iraquí"),
    ("SYR", "Syria", "Siria", "Syrian", "sirio"),
    ("POL", "Poland", "Polonia", "Polish", "polaco"),
    ("JAM", "Jamaica", "Jamaica", "Jamaican", "jamaiquino"),
    ("VNM", "Vietnam", "Vietnam", "Vietnamese", "vietnamita"),
    ("CHN", "China", "China", "Chinese", "chino"),
    ("IND", "India", "India", "Indian", "indio"),
]
ORIGIN_W = [26, 5, 5, 5, 4, 6, 2, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 4, 5, 6]
USA = ("USA", "United States", "Estados Unidos", "American", "estadounidense")
# status keys: CB born citizen, CN naturalized, PR permanent resident, RF refugee, AS asylee,
# AA asylum applicant, DA DACA, TP TPS, PA parolee, NV nonimmigrant visa, AJ adjustment
# pending, WH withholding of removal, UN no lawful presence
STATUS = ["CB", "CN", "PR", "RF", "AS", "AA", "DA", "TP", "PA", "NV", "AJ", "WH", "UN"]
STATUS_W = [50, 8, 11, 1.5, 1.5, 2, 3, 2.5, 2, 6, 2, 0.5, 10]
TEMPORARY = {"AA", "DA", "TP", "PA", "NV", "AJ", "WH"}
VISA_CLASSES = [
    "TN",
    "E-3",
    "R-1",
    "P-1",
    "Q-1",
    "H-3",
    "L-2",
    "F-2",
    "J-2",
    "H-1B",
    "H-2A",
    "H-2B",
    "U-1",
    "T-1",
]
EAD = {
    "RF": ["A03"],
    "AS": ["A05"],
    "WH": ["A10"],
    "TP": ["A12", "C19"],
    "AA": ["C08"],
    "AJ": ["C09"],
    "PA": ["C11"],
    "DA": ["C33"],
    "NV": ["C35", "A17"],
}
RCPT_PREFIX = ["EAC", "WAC", "LIN", "SRC", "NBC", "MSC", "IOE", "YSC"]
ITIN_MID = [*range(70, 89), 90, 91, 92, *range(94, 100), *range(50, 66)]
SAVE_ANSWER = {
    "CN": "NATURALIZED U.S. CITIZEN",
    "PR": "LAWFUL PERMANENT RESIDENT",
    "RF": "REFUGEE",
    "AS": "ASYLEE",
    "AA": "APPLICANT FOR ASYLUM",
    "DA": "DEFERRED ACTION",
    "TP": "TEMPORARY PROTECTED STATUS",
    "PA": "PAROLEE",
    "NV": "NONIMMIGRANT",
    "AJ": "APPLICANT FOR ADJUSTMENT",
    "WH": "WITHHOLDING OF REMOVAL GRANTED",
}
# status document per status: (code, English, Spanish)
SDOC = {
    "CB": [
        ("BCRT", "BIRTH CERTIFICATE", "Acta de nacimiento"),
        ("USPP", "U.S. PASSPORT", "Pasaporte de EE. UU."),
    ],
    "CN": [
        ("N550", "CERT. OF NATURALIZATION", "Carta de naturalización"),
        ("USPP", "U.S. PASSPORT", "Pasaporte de EE. UU."),
    ],
    "PR": [("I551", "PERM RESIDENT CARD", "Tarjeta de residente permanente")],
    "RF": [
        ("I94R", "I-94 REFUGEE ADMISSION", "I-94 de refugiado"),
        ("I571", "REFUGEE TRAVEL DOCUMENT", "Documento de viaje de refugiado"),
    ],
    "AS": [
        ("I94A", "I-94 ASYLUM GRANTED", "I-94 asilo concedido"),
        ("I766", "EMPLOYMENT AUTH CARD", "Tarjeta de autorización de empleo"),
    ],
    "AA": [
        ("I766", "EMPLOYMENT AUTH CARD", "Tarjeta de autorización de empleo"),
        ("I797", "I-797 RECEIPT NOTICE", "Aviso de recibo I-797"),
    ],
    "DA": [("I766", "EMPLOYMENT AUTH CARD", "Tarjeta de autorización de empleo")],
    "TP": [
        ("I766", "EMPLOYMENT AUTH CARD", "Tarjeta de autorización de empleo"),
        ("I797", "I-797 APPROVAL NOTICE", "Aviso de aprobación I-797"),
    ],
    "PA": [
        ("I94P", "I-94 PAROLE", "I-94 de permiso humanitario"),
        ("I512", "ADVANCE PAROLE I-512", "Permiso adelantado I-512"),
    ],
    "NV": [("I94V", "I-94 + FOREIGN PASSPORT", "I-94 y pasaporte extranjero")],
    "AJ": [
        ("I797", "I-797C RECEIPT (I-485)", "Aviso I-797C (I-485)"),
        ("I766", "EMPLOYMENT AUTH CARD", "Tarjeta de autorización de empleo"),
    ],
    "WH": [("I766", "EMPLOYMENT AUTH CARD", "Tarjeta de autorización de empleo")],
    "UN": [("NONE", "NONE PRESENTED", "Ninguno")],
}
# identity document per status group: (English, Spanish)
IDENT_DOC = {
    "cit": [
        ("U.S. PASSPORT", "Pasaporte de EE. UU."),
        ("BIRTH CERTIFICATE", "Acta de nacimiento"),
        ("STATE ID", "Identificación estatal"),
    ],
    "lawful": [
        ("FOREIGN PASSPORT", "Pasaporte extranjero"),
        ("PERM RESIDENT CARD", "Tarjeta de residente"),
        ("EAD CARD", "Permiso de trabajo"),
    ],
    "none": [
        ("CONSULAR ID CARD", "Matrícula consular"),
        ("FOREIGN PASSPORT", "Pasaporte extranjero"),
        ("FOREIGN BIRTH CERT", "Acta de nacimiento extranjera"),
        ("CEDULA", "Cédula de identidad"),
    ],
}


# ------------------------------------------------------------------ note templates
# tags|text || text ... ; [[...]] is a sensitive cue (a span); {a} {ad} {i94} {rc} {sv} {ev}
# {it} {nz} are identifiers (spans and manifest identifiers); other {...} are fillers.
# Tags are status keys, or ALLNC (every non-citizen), LAWNC (lawful non-citizen), CIT, DET.
MENTION_EN = """
PR|showed [[greencard]] exp {date} || [[perm res card]] [[I551]] seen, [[A#]] {ad} || [[LPR]] status, card number {rc}
PR|[[I-551]] expired, [[I-90]] receipt {rc} || {a} on [[resident card]], renewal pending
PR|[[reentry permit]] [[I 327]] presented
CN|[[naturalized]] in {yr}, [[cert of naturalization]] {nz} || [[N550]] no. {nz} copied || [[became a citizen]] {yr}, [[N-400]] approved
CB|[[US born]], [[birth certificate]] verified via [[EVVE]]
CB CN|[[citizen]] per [[U.S. passport]] || [[USC]] - [[US passport card]]
DA|[[DACA]] recipient, [[workpermit]] exp {date} || [[deferred action]] renewal [[I-821D]] receipt {rc} || [[Dreamer]], [[C33]] card
TP|[[TPS]] for {ctry}, [[EAD]] auto-extended to {date} || [[temp protected status]] [[I821]] {rc}
AA|[[asylum]] case pending, [[I-589]] filed || [[EAD (c)(8)]] exp {date} || [[asylum seeker]], receipt {rc}
AS|[[granted asylum]], [[I-94]] {i94} || [[asylee]] with [[EAD A05]]
RF|[[refugee]] admitted, [[I94]] #{i94} || [[refugee travel document]] [[I-571]] on file
PA|[[paroled in]] on [[I-94]] {i94} || [[humanitarian parolee]], [[advance parole]] [[I-512]]
NV|[[{visa} visa]], [[I-94]] admit until {date} || [[nonimmigrant]] [[{visa}]], passport + [[I 94]] {i94} || [[visa holder]] ({visa}), stay ends {date}
AJ|[[adjustment pending]], [[I-485]] receipt {rc} || [[I-797C]] {rc} shown, [[green card pending]]
WH|[[withholding of removal]] granted, [[EAD A10]]
LAWNC|[[SAVE]] verification {sv} came back [[{saveans}]] || [[SAVE case]] # {sv} || [[SAVE]] step 2 sent, case {sv} || [[alien reg #]] {ad}
LAWNC|[[work authorization]] [[{cat}]] exp {date} || [[employment auth card]] exp {date} || [[E-Verify]] {ev} [[employment authorized]]
ALLNC|[[A number]] {a} || {a} || [[born in {ctry}]] || [[{adj} passport]] only, no US docs || [[not a US citizen]], declined voter reg
ALLNC|[[noncitizen]] - no voter registration offered || [[foreign national]], consulate notified
UN|[[no lawful presence]] docs, issued [[driver privilege card]] || [[undocumented]] applicant, [[ITIN]] {it} || [[ITIN]] {it} instead of SSN
UN|[[driving authorization card]] (NM) || [[TVDL]] issued, [[not valid for ID]] || [[drive only]] license || [[limited purpose license]] (HI)
UN|[[matricula]] + [[{adj} passport]] accepted || [[no SSN]], signed [[affidavit of ineligibility]] || [[not acceptable for federal purposes]] marking
UN|[[illegal alien]] per caller || [[overstayed]] [[visa]] || {it}
DET|[[ICE detainer]] [[I-247A]] lodged || [[immigration hold]], [[ERO]] notified || [[287g]] screening flagged || [[ICE]] to pick up at release
"""
MENTION_ES = """
PR|[[tiene la mica]], vence {date} || [[residente permanente]], [[número A]] {ad} || [[tarjeta verde]] presentada
CN|[[se hizo ciudadano]] en {yr} || [[carta de naturalización]] {nz} || [[naturalizada]] desde {yr}
CB|[[ciudadana de EE. UU.]], [[acta de nacimiento]] verificada || [[nacido en Estados Unidos]]
CN|[[ciudadano de EE. UU.]] [[por naturalización]]
DA|[[DACA]] aprobado, [[permiso de trabajo]] vence {date} || [[acción diferida]] en trámite, recibo {rc}
TP|[[TPS]] de {ctry_es} || [[estatus de protección temporal]], recibo {rc}
AA|[[pidió asilo]], [[I-589]] en trámite || [[solicitante de asilo]]
AS|[[asilo aprobado]], [[I-94]] {i94}
RF|[[refugiada]], [[I-94]] {i94}
PA|[[entró con parole]] humanitario, [[I-94]] {i94} || [[permiso humanitario]] vigente
NV|[[visa {visa}]] vigente hasta {date} || [[visa de trabajo]] [[{visa}]]
AJ|[[ajuste de estatus]] en trámite, recibo {rc} || [[espera la residencia]]
LAWNC|[[caso SAVE]] {sv} || [[verificación SAVE]] {sv}: [[{saveans}]] || [[permiso de trabajo]] [[{cat}]] vence {date}
ALLNC|[[no es ciudadano]], no se le ofreció registro de votante || [[nació en {ctry_es}]] || [[pasaporte {adj_es}]] solamente || [[número de extranjero]] {a}
UN|[[sin papeles]], se le dio [[permiso de conducir]] || [[sin estatus migratorio]] || [[no tiene presencia legal]] || [[ITIN]] {it} en lugar de seguro social
UN|[[indocumentada]], presentó [[matrícula consular]] || [[sin número de seguro social]], [[licencia de privilegio]]
DET|[[orden de ICE]] para retenerlo || [[lo detuvo inmigración]] || [[retención migratoria]] registrada
"""
NEGATIVE_EN = """
Paid with Visa card ending {last4} || VISA declined, customer paid by check || Ms. Visa came in for her renewal
Stopped on I-94 near exit {exit}, reported in crash log || Took I 94 west to the Moline office || Mr. Citizen called re: mailing address
On criminal parole, PO {officer} notified of move || Parole board letter attached to court packet || Paroled from county jail {date}, supervision ends {date}
County resident since {n} yrs, resident discount applied || Resident agent {officer} signed for the LLC || Non-resident fishing license issued
Naturalized plant species noted on the permit || Alien species (zebra mussel) found on boat trailer || Property passed to the alien heirs per old deed (historical note)
Youth work permit for 15-year-old on file (employment certificate) || Building permit pending inspection || Parking permit zone B
Lives on Asylum Hill (Hartford), address confirmed || Refugee Rd address verified || Green card stock low - ordered more blank cardstock (green)
ICE contact: {officer}, 555-01{nn} || ICE cream vendor licence renewed || Ice on steps, customer slipped, incident report
Criminal detainer from {county} County warrant, not immigration || Hold for pickup at counter || TPS sensor replaced, emissions retest passed
Citizen complaint about wait time forwarded || Citizen review board hearing moved to {date} || CB radio (citizens band) antenna noted
Plate reader hit count {n} reviewed, no action || Temporary plate issued, expires {date} || Status: pending payment
Removed from mailing list at customer request || Tree removal permit attached || Sponsor: Little League (parking fee waiver)
"""
NEGATIVE_ES = """
Pagó con tarjeta Visa terminada en {last4} || La señora Visa vino por su renovación || Tarjeta VISA rechazada, pagó en efectivo
Tomó la I-94 rumbo a la oficina || Accidente en la I 94, salida {exit}
En libertad condicional por el caso penal, oficial {officer} avisado || Salió de la cárcel del condado bajo palabra
Residente del condado desde hace {n} años || Descuento de residente aplicado || Agente residente de la empresa: {officer}
Especie invasora (mejillón cebra) en el remolque || Permiso de pesca para no residente || Permiso de construcción en revisión
Permiso de trabajo de menor de edad (15 años) archivado || Contacto ICE (en caso de emergencia): {officer} 555-01{nn}
Oficina de Atención Ciudadana cerró temprano || Queja ciudadana sobre el tiempo de espera || Placa temporal vence {date}
"""
PLAIN_EN = """
Renewal done || Eye exam passed || Road test booked {date} || New photo, old one blurry || Fee ${fee} paid
Duplicate issued, original lost || Address confirmed by mail || Customer rescheduled || Name change per divorce decree
Restriction A (corrective lenses) added || Organ donor designation added || Knowledge test passed on second try
"""
PLAIN_ES = """
Renovación hecha || Pasó el examen de la vista || Prueba de manejo el {date} || Pagó ${fee}
Se entregó duplicado || Cambio de nombre por divorcio || Foto nueva || Aprobó el examen escrito
"""
FILL_NEEDS = {
    "a": "anum",
    "ad": "anum",
    "i94": "i94",
    "rc": "rcpt",
    "sv": "save",
    "saveans": "save",
    "ev": "everify",
    "it": "itin",
    "nz": "natz_no",
    "yr": "natz_dt",
    "visa": "visa",
    "cat": "ead",
    "ctry": "foreign",
    "ctry_es": "foreign",
    "adj": "foreign",
    "adj_es": "foreign",
}
IDENT_KEYS = {"a", "ad", "i94", "rc", "sv", "ev", "it", "nz"}
PIECE = re.compile(r"\[\[(.+?)\]\]|\{(\w+)\}")
LABELS = ["mention", "negative", "plain", "empty"]


def parse_block(block, lang, tagged):
    out = []
    for line in block.strip().splitlines():
        tags, body = line.split("|", 1) if tagged else ("", line)
        for text in body.split(" || "):
            needs = {FILL_NEEDS[k] for k in re.findall(r"\{(\w+)\}", text) if k in FILL_NEEDS}
            out.append(NS(lang=lang, tags=set(tags.split()), text=text, needs=needs))
    return out


MENTIONS = parse_block(MENTION_EN, "en", True) + parse_block(MENTION_ES, "es", True)
NEGATIVES = parse_block(NEGATIVE_EN, "en", False) + parse_block(NEGATIVE_ES, "es", False)
PLAINS = parse_block(PLAIN_EN, "en", False) + parse_block(PLAIN_ES, "es", False)

OCR_SWAP = {
    "0": "O",
    "O": "0",
    "1": "l",
    "l": "1",
    "5": "S",
    "S": "5",
    "m": "rn",
    "8": "B",
    "i": "1",
}
FORM_RE = re.compile(r"^([INDSG])[- ]?(\d{2,4}[A-Z]?)$")


def slip(r, s):
    """A clerk's or scanner's slip on a cue: form-number spacing, case, one or two edits,
    transposition, OCR confusion, lost space. Most cues are left as written."""
    m = FORM_RE.match(s)
    if m and r.random() < 0.35:
        return r.choice(
            [f"{m[1]}-{m[2]}", f"{m[1]}{m[2]}", f"{m[1]} {m[2]}", f"{m[1].lower()}-{m[2]}"]
        )
    x = r.random()
    if x < 0.76 or len(s) < 5:
        return s
    if x < 0.83:
        return r.choice([s.upper(), s.lower(), s.capitalize()])

    def edit(t, op):
        i = r.randrange(1, len(t) - 2)
        if op == "swap":
            return t[:i] + t[i + 1] + t[i] + t[i + 2 :]
        if op == "drop":
            return t[:i] + t[i + 1 :]
        if op == "double":
            return t[:i] + t[i] + t[i:]
        if op == "ocr":
            js = [j for j, c in enumerate(t) if c in OCR_SWAP]
            if js:
                j = r.choice(js)
                return t[:j] + OCR_SWAP[t[j]] + t[j + 1 :]
            return t
        if op == "vowel":
            js = [j for j, c in enumerate(t) if c in "aeiou"]
            if js:
                j = r.choice(js)
                return t[:j] + r.choice([v for v in "aeiou" if v != t[j]]) + t[j + 1 :]
            return t
        return t.replace(" ", "", 1)

    ops = ["swap", "drop", "double", "ocr", "ocr", "vowel", "nospace"]
    out = edit(s, r.choice(ops))
    if x > 0.94 and len(out) >= 6:  # a second edit
        out = edit(out, r.choice(ops[:-1]))
    return out


# ------------------------------------------------------------------ value helpers
def day(r, y0, y1):
    a, b = dt.date(y0, 1, 1).toordinal(), dt.date(y1, 12, 31).toordinal()
    return dt.date.fromordinal(r.randint(a, b))


def f8(d):
    return d.strftime("%Y%m%d") if d else None


def mdccyy(d):
    return d.strftime("%m%d%Y") if d else None


def dmy_dash(d):
    return d.strftime("%d-%m-%Y") if d else None


PLATE_WORDS = ["CAT", "DOG", "SUN", "BAY", "OAK", "ACE", "FOX", "JET", "ZIP", "ICE", "TPS", "VIP"]


def plate_no(r, style="tx"):
    L = "ABCDEFGHJKLMNPRSTVWXYZ"
    if r.random() < 0.2:
        w = r.choice(PLATE_WORDS)
        return f"{w}{r.randint(1000, 9999)}" if style == "tx" else f"{w} {r.randint(100, 999)}"
    if style == "tx":
        return "".join(r.choice(L) for _ in range(3)) + f"{r.randint(0, 9999):04d}"
    if style == "il":
        return "".join(r.choice(L) for _ in range(2)) + f" {r.randint(10000, 99999)}"
    return f"{r.choice(L)}{r.choice(L)}{r.choice(L)}{r.randint(1000, 9999)}"


def tel(r, area=("512", "210", "915", "956")):
    return f"{r.choice(area)}-555-01{r.randint(0, 99):02d}"


def road(r):
    return f"{r.randint(100, 19999)} {r.choice(ROADS)} {r.choice(ROAD_SFX)}"


class Idents:
    """Factory for status identifiers, unique within one extract."""

    def __init__(self, r):
        self.r, self.seen = r, set()

    def new(self, kind):
        r = self.r
        L = lambda: r.choice("ABCDEFGHJKLMNPRSTUVWXYZ")  # noqa: E731
        gen = {
            "anum": lambda: (
                f"0{r.randint(10**7, 10**8 - 1)}"
                if r.random() < 0.25
                else str(r.randint(201000000, 249999999))
            ),
            "i94": lambda: (
                f"{r.randint(10**10, 10**11 - 1)}"
                if r.random() < 0.65
                else f"{r.randint(10**8, 10**9 - 1)}{L()}{r.randint(0, 9)}"
            ),
            "rcpt": lambda: (
                f"{r.choice(RCPT_PREFIX)}{r.randint(20, 26)}{r.randint(0, 10**8 - 1):08d}"
            ),
            "save": lambda: f"{r.randint(10**12, 10**13 - 1)}{L()}{L()}",
            "everify": lambda: f"{r.randint(2021, 2026)}{r.randint(10**8, 10**9 - 1)}{L()}{L()}",
            "itin": lambda: (
                f"9{r.randint(0, 99):02d}-{r.choice(ITIN_MID)}-{r.randint(1, 9999):04d}"
            ),
            "natz_no": lambda: str(r.randint(21000000, 39999999)),
        }[kind]
        v = gen()
        while v in self.seen:
            v = gen()
        self.seen.add(v)
        return v


def a_style(d, style):
    """A-number written: glued A, A-dash groups, zero-padded, or bare digits."""
    if d is None:
        return None
    if style == "bare":
        return d
    if style == "groups":
        return f"A-{d[:3]}-{d[3:6]}-{d[6:]}"
    if style == "space":
        return f"A {d}"
    return "A" + d


# ------------------------------------------------------------------ one extract
class Extract:
    def __init__(self, seed, rows, name):
        self.r = random.Random(f"unseen_b/{seed}/{name}")
        self.ids = Idents(self.r)
        self.n, self.planted, self.labels, self.taken = rows, set(), {}, set()
        self.detain_rate = 0.0
        self.weights = STATUS_W

    def plant(self, v):
        if v:
            self.planted.add(v)
        return v

    def unique(self, f):
        v = f()
        while v in self.taken:
            v = f()
        self.taken.add(v)
        return v

    def rows(self, make):
        return [make(self.person(), i) for i in range(self.n)]

    def person(self):
        r, g = self.r, self.ids
        st = r.choices(STATUS, self.weights)[0]
        p = NS(st=st, first=r.choice(GIVEN), dob=day(r, 1948, 2007), sex=r.choice("MF"))
        p.last = r.choice(RARE) if r.random() < 0.02 else r.choice(FAMILY)
        p.cit = st in ("CB", "CN")
        p.lawnc = not p.cit and st != "UN"
        p.origin = USA if st == "CB" else r.choices(PEOPLE_ORIGIN, ORIGIN_W)[0]
        p.foreign = st != "CB"
        p.visa = r.choice(VISA_CLASSES) if st == "NV" else None
        p.anum = (
            g.new("anum")
            if (p.lawnc and st != "NV") or st == "CN" or (st in ("NV", "UN") and r.random() < 0.12)
            else None
        )
        p.i94 = (
            g.new("i94")
            if st in ("RF", "AS", "PA", "NV") or (st == "AJ" and r.random() < 0.4)
            else None
        )
        p.rcpt = (
            g.new("rcpt")
            if st in ("AA", "DA", "TP", "AJ", "PA") or (st in ("PR", "CN") and r.random() < 0.25)
            else None
        )
        p.ead = r.choice(EAD[st]) if st in EAD and (st != "NV" or r.random() < 0.25) else None
        p.ead_exp = day(r, 2023, 2029) if p.ead else None
        p.doc_exp = (
            day(r, 2024, 2036)
            if st == "PR"
            else p.ead_exp or (day(r, 2024, 2030) if st in ("NV", "RF", "AS", "PA") else None)
        )
        p.natz_dt = day(r, 1982, 2025) if st == "CN" else None
        p.natz_no = g.new("natz_no") if st == "CN" else None
        p.save = (
            g.new("save")
            if (p.lawnc and r.random() < 0.8) or (st == "CN" and r.random() < 0.2)
            else None
        )
        p.saveans = SAVE_ANSWER.get(st) if p.save else None
        p.everify = g.new("everify") if p.lawnc and r.random() < 0.35 else None
        p.itin = (
            g.new("itin")
            if (st == "UN" and r.random() < 0.55) or (st == "NV" and r.random() < 0.08)
            else None
        )
        p.sdoc = r.choice(SDOC[st])
        p.idoc = r.choice(IDENT_DOC["cit" if p.cit else "none" if st == "UN" else "lawful"])
        p.lp_src = (
            r.choice(["EVVE", "USPV", "EVVE"])
            if st == "CB"
            else "SAVE"
            if p.save
            else r.choice(["USPV", "N550"])
            if st == "CN"
            else None
            if st == "UN"
            else r.choice(["MANUAL", "SAVE-2"])
        )
        p.detained = not p.cit and r.random() < self.detain_rate
        p.tags = (
            {st}
            | ({"CIT"} if p.cit else {"ALLNC"})
            | ({"LAWNC"} if p.lawnc else set())
            | ({"DET"} if p.detained else set())
        )
        return p

    # ---- notes
    def fill_value(self, k, p, mention):
        r = self.r
        when = (p.doc_exp or p.ead_exp) if mention else None
        when = when or day(r, 2024, 2027)
        return {
            "a": lambda: a_style(p.anum, r.choice(["glued", "glued", "groups", "space"])),
            "ad": lambda: a_style(p.anum, "bare"),
            "i94": lambda: p.i94,
            "rc": lambda: p.rcpt if r.random() < 0.85 else p.rcpt.lower(),
            "sv": lambda: p.save,
            "ev": lambda: p.everify,
            "it": lambda: p.itin if r.random() < 0.6 else p.itin.replace("-", ""),
            "nz": lambda: p.natz_no,
            "saveans": lambda: p.saveans,
            "visa": lambda: p.visa,
            "cat": lambda: r.choice(
                [p.ead, f"({p.ead[0].lower()})({int(p.ead[1:])})", f"{p.ead[0]}-{p.ead[1:]}"]
            ),
            "yr": lambda: str(p.natz_dt.year),
            "ctry": lambda: p.origin[1],
            "ctry_es": lambda: p.origin[2],
            "adj": lambda: p.origin[3],
            "adj_es": lambda: p.origin[4],
            "date": lambda: when.strftime(
                r.choice(["%m/%d/%Y", "%Y-%m-%d", "%m/%y", "%d.%m.%Y", "%b %Y"])
            ),
            "last4": lambda: f"{r.randint(0, 9999):04d}",
            "exit": lambda: str(r.randint(1, 280)),
            "officer": lambda: f"{r.choice(GIVEN)} {r.choice(FAMILY)}",
            "nn": lambda: f"{r.randint(0, 99):02d}",
            "n": lambda: str(r.randint(2, 40)),
            "county": lambda: r.choice(TX_COUNTIES),
            "fee": lambda: r.choice(["11", "25", "33.25", "40", "61"]),
        }[k]()

    def fill(self, text, p, mention):
        out, spans, idents, pos = [], [], [], 0
        for m in PIECE.finditer(text):
            out.append(text[pos : m.start()])
            pos = m.end()
            if m.group(1) is not None:
                cue = re.sub(
                    r"\{(\w+)\}", lambda k: self.fill_value(k.group(1), p, mention), m.group(1)
                )
                s = slip(self.r, cue)
                spans.append(s)
            else:
                key = m.group(2)
                s = self.fill_value(key, p, mention)
                if key in IDENT_KEYS:
                    if self.r.random() < 0.04:  # scanner read 0 as O or 1 as l inside the number
                        js = [j for j, c in enumerate(s) if c in "01"]
                        if js:
                            j = self.r.choice(js)
                            s = s[:j] + {"0": "O", "1": "l"}[s[j]] + s[j + 1 :]
                    spans.append(s)
                    idents.append(s)
            out.append(s)
        out.append(text[pos:])
        return "".join(out), spans, idents

    def note(self, col, rid, p, es=0.3, newlines=True, upper=0.0):
        r = self.r
        weights = (16, 34, 36, 14) if p.st == "CB" else (62, 16, 14, 8)
        label = r.choices(LABELS, weights)[0]
        if label == "empty":
            return None
        lang = "es" if r.random() < es else "en"

        def fits(t, lg):
            return t.lang == lg and t.tags & p.tags and all(getattr(p, n) for n in t.needs)

        if label == "mention":
            pool = [t for t in MENTIONS if fits(t, lang)] or [t for t in MENTIONS if fits(t, "en")]
            parts = [self.fill(r.choice(pool).text, p, True)]
        else:
            src = NEGATIVES if label == "negative" else PLAINS
            parts = [self.fill(r.choice([t for t in src if t.lang == lang]).text, p, False)]
        if r.random() < 0.3:
            extra = PLAINS + NEGATIVES if label == "mention" else PLAINS
            parts.insert(
                r.randrange(2),
                self.fill(r.choice([t for t in extra if t.lang == lang]).text, p, False),
            )
        if upper and r.random() < upper:
            parts = [
                (t.upper(), [s.upper() for s in sp], [s.upper() for s in ids])
                for t, sp, ids in parts
            ]
        seps = [" - ", "; ", ". ", " | "] + (["\n", "\r\n"] if newlines else [])
        text = r.choice(seps).join(t for t, _, _ in parts)
        spans = list(dict.fromkeys(s for _, sp, _ in parts for s in sp))
        for _, _, ids in parts:
            self.planted.update(ids)
        self.labels.setdefault(col, {})[str(rid)] = (
            {"label": label, "spans": spans} if label == "mention" else {"label": label}
        )
        return text


def split(s):
    return s.split("|")


# ------------------------------------------------------------------ the extracts
def x_tx_copybook(x):
    r = x.r

    def row(p, i):
        rid = x.unique(lambda: f"{r.randint(10**7, 10**8 - 1)}")
        cls = r.choices("CABM", [85, 3, 4, 8])[0]
        return {
            "DLN-8": rid,
            "NM-LAST": p.last.upper(),
            "NM-FRST": p.first.upper(),
            "DOB-CCYYMMDD": f8(p.dob),
            "ISS-CCYYMMDD": f8(day(r, 2017, 2025)),
            "EXP-CCYYMMDD": f8(day(r, 2025, 2033)),
            "CLS-CD": cls,
            "END-CD": r.choices(["", "H", "N", "T", "P"], [86, 4, 4, 3, 3])[0],
            "RSTR-CD": r.choices(["", "A", "B", "I"], [60, 30, 6, 4])[0],
            "VET-DSG-F": "Y" if r.random() < 0.07 else "N",
            "DNR-F": "Y" if r.random() < 0.5 else "N",
            "CNTY-RES-CD": f"{r.randint(1, 254):03d}",
            "PLT-NO": plate_no(r, "tx"),
            "ALPR-HIT-CT": str(min(int(r.expovariate(0.4)), 45)),
            "CTZN-BND-RADIO-F": "Y" if r.random() < 0.04 else "N",
            "CTZ-STS-C": "1" if p.cit else ("2" if p.lawnc else "3"),
            "LPE-SRC": p.lp_src,
            "LPE-DOC-TY": p.sdoc[0],
            "LPE-DOC-EXP": f8(p.doc_exp),
            "NTZ-CCYYMMDD": f8(p.natz_dt),
            "AR-NBR": x.plant(a_style(p.anum, "glued")),
            "ADMIT-NBR": x.plant(p.i94),
            "VLP-CASE-NBR": x.plant(p.save),
            "LTD-TERM-F": "Y" if p.st in TEMPORARY else "N",
            "TMP-VIS-CL": p.visa,
            "POB-CTRY": p.origin[0],
            "RMK-LN-1": x.note("RMK-LN-1", rid, p, es=0.2, newlines=False, upper=0.8),
        }

    return dict(
        file="tx_dl_copybook.csv",
        format="csv",
        id="DLN-8",
        notes=["RMK-LN-1"],
        rows=x.rows(row),
        layout="Texas-style DL master from a COBOL copybook: ',', all fields quoted, CRLF, hyphenated 05-level names, CCYYMMDD",
        protected=split(
            "CTZ-STS-C|LPE-SRC|LPE-DOC-TY|LPE-DOC-EXP|NTZ-CCYYMMDD|AR-NBR|ADMIT-NBR|VLP-CASE-NBR|LTD-TERM-F|TMP-VIS-CL|POB-CTRY"
        ),
        decoys=split(
            "NM-LAST|NM-FRST|DOB-CCYYMMDD|ISS-CCYYMMDD|EXP-CCYYMMDD|CLS-CD|END-CD|RSTR-CD|VET-DSG-F|DNR-F|CNTY-RES-CD|PLT-NO|ALPR-HIT-CT|CTZN-BND-RADIO-F"
        ),
        csv=dict(delim=",", crlf=True, bom=False, quote=csv.QUOTE_ALL, nulls=[""]),
    )


def x_aamva(x):
    r = x.r
    jur = ["MD", "MD", "VT", "DE", "NJ"]

    def row(p, i):
        rid = f"{r.choice('ABCDEFGHJKMS')}{x.unique(lambda: f'{r.randint(10**11, 10**12 - 1)}')}"
        st = r.choice(jur)
        noncomp = p.st == "UN" or (p.st in TEMPORARY and r.random() < 0.2) or r.random() < 0.08
        return {
            "DAQ": rid,
            "DCS": p.last.upper(),
            "DAC": p.first.upper(),
            "DBB": mdccyy(p.dob),
            "DBA": mdccyy(day(r, 2025, 2033)),
            "DBD": mdccyy(day(r, 2017, 2025)),
            "DBC": "1" if p.sex == "M" else "2",
            "DAY": r.choice(["BRO", "BRO", "BLK", "BLU", "HAZ", "GRN"]),
            "DAU": f"{r.randint(58, 77):03d} IN",
            "DAK": f"{r.choice(['207', '208', '209', '050', '197', '070'])}{r.randint(0, 99):02d}0000",
            "DCF": f"{r.randint(10**9, 10**10 - 1)}{r.choice('ABCDEF')}{r.randint(10, 99)}",
            "DCG": "USA",
            "DCA": r.choices(["C", "C", "D", "M"], [50, 30, 15, 5])[0],
            "DAJ": st,
            "DCK": f"{st}{r.randint(10**13, 10**14 - 1)}",
            "DDA": "N" if noncomp else "F",
            "DDD": "1" if p.st in TEMPORARY else "0",
            "ZMB": mdccyy(p.doc_exp),
            "ZMC": p.lp_src,
            "ZMD": x.plant(a_style(p.anum, "glued")),
            "ZME": "NOT ACCEPTABLE FOR FEDERAL PURPOSES" if noncomp else "",
            "ZMF": p.origin[1].upper(),
            "ZMG": p.visa or (r.choice(EAD[p.st]) if p.st in EAD and r.random() < 0.5 else None),
            "ZMH": x.plant(p.rcpt),
        }

    return dict(
        file="aamva_scan_audit.csv",
        format="csv",
        id="DAQ",
        notes=[],
        rows=x.rows(row),
        layout="card-issuance audit keyed by AAMVA element IDs; DDA/DDD compliance and jurisdiction Z elements; '|', LF",
        protected=split("DDA|DDD|ZMB|ZMC|ZMD|ZME|ZMF|ZMG|ZMH"),
        decoys=split("DCS|DAC|DBB|DBA|DBD|DBC|DAY|DAU|DAK|DCF|DCG|DCA|DAJ|DCK"),
        csv=dict(delim="|", crlf=False, bom=False, nulls=[""]),
    )


def x_il_tvdl(x):
    r = x.r
    cred = {
        "cit": ["Licencia REAL ID", "Licencia estándar"],
        "lawful": ["Licencia estándar", "Licencia REAL ID (plazo limitado)"],
        "none": ["TVDL - no válida para identificación", "Licencia de visitante temporal (TVDL)"],
    }
    permit = [
        "Estacionamiento residencial",
        "Pesca deportiva",
        "Construcción",
        "Estacionamiento para discapacitados",
        "Ninguno",
    ]

    def row(p, i):
        rid = f"IL-{2025 if i % 3 else 2024}-{i + 1:06d}"
        grp = "cit" if p.cit else "none" if p.st == "UN" else "lawful"
        verified = "Sí" if p.cit or p.lawnc else "No"
        return {
            "Folio": rid,
            "Nombre": p.first,
            "Apellidos": p.last,
            "Fecha de nac.": dmy_dash(p.dob),
            "Municipio de residencia": r.choice(IL_TOWNS),
            "Placa del vehículo": plate_no(r, "il"),
            "Tipo de permiso municipal": r.choice(permit),
            "Tarjeta de pago": r.choice(
                ["Visa", "VISA débito", "MasterCard", "Discover", "Efectivo"]
            ),
            "Contacto ICE (emergencia)": f"{r.choice(GIVEN)} {r.choice(FAMILY + ['Visa'])} ({tel(r, ('312', '773', '708'))})",
            "Fecha de emisión de la licencia": dmy_dash(day(r, 2018, 2025)),
            "Vencimiento de la licencia": dmy_dash(day(r, 2025, 2030)),
            "Prueba de identidad": p.idoc[1],
            "Prueba de presencia legal": p.sdoc[2]
            if p.st != "UN"
            else r.choice(["Ninguna", "No presentó"]),
            "¿Presencia legal verificada? (Sí/No)": verified if r.random() > 0.04 else None,
            "Fecha de naturalización": dmy_dash(p.natz_dt),
            "Vencimiento del documento migratorio": dmy_dash(p.doc_exp),
            "Clase de visa": p.visa,
            "País de nacimiento": p.origin[2],
            "Credencial otorgada": r.choice(cred[grp]),
            "Número A (USCIS)": x.plant(a_style(p.anum, r.choice(["groups", "glued"]))),
            "Número de caso SAVE": x.plant(p.save),
            "Comentarios": x.note("Comentarios", rid, p, es=0.8),
            "Staff remarks": x.note("Staff remarks", rid, p, es=0.1),
        }

    return dict(
        file="il_tvdl_roster_es.csv",
        format="csv",
        id="Folio",
        notes=["Comentarios", "Staff remarks"],
        rows=x.rows(row),
        layout="Illinois-style TVDL facility roster: Spanish headers, ';', UTF-8 BOM, CRLF, DD-MM-YYYY, quoted newlines",
        protected=split(
            "Prueba de identidad|Prueba de presencia legal|¿Presencia legal verificada? (Sí/No)|Fecha de naturalización|"
            "Vencimiento del documento migratorio|Clase de visa|País de nacimiento|Credencial otorgada|Número A (USCIS)|Número de caso SAVE"
        ),
        decoys=split(
            "Nombre|Apellidos|Fecha de nac.|Municipio de residencia|Placa del vehículo|Tipo de permiso municipal|Tarjeta de pago|"
            "Contacto ICE (emergencia)|Fecha de emisión de la licencia|Vencimiento de la licencia"
        ),
        csv=dict(delim=";", crlf=True, bom=True, nulls=["", "N/D", "--", "SIN DATO"]),
    )


WA_CODE = {
    "CB": "USC",
    "CN": "USC-N",
    "PR": "LPR",
    "RF": "REF",
    "AS": "ASY",
    "AA": "ASY-P",
    "DA": "DACA",
    "TP": "TPS",
    "PA": "PAR",
    "NV": "NIV",
    "AJ": "AOS",
    "WH": "WOR",
    "UN": "NLP",
}


def x_wa_positional(x):
    r = x.r

    def row(p, i):
        edl = p.cit and r.random() < 0.3
        return {
            "col_01": f"{i + 1:07d}",
            "col_02": p.last.upper(),
            "col_03": p.first.upper(),
            "col_04": f8(p.dob),
            "col_05": plate_no(r, "wa"),
            "col_06": r.choice(WA_COUNTIES),
            "col_07": WA_CODE[p.st] if r.random() > 0.03 else "UNK",
            "col_08": f8(day(r, 2016, 2025)),
            "col_09": x.plant(a_style(p.anum, "glued")),
            "col_10": str(min(int(r.expovariate(0.25)), 80)),
            "col_11": x.plant(p.rcpt),
            "col_12": "EDL" if edl else "DL",
            "col_13": f"98{r.randint(0, 999):03d}",
            "col_14": x.plant(p.i94),
            "col_15": r.choice(["DL", "DL", "DL", "CDL-A", "CDL-B", "MC"]),
            "col_16": p.visa,
            "col_17": r.choices(["", "M", "H", "N", "X"], [80, 8, 4, 4, 4])[0],
            "col_18": p.ead,
            "col_19": f8(p.doc_exp),
            "col_20": tel(r, ("509", "360", "425")),
            "col_21": p.origin[0],
            "col_22": x.note("col_22", f"{i + 1:07d}", p, es=0.35),
        }

    return dict(
        file="wa_positional.csv",
        format="csv",
        id="col_01",
        notes=["col_22"],
        rows=x.rows(row),
        layout="positional unload: tab, LF, col_NN names only; status in values",
        protected=split("col_07|col_09|col_11|col_12|col_14|col_16|col_18|col_19|col_21"),
        decoys=split(
            "col_02|col_03|col_04|col_05|col_06|col_08|col_10|col_13|col_15|col_17|col_20"
        ),
        csv=dict(delim="\t", crlf=False, bom=False, nulls=["", "NULL"]),
    )


def x_voter_jury(x):
    r = x.r

    def row(p, i):
        rid = f"V{x.unique(lambda: r.randint(10**8, 10**9 - 1))}"
        if p.cit:
            decl = r.choices([None, "DECLINED", "ALREADY REGISTERED", "UNDER 18"], [70, 15, 12, 3])[
                0
            ]
        else:
            decl = r.choice(
                ["NOT A US CITIZEN", "NON-CITIZEN PER DMV RECORD", "INELIG - CITIZENSHIP"]
            )
        dq = "NC" if not p.cit else r.choices(["", "AG", "FL", "NR", "MD"], [85, 4, 5, 3, 3])[0]
        return {
            "VTR_ID": rid,
            "LAST": p.last,
            "FIRST": p.first,
            "REC_ADD_YMD": f8(day(r, 2004, 2025)),
            "PCT": f"{r.randint(1, 499):04d}",
            "PARTY_PREF": r.choice(["DEM", "REP", "UNA", "LIB", "GRN", "NPA"]),
            "BALLOT_STYLE": f"BS-{r.randint(1, 60):02d}",
            "CITIZEN_RVW_BD_DIST": str(r.randint(1, 9)),
            "MAIL_ZIP": f"{r.choice(['787', '782', '799', '785'])}{r.randint(0, 99):02d}",
            "RES_CNTY": r.choice(TX_COUNTIES),
            "ADDR_CHG_YMD": f8(day(r, 2016, 2025)) if r.random() < 0.7 else None,
            "POLL_WKR_F": "Y" if r.random() < 0.03 else "N",
            "VR_DECL_RSN": decl,
            "CTZ_AFFIRM": "Y" if p.cit else "N",
            "VR_OFFER_F": "Y" if p.cit or r.random() < 0.05 else "N",
            "JURY_DQ": dq,
            "JURY_DQ_SRC": "DMV-LP"
            if dq == "NC" and r.random() < 0.6
            else "QUESTIONNAIRE"
            if dq
            else None,
            "DMV_LP_DOC": p.sdoc[0],
            "SAVE_MATCH_RSLT": p.saveans,
            "SAVE_VERIF_NO": x.plant(p.save),
            "NTRLZ_YMD": f8(p.natz_dt),
            "CLERK_CMT": x.note("CLERK_CMT", rid, p, es=0.25),
        }

    return dict(
        file="voter_jury_source.csv",
        format="csv",
        id="VTR_ID",
        notes=["CLERK_CMT"],
        rows=x.rows(row),
        layout="motor-voter + jury master list: ',' all quoted, UTF-8 BOM, LF; citizenship proxies",
        protected=split(
            "VR_DECL_RSN|CTZ_AFFIRM|VR_OFFER_F|JURY_DQ|JURY_DQ_SRC|DMV_LP_DOC|SAVE_MATCH_RSLT|SAVE_VERIF_NO|NTRLZ_YMD"
        ),
        decoys=split(
            "LAST|FIRST|REC_ADD_YMD|PCT|PARTY_PREF|BALLOT_STYLE|CITIZEN_RVW_BD_DIST|MAIL_ZIP|RES_CNTY|ADDR_CHG_YMD|POLL_WKR_F"
        ),
        csv=dict(delim=",", crlf=False, bom=True, quote=csv.QUOTE_ALL, nulls=[""]),
    )


QUAL = {
    "CB": None,
    "CN": None,
    "PR": "LPR",
    "RF": "REFUGEE",
    "AS": "ASYLEE",
    "PA": "PAROLEE_1YR",
    "WH": "WITHHOLDING",
    "TP": "NOT_QUALIFIED",
    "DA": "NOT_QUALIFIED",
    "AA": "NOT_QUALIFIED",
    "NV": "NOT_QUALIFIED",
    "AJ": "NOT_QUALIFIED",
    "UN": "NOT_QUALIFIED",
}


def typed(rows, types):
    return pa.Table.from_pylist(
        rows, schema=pa.schema([(k, types.get(k, pa.string())) for k in rows[0]])
    )


def x_benefits(x):
    r = x.r

    def row(p, i):
        rid = 88_000_000 + i * 7 + r.randint(0, 6)
        steps = []
        if p.save:
            steps.append(
                {
                    "step": 1,
                    "case_no": x.plant(p.save),
                    "response": "INSTITUTE ADDITIONAL VERIFICATION"
                    if r.random() < 0.2
                    else p.saveans,
                }
            )
            if steps[0]["response"].startswith("INSTITUTE"):
                steps.append({"step": 2, "case_no": p.save, "response": p.saveans})
        entry = day(r, 1995, 2024) if p.foreign and r.random() < 0.8 else None
        return {
            "case_member_id": rid,
            "member_first": p.first,
            "member_last": p.last,
            "birth_ymd": int(f8(p.dob)),
            "household_size": r.randint(1, 9),
            "county_resident": r.random() < 0.96,
            "monthly_income": round(r.uniform(0, 4200), 2),
            "ebt_issuance_ymd": int(f8(day(r, 2023, 2025))),
            "payment_card_brand": r.choice(["VISA", "VISA", "MASTERCARD", "DISCOVER", None]),
            "authorized_rep": f"{r.choice(GIVEN)} {r.choice(FAMILY + RARE)}"
            if r.random() < 0.3
            else None,
            "ice_contact_phone": tel(r),
            "application_date": day(r, 2023, 2025),
            "program": r.choice(["SNAP", "MEDICAID", "TANF", "CHIP"]),
            "us_citizen_decl": p.cit if r.random() > 0.03 else None,
            "qual_alien_cat": QUAL[p.st],
            "five_yr_bar_ends": (entry + dt.timedelta(days=1826))
            if entry and p.st == "PR"
            else None,
            "us_entry_date": entry,
            "sponsor_deeming": (r.random() < 0.5) if p.st == "PR" else None,
            "ead_category": p.ead,
            "imm_doc": None
            if p.st in ("CB", "UN")
            else {
                "kind": p.sdoc[1],
                "number": x.plant(p.natz_no or p.i94 or p.rcpt or a_style(p.anum, "glued")),
                "expires": p.doc_exp,
            },
            "save_steps": steps,
            "worker_narrative": x.note("worker_narrative", rid, p, es=0.3),
        }

    s = pa.string()
    types = {
        "case_member_id": pa.int64(),
        "birth_ymd": pa.int32(),
        "household_size": pa.int16(),
        "county_resident": pa.bool_(),
        "monthly_income": pa.float64(),
        "ebt_issuance_ymd": pa.int32(),
        "application_date": pa.date32(),
        "us_citizen_decl": pa.bool_(),
        "five_yr_bar_ends": pa.date32(),
        "us_entry_date": pa.date32(),
        "sponsor_deeming": pa.bool_(),
        "imm_doc": pa.struct([("kind", s), ("number", s), ("expires", pa.date32())]),
        "save_steps": pa.list_(pa.struct([("step", pa.int8()), ("case_no", s), ("response", s)])),
    }
    return dict(
        file="benefits_case.parquet",
        format="parquet",
        id="case_member_id",
        notes=["worker_narrative"],
        table=typed(x.rows(row), types),
        layout="SNAP/Medicaid member file: typed Parquet with struct imm_doc and list<struct> save_steps",
        protected=split(
            "us_citizen_decl|qual_alien_cat|five_yr_bar_ends|us_entry_date|sponsor_deeming|ead_category|"
            "imm_doc.kind|imm_doc.number|imm_doc.expires|save_steps.step|save_steps.case_no|save_steps.response"
        ),
        decoys=split(
            "member_first|member_last|birth_ymd|household_size|county_resident|monthly_income|ebt_issuance_ymd|"
            "payment_card_brand|authorized_rep|ice_contact_phone|application_date|program"
        ),
    )


OPAQUE_CODE = {"CB": "CZ", "CN": "CZ-N", "PR": "PR", "UN": "XX"}


def x_opaque(x):
    r = x.r

    def row(p, i):
        return {
            "seq": 310_000 + i,
            "fld_01": p.last,
            "fld_02": int(f8(day(r, 2015, 2025))),
            "fld_03": plate_no(r, "tx"),
            "fld_04": OPAQUE_CODE.get(p.st, "TL"),
            "fld_05": int(p.anum) if p.anum else None,
            "fld_06": r.randint(0, 320000),
            "fld_07": p.visa,
            "fld_08": p.doc_exp,
            "fld_09": day(r, 2025, 2027),
            "fld_10": x.plant(p.itin and p.itin.replace("-", "")),
            "fld_11": round(r.choice([30.75, 50.75, 65.0, 81.5, 16.0]), 2),
            "fld_12": r.choice(["USA", "USA", "JPN", "KOR", "MEX", "DEU", "CAN"]),
            "fld_13": p.origin[0],
            "fld_14": x.plant(p.rcpt),
            "fld_15": r.choice(["SEDAN", "PICKUP", "SUV", "MOTORCYCLE", "TRAILER"]),
            "attr": x.plant(p.save),
            "cd_a": r.choice("CCCCAMB"),
            "cd_b": p.ead,
            "cd_c": r.choice(["", "", "A", "B", "I", "K"]),
            "cd_d": "N" if p.cit else "Y",
            "txt": x.note("txt", 310_000 + i, p, es=0.3),
        }

    types = {
        "seq": pa.int64(),
        "fld_02": pa.int32(),
        "fld_05": pa.int64(),
        "fld_06": pa.int32(),
        "fld_08": pa.date32(),
        "fld_09": pa.date32(),
        "fld_11": pa.float64(),
    }
    rows = x.rows(row)
    for rec in rows:
        if rec["fld_05"] is not None:
            x.plant(str(rec["fld_05"]))
    return dict(
        file="opaque_fld.parquet",
        format="parquet",
        id="seq",
        notes=["txt"],
        table=typed(rows, types),
        layout="opaque Parquet: fld_NN / attr / cd_x names; int64 bare A-numbers; status only in values",
        protected=split("fld_04|fld_05|fld_07|fld_08|fld_10|fld_13|fld_14|attr|cd_b|cd_d"),
        decoys=split("fld_01|fld_02|fld_03|fld_06|fld_09|fld_11|fld_12|fld_15|cd_a|cd_c"),
    )


ERO_CITIES = [
    "Houston",
    "San Antonio",
    "Dallas",
    "Chicago",
    "Seattle",
    "Newark",
    "Baltimore",
    "Salt Lake City",
]
STATUTES = ["PC 31.03", "PC 22.01", "TC 545.351", "HSC 481.115", "PC 30.02", "PC 49.04", "PC 32.21"]


def x_jail(x):
    r = x.r
    x.detain_rate = 0.22

    def row(p, i):
        rid = f"BK{25 if i % 2 else 24}-{i + 1:06d}"
        det = p.detained
        return {
            "booking_no": rid,
            "inmate": {
                "name": {"last": p.last, "first": p.first},
                "dob": p.dob.isoformat(),
                "sex": p.sex,
            },
            "facility": r.choice(["Central Jail", "Annex B", "North Unit"]),
            "charges": [
                {"statute": r.choice(STATUTES), "degree": r.choice(["MA", "MB", "F3", "SJF"])}
                for _ in range(r.randint(1, 3))
            ],
            "supervision": {
                "parole_status": r.choices(
                    ["NONE", "ON PAROLE", "PAROLE VIOLATION", "PROBATION"], [70, 12, 6, 12]
                )[0],
                "parole_officer": f"{r.choice(GIVEN)} {r.choice(FAMILY)}"
                if r.random() < 0.3
                else None,
            },
            "emergency": {
                "ice_name": f"{r.choice(GIVEN)} {r.choice(FAMILY + RARE)}",
                "ice_phone": tel(r),
            },
            "classification": {
                "custody_level": r.choice(["MIN", "MED", "MAX"]),
                "gang_flag": r.random() < 0.05,
            },
            "enforcement": {
                "ice_notified": det or (not p.cit and r.random() < 0.1),
                "detainer": {
                    "form": "I-247A" if det else None,
                    "lodged": day(r, 2024, 2025).isoformat() if det else None,
                    "office": f"ERO {r.choice(ERO_CITIES)}" if det else None,
                },
                "referral_287g": det or (p.foreign and r.random() < 0.15),
            },
            "immigration": {
                "country_of_citizenship": p.origin[1],
                "alien_no": x.plant(a_style(p.anum, r.choice(["glued", "groups"]))),
                "consular_notif": (not p.cit) and r.random() < 0.7,
            },
            "intake_note": x.note("intake_note", rid, p, es=0.3),
        }

    return dict(
        file="jail_intake.jsonl",
        format="jsonl",
        id="booking_no",
        notes=["intake_note"],
        records=x.rows(row),
        layout="corrections intake JSON lines: nested detainer / 287(g) / consular blocks beside criminal parole and ICE contact",
        protected=split(
            "enforcement.ice_notified|enforcement.detainer.form|enforcement.detainer.lodged|enforcement.detainer.office|"
            "enforcement.referral_287g|immigration.country_of_citizenship|immigration.alien_no|immigration.consular_notif"
        ),
        decoys=split(
            "inmate.name.last|inmate.name.first|inmate.dob|inmate.sex|facility|charges.statute|"
            "supervision.parole_status|supervision.parole_officer|emergency.ice_name|emergency.ice_phone|classification.custody_level"
        ),
    )


def x_jury(x):
    r = x.r
    cred = {
        "cit": ["DL", "DL", "ID"],
        "lawful": ["DL-LTD", "ID-LTD"],
        "none": ["DPC", "DAC", "DRIVE-ONLY"],
    }

    def row(p, i):
        rid = f"J{x.unique(lambda: r.randint(10**6, 10**7 - 1))}"
        grp = "cit" if p.cit else "none" if p.st == "UN" else "lawful"
        dq_code = (
            None
            if p.cit and r.random() < 0.85
            else (
                "1865(b)(1)" if not p.cit else r.choice(["1865(b)(2)", "1865(b)(4)", "1865(b)(5)"])
            )
        )
        dq_text = {
            None: None,
            "1865(b)(1)": r.choice(["NOT A CITIZEN OF THE UNITED STATES", "NO ES CIUDADANO"]),
            "1865(b)(2)": "CANNOT READ ENGLISH",
            "1865(b)(4)": "PENDING FELONY CHARGE",
            "1865(b)(5)": "MENTAL OR PHYSICAL INFIRMITY",
        }[dq_code]
        return {
            "juror_no": rid,
            "summons": {
                "pool_date": day(r, 2025, 2026).isoformat(),
                "courtroom": f"{r.randint(1, 12)}{r.choice('ABC')}",
                "panel": r.randint(1, 40),
            },
            "person": {
                "last": p.last,
                "first": p.first,
                "dob": p.dob.isoformat(),
                "county_resident": r.random() < 0.97,
            },
            "employer": {
                "name": r.choice(
                    [
                        "H-E-B",
                        "City of Laredo",
                        "Valley Baptist",
                        "Self",
                        "Retired",
                        "Alamo Colleges",
                    ]
                ),
                "resident_agent": f"{r.choice(GIVEN)} {r.choice(FAMILY + RARE)}",
            },
            "parking": {
                "permit_type": r.choice(["JUROR", "JUROR", "ADA", "NONE"]),
                "plate": plate_no(r, "tx"),
            },
            "volunteer": {"citizen_police_academy": r.random() < 0.04},
            "qualification": {
                "citizen_us": p.cit,
                "disqual_code": dq_code,
                "disqual_text": dq_text,
            },
            "dmv_match": {
                "credential": r.choice(cred[grp]),
                "lp_doc_exp": p.doc_exp.isoformat() if p.doc_exp else None,
                "fch_naturalizacion": dmy_dash(p.natz_dt),
                "lawful_src": p.lp_src,
            },
            "response_note": x.note("response_note", rid, p, es=0.4),
        }

    return dict(
        file="jury_qualification.jsonl",
        format="jsonl",
        id="juror_no",
        notes=["response_note"],
        records=x.rows(row),
        layout="juror qualification JSON lines: nested qualification / dmv_match beside resident agent, parking permits",
        protected=split(
            "qualification.citizen_us|qualification.disqual_code|qualification.disqual_text|dmv_match.credential|"
            "dmv_match.lp_doc_exp|dmv_match.fch_naturalizacion|dmv_match.lawful_src"
        ),
        decoys=split(
            "summons.pool_date|summons.courtroom|summons.panel|person.last|person.first|person.dob|person.county_resident|"
            "employer.name|employer.resident_agent|parking.permit_type|parking.plate|volunteer.citizen_police_academy"
        ),
    )


SPECIES = [
    ("Zebra mussel", "alien invasive", "Russia"),
    ("Hydrilla", "alien invasive", "India"),
    ("Largemouth bass", "native", "USA"),
    ("Brown trout", "naturalized", "Germany"),
    ("Tilapia", "alien", "Egypt"),
    ("Channel catfish", "native", "USA"),
]


def x_permits(x):
    r = x.r
    x.weights = [40, 6, 10, 1, 1, 2, 4, 3, 2, 14, 2, 0.5, 14]

    def row(p, i):
        rid = f"PRM-{25 - i % 2}-{i + 1:06d}"
        kind = r.choice(
            ["FISHING", "HUNTING", "PARKING", "BUILDING", "ICE CREAM VENDOR", "SEASONAL LABOR CAMP"]
        )
        sp = r.choice(SPECIES)
        worker = p.visa in ("H-2A", "H-2B") or p.everify is not None
        return {
            "Permit #": rid,
            "Permit Type": kind,
            "ICE Vendor Lic": f"ICV-{r.randint(2019, 2025)}-{r.randint(1, 9999):04d}"
            if kind == "ICE CREAM VENDOR"
            else None,
            "Applicant Last": p.last,
            "Applicant First": p.first,
            "Issue Date": f8(day(r, 2023, 2025)),
            "Expiry Date": f8(day(r, 2025, 2027)),
            "Vehicle Plate": plate_no(r, "tx"),
            "Species": sp[0],
            "Species Status": sp[1],
            "Species Origin": sp[2],
            "Alien Species Inspection": r.choice(
                ["PASSED", "PASSED", "NOT REQUIRED", "DECONTAMINATED"]
            ),
            "Truck TPS Sensor (V)": f"{r.uniform(0.5, 4.5):.2f}"
            if kind == "ICE CREAM VENDOR"
            else None,
            "Product Origin": r.choice(["USA", "Mexico", "China", "Canada", "Vietnam"]),
            "County Resident (Y/N)": "Y" if r.random() < 0.8 else "N",
            "Resident Agent": f"{r.choice(GIVEN)} {r.choice(FAMILY)}"
            if r.random() < 0.25
            else None,
            "TIN Type": "ITIN" if p.itin else ("SSN" if p.st != "UN" else None),
            "ITIN": x.plant(p.itin),
            "Worker Visa Class": p.visa,
            "H-2 Petition Receipt": x.plant(p.rcpt if worker else None),
            "E-Verify Case": x.plant(p.everify),
            "Work Auth Exp": f8(p.ead_exp or (p.doc_exp if p.visa else None)),
            "I-9 List A Doc": p.sdoc[1] if not p.cit else r.choice(["U.S. PASSPORT", None]),
            "Citizenship Country": p.origin[0],
            "Inspector Notes": x.note("Inspector Notes", rid, p, es=0.35),
        }

    return dict(
        file="outdoor_permits.csv",
        format="csv",
        id="Permit #",
        notes=["Inspector Notes"],
        rows=x.rows(row),
        layout="parks / wildlife / vendor permits: tab, UTF-8, LF; ITIN, H-2 receipts, E-Verify beside species and ICE-cream vendor decoys",
        protected=split(
            "TIN Type|ITIN|Worker Visa Class|H-2 Petition Receipt|E-Verify Case|Work Auth Exp|I-9 List A Doc|Citizenship Country"
        ),
        decoys=split(
            "Permit Type|ICE Vendor Lic|Applicant Last|Applicant First|Issue Date|Expiry Date|Vehicle Plate|Species|"
            "Species Status|Species Origin|Alien Species Inspection|Truck TPS Sensor (V)|Product Origin|County Resident (Y/N)|Resident Agent"
        ),
        csv=dict(delim="\t", crlf=False, bom=False, nulls=["", "n/a"]),
    )


EXTRACTS = [
    x_tx_copybook,
    x_aamva,
    x_il_tvdl,
    x_wa_positional,
    x_voter_jury,
    x_benefits,
    x_opaque,
    x_jail,
    x_jury,
    x_permits,
]


# ------------------------------------------------------------------ writing
def write(spec, x, out):
    path = os.path.join(out, spec["file"])
    if spec["format"] == "parquet":
        pq.write_table(spec["table"], path)
        return
    if spec["format"] == "jsonl":
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for rec in spec["records"]:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return
    c = spec["csv"]
    header = list(spec["rows"][0])
    enc = c.get("encoding") or ("utf-8-sig" if c["bom"] else "utf-8")
    with open(path, "w", encoding=enc, newline="") as f:
        w = csv.writer(
            f,
            delimiter=c["delim"],
            lineterminator="\r\n" if c["crlf"] else "\n",
            quoting=c.get("quote", csv.QUOTE_MINIMAL),
        )
        w.writerow(header)
        for rec in spec["rows"]:
            w.writerow([x.r.choice(c["nulls"]) if rec[h] is None else str(rec[h]) for h in header])


def manifest_entry(spec, x):
    enc = spec.get("csv", {}).get("encoding")
    return ({"encoding": enc} if enc else {}) | {
        "file": spec["file"],
        "format": spec["format"],
        "layout": spec["layout"],
        "id": spec["id"],
        "protected": spec["protected"],
        "decoys": spec["decoys"],
        "notes": [{"column": c, "rows": x.labels.get(c, {})} for c in spec["notes"]],
        "identifiers": sorted(x.planted),
    }


def generate(out, rows, seed, extracts=None, make=None, corpus="unseen_b"):
    """Write every extract of ``extracts`` (built on ``make``, default this corpus's) and
    the manifest; another corpus passes its own extract functions and Extract class."""
    os.makedirs(out, exist_ok=True)
    man = {"corpus": corpus, "seed": seed, "rows": rows, "extracts": []}
    for fn in extracts or EXTRACTS:
        x = (make or Extract)(seed, rows, fn.__name__)
        spec = fn(x)
        write(spec, x, out)
        man["extracts"].append(manifest_entry(spec, x))
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(man, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return man


# ------------------------------------------------------------------ check
NULL_TOKENS = {"", "NULL", "N/D", "--", "SIN DATO", "n/a"}


def at(o, parts):
    if isinstance(o, list):
        return [v for e in o for v in at(e, parts)]
    if not parts:
        return [o]
    return at(o[parts[0]], parts[1:]) if isinstance(o, dict) and parts[0] in o else []


def walk_json(o, pre=""):
    for k, v in o.items() if isinstance(o, dict) else []:
        yield pre + k
        for e in v if isinstance(v, list) else [v]:
            yield from walk_json(e, pre + k + ".")


def walk_schema(fields, pre=""):
    for f in fields:
        t = f.type
        yield pre + f.name
        while pa.types.is_list(t):
            t = t.value_type
        if pa.types.is_struct(t):
            yield from walk_schema(list(t), pre + f.name + ".")


def read_back(out, e, delim):
    path = os.path.join(out, e["file"])
    if e["format"] == "parquet":
        t = pq.read_table(path)
        recs, paths = t.to_pylist(), set(walk_schema(list(t.schema)))
        raw = "\x00".join(str(v) for rec in recs for c in paths for v in at(rec, c.split(".")))
        return recs, paths, raw, lambda rec, c: at(rec, c.split("."))
    with open(path, encoding=e.get("encoding", "utf-8-sig"), newline="") as f:
        raw = f.read()
    if e["format"] == "jsonl":
        recs = [json.loads(line) for line in raw.split("\n") if line]
        return (
            recs,
            {c for rec in recs for c in walk_json(rec)},
            raw,
            lambda rec, c: at(rec, c.split(".")),
        )
    table = list(csv.reader(io.StringIO(raw, newline=""), delimiter=delim))
    assert all(len(t) == len(table[0]) for t in table), f"{e['file']}: ragged rows"
    return (
        [dict(zip(table[0], t, strict=True)) for t in table[1:]],
        set(table[0]),
        raw,
        lambda rec, c: [rec[c]] if c in rec else [],
    )


def blank(v):
    return v is None or v == [] or (isinstance(v, str) and v.strip() in NULL_TOKENS)


def squash(s):
    return re.sub(r"[^0-9a-z]", "", str(s).lower())


def check(out, rows, seed, extracts=None, make=None, corpus="unseen_b"):
    """Columns exist, ids unique, labels match notes, spans occur in their notes, identifiers
    occur in protected or notes columns and never (even with punctuation dropped) in decoys."""
    errs, warn = [], []

    def need(ok, msg):
        if not ok:
            errs.append(msg)

    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        man = json.load(f)
    need(
        (man["corpus"], man["seed"], man["rows"]) == (corpus, seed, rows),
        "manifest header mismatch",
    )
    delims = {
        s["file"]: s["csv"]["delim"]
        for s in (fn((make or Extract)(seed, 1, fn.__name__)) for fn in extracts or EXTRACTS)
        if "csv" in s
    }
    big = rows >= 500
    counts = dict.fromkeys(["mention", "negative", "plain", "cells"], 0)
    owner, nprot, ndec = {}, 0, 0
    for e in man["extracts"]:
        f, prot, dec = e["file"], e["protected"], e["decoys"]
        notes = [n["column"] for n in e["notes"]]
        recs, paths, raw, get = read_back(out, e, delims.get(f))
        nprot, ndec = nprot + len(prot), ndec + len(dec)
        need(len(prot) >= 5 and len(dec) >= 5, f"{f}: needs >=5 protected and >=5 decoys")
        need(not set(prot) & set(dec), f"{f}: column both protected and decoy")
        for c in prot:
            need(c not in owner, f"{f}: protected {c!r} also in {owner.get(c)}")
            owner[c] = f
            need(
                not big or not all(blank(v) for rec in recs for v in get(rec, c)),
                f"{f}: protected {c!r} entirely null",
            )
        for c in dec:
            need(
                not big or not all(blank(v) for rec in recs for v in get(rec, c)),
                f"{f}: decoy {c!r} entirely null",
            )
        for c in [e["id"], *prot, *dec, *notes]:
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
                    need(blank(txt), f"{f}:{c}:{rid} unlabelled non-empty note")
                    continue
                counts[lab["label"]] += 1
                need(
                    isinstance(txt, str) and not blank(txt), f"{f}:{c}:{rid} labelled note is empty"
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
        decoy_vals = [str(v) for rec in recs for c in dec for v in get(rec, c) if v is not None]
        decoy_text, decoy_flat = "\x00".join(decoy_vals), "\x00".join(squash(v) for v in decoy_vals)
        held = "\x00".join(
            str(v) for rec in recs for c in prot + notes for v in get(rec, c) if v is not None
        )
        for ident in e["identifiers"]:
            need(ident in raw, f"{f}: identifier {ident!r} not in file")
            need(ident in held, f"{f}: identifier {ident!r} not in a protected or notes column")
            need(
                ident not in decoy_text and squash(ident) not in decoy_flat,
                f"{f}: identifier {ident!r} in a decoy column",
            )
    need(
        len(man["extracts"]) >= 8 and len({e["format"] for e in man["extracts"]}) == 3,
        "need >=8 extracts in all three formats",
    )
    need(nprot >= 80 and ndec >= 80, f"totals too small: {nprot} protected, {ndec} decoys")
    fm, fneg = counts["mention"] / counts["cells"], counts["negative"] / counts["cells"]
    for ok, msg in (
        (0.30 <= fm <= 0.45, f"mention share {fm:.2f} outside 0.30-0.45"),
        (0.18 <= fneg <= 0.32, f"negative share {fneg:.2f} outside 0.18-0.32"),
    ):
        if big:
            need(ok, msg)
        elif not ok:
            warn.append(msg)
    return (
        errs,
        warn,
        dict(
            protected=nprot,
            decoys=ndec,
            cells=counts["cells"],
            **{k: counts[k] for k in ("mention", "negative", "plain")},
        ),
    )


def digest(d):
    out = {}
    for n in sorted(os.listdir(d)):
        with open(os.path.join(d, n), "rb") as f:
            out[n] = hashlib.sha256(f.read()).hexdigest()
    return out


def main(argv=None, extracts=None, make=None, corpus="unseen_b", seed=23, doc=None):
    ap = argparse.ArgumentParser(description=(doc or __doc__).splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--rows", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=seed)
    ap.add_argument(
        "--check",
        action="store_true",
        help="regenerate, then verify determinism and manifest consistency",
    )
    a = ap.parse_args(argv)
    kw = dict(extracts=extracts, make=make, corpus=corpus)
    man = generate(a.out, a.rows, a.seed, **kw)
    if not a.check:
        print(f"wrote {len(man['extracts'])} extracts + manifest.json to {a.out}")
        return 0
    tmp = tempfile.mkdtemp(prefix="unseen-b-check-")
    try:
        generate(tmp, a.rows, a.seed, **kw)
        same = digest(a.out) == digest(tmp)
    finally:
        shutil.rmtree(tmp)
    errs, warn, st = check(a.out, a.rows, a.seed, **kw)
    if not same:
        errs.append("output not deterministic for this seed")
    for e in man["extracts"]:
        print(
            f"{e['file']:28} {e['format']:8} rows={a.rows} protected={len(e['protected']):2} "
            f"decoys={len(e['decoys']):2} notes={len(e['notes'])} identifiers={len(e['identifiers'])}"
        )
    c = st["cells"]
    print(
        f"total protected={st['protected']} decoys={st['decoys']} note cells={c} mention={st['mention']} "
        f"({st['mention'] / c:.3f}) negative={st['negative']} ({st['negative'] / c:.3f}) plain={st['plain']} "
        f"deterministic={same}"
    )
    for w in warn:
        print("warning:", w)
    for e in errs[:50]:
        print("ERROR:", e)
    print("check", "FAILED" if errs else "passed", f"({len(errs)} errors)")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
