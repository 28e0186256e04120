"""The quarterly report, drawn from the ledger alone.

Colorado's directive asks agencies to keep a record of written requests and report
quarterly. This module counts, for one calendar quarter (UTC): releases published,
rows released, columns withheld by category and by recipient, lawful exceptions used
(basis, recipient, categories), written requests received, granted and denied by
purpose, and refusals. It writes the same numbers twice: ``report-<Q>.csv`` for
machines and ``report-<Q>.html``, one self-contained page (inline CSS and SVG, no CDN).

Which date puts an event in a quarter is the date the directive counts:

- a written request: the day it was *received* (``request add --received``), not the
  day it was entered, so a letter that arrived on 30 June and was recorded on 2 July is
  a second-quarter request. A request recorded after its quarter ended changes that
  quarter's numbers when the report is made again; ``requests_recorded_late`` says how
  many of the quarter's requests were recorded after it ended;
- a decision on a request: the day it was decided (``request decide --at``, default the
  moment it was recorded);
- a release, a refusal: the moment it happened, which is when the ledger recorded it.

The report states the ledger head at the quarter's end; ``redact ledger verify --head
HASH`` checks that the chain still passes through it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from redaction.errors import UsageError
from redaction.ledger import Ledger
from redaction.ledger.chain import format_stamp

_QUARTER = re.compile(r"(\d{4})-?Q([1-4])", re.IGNORECASE)
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        m = _QUARTER.fullmatch(text.strip())
        if not m:
            raise UsageError(
                f"quarter {text!r} is not like 2026Q3", reason="bad_quarter", hint="YYYYQn"
            )
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def containing(cls, moment: datetime) -> Quarter:
        """The quarter (UTC) that ``moment`` falls in."""
        utc = moment.astimezone(UTC)
        return cls(utc.year, (utc.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime:
        return datetime(self.year, 3 * self.number - 2, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        if self.number == 4:
            return datetime(self.year + 1, 1, 1, tzinfo=UTC)
        return datetime(self.year, 3 * self.number + 1, 1, tzinfo=UTC)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass(frozen=True)
class ExceptionUse:
    exception_id: str
    basis: str
    recipient: str
    categories: tuple[str, ...]
    releases: int


@dataclass
class QuarterReport:
    quarter: Quarter
    generated_at: datetime
    head: str
    head_seq: int
    releases: int = 0
    rows_released: int = 0
    withheld_columns: int = 0
    releases_under_exception: int = 0
    withheld_by_category: Counter[str] = field(default_factory=Counter)
    withheld_by_recipient: Counter[str] = field(default_factory=Counter)
    releases_by_recipient: Counter[str] = field(default_factory=Counter)
    exceptions_used: list[ExceptionUse] = field(default_factory=list)
    requests_received: int = 0
    #: Of ``requests_received``, how many were entered after the quarter ended.
    requests_recorded_late: int = 0
    requests_granted: int = 0
    requests_denied: int = 0
    #: (purpose, "received" | "granted" | "denied") -> count
    requests_by_purpose: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: (reason code, subject) -> count
    refusals: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def complete(self) -> bool:
        """The quarter had ended when the report was made."""
        return self.generated_at >= self.quarter.end

    @property
    def empty(self) -> bool:
        return not (
            self.releases
            or self.requests_received
            or self.refusals
            or self.requests_granted
            or self.requests_denied
        )

    def rows(self) -> list[tuple[str, str, str, str]]:
        """``(section, key, detail, value)``: the CSV, and the HTML's numbers."""
        out: list[tuple[str, str, str, str]] = [
            ("meta", "quarter", "", str(self.quarter)),
            ("meta", "period_start", "", format_stamp(self.quarter.start)),
            ("meta", "period_end", "", format_stamp(self.quarter.end)),
            ("meta", "generated_at", "", format_stamp(self.generated_at)),
            ("meta", "complete", "", str(self.complete).lower()),
            ("meta", "empty", "", str(self.empty).lower()),
            ("meta", "ledger_head", "", self.head),
            ("meta", "ledger_head_seq", "", str(self.head_seq)),
        ]
        summary = {
            "releases": self.releases,
            "rows_released": self.rows_released,
            "withheld_columns": self.withheld_columns,
            "releases_under_exception": self.releases_under_exception,
            "requests_received": self.requests_received,
            "requests_recorded_late": self.requests_recorded_late,
            "requests_granted": self.requests_granted,
            "requests_denied": self.requests_denied,
            "refusals": sum(self.refusals.values()),
        }
        out += [("summary", k, "", str(v)) for k, v in summary.items()]
        out += [
            ("withheld_by_category", k, "", str(v)) for k, v in _sorted(self.withheld_by_category)
        ]
        out += [
            ("withheld_by_recipient", k, "", str(v)) for k, v in _sorted(self.withheld_by_recipient)
        ]
        out += [
            ("releases_by_recipient", k, "", str(v)) for k, v in _sorted(self.releases_by_recipient)
        ]
        for use in self.exceptions_used:
            cats = " ".join(use.categories)
            detail = f"basis={use.basis}; recipient={use.recipient}; categories={cats}"
            out.append(("exception_used", use.exception_id, detail, str(use.releases)))
        order = {"received": 0, "granted": 1, "denied": 2}
        by_purpose = sorted(
            self.requests_by_purpose.items(), key=lambda i: (i[0][0], order[i[0][1]])
        )
        for (purpose, what), n in by_purpose:
            out.append(("requests_by_purpose", purpose, what, str(n)))
        for (reason, subject), n in sorted(self.refusals.items()):
            out.append(("refusals_by_reason", reason, subject, str(n)))
        return out


def _sorted(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def build_report(
    ledger: Ledger, quarter: Quarter | str, *, now: datetime | None = None
) -> QuarterReport:
    """Count one quarter from the ledger's hash-checked entries."""
    q = Quarter.parse(quarter) if isinstance(quarter, str) else quarter
    since, until = format_stamp(q.start), format_stamp(q.end)
    head, head_seq = ledger.head_before(until)
    report = QuarterReport(q, now or ledger.now(), head, head_seq)
    entries = ledger.entries(since=since, until=until)

    # Completed releases: one-step records, and finishes of two-phase intents.
    finishes = [
        e for e in entries if e.kind == "release.finish" and e.payload["outcome"] == "published"
    ]
    intents = (
        {e.seq: e.payload for e in ledger.entries(seqs=[f.payload["intent_seq"] for f in finishes])}
        if finishes
        else {}
    )
    published = [e.payload for e in entries if e.kind == "release"]
    published += [intents[f.payload["intent_seq"]] for f in finishes]

    uses: Counter[str] = Counter()
    for rel in published:
        report.releases += 1
        report.rows_released += rel["rows"]
        report.releases_by_recipient[rel["recipient"]] += 1
        for col in rel["columns"]:
            report.withheld_columns += 1
            report.withheld_by_category[col["category"] or UNCLASSIFIED] += 1
            report.withheld_by_recipient[rel["recipient"]] += 1
        if rel["exception_id"]:
            report.releases_under_exception += 1
            uses[rel["exception_id"]] += 1

    if uses:
        grants = {
            e.payload["exception_id"]: e.payload
            for e in ledger.entries(kinds=["exception.granted"], until=until)
        }
        for xid, n in sorted(uses.items()):
            g = grants.get(xid, {})
            report.exceptions_used.append(
                ExceptionUse(
                    xid,
                    g.get("basis", "unknown"),
                    g.get("recipient", "unknown"),
                    tuple(g.get("categories", ())),
                    n,
                )
            )

    first_day, end_day = q.start.date(), q.end.date()
    purposes: dict[str, str] = {}
    for e in ledger.entries(kinds=["request.received"]):
        purposes[e.payload["request_id"]] = e.payload["purpose"]
        if first_day <= date.fromisoformat(e.payload["received_on"]) < end_day:
            report.requests_received += 1
            report.requests_recorded_late += int(e.created_at >= until)
            report.requests_by_purpose[(e.payload["purpose"], "received")] += 1
    last_decision: dict[str, str] = {}
    for e in ledger.entries(kinds=["request.decided"]):
        if since <= e.payload["decided_at"] < until:
            last_decision[e.payload["request_id"]] = e.payload["decision"]
    for e in entries:
        if e.kind == "refusal":
            report.refusals[(e.payload["reason_code"], e.payload["subject"])] += 1
    for rid, decision in last_decision.items():
        what = "granted" if decision == "grant" else "denied"
        if what == "granted":
            report.requests_granted += 1
        else:
            report.requests_denied += 1
        report.requests_by_purpose[(purposes.get(rid, "unknown"), what)] += 1
    return report


# ---------------------------------------------------------------------- writing
def _csv_cell(value: str) -> str:
    # A recipient named "=HYPERLINK(...)" must not become a formula in a spreadsheet.
    return (
        "'" + value
        if value[:1] in ("=", "+", "-", "@") and not value.lstrip("-").isdigit()
        else value
    )


def write_csv(report: QuarterReport, path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["section", "key", "detail", "value"])
        for row in report.rows():
            w.writerow([_csv_cell(c) for c in row])
    return path


def write_report(report: QuarterReport, out_dir: Path) -> tuple[Path, Path]:
    """Write ``report-<Q>.csv`` and ``report-<Q>.html`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = write_csv(report, out_dir / f"report-{report.quarter}.csv")
    html_path = out_dir / f"report-{report.quarter}.html"
    from redaction.report_html import render_html

    html_path.write_text(render_html(report), encoding="utf-8")
    return csv_path, html_path
