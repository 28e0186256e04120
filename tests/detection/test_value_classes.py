"""Classes of status data found only by their values, released through the real CLI:
opaque code lists, repeated stock phrases, and notes holding a bare identifier or a
word that completes a mention. Each case is written fresh here (not taken from a
benchmark corpus), and the output bytes are what is asserted."""

from __future__ import annotations

import csv
import io
import random

from helpers import redact

MARKER = "[WITHHELD]"


def _release(tmp_path, name: str, header: list[str], rows: list[list[str]]) -> list[dict]:
    src = tmp_path / "in" / name
    src.parent.mkdir(exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    src.write_text(buf.getvalue(), encoding="utf-8")
    run = redact("release", src, "-r", "Records Unit", "-o", tmp_path / "out", "--no-validate")
    assert run.code == 0, run.err
    out = (tmp_path / "out" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(out)))


def test_opaque_code_list_with_status_codes_is_withheld_and_ordinary_codes_kept(tmp_path):
    r = random.Random(5)
    states = [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "NC",
        "PR",
        "TX",
    ]
    rows = [
        [
            str(i),
            r.choice(["CTZ", "PRM", "TMP", "OTH"]),  # citizen / permanent / temporary / other
            r.choice(["CZ-1", "NCZ", "UNK", "RFG"]),  # a second code list, with suffixes
            r.choice(["A", "B", "C", "M"]),  # a licence class
            r.choice(states),  # states: PR and NC among many others
            r.choice(["SED", "SUV", "PK", "MC", "VAN"]),  # body style
        ]
        for i in range(300)
    ]
    got = _release(tmp_path, "codes.csv", ["rec", "k7", "attr_q", "c1", "c2", "c3"], rows)
    assert {g["k7"] for g in got} == {""}
    assert {g["attr_q"] for g in got} == {""}
    for i, g in enumerate(got):
        assert [g["rec"], g["c1"], g["c2"], g["c3"]] == [rows[i][0], *rows[i][3:]]


def test_a_repeated_long_status_phrase_is_withheld_whole_not_marked(tmp_path):
    # One stock marking longer than a short phrase, printed only on some cards: scrubbing
    # it would leave the marker exactly where the holders are.
    phrase = "NOT VALID FOR FEDERAL IDENTIFICATION, VOTING OR PUBLIC BENEFIT PURPOSES"
    rows = [[str(i), phrase if i % 5 == 0 else "", f"{i:04d}"] for i in range(200)]
    got = _release(tmp_path, "marks.csv", ["card_no", "ZQF", "seq"], rows)
    assert {g["ZQF"] for g in got} == {""}
    assert [g["seq"] for g in got] == [f"{i:04d}" for i in range(200)]


def test_notes_lose_bare_and_ocr_identifiers_and_the_words_after_a_mention(tmp_path):
    notes = [
        "Walk-in renewal, vision test passed",
        "presented 318204967 at counter",  # a bare nine-digit number, no cue
        "ref A2O7l15539 copied",  # an A-number read with O for 0 and l for 1
        "applicant overstayed visa per sponsor letter",
        "DL expired 20240115, renewed",  # a CCYYMMDD date is not an identifier
        "Paid by Visa card, receipt emailed",
        "Appointment moved to 03/14, called 555-0142",
    ]
    rows = [[str(i), n] for i, n in enumerate(notes)]
    got = _release(tmp_path, "notes.csv", ["id", "clerk_remarks"], rows)
    out = [g["clerk_remarks"] for g in got]
    assert out[0] == notes[0]
    assert out[1] == ""  # withheld whole: the number and whatever it was
    assert out[2] == ""
    assert "visa" not in out[3].lower() and "overst" not in out[3].lower()
    assert out[3].startswith("applicant ") and out[3].endswith(" per sponsor letter")
    assert out[4:] == notes[4:]


def test_notes_with_glued_ocr_and_head_slips_are_withheld_and_look_alikes_kept(tmp_path):
    mentions = [
        "applicant n0nc1tizen per clerk",  # digits read for letters, inside a glued phrase
        "showed greecard at window",  # glued and a letter dropped
        "wrok permit copy on file",  # the slip in the first letters of the phrase
        "employment auth. card shown",  # an abbreviation of a form's name
        "brith certficate copy attached",  # two words, a slip in each
    ]
    negatives = [
        "greenhouse permit for nursery lot",
        "nonstick coating on the form printer, workmanship fine",
        "birthday card left at counter",
        "Employment history form W-4 on file",
    ]
    notes = mentions + negatives
    rows = [[str(i), n] for i, n in enumerate(notes)]
    got = [g["remarks"] for g in _release(tmp_path, "n.csv", ["id", "remarks"], rows)]
    for before, after in zip(mentions, got, strict=False):
        words = {w.strip(".,").lower() for w in before.split()}
        left = {w.strip(".,").lower() for w in after.split()}
        kept = {"applicant", "per", "clerk", "showed", "at", "window", "copy", "on", "file"}
        assert not (words & left) - kept - {"shown", "attached"}, (before, after)
    assert got[len(mentions) :] == negatives


def test_benefit_and_state_law_proxies_are_withheld_by_name(tmp_path):
    header = [
        "case_id",
        "five_year_bar_met",
        "sponsor_deeming_applies",
        "emergency_medicaid_only",
        "in_state_tuition_affidavit",
        "green_light_license",
        "emergency_contact_name",
        "criminal_detainer_flag",
        "signal_green_light_secs",
    ]
    rows = [[str(i), "Y", "N", "Y", "HB1403", "Y", "Pat Lee", "N", "32"] for i in range(50)]
    got = _release(tmp_path, "b.csv", header, rows)
    for col in header[1:6]:
        assert {g[col] for g in got} == {""}, col
    assert {g["emergency_contact_name"] for g in got} == {"Pat Lee"}
    assert {g["criminal_detainer_flag"] for g in got} == {"N"}
    assert {g["signal_green_light_secs"] for g in got} == {"32"}


def test_ordinary_numbers_places_and_businesses_keep_their_status_words(tmp_path):
    r = random.Random(9)
    rows = [
        [
            str(i),
            str(r.randrange(100_000_000, 999_999_999)),  # claim numbers: some look like ITINs
            f"{r.randrange(10, 9999)} {r.choice(['Refugee Rd', 'Asylum Ave', 'Liberty St'])}",
            r.choice(["Citizens Bank", "Visa Travel LLC", "Alien Ant Farm Tours"]),
        ]
        for i in range(400)
    ]
    got = _release(tmp_path, "o.csv", ["id", "claim_number", "mailing_street", "employer"], rows)
    assert [[g["id"], g["claim_number"], g["mailing_street"], g["employer"]] for g in got] == rows


def test_notes_in_vietnamese_and_portuguese_and_dhs_forms_are_scrubbed(tmp_path):
    mentions = [
        "khách hàng có thẻ xanh, gia hạn bằng lái",  # holds a green card
        "chưa nhập tịch, đang chờ",  # not yet naturalised
        "cliente sem documentos, pediu informação",  # without papers
        "visto de trabalho vencido em março",  # work visa expired
        "Form I-213 copy in jacket",  # an ICE record of a removable alien
        "served notice to appear, hearing set",
    ]
    negatives = [
        "took I-270 to the branch, late by 10 min",
        "naturalist program volunteer, parks pass",
        "cliente pediu segunda via do documento do carro",
        "gia hạn bằng lái, đã chụp ảnh",
    ]
    rows = [[str(i), n] for i, n in enumerate(mentions + negatives)]
    got = [g["obs"] for g in _release(tmp_path, "v.csv", ["id", "obs"], rows)]
    cues = ["thẻ xanh", "nhập tịch", "sem documentos", "visto de trabalho", "I-213", "notice to"]
    for cue, after in zip(cues, got, strict=False):
        assert cue.lower() not in after.lower(), (cue, after)
    assert got[len(mentions) :] == negatives


def test_opaque_letter_codes_are_withheld_unless_an_ordinary_code_list_holds_them(tmp_path):
    r = random.Random(13)
    rows = [
        [
            str(i),
            r.choice("CNLKRTP"),  # a status legend kept elsewhere
            r.choice(["Q", "C", "O"]),  # qualified / citizen / other
            r.choice("SMDW"),  # marital status
            r.choice("ABCM"),  # licence class
            r.choice("MFX"),  # sex
        ]
        for i in range(300)
    ]
    got = _release(tmp_path, "l.csv", ["k", "s1", "q", "mar", "cl", "g"], rows)
    assert {g["s1"] for g in got} == {""}
    assert {g["q"] for g in got} == {""}
    assert [[g["k"], g["mar"], g["cl"], g["g"]] for g in got] == [[x[0], *x[3:]] for x in rows]


def test_a_member_of_the_public_and_a_street_works_permit_are_not_status(tmp_path):
    notes = [
        "Ciudadanos llamaron por el ruido del generador",  # members of the public called
        "Una ciudadana escribió para pedir otra cita",
        "Excavation work permit for the block party posted",
        "admission record 60412398577 copied",  # an I-94 number without its cue word
        "work permit pending at USCIS",
        "es ciudadana naturalizada",
    ]
    rows = [[str(i), n] for i, n in enumerate(notes)]
    got = [g["nota"] for g in _release(tmp_path, "p.csv", ["id", "nota"], rows)]
    assert got[:3] == notes[:3]
    assert got[3] == ""
    assert "work permit" not in got[4].lower() and "uscis" not in got[4].lower()
    assert "naturaliz" not in got[5].lower()
