"""The quarterly report as one self-contained HTML page (``templates/report.html.j2``,
Jinja2 with autoescaping): inline CSS, inline SVG charts, no script, no CDN. Every number
carries ``data-key="section|key|detail"`` matching its CSV row, so a test (or an
auditor) can check both say the same."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

if TYPE_CHECKING:  # the report imports this module to render itself
    from redaction.report import QuarterReport

Row = tuple[str, str, str, str]

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

_env = Environment(
    loader=PackageLoader("redaction", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    undefined=StrictUndefined,
)


def bar_chart(title: str, items: Iterable[tuple[str, int]]) -> dict[str, Any]:
    """The geometry of a horizontal bar chart (drawn as inline SVG by the template)."""
    data = list(items)
    width, label_w, bar_h = 640, 220, 22
    top = max((v for _, v in data), default=1) or 1
    bars = [
        {
            "name": name[:34],
            "value": value,
            "y": i * bar_h + 5,
            "w": round((width - label_w - 60) * value / top),
        }
        for i, (name, value) in enumerate(data)
    ]
    return {
        "title": title,
        "bars": bars,
        "width": width,
        "height": bar_h * len(data) + 10,
        "label_w": label_w,
        "bar_h": bar_h,
    }


def render_html(report: QuarterReport) -> str:
    sections: defaultdict[str, list[Row]] = defaultdict(list)
    for r in report.rows():
        sections[r[0]].append(r)
    category = sections["withheld_by_category"]
    recipient = sections["withheld_by_recipient"]
    return _env.get_template("report.html.j2").render(
        quarter=str(report.quarter),
        head=report.head,
        head_seq=report.head_seq,
        complete=report.complete,
        empty=report.empty,
        meta={r[1]: r[3] for r in sections["meta"]},
        sections=sections,
        charts={
            "category": bar_chart(
                "Columns withheld per category", [(r[1], int(r[3])) for r in category]
            ),
            "recipient": bar_chart(
                "Columns withheld per recipient", [(r[1], int(r[3])) for r in recipient]
            ),
        },
        summary_label=lambda r: [SUMMARY_LABELS.get(r[1], r[1])],
        key_only=lambda r: [r[1]],
        key_and_detail=lambda r: [r[1], r[2]],
    )
