"""Closed vocabularies of the request register and of lawful exceptions."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import StrEnum

from redaction.errors import UsageError

#: The purpose that can be recorded but never granted: Colorado's executive order (and
#: New York's Green Light law, Washington's KWW Act) bar disclosure solely for federal
#: civil immigration enforcement.
CIVIL_IMMIGRATION_ENFORCEMENT = "civil_immigration_enforcement"


class Purpose(StrEnum):
    """Why a requester says they want status information."""

    CRIMINAL_INVESTIGATION = "criminal_investigation"
    COURT_PROCEEDING = "court_proceeding"
    STATE_LAW_REQUIREMENT = "state_law_requirement"
    FEDERAL_LAW_REQUIREMENT = "federal_law_requirement"
    GOVERNOR_AUTHORIZED = "governor_authorized"
    BENEFITS_ELIGIBILITY = "benefits_eligibility"
    RESEARCH = "research"
    INSURANCE = "insurance"
    TOLL_COLLECTION = "toll_collection"
    AGENCY_ADMINISTRATION = "agency_administration"
    SUBJECT_OWN_RECORD = "subject_own_record"
    OTHER = "other"
    #: Recorded so it shows in the quarterly report; never granted.
    CIVIL_IMMIGRATION_ENFORCEMENT = CIVIL_IMMIGRATION_ENFORCEMENT


class Basis(StrEnum):
    """The lawful bases for an exception, after the Colorado governor's directive:
    required by state or federal law, a lawful criminal law-enforcement purpose, a
    court order, or the governor's authorisation. Civil immigration enforcement is
    deliberately absent."""

    STATE_LAW = "state_law"
    FEDERAL_LAW = "federal_law"
    CRIMINAL_LAW_ENFORCEMENT = "criminal_law_enforcement"
    COURT_ORDER = "court_order"
    GOVERNOR_AUTHORIZATION = "governor_authorization"


class Decision(StrEnum):
    GRANT = "grant"
    DENY = "deny"


def parse_enum(kind: type[StrEnum], value: str, what: str) -> StrEnum:
    try:
        return kind(value.strip().lower())
    except ValueError:
        known = ", ".join(m.value for m in kind)
        raise UsageError(f"{what} {value!r} is not one of: {known}", reason=f"bad_{what}") from None


def parse_categories(values: Iterable[str]) -> frozenset[str]:
    """Category ids, checked against the policy pack's (every profile's categories);
    an unknown one lists the known."""
    # Imported here: the policy module loads YAML and pydantic models, which the
    # request register needs only when it checks categories.
    from redaction.policy import protected_categories

    cats = frozenset(v.strip() for v in values if v.strip())
    if not cats:
        raise UsageError("no categories given", reason="bad_categories")
    known = protected_categories()
    unknown = sorted(cats - known)
    if unknown:
        raise UsageError(
            f"unknown categor{'y' if len(unknown) == 1 else 'ies'}: {', '.join(unknown)}",
            reason="bad_categories",
            hint=f"known categories: {', '.join(sorted(known))}",
        )
    return cats


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def check_id(value: str, what: str) -> str:
    if not _ID.fullmatch(value):
        raise UsageError(
            f"{what} id must be 1-64 letters, digits, '.', '_', ':' or '-'",
            reason=f"bad_{what}_id",
        )
    return value


def new_id(prefix: str, today: date | None = None) -> str:
    day = today or datetime.now(UTC).date()
    return f"{prefix}-{day:%Y%m%d}-{secrets.token_hex(3)}"
