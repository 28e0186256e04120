"""May this release carry this lawful exception? Decided here, once, for every entry
point (single file, partitioned, every Prefect flow).

Two calls, one before any extract data is read and one once the release is planned:

- :func:`authorize`: the register's checks (the exception exists, is active, names
  this recipient, covers this dataset and answers a granted written request; see
  :func:`redaction.disclosure.lawful.check_exception`) and then the profile's own rules
  (:func:`check_profile_rules`; New York: an immigration-enforcement agency receives
  records only on a court order). Every refusal is recorded in the ledger before it is
  raised as ``ExceptionRefused`` (exit 4).
- :func:`check_scope`: the exception covers a category the planned extract holds
  (``out_of_scope`` otherwise). :func:`redaction.release.make_plan` calls it, so no
  plan carrying an exception escapes it; the caller records the refusal, as it records
  every other refusal raised while planning.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from redaction.errors import ExceptionRefused
from redaction.ledger import Ledger
from redaction.plan import ExceptionScope
from redaction.plan_model import Plan
from redaction.policy import ExceptionRules, Policy


def _words(name: str) -> str:
    return " ".join(name.split()).casefold()


def is_immigration_agency(rules: ExceptionRules, recipient: str) -> bool:
    """The recipient names one of the profile's immigration-enforcement agencies (as a
    whole word anywhere in its name, ignoring case and spacing)."""
    name = _words(recipient)
    return any(
        re.search(rf"(?<!\w){re.escape(_words(a))}(?!\w)", name) for a in rules.immigration_agencies
    )


def check_profile_rules(policy: Policy, exception: ExceptionScope, recipient: str) -> None:
    """The profile's own limits on exceptions, beyond the register's.

    Raises:
        ExceptionRefused: ``basis_not_allowed`` (an immigration-enforcement agency and a
            basis the profile does not allow it).
    """
    rules = policy.exceptions
    basis = str(getattr(exception, "basis", ""))
    if is_immigration_agency(rules, recipient) and basis not in rules.immigration_agency_bases:
        raise ExceptionRefused(
            f"lawful exception {exception.id!r} refused: profile '{policy.profile}' lets an "
            "immigration-enforcement agency receive records only on "
            f"{', '.join(rules.immigration_agency_bases) or 'no basis'}, "
            f"not {basis or 'this basis'}",
            reason="basis_not_allowed",
            hint=rules.note,
        )


def authorize(
    ledger: Ledger,
    policy: Policy,
    *,
    recipient: str,
    dataset: str | None,
    exception_id: str | None,
    exception: ExceptionScope | None = None,
    at: datetime | None = None,
) -> ExceptionScope | None:
    """The release's lawful exception, checked against the register and the profile.

    Args:
        exception: an exception already in hand (checked against the profile only);
            otherwise ``exception_id`` is looked up in the register.

    Returns:
        The exception, or None when the release carries none.

    Raises:
        ExceptionRefused: any refusal, recorded in the ledger first.
    """
    if exception is None and exception_id:
        from redaction.disclosure.lawful import check_exception

        # The register records its own refusals (unknown, expired, revoked...).
        exception = check_exception(
            ledger, exception_id, recipient=recipient, dataset=dataset, at=at or datetime.now(UTC)
        )
    if exception is None:
        return None
    try:
        check_profile_rules(policy, exception, recipient)
    except ExceptionRefused as refused:
        ledger.record_refusal(
            subject="exception_use",
            reason_code=refused.reason,
            exception_id=exception.id,
            recipient=recipient,
            dataset=dataset,
        )
        raise
    return exception


def check_scope(plan: Plan, exception: ExceptionScope) -> None:
    """The exception covers at least one category the planned extract holds.

    Raises:
        ExceptionRefused: ``out_of_scope``.
    """
    present = {d.category for d in plan.decisions if d.category}
    if not exception.categories & present:
        raise ExceptionRefused(
            f"lawful exception {exception.id!r} refused: out of scope (it covers "
            f"{', '.join(sorted(exception.categories))}; this extract holds "
            f"{', '.join(sorted(c for c in present if c)) or 'no protected column'})",
            reason="out_of_scope",
        )


__all__ = ["authorize", "check_profile_rules", "check_scope", "is_immigration_agency"]
