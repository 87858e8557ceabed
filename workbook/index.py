"""The reports index: ``reports/index.html`` and the manifest ``reports/index.json`` behind it.

One row per scenario x notebook. A run updates the rows it produced and keeps the others,
so re-running one scenario does not hide the reports of the rest. Runs sharing a reports
folder update the index one at a time, under an exclusive lock on ``.index.lock`` (a
read-modify-write without it lost the rows of whichever run wrote first). Both files are written
atomically; the page is self-contained (inline CSS, no scripts, no external requests) and
every piece of scenario or error text is escaped.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path
from urllib.parse import quote

from workbook.atomic import atomic_write_text, file_lock

MANIFEST_NAME = "index.json"
INDEX_NAME = "index.html"
LOCK_NAME = ".index.lock"
MANIFEST_VERSION = 1

STATUS_OK = "ok"
STATUS_FAILED = "failed"


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

    @property
    def key(self) -> str:
        return f"{self.scenario_slug}/{self.notebook}"

    @property
    def html_path(self) -> str:
        """Location of the HTML report relative to the reports directory."""
        return f"{self.scenario_slug}/{self.notebook}.html"


def load_manifest(reports_dir: Path) -> dict[str, ReportEntry]:
    """Entries recorded by earlier runs, by key; empty when there is no readable manifest."""
    path = reports_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = [ReportEntry(**item) for item in raw["reports"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"workbook: ignoring unreadable {path}: {error}", file=sys.stderr)
        return {}
    return {entry.key: entry for entry in entries}


def update_index(
    reports_dir: Path, new_entries: list[ReportEntry], *, tag: str = ""
) -> dict[str, ReportEntry]:
    """Merge ``new_entries`` into the manifest and rewrite the manifest and the index page.

    Read, merge and write happen under the index lock, so concurrent runs keep every row.
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


def render_index(entries: list[ReportEntry], reports_dir: Path) -> str:
    """The index page for ``entries`` (in the given order)."""
    rows = "\n".join(_render_row(entry, reports_dir) for entry in entries)
    if not rows:
        rows = '<tr><td colspan="7">No reports yet: run <code>workbook run</code>.</td></tr>'
    generated = datetime.now().astimezone().strftime("%d %B %Y, %H:%M %Z").strip()
    return _PAGE.format(css=_CSS, rows=rows, generated=escape(generated))


def _render_row(entry: ReportEntry, reports_dir: Path) -> str:
    """One table row; links only to a report that exists."""
    has_html = (reports_dir / entry.html_path).exists()
    href = escape(quote(entry.html_path), quote=True)
    if entry.status == STATUS_OK:
        status = '<span class="ok">ok</span>'
        link = f'<a href="{href}">open report</a>' if has_html else "missing"
    else:
        reason = escape(entry.reason)
        status = f'<span class="failed">failed</span><br><span class="reason">{reason}</span>'
        link = f'<a href="{href}">earlier report</a>' if has_html else "none"
    if entry.quick:
        status += ' <span class="quick">quick run</span>'
    figures = "".join(
        f"<li><span class='figure-name'>{escape(name)}</span>: "
        f"<span class='figure'>{escape(value)}</span></li>"
        for name, value in entry.headline.items()
    )
    return (
        "<tr>"
        f"<td>{escape(entry.scenario_name)}</td>"
        f"<td>{escape(entry.notebook)}</td>"
        f"<td>{status}</td>"
        f'<td class="num">{entry.duration_s:.1f} s</td>'
        f"<td>{escape(_short_date(entry.run_date))}</td>"
        f"<td><ul class='headline'>{figures}</ul></td>"
        f"<td>{link}</td>"
        "</tr>"
    )


def _short_date(iso: str) -> str:
    """``2013-03-08 14:05`` from an ISO timestamp (or the text as given if not ISO)."""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1a1a1a; margin: 0 auto; max-width: 72rem; padding: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.25rem; }
p.generated { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem;
         border-bottom: 1px solid #d0d0d0; }
th { background: #f2f2f2; }
td.num { text-align: right; white-space: nowrap; }
ul.headline { margin: 0; padding-left: 1rem; }
.ok { color: #1b6e20; font-weight: 600; }
.failed { color: #a4000f; font-weight: 700; }
.reason { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85em; }
.quick { background: #fff3e0; border: 1px solid #b35900; padding: 0 0.3em; font-size: 0.8em; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  tr { break-inside: avoid; }
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
<h1>Service-delivery options workbook: reports</h1>
<p class="generated">Index updated {generated}.</p>
<table>
<thead><tr><th>Scenario</th><th>Report</th><th>Status</th><th>Duration</th><th>Run</th>
<th>Headline figures</th><th>Link</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</body>
</html>
"""
