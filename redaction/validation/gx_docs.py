"""GX Data Docs that render offline.

GX 1.x writes its pages with stylesheets and scripts from public CDNs (Bootstrap,
jQuery, bootstrap-table, Vega, Font Awesome) and a logo from GX's web bucket that
carries the context's id. Agency networks often have no internet, and there the index
page is blank: its tables are filled in by bootstrap-table from a script. After GX has
built the site, :func:`make_offline` rewrites every page so that it loads nothing from
the network: remote ``<script src>`` and ``<link>`` tags are removed, the logo points to
the copy GX itself ships in ``static/images``, a small inline stylesheet stands in for
Bootstrap, and the index page's two tables are written out as plain HTML (rendered with
Jinja2 from the stored results: names, times and pass or fail, never a value). The pages
look plainer than online and lose sorting and filtering; nothing on them is hidden.

The written project's site is built by ``redaction.gx``'s ``OfflineSiteBuilder``
(``redaction.validation.gx_project``), so a GX rebuild (``context.build_data_docs()``)
runs this too; ``python -m redaction.validation.gx_docs SITE_DIR`` does it by hand.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

_REMOTE_SCRIPT = re.compile(r"<script[^>]*\bsrc=[\"']?https?://[^>]*>\s*</script>", re.I)
_REMOTE_LINK = re.compile(r"<link[^>]*\bhref=[\"']?https?://[^>]*>", re.I)
_REMOTE_IMG_SRC = re.compile(r"(<img[^>]*\bsrc=)[\"']https?://[^\"']*[\"']", re.I | re.S)
#: The index page's bootstrap-table placeholders, filled by script online.
_JS_TABLE = re.compile(r"<table[^>]*data-toggle=\"table\"[^>]*>\s*</table>", re.S)
_TABLE_SCRIPT = re.compile(r"<script>(?:(?!</script>).)*?bootstrapTable\(.*?</script>", re.S)
_MARK = "<!-- redaction: offline -->"

_STYLE = """<style>
body { font-family: system-ui, sans-serif; margin: 1rem 2rem; color: #222; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
.ok, .text-success { color: #1a7f37; } .failed, .text-danger { color: #c62828; }
.navbar img { height: 40px; } .cooltip .top, .d-none { display: none; }
</style>"""

_env = Environment(
    loader=PackageLoader("redaction.validation", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
)


@dataclass(frozen=True)
class _Result:
    success: bool
    run_time: str
    run_name: str
    asset: str
    suite: str
    link: str


def _results(site: Path, store: Path) -> list[_Result]:
    out = []
    for page in sorted((site / "validations").rglob("*.html")):
        rel = page.relative_to(site / "validations")
        stored = store / rel.with_suffix(".json")
        try:
            data = json.loads(stored.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a page without its stored result: GX's own index lists it
        meta = data.get("meta") or {}
        run = meta.get("run_id") or {}
        batch = meta.get("active_batch_definition") or {}
        out.append(
            _Result(
                success=bool(data.get("success")),
                run_time=str(run.get("run_time", ""))[:19].replace("T", " "),
                run_name=str(run.get("run_name", "")),
                asset=str(batch.get("data_asset_name", "")),
                suite=str(data.get("suite_name", rel.parts[0])),
                link=f"validations/{rel.as_posix()}",
            )
        )
    return sorted(out, key=lambda r: r.run_time, reverse=True)


def _offline(page: str, images: str) -> str:
    page = _REMOTE_SCRIPT.sub("", page)
    page = _REMOTE_LINK.sub("", page)
    page = _REMOTE_IMG_SRC.sub(lambda m: f'{m.group(1)}"{images}/logo-long.png"', page)
    return page.replace("</head>", f"{_MARK}\n{_STYLE}\n</head>", 1)


def make_offline(site: Path) -> None:
    """Rewrite the Data Docs site at ``site`` (the folder of ``index.html``, under
    ``gx/uncommitted/data_docs/``) so that no page loads anything from the network."""
    store = site.parent.parent / "validations"
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _MARK in text:
            continue
        images = Path(os.path.relpath(site / "static" / "images", page.parent)).as_posix()
        text = _offline(text, images)
        if page == site / "index.html":
            suites = [
                {"name": p.stem, "link": p.relative_to(site).as_posix()}
                for p in sorted((site / "expectations").rglob("*.html"))
            ]
            listing = _env.get_template("gx_offline_index.html.j2").render(
                results=_results(site, store), suites=suites
            )
            text = _static_index(text, listing)
        page.write_text(text, encoding="utf-8")


def _static_index(page: str, listing: str) -> str:
    """The index page with its script-filled tables replaced by ``listing``."""
    page = _TABLE_SCRIPT.sub("", page)
    page = _JS_TABLE.sub(lambda _m: listing, page, count=1)
    return _JS_TABLE.sub("", page)


if __name__ == "__main__":  # python -m redaction.validation.gx_docs SITE_DIR
    make_offline(Path(sys.argv[1]))
