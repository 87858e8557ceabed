"""Every option report (and the portfolio summary) prints to A4, complete, with no blank page.

Chromium (Debian's, through Playwright) prints each report of one quick run of every notebook on
every scenario (the ``quick_reports`` fixture) to PDF as the page opens: appendices and chart
tables collapsed, as a reader would leave them. pypdf then reads the PDF back: every page is A4
(ISO 216: 595.28 x 841.89 pt, within 1 pt), every appendix's heading and the last line of its
content are in the text, so is the last row of every chart's table of numbers (collapsed on
screen), and no page is blank (each has text or an image). Nothing may be wider than the paper.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import launched, needs_chromium, report_pages

pytestmark = needs_chromium

A4_POINTS = (595.28, 841.89)
NOT_PRINTED = frozenset({"verification"})
"""Reports this test leaves out: the verification of the kit is not a decision document."""

EXPECTED_TEXT = """() => {
  const lastLine = (element) => {
    const lines = element.innerText.split('\\n').map(l => l.trim()).filter(Boolean);
    return lines.length ? lines[lines.length - 1] : '';
  };
  const closed = [...document.querySelectorAll('details:not([open])')];
  closed.forEach(d => d.open = true);
  const found = {
    appendices: [...document.querySelectorAll('details.wb-appendix')].map(a => ({
      heading: a.querySelector('summary').innerText.trim(),
      last: lastLine(a.querySelector('.wb-appendix-body') || a),
    })),
    tables: [...document.querySelectorAll('details.wb-chart-data table tbody tr:last-child')]
      .map(row => row.innerText.trim()),
  };
  closed.forEach(d => d.open = false);
  return found;
}"""
"""What the printed report must hold: read with every <details> opened, then closed again."""

OVERFLOW = """() => Math.max(0, ...[...document.querySelectorAll('main *')]
  .filter(e => e.getClientRects().length)
  .map(e => e.getBoundingClientRect().right - document.documentElement.clientWidth))"""
"""How far (px) the widest element sticks out of the page, laid out for print."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    with launched() as chromium:
        yield chromium


def _printed(reports: Path) -> list[Path]:
    return report_pages(reports, left_out=NOT_PRINTED)


def _squeezed(text: str) -> str:
    """Text as the PDF gives it back: ligatures undone (NFKC), every space and break gone."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _print(browser: Any, path: Path, script: bool = True) -> tuple[bytes, dict[str, Any], int]:
    """The PDF of ``path``, what it must hold, and how far (px) anything sticks out of the
    printed page's content box (``script``: with the page's JavaScript running)."""
    page = browser.new_page(java_script_enabled=script)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    try:
        page.goto(path.as_uri(), wait_until="load")
        expected = page.evaluate(EXPECTED_TEXT)
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 680, "height": 960})  # A4 less 15 mm margins, at 96 dpi
        overflow = page.evaluate(OVERFLOW)
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        page.close()
    return pdf, expected, overflow


@pytest.mark.slow  # about 20 s a report: Chromium prints it, pypdf reads its text back
def test_reports_print_on_a4_complete_with_no_blank_page(quick_reports: Path, browser) -> None:
    from pypdf import PdfReader

    problems, counts = [], {}
    for path in _printed(quick_reports):
        where = str(path.relative_to(quick_reports))
        pdf, expected, overflow = _print(browser, path)
        pages = PdfReader(io.BytesIO(pdf)).pages
        counts[where] = len(pages)
        texts = [page.extract_text() or "" for page in pages]
        for number, (page, text) in enumerate(zip(pages, texts, strict=True), 1):
            width, height = float(page.mediabox.width), float(page.mediabox.height)
            if abs(width - A4_POINTS[0]) > 1 or abs(height - A4_POINTS[1]) > 1:
                problems.append(f"{where} page {number}: {width:.2f} x {height:.2f} pt, not A4")
            if not text.strip() and not page.images:
                problems.append(f"{where} page {number}: blank")
        printed = _squeezed("".join(texts))
        for appendix in expected["appendices"]:
            for part in ("heading", "last"):
                if _squeezed(appendix[part]) not in printed:
                    problems.append(f"{where}: {appendix['heading']!r}: {part} not printed")
        missing_rows = [row for row in expected["tables"] if _squeezed(row) not in printed]
        if missing_rows:
            problems.append(f"{where}: chart tables not printed, e.g. {missing_rows[0]!r}")
        if overflow > 1:
            problems.append(f"{where}: content {overflow:.0f} px wider than the paper")
    print("PDF pages:", counts)
    assert problems == [], "\n".join(problems)


def test_the_stylesheet_alone_prints_collapsed_parts(quick_reports: Path, browser) -> None:
    """With JavaScript off (so the head's script cannot open them) the stylesheet still prints
    every collapsed appendix and chart table (Chromium's ``::details-content``)."""
    from pypdf import PdfReader

    path = next(p for p in _printed(quick_reports) if p.stem == "recovery")
    pdf, expected, _ = _print(browser, path, script=False)
    printed = _squeezed("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    wanted = [a["last"] for a in expected["appendices"]] + expected["tables"]
    assert wanted and [w for w in wanted if _squeezed(w) not in printed] == []
