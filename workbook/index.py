"""The reports index: ``reports/index.html`` and the manifest ``reports/index.json`` behind it.

The manifest has one entry per scenario x notebook. A run updates the entries it produced and
keeps the others, so re-running one scenario does not hide the reports of the rest. Runs
sharing a reports folder update the index one at a time, under an exclusive lock on
``.index.lock`` (a read-modify-write without it lost the entries of whichever run wrote first).
Both files are written atomically.

The page is a matrix (issue 12): one row per scenario, one column per report notebook (the
services in :data:`models.registry.SERVICES` order, then the other notebooks alphabetically).
A scenario's portfolio summary is not a column but the first link of its row, beside its
spreadsheet (``workbook.xlsx``) and its tidy tables (``csv/``) when those exist. Each cell
says what the report recommends, how sure it is and how far it is from business as usual,
whether the latest run succeeded (and why not), when it ran, and links to the report (or to
the earlier one when the latest run failed).

The page is self-contained (inline CSS, no scripts, no external requests), escapes every piece
of scenario, notebook and error text, and is built to WCAG 2.1 AA: language set, one ``h1``, a
``main`` landmark, a table with a caption and scoped headers, link text that names its target,
status in words as well as colour, text contrast of at least 4.5:1, and a print stylesheet.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from workbook.atomic import atomic_write_text, file_lock
from workbook.display import CSV_FOLDER, WORKBOOK_FILE

MANIFEST_NAME = "index.json"
INDEX_NAME = "index.html"
LOCK_NAME = ".index.lock"
MANIFEST_VERSION = 1

STATUS_OK = "ok"
STATUS_FAILED = "failed"


RECOMMENDATION_KEYS = ("Recommendation", "Cheapest option")
"""Headline keys naming the option a report recommends, in order of preference."""
HOW_SURE_KEY = "How sure"
DIFFERENCE_KEY = "Difference from business as usual"
SUPPORT_KEYS = (HOW_SURE_KEY, DIFFERENCE_KEY)
"""Headline keys shown beside a recommendation when a report publishes them."""


@dataclass(frozen=True)
class ReportEntry:
    """What the index says about one report (one notebook run on one scenario)."""

    scenario_slug: str
    scenario_name: str
    notebook: str
    status: str
    reason: str
    duration_s: float
    run_date: str
    headline: dict[str, str] = field(default_factory=dict)
    quick: bool = False
    title: str = ""
    """The report's title (the notebook's first heading); the matrix's column heading."""
    portfolio: bool = False
    """A scenario's portfolio summary: the first link of its row, not a column."""

    @property
    def key(self) -> str:
        return f"{self.scenario_slug}/{self.notebook}"

    @property
    def html_path(self) -> str:
        """Location of the HTML report relative to the reports directory."""
        return f"{self.scenario_slug}/{self.notebook}.html"

    @property
    def short_title(self) -> str:
        """The title up to its first colon (``Fleet provision and maintenance``), else a name
        made from the notebook's file name."""
        short = self.title.split(":", 1)[0].strip()
        return short or self.notebook.replace("_", " ").replace("-", " ").capitalize()


_ENTRY_FIELDS = frozenset(f.name for f in dataclasses.fields(ReportEntry))


def load_manifest(reports_dir: Path) -> dict[str, ReportEntry]:
    """Entries recorded by earlier runs, by key; empty when there is no readable manifest.

    Fields this version does not know (from a newer one) are ignored; fields added since a
    manifest was written take their defaults.
    """
    path = reports_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = [_entry_from(item) for item in raw["reports"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        print(f"workbook: ignoring unreadable {path}: {error}", file=sys.stderr)
        return {}
    return {entry.key: entry for entry in entries}


def _entry_from(item: dict[str, Any]) -> ReportEntry:
    return ReportEntry(**{name: value for name, value in item.items() if name in _ENTRY_FIELDS})


def update_index(
    reports_dir: Path, new_entries: list[ReportEntry], *, tag: str = ""
) -> dict[str, ReportEntry]:
    """Merge ``new_entries`` into the manifest and rewrite the manifest and the index page.

    Read, merge and write happen under the index lock, so concurrent runs keep every entry.
    ``tag`` (the run id) names the temporary files of the writes.
    """
    reports_dir.mkdir(parents=True, exist_ok=True)
    with file_lock(reports_dir / LOCK_NAME):
        entries = load_manifest(reports_dir)
        entries.update({entry.key: entry for entry in new_entries})
        write_index(reports_dir, entries, tag=tag)
    return entries


def write_index(reports_dir: Path, entries: dict[str, ReportEntry], *, tag: str = "") -> None:
    """Write ``index.json`` and ``index.html`` for ``entries`` (atomically, manifest first)."""
    ordered = sorted(entries.values(), key=lambda e: (e.scenario_name.lower(), e.notebook))
    manifest = {"version": MANIFEST_VERSION, "reports": [asdict(entry) for entry in ordered]}
    atomic_write_text(reports_dir / MANIFEST_NAME, json.dumps(manifest, indent=2) + "\n", tag=tag)
    atomic_write_text(reports_dir / INDEX_NAME, render_index(ordered, reports_dir), tag=tag)


# ---- the matrix ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioRow:
    """One row of the matrix: a scenario, its portfolio summaries and its reports by notebook."""

    slug: str
    name: str
    portfolio: tuple[ReportEntry, ...]
    reports: dict[str, ReportEntry]


def matrix_columns(entries: Iterable[ReportEntry], services: Sequence[str]) -> list[str]:
    """The notebooks that are columns: ``services`` that have entries, in that order, then the
    other notebooks alphabetically; portfolio summaries are not columns."""
    notebooks = {entry.notebook for entry in entries if not entry.portfolio}
    others = sorted(notebooks.difference(services))
    return [name for name in services if name in notebooks] + others


def scenario_rows(entries: Iterable[ReportEntry]) -> list[ScenarioRow]:
    """One row per scenario (by slug), ordered by name; the latest run names the scenario."""
    by_slug: dict[str, list[ReportEntry]] = {}
    for entry in entries:
        by_slug.setdefault(entry.scenario_slug, []).append(entry)
    rows = []
    for slug, group in by_slug.items():
        latest = max(group, key=lambda e: e.run_date)
        portfolio = tuple(sorted((e for e in group if e.portfolio), key=lambda e: e.notebook))
        reports = {e.notebook: e for e in group if not e.portfolio}
        rows.append(ScenarioRow(slug, latest.scenario_name, portfolio, reports))
    return sorted(rows, key=lambda row: (row.name.lower(), row.slug))


def render_index(
    entries: list[ReportEntry], reports_dir: Path, services: Sequence[str] | None = None
) -> str:
    """The index page for ``entries``; links only to files that exist under ``reports_dir``.
    ``services`` orders the first columns (default: the registry's services)."""
    services = _service_names() if services is None else services
    columns = matrix_columns(entries, services)
    titles = _column_titles(entries)
    rows = [_render_row(row, columns, titles, reports_dir) for row in scenario_rows(entries)]
    if not rows:
        rows = [
            f'<tr><td colspan="{len(columns) + 1}">No reports yet: run '
            "<code>workbook run</code>.</td></tr>"
        ]
    heads = "".join(f'<th scope="col">{escape(titles[name])}</th>' for name in columns)
    generated = datetime.now().astimezone().strftime("%d %B %Y, %H:%M %Z").strip()
    return _PAGE.format(css=_CSS, heads=heads, rows="\n".join(rows), generated=escape(generated))


def _service_names() -> tuple[str, ...]:
    """The services in report order (imported here: the registry pulls in the models)."""
    from models.registry import SERVICES

    return SERVICES.names


def _column_titles(entries: Iterable[ReportEntry]) -> dict[str, str]:
    """Each notebook's column heading: the short title of its latest run that has one."""
    titles: dict[str, tuple[bool, str, str]] = {}
    for entry in entries:
        candidate = (bool(entry.title), entry.run_date, entry.short_title)
        if entry.notebook not in titles or candidate > titles[entry.notebook]:
            titles[entry.notebook] = candidate
    return {notebook: title for notebook, (_, _, title) in titles.items()}


def _render_row(
    row: ScenarioRow, columns: Sequence[str], titles: dict[str, str], reports_dir: Path
) -> str:
    cells = "".join(
        _render_cell(row.reports.get(name), f"{titles[name]}, {row.name}", reports_dir)
        for name in columns
    )
    return f"<tr>{_render_row_header(row, reports_dir)}{cells}</tr>"


def _render_row_header(row: ScenarioRow, reports_dir: Path) -> str:
    """The scenario's name, then its portfolio summary (with how sure it is and its
    difference from business as usual), spreadsheet and CSV tables; a link only to what
    exists, the summary's failure said in words."""
    items = [_portfolio_item(entry, row, reports_dir) for entry in row.portfolio]
    folder = reports_dir / row.slug
    if (folder / WORKBOOK_FILE).is_file():
        items.append(_link(f"{row.slug}/{WORKBOOK_FILE}", "Spreadsheet (.xlsx)", row.name))
    csv_dir = folder / CSV_FOLDER
    if csv_dir.is_dir() and any(csv_dir.glob("*.csv")):
        items.append(_link(f"{row.slug}/{CSV_FOLDER}/", "Tables as CSV", row.name))
    links = "".join(f"<li>{item}</li>" for item in items)
    listed = f'<ul class="scenario-links">{links}</ul>' if links else ""
    return f'<th scope="row"><span class="scenario">{escape(row.name)}</span>{listed}</th>'


def _portfolio_item(entry: ReportEntry, row: ScenarioRow, reports_dir: Path) -> str:
    label = "Portfolio summary" if len(row.portfolio) == 1 else entry.short_title
    exists = (reports_dir / entry.html_path).is_file()
    quick = ' <span class="quick">quick run</span>' if entry.quick else ""
    if entry.status == STATUS_OK:
        shown = _link(entry.html_path, label, row.name) if exists else escape(label)
        return shown + quick + _supporting(entry)
    earlier = (
        " " + _link(entry.html_path, "earlier summary", f"{label}, {row.name}") if exists else ""
    )
    return (
        f'{escape(label)}: <span class="failed">failed</span>{quick}'
        f'<span class="reason">Reason: {escape(entry.reason)}</span>{earlier}'
    )


def _render_cell(entry: ReportEntry | None, context: str, reports_dir: Path) -> str:
    """One report's cell: what it recommends, how sure, status, when, and its link."""
    if entry is None:
        return '<td class="not-run">not run</td>'
    parts = [_findings(entry)] if entry.status == STATUS_OK else []
    parts.append(_status(entry))
    parts.append(
        f'<p class="when">Run {escape(_short_date(entry.run_date))}, '
        f"took {escape(duration_text(entry.duration_s))}</p>"
    )
    exists = (reports_dir / entry.html_path).is_file()
    if entry.status == STATUS_OK:
        link = _link(entry.html_path, "open report", context) if exists else "report missing"
    else:
        link = _link(entry.html_path, "earlier report", context) if exists else "no report"
    parts.append(f'<p class="link">{link}</p>')
    kind = "cell-ok" if entry.status == STATUS_OK else "cell-failed"
    return f'<td class="{kind}">{"".join(parts)}</td>'


def _findings(entry: ReportEntry) -> str:
    """The recommendation, how sure it is and its difference from business as usual; a report
    without one (verification) shows every headline figure it published."""
    for key in RECOMMENDATION_KEYS:
        if key in entry.headline:
            text = (
                f'<p class="recommendation">{escape(key)}: '
                f"<strong>{escape(str(entry.headline[key]))}</strong></p>"
            )
            return text + _supporting(entry)
    figures = "".join(
        f"<li>{escape(str(name))}: {escape(str(value))}</li>"
        for name, value in entry.headline.items()
    )
    return f'<ul class="headline">{figures}</ul>' if figures else ""


def _supporting(entry: ReportEntry) -> str:
    """How sure the recommendation is and its difference from business as usual, when
    published."""
    return "".join(
        f'<p class="support">{escape(key)}: {escape(str(entry.headline[key]))}</p>'
        for key in SUPPORT_KEYS
        if key in entry.headline
    )


def _status(entry: ReportEntry) -> str:
    quick = ' <span class="quick">quick run</span>' if entry.quick else ""
    if entry.status == STATUS_OK:
        return f'<p class="status">Status: <span class="ok">ok</span>{quick}</p>'
    return (
        f'<p class="status">Status: <span class="failed">failed</span>{quick}</p>'
        f'<p class="reason">Reason: {escape(entry.reason)}</p>'
    )


def _link(path: str, text: str, context: str) -> str:
    """A link whose visible ``text`` starts its accessible name; ``context`` (read out, not
    shown) says which report it opens, so two links never share a name."""
    href = escape(quote(path), quote=True)
    hidden = f'<span class="visually-hidden"> ({escape(context)})</span>'
    return f'<a href="{href}">{escape(text)}{hidden}</a>'


def duration_text(seconds: float) -> str:
    """``"1.5 s"``, ``"2 min 5 s"``, ``"1 h 3 min"``: how long a run took."""
    if seconds < 60:
        return f"{max(0.0, seconds):.1f} s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if secs else f"{minutes} min"


def _short_date(iso: str) -> str:
    """``2013-03-08 14:05`` from an ISO timestamp (or the text as given if not ISO)."""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


# Colours: text #1a1a1a on white (17:1), muted #4d4d4d (8.5:1), links #1a4f8b (8.6:1), ok
# #1b6e20 (6.4:1), failed #a4000f on the failed cell's #fdf2f2 (7.6:1), quick #6b3600 on
# #fff3e0 (9:1): all above WCAG 2.1's 4.5:1 for text, and every status is also in words.
_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1a1a1a; background: #fff; margin: 0 auto; max-width: 90rem; padding: 1.5rem;
       line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.25rem; }
p.generated { color: #4d4d4d; margin-top: 0; }
a { color: #1a4f8b; }
a:visited { color: #5a2d82; }
a:focus-visible { outline: 3px solid #1a4f8b; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.5rem; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem 0.6rem;
         border: 1px solid #c4c4c4; }
thead th { background: #f2f2f2; }
tbody th { background: #f7f7f7; min-width: 10rem; }
td p, th p { margin: 0 0 0.3rem 0; }
th p.support { font-weight: 400; font-size: 0.9em; }
.scenario { display: block; font-size: 1.05rem; }
ul.scenario-links { margin: 0.4rem 0 0 0; padding-left: 1rem; font-weight: 400; }
ul.headline { margin: 0 0 0.3rem 0; padding-left: 1rem; }
td.cell-failed { background: #fdf2f2; }
td.not-run { color: #4d4d4d; font-style: italic; }
.ok { color: #1b6e20; font-weight: 600; }
.failed { color: #a4000f; font-weight: 700; }
.reason { display: block; font-family: ui-monospace, Menlo, Consolas, monospace;
          font-size: 0.85em; font-weight: 400; overflow-wrap: anywhere; }
.when { color: #4d4d4d; font-size: 0.9em; }
.quick { background: #fff3e0; color: #6b3600; border: 1px solid #b35900; padding: 0 0.3em;
         font-size: 0.8em; font-weight: 400; white-space: nowrap; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
                   overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%);
                   white-space: nowrap; border: 0; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9pt; }
  a, a:visited { color: inherit; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  td.cell-failed, thead th, tbody th { background: none; }
}
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Service-delivery options workbook: reports</title>
<style>{css}</style>
</head>
<body>
<main>
<h1>Service-delivery options workbook: reports</h1>
<p class="generated">Index updated {generated}.</p>
<p>One row per scenario, one column per report. A scenario's portfolio summary, spreadsheet
and tables come first in its row; each cell gives the option the report recommends, how sure
it is and how far it is from business as usual, whether the latest run succeeded (and why
not), and a link to the report.</p>
<table>
<caption>Reports by scenario and service</caption>
<thead><tr><th scope="col">Scenario</th>{heads}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
</main>
</body>
</html>
"""
