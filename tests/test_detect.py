import pyarrow as pa
import pytest

from redaction.detect import (
    classify_name,
    count_matches,
    detector_pattern,
    guard_pattern,
    mention_pattern,
    normalize_name,
)
from redaction.policy import load_policy

POLICY = load_policy()


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("CTZN_STS_CD", "citizenship status code"),  # mainframe abbreviations
        ("citizenshipStatus", "citizenship status"),  # camelCase
        ("I 94 #", "i 94 number"),  # '#' reads as number
        ("Country of Birth  ", "country of birth"),  # trailing blanks
        ("País de nacimiento", "pais de nacimiento"),  # accents removed
        ("Pai\u0301s", "pais"),  # decomposed accent
        ("POB-CNTRY", "place of birth country"),  # multi-word expansion
    ],
)
def test_normalize_name(raw, normalized):
    assert normalize_name(raw, POLICY.abbreviations) == normalized


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("citizenship_status", "citizenship_status"),
        ("CTZN_STS_CD", "citizenship_status"),
        ("LGL_PRES_FLG", "immigration_status"),
        ("I94_ADM_NO", "i94_number"),
        ("alienRegNo", "a_number"),
        ("A_NUM", "a_number"),
        ("POB_CNTRY", "country_of_birth"),
        ("País de nacimiento", "country_of_birth"),
        ("DOC_PRES_TYP", "identity_document"),
        ("LIC_TYP_IND", "sb251_credential"),
        ("real_id_compliant", "sb251_credential"),
        ("save_case_no", "save_verification"),
        ("visa_type", "visa_class"),
        ("itin", "itin"),
        ("notes", "status_notes"),
        # look-alikes that are not status data
        ("date_of_birth", None),
        ("dob", None),
        ("payment_card_visa", None),
        ("route_i94_mile", None),
        ("perm_addr", None),
        ("vehicle_make", None),
        ("CIT_NBR", None),  # a citation number, not citizenship
    ],
)
def test_classify_name(name, category):
    match = classify_name(name, POLICY)
    assert (match.category if match else None) == category


def test_yes_no_credential_flag_is_nulled_not_generalized():
    assert classify_name("real_id_compliant", POLICY).action == "null"
    assert classify_name("license_type", POLICY).action == "generalize"


def _hits(pattern, values):
    return count_matches(pa.array(values), pattern)


@pytest.mark.parametrize(
    ("detector", "value", "hit"),
    [
        ("a_number", "A123456789", True),
        ("a_number", "A12345678", True),  # 8 digits
        ("a_number", "A-123-456-789", True),  # dashed
        ("a_number", "a 123 456 789", True),
        ("a_number", "A1234567", False),  # too short
        ("a_number", "XA123456789", False),  # part of another id
        ("a_number", "Ａ１２３４５６７８９", True),  # full-width letters and digits
        ("a_number", "A12345678٠", True),  # an Arabic-Indic digit
        ("uscis_receipt", "EAC2190123456", True),
        ("uscis_receipt", "IOE-0912345678", True),
        ("uscis_receipt", "ABC2190123456", False),  # not a service centre
        ("save_case", "0123456789012CN", True),
        ("save_case", "0123456789012", False),
        ("i94_number", "987654321C7", True),
        ("i94_number", "98765432107", False),  # legacy digits: a weak detector's job
        ("itin", "912-78-1234", True),
        ("itin", "912-45-1234", False),  # invalid ITIN group
        ("itin", "123-78-1234", False),  # an SSN shape
        ("sb251_code", "SB-251", True),
        ("sb251_code", "co rcsa", True),
        ("sb251_code", "STANDARD", False),
    ],
)
def test_value_detectors(detector, value, hit):
    assert _hits(detector_pattern(POLICY.detector(detector)), [value]) == int(hit)


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("Applicant presented matricula consular", True),
        ("Applicant presented matri\u0301cula consular", True),  # NFD accent
        ("Cliente INDOCUMENTADO", True),
        ("lawful permanent resident, green card verified", True),
        ("Residente permanente", True),
        ("DACA recipient", True),
        ("Visa expired per SAVE response", True),
        ("ciudadanía en trámite", True),
        # hard negatives
        ("Took I-94 east to the Aurora office", False),
        ("Paid with Visa card", False),
        ("License status: revoked", False),
        ("Permanent mailing address on file", False),
        ("2019 Alien kit car", False),
        ("Resident of Denver since 2010", False),
    ],
)
def test_mentions(text, hit):
    assert _hits(mention_pattern(POLICY), [text]) == int(hit)


def test_guard_pattern_covers_identifiers_and_mentions():
    values = ["A123456789", "EAC2190123456", "green card holder", "Denver", None]
    assert _hits(guard_pattern(POLICY), values) == 3
