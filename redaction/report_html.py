"""The quarterly report as one self-contained HTML page: inline CSS, inline SVG charts,
no script, no CDN. Every number carries ``data-key="section|key|detail"`` matching its
CSV row, so a test (or an auditor) can check both say the same."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from redaction.report import QuarterReport

Row = tuple[str, str, str, str]

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 2rem auto; max-width: 60rem; color: #1b1b1b; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5rem 0; }
td, th { padding: .25rem .75rem; border-bottom: 1px solid #e4e4e4; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #555; }
.empty { background: #fff4d6; padding: 1rem; border-left: 4px solid #e0a800; }
code { font-size: .85em; word-break: break-all; }
svg text { font: 12px system-ui, sans-serif; }
"""

SUMMARY_LABELS = {
    "releases": "Releases published",
    "rows_released": "Rows released",
    "withheld_columns": "Columns withheld (all releases)",
    "releases_under_exception": "Releases under a lawful exception",
    "requests_received": "Written requests received (by date received)",
    "requests_recorded_late": "... of which recorded after the quarter ended",
    "requests_granted": "Written requests granted",
    "requests_denied": "Written requests denied",
    "refusals": "Refusals recorded",
}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _key(row: Row) -> str:
    return f"{_e(row[0])}|{_e(row[1])}|{_e(row[2])}"


def _table(rows: list[Row], headers: tuple[str, ...], label: Callable[[Row], list[str]]) -> str:
    if not rows:
        return "<p>None.</p>"
    head = "".join(f"<th>{_e(h)}</th>" for h in (*headers, "Count"))
    body = "".join(
        "<tr>"
        + "".join(f"<td>{_e(c)}</td>" for c in label(r))
        + f'<td class="n" data-key="{_key(r)}">{_e(r[3])}</td></tr>'
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def bar_chart(title: str, items: Iterable[tuple[str, int]]) -> str:
    """A horizontal bar chart as inline SVG (no script, no external resource)."""
    data = list(items)
    if not data:
        return ""
    width, label_w, bar_h = 640, 220, 22
    top = max(v for _, v in data) or 1
    height = bar_h * len(data) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{_e(title)}</title>",
    ]
    for i, (name, value) in enumerate(data):
        y = i * bar_h + 5
        w = round((width - label_w - 60) * value / top)
        parts += [
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_e(name[:34])}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{bar_h - 6}" fill="#2b6cb0"/>',
            f'<text x="{label_w + w + 6}" y="{y + 15}">{value}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: QuarterReport) -> str:
    rows = report.rows()
    by: dict[str, list[Row]] = {}
    for r in rows:
        by.setdefault(r[0], []).append(r)
    meta = {r[1]: r[3] for r in by["meta"]}
    q = _e(report.quarter)
    head = _e(report.head)
    when = "at the end of the period" if report.complete else "when this report was made"
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>Immigration-status disclosures, {q}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Immigration-status data: quarterly report, {q}</h1>",
        f'<p class="meta">Period {_e(meta["period_start"])} to {_e(meta["period_end"])} '
        f"(UTC, end exclusive). Generated {_e(meta['generated_at'])} from the ledger alone.</p>",
        f'<p class="meta">Ledger head {when}: '
        f'<code data-key="meta|ledger_head|">{head}</code> '
        f'(entry <span data-key="meta|ledger_head_seq|">{report.head_seq}</span>). '
        f"Check that the ledger still passes through it with "
        f"<code>redact ledger verify --head {head}</code>.</p>",
    ]
    if not report.complete:
        parts.append(
            "<p><strong>The quarter has not ended: these numbers are provisional.</strong></p>"
        )
    if report.empty:
        parts.append(
            f'<p class="empty">Nothing to report: no releases, '
            f"written requests or refusals were recorded in {q}.</p>"
        )
    category = by.get("withheld_by_category", [])
    recipient = by.get("withheld_by_recipient", [])
    parts += [
        "<h2>Summary</h2>",
        _table(by["summary"], ("Measure",), lambda r: [SUMMARY_LABELS.get(r[1], r[1])]),
        "<h2>Columns withheld by category</h2>",
        bar_chart("Columns withheld per category", [(r[1], int(r[3])) for r in category]),
        _table(category, ("Category",), lambda r: [r[1]]),
        "<h2>Columns withheld by recipient</h2>",
        bar_chart("Columns withheld per recipient", [(r[1], int(r[3])) for r in recipient]),
        _table(recipient, ("Recipient",), lambda r: [r[1]]),
        "<h2>Releases by recipient</h2>",
        _table(by.get("releases_by_recipient", []), ("Recipient",), lambda r: [r[1]]),
        "<h2>Lawful exceptions used</h2>",
        _table(
            by.get("exception_used", []),
            ("Exception", "Basis, recipient, categories"),
            lambda r: [r[1], r[2]],
        ),
        "<h2>Written requests by purpose</h2>",
        _table(by.get("requests_by_purpose", []), ("Purpose", "Status"), lambda r: [r[1], r[2]]),
        "<h2>Refusals</h2>",
        _table(by.get("refusals_by_reason", []), ("Reason", "Refused"), lambda r: [r[1], r[2]]),
        "</body></html>\n",
    ]
    return "".join(parts)
