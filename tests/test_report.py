"""The quarterly report: a seeded quarter with known counts, and an empty one."""

from __future__ import annotations

import csv
import hashlib
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import publish

from redaction.disclosure import decide_request, grant_exception, receive_request
from redaction.errors import UsageError
from redaction.ledger import Ledger, ReleaseRecord
from redaction.report import Quarter, build_report, write_report


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 6, 20, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _release(
    n: int, recipient: str, columns: tuple[tuple[str, str | None], ...], **kw: object
) -> ReleaseRecord:
    return ReleaseRecord(
        release_id=str(uuid.UUID(int=n)),
        source_name=f"extract_{n}.csv",
        source_sha256=hashlib.sha256(str(n).encode()).hexdigest(),
        dataset=kw.get("dataset", "dmv_drivers"),  # type: ignore[arg-type]
        profile="colorado",
        recipient=recipient,
        exception_id=kw.get("exception_id"),  # type: ignore[arg-type]
        rows=int(kw.get("rows", 100)),  # type: ignore[call-overload]
        output_name=f"extract_{n}.csv",
        columns=tuple((c, cat, "drop", "name") for c, cat in columns),
        started_at=datetime(2026, 7, 1, tzinfo=UTC),
    )


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[Ledger]:
    """Q2: one release (not counted). Q3: the quarter under test. Q4: one more."""
    clock = Clock()
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"letter")
    with Ledger.open(f"sqlite:///{tmp_path / 'l.sqlite3'}", clock=clock) as ledger:
        publish(ledger, _release(1, "Acme Insurance", (("cit", "citizenship_status"),)))
        clock.now = datetime(2026, 7, 2, tzinfo=UTC)
        for rid, purpose in [
            ("R1", "court_proceeding"),
            ("R2", "civil_immigration_enforcement"),
            ("R3", "research"),
        ]:
            receive_request(
                ledger,
                requester="someone",
                agency="Denver District Court",
                received_on=date(2026, 7, 1),
                purpose=purpose,
                categories=["citizenship_status", "country_of_birth"],
                document=letter,
                request_id=rid,
            )
        decide_request(ledger, "R1", decision="grant", reason="order", decided_by="CDO")
        decide_request(ledger, "R2", decision="deny", reason="EO", decided_by="CDO")
        grant_exception(
            ledger,
            request_id="R1",
            recipient="Denver District Court",
            basis="court_order",
            categories=["citizenship_status"],
            valid_from=date(2026, 7, 1),
            valid_to=date(2026, 9, 30),
            authorized_by="CDO",
            exception_id="EXC-1",
        )
        clock.now = datetime(2026, 8, 10, tzinfo=UTC)
        # a one-step release, as ledgers written before two-phase releases hold them:
        # 3 withheld columns
        ledger.append(
            "release",
            _release(
                2,
                "Acme Insurance",
                (("cit", "citizenship_status"), ("cob", "country_of_birth"), ("odd", None)),
                rows=250,
            ).to_payload(),
        )
        # two-phase release under the exception: 1 withheld column
        intent = ledger.begin_release(
            _release(
                3,
                "Denver District Court",
                (("cob", "country_of_birth"),),
                rows=40,
                exception_id="EXC-1",
            )
        )
        ledger.finish_release(intent.seq, "published", "a" * 64)
        # a quarantined release counts for nothing
        failed = ledger.begin_release(
            _release(4, "Acme Insurance", (("cit", "citizenship_status"),))
        )
        ledger.finish_release(failed.seq, "quarantined")
        ledger.record_refusal(
            subject="exception_use",
            reason_code="expired",
            exception_id="EXC-0",
            recipient="Acme Insurance",
        )
        clock.now = datetime(2026, 9, 30, 23, 59, tzinfo=UTC)
        ledger.record_validation(
            release_id=str(uuid.UUID(int=3)),
            source_name="x",
            passed=True,
            expectations=3,
            failures=0,
        )
        clock.now = datetime(2026, 10, 1, tzinfo=UTC)
        publish(ledger, _release(5, "Acme Insurance", (("cit", "citizenship_status"),)))
        clock.now = datetime(2026, 10, 5, tzinfo=UTC)
        yield ledger


EXPECTED = {
    ("summary", "releases", ""): "2",
    ("summary", "rows_released", ""): "290",
    ("summary", "withheld_columns", ""): "4",
    ("summary", "releases_under_exception", ""): "1",
    ("summary", "requests_received", ""): "3",
    ("summary", "requests_recorded_late", ""): "0",
    ("summary", "requests_granted", ""): "1",
    ("summary", "requests_denied", ""): "1",
    ("summary", "refusals", ""): "1",
    ("withheld_by_category", "country_of_birth", ""): "2",
    ("withheld_by_category", "citizenship_status", ""): "1",
    ("withheld_by_category", "unclassified", ""): "1",
    ("withheld_by_recipient", "Acme Insurance", ""): "3",
    ("withheld_by_recipient", "Denver District Court", ""): "1",
    ("releases_by_recipient", "Acme Insurance", ""): "1",
    ("releases_by_recipient", "Denver District Court", ""): "1",
    (
        "exception_used",
        "EXC-1",
        "basis=court_order; recipient=Denver District Court; categories=citizenship_status",
    ): "1",
    ("requests_by_purpose", "court_proceeding", "received"): "1",
    ("requests_by_purpose", "court_proceeding", "granted"): "1",
    ("requests_by_purpose", "civil_immigration_enforcement", "received"): "1",
    ("requests_by_purpose", "civil_immigration_enforcement", "denied"): "1",
    ("requests_by_purpose", "research", "received"): "1",
    ("refusals_by_reason", "expired", "exception_use"): "1",
}


class _Numbers(HTMLParser):
    """Collects the text of every element carrying ``data-key``."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[tuple[str, ...], str] = {}
        self._key: tuple[str, ...] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        key = dict(attrs).get("data-key")
        if key is not None:
            self._key = tuple(key.split("|"))

    def handle_data(self, data: str) -> None:
        if self._key is not None:
            self.found[self._key] = data
            self._key = None


def _read(
    out: Path, quarter: str
) -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str], str]:
    with (out / f"report-{quarter}.csv").open(newline="") as fh:
        rows = {tuple(r[:3]): r[3] for r in csv.reader(fh)}
    page = (out / f"report-{quarter}.html").read_text()
    parser = _Numbers()
    parser.feed(page)
    return rows, parser.found, page


def test_seeded_quarter_csv_has_the_expected_numbers(seeded: Ledger, tmp_path: Path) -> None:
    report = build_report(seeded, "2026Q3")
    write_report(report, tmp_path / "out")
    rows, _, _ = _read(tmp_path / "out", "2026Q3")
    counted = {k: v for k, v in rows.items() if k[0] not in ("meta", "section")}
    assert counted == EXPECTED
    assert rows[("meta", "empty", "")] == "false"
    assert rows[("meta", "complete", "")] == "true"


def test_html_holds_the_same_numbers_and_is_self_contained(seeded: Ledger, tmp_path: Path) -> None:
    write_report(build_report(seeded, "2026Q3"), tmp_path / "out")
    rows, html_numbers, page = _read(tmp_path / "out", "2026Q3")
    for key, value in rows.items():
        if key[0] not in ("meta", "section"):
            assert html_numbers[key] == value, key
    assert html_numbers[("meta", "ledger_head", "")] == rows[("meta", "ledger_head", "")]
    assert "<svg" in page and "Columns withheld per category" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    assert "<script" not in page and "<link" not in page


def test_head_is_the_last_entry_of_the_quarter_and_verifies(seeded: Ledger) -> None:
    report = build_report(seeded, "2026Q3")
    last_q3 = seeded.entries(until="2026-10-01T00:00:00.000000Z")[-1]
    assert (report.head, report.head_seq) == (last_q3.hash, last_q3.seq)
    assert report.head != seeded.head()  # Q4 entries came after it
    assert seeded.verify(head=report.head).ok


def test_empty_quarter_says_so(seeded: Ledger, tmp_path: Path) -> None:
    report = build_report(seeded, "2026Q1")
    assert report.empty and report.head_seq == 0
    write_report(report, tmp_path / "out")
    rows, _, page = _read(tmp_path / "out", "2026Q1")
    assert rows[("meta", "empty", "")] == "true"
    assert rows[("summary", "releases", "")] == "0"
    assert "Nothing to report" in page


def test_quarter_parsing() -> None:
    assert Quarter.parse("2026q4").end == datetime(2027, 1, 1, tzinfo=UTC)
    assert str(Quarter.parse("2026-Q1")) == "2026Q1"
    with pytest.raises(UsageError):
        Quarter.parse("2026Q5")


def test_csv_neutralises_formula_recipients(tmp_path: Path) -> None:
    with Ledger.open(f"sqlite:///{tmp_path / 'l.sqlite3'}") as ledger:
        publish(ledger, _release(9, "=HYPERLINK(1)", (("cit", "citizenship_status"),)))
        now = ledger.now()
        quarter = f"{now.year}Q{(now.month - 1) // 3 + 1}"
        write_report(build_report(ledger, quarter), tmp_path / "out")
    text = (tmp_path / "out" / f"report-{quarter}.csv").read_text()
    assert "'=HYPERLINK(1)" in text


def test_requests_count_in_the_quarter_they_were_received(seeded: Ledger, tmp_path: Path) -> None:
    # Dated 30 June, entered on 5 October and decided on 6 October: a Q2 request with
    # a Q4 decision, counted in neither Q3 nor by the day it was typed in.
    letter = tmp_path / "late.pdf"
    letter.write_bytes(b"late letter")
    receive_request(
        seeded,
        requester="someone",
        agency="Denver District Court",
        received_on=date(2026, 6, 30),
        purpose="research",
        categories=["itin"],
        document=letter,
        request_id="R-LATE",
    )
    decide_request(
        seeded,
        "R-LATE",
        decision="deny",
        reason="EO",
        decided_by="CDO",
        at=datetime(2026, 10, 6, tzinfo=UTC),
    )
    q2, q3, q4 = (build_report(seeded, q) for q in ("2026Q2", "2026Q3", "2026Q4"))
    assert (q2.requests_received, q2.requests_recorded_late, q2.requests_denied) == (1, 1, 0)
    assert q2.requests_by_purpose[("research", "received")] == 1
    assert (q3.requests_received, q3.requests_denied) == (3, 1)  # as before
    assert (q4.requests_received, q4.requests_denied) == (0, 1)


def test_html_escapes_names_from_the_ledger(tmp_path: Path) -> None:
    with Ledger.open(f"sqlite:///{tmp_path / 'l.sqlite3'}") as ledger:
        name = '<script>alert("x")</script> & Co'
        publish(ledger, _release(9, name, (("cit", "citizenship_status"),)))
        report = build_report(ledger, Quarter.containing(ledger.now()))
    _, html_path = write_report(report, tmp_path / "out")
    page = html_path.read_text()
    assert "<script" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in page
