"""How long each report is on screen and on paper, as headless Chromium shows and prints it.

For every report under REPORTS_DIR (``reports/<scenario>/<report>.html``): its height at 1280 px
wide with every collapsed part opened (expanded) and as it opens (appendices collapsed, the
goal being under 8,000 px), whether the first 1280 x 800 screen holds the recommendation
(``.wb-decision .wb-recommendation``; "none" for a report without one), and how many A4 pages it
prints to. One table, side by side, for the issue note.

    python benchmarks/report_pages.py REPORTS_DIR

Needs Chromium (``chromium`` on the PATH: Debian's, launched through Playwright, no browser of
Playwright's own) and the dev dependencies (playwright, pypdf). No request leaves the machine:
every request that is not a local file is blocked.
"""

from __future__ import annotations

import argparse
import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCREEN = {"width": 1280, "height": 800}
COLLAPSED_GOAL_PX = 8_000

RECOMMENDATION = """() => {
  const it = document.querySelector('.wb-decision .wb-recommendation');
  if (!it) return null;
  const box = it.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


@dataclass(frozen=True)
class Pages:
    """One report's lengths."""

    report: str
    expanded_px: int
    collapsed_px: int
    first_screen: bool | None
    """Whether the recommendation is on the first screen (None: the report has none)."""
    pdf_pages: int


def measure(browser: Any, path: Path, name: str) -> Pages:
    """Open ``path`` at 1280 x 800, measure it collapsed then expanded, and print it to A4."""
    from pypdf import PdfReader

    page = browser.new_page(viewport=SCREEN)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    try:
        page.goto(path.as_uri(), wait_until="load")
        collapsed = page.evaluate("document.documentElement.scrollHeight")
        first_screen = page.evaluate(RECOMMENDATION)
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        expanded = page.evaluate("document.documentElement.scrollHeight")
    finally:
        page.close()
    return Pages(name, expanded, collapsed, first_screen, len(PdfReader(io.BytesIO(pdf)).pages))


def reports_in(folder: Path) -> list[Path]:
    """Every report of every scenario (not the index), by scenario then name."""
    return sorted(p for p in folder.glob("*/*.html") if not p.name.startswith("."))


def table(rows: list[Pages]) -> str:
    """The measurements side by side, the goal marked."""
    head = ("report", "expanded px", "collapsed px", "< 8,000", "first screen", "A4 pages")
    cells = [head] + [
        (
            r.report,
            f"{r.expanded_px:,}",
            f"{r.collapsed_px:,}",
            "yes" if r.collapsed_px < COLLAPSED_GOAL_PX else "NO",
            {True: "yes", False: "NO", None: "none"}[r.first_screen],
            str(r.pdf_pages),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(head))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports_dir", type=Path, help="a reports folder (reports/)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script
    from tests.browser import CHROMIUM, launched

    if CHROMIUM is None:
        print("report_pages: Chromium is not installed (apt-get install chromium)")
        return 2
    args.reports_dir = args.reports_dir.resolve()  # pages are opened as file:// URIs
    paths = reports_in(args.reports_dir)
    if not paths:
        print(f"report_pages: no report under {args.reports_dir}")
        return 2
    with launched() as browser:
        rows = [
            measure(browser, p, str(p.relative_to(args.reports_dir).with_suffix(""))) for p in paths
        ]
    print(f"reports in {args.reports_dir}, at {SCREEN['width']} x {SCREEN['height']} px, A4")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
