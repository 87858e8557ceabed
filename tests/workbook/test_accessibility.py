"""Every page a run writes is accessible, looked at in a real browser.

Chromium (Debian's, through Playwright) opens each page of one quick run of every notebook on
every scenario (the ``quick_reports`` fixture) with every request that is not a local file
blocked and recorded: none may be attempted. axe-core (``axe-playwright-python``) then checks
each page with every collapsed part opened (so the appendices and the charts' tables are checked
too): no violation of impact "serious" or "critical" (its WCAG 2.2 A and AA rules and best
practices). The page itself must say its language and title, and its headings must go in
order. Every chart has a text alternative written from its figures and its numbers as a table;
each option report's recommendation is on its first screen at 1280 x 800, and the report is
under 8,000 px tall with its appendices collapsed.

The first tests need no browser: what ``workbook.display.figure`` writes, and the colours.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from html import unescape
from itertools import pairwise
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from models.scenario import DEFAULT_SCENARIO, load_scenario
from tests.browser import launched, needs_chromium, report_pages
from tests.support import published
from workbook import charts, display

VIEWPORT = {"width": 1280, "height": 800}
COLLAPSED_LIMIT_PX = 8_000
"""The height of a short option report of three options, appendices collapsed."""
PER_FURTHER_OPTION_PX = 300
"""Each option beyond three adds a row to every table and a bar to every chart of the body
(measured: about 300 px; language services, with four options)."""
BLOCKING = frozenset({"serious", "critical"})
WITHOUT_RECOMMENDATION = frozenset({"verification", "summary"})
"""Reports that are not option reports: the verification of the kit, the portfolio summary."""
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"
HOSTILE = "<script>alert(1)</script>"


# ----------------------------------------------------------------- display.figure, no browser


def _shown(fig: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """The display data ``display.figure`` publishes, through a real IPython shell."""
    return published(lambda: display.figure(fig, **kwargs))


def _chart() -> Any:
    fig, axis = plt.subplots(figsize=(6, 3))
    axis.bar([0, 1], [3.0, 5.0], color=charts.BAR_COLOUR)
    axis.set_title("Costs <by> option")
    return fig


def test_a_figure_is_one_html_output_with_words_and_numbers() -> None:
    numbers = pd.DataFrame({"Option": ["A & B", HOSTILE], "Cost": ["£3", "£5"]})
    outputs = _shown(_chart(), alt=f"Costs: A lowest {HOSTILE}", data=numbers)
    assert len(outputs) == 1 and set(outputs[0]) == {"text/html", "text/plain"}
    html = outputs[0]["text/html"]
    assert html.startswith('<figure class="wb-figure">\n<img src="data:image/png;base64,')
    assert 'alt="Costs: A lowest &lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<figcaption>Costs &lt;by&gt; option</figcaption>" in html
    after = html.split("</figure>", 1)[1]
    assert after.startswith('\n<details class="wb-chart-data">\n<summary>The numbers behind')
    assert "<table" in after and "A &amp; B" in after and after.endswith("</details>")
    assert HOSTILE not in html


def test_a_figure_keeps_the_size_the_inline_backend_gives_it() -> None:
    from IPython.core.pylabtools import print_figure
    from PIL import Image

    fig = _chart()
    expected = Image.open(io.BytesIO(print_figure(fig, "png"))).size
    html = _shown(fig, alt="Two bars, 3 and 5")[0]["text/html"]
    encoded = html.split("base64,", 1)[1].split('"', 1)[0]
    image = Image.open(io.BytesIO(base64.b64decode(encoded)))
    assert image.size == expected
    assert f'width="{expected[0]}" height="{expected[1]}"' in html
    assert "wb-chart-data" not in html  # no numbers given, no table
    assert not plt.fignum_exists(fig.number)  # released


def test_a_figure_needs_a_text_alternative() -> None:
    with pytest.raises(ValueError, match="text alternative"):
        _shown(_chart(), alt="  ", data=None)
    with pytest.raises(TypeError):
        display.figure(_chart())  # type: ignore[call-arg]


OKABE_ITO_RGB = {
    "black": (0, 0, 0),
    "orange": (230, 159, 0),
    "sky_blue": (86, 180, 233),
    "bluish_green": (0, 158, 115),
    "yellow": (240, 228, 66),
    "blue": (0, 114, 178),
    "vermillion": (213, 94, 0),
    "reddish_purple": (204, 121, 167),
}
"""The eight colours as Okabe and Ito publish them (R, G, B of 0-255; *Color Universal Design*,
2008, https://jfly.uni-koeln.de/color/), so the palette's hex values are checked, not copied."""


def test_the_palette_is_okabe_ito_and_series_differ_without_colour() -> None:
    rgb = {
        name: tuple(bytes.fromhex(colour.removeprefix("#")))
        for name, colour in charts.PALETTE.items()
    }
    assert rgb == OKABE_ITO_RGB
    styles = [charts.series_style(i) for i in range(7)]
    assert len({str(s["ls"]) for s in styles}) == 7
    assert len({s["marker"] for s in styles}) == 7
    fills = {(charts.fill_style(i)["color"], charts.fill_style(i)["hatch"]) for i in range(84)}
    assert len(fills) == 84


def test_the_cash_flow_chart_tells_categories_apart_by_hatching_too() -> None:
    categories = list(charts.CATEGORY_LABELS)
    flows = pd.DataFrame(
        [("a", c, year, float(i + 1)) for i, c in enumerate(categories) for year in (0, 1)],
        columns=["option", "category", "year", "total"],
    )
    fig = charts.cash_flows(flows, {"a": "A"}, 2012)
    drawn = {(p.get_facecolor(), p.get_hatch()) for p in fig.axes[0].patches}
    hatches = {p.get_hatch() for p in fig.axes[0].patches}
    plt.close(fig)
    assert len(drawn) == len(categories) and len(hatches) == len(categories)
    text = charts.cash_flows_text(flows, {"a": "A"}, 2012)
    assert text.alt.startswith("Stacked bars of each option's real cost a year by category, 2012")
    assert "A £78.00 to £78.00 a year, largest part priced risks (expected) (£24.00" in text.alt
    assert list(text.data["Year"]) == [2012, 2013]
    assert text.data["Total"].tolist() == ["£78.00", "£78.00"]


def test_the_present_value_chart_says_which_option_is_lowest() -> None:
    costs = pd.DataFrame(
        {
            "option": ["mixed", "in_house", "outsourced"],
            "pv_mean": [14.0e6, 13.1e6, 12.3e6],
            "low": [13.5e6, 12.6e6, 11.9e6],
            "high": [14.5e6, 13.6e6, 12.7e6],
            "diff_mean": [0.0, -0.9e6, -1.7e6],
            "diff_low": [0.0, -1.2e6, -2.0e6],
            "diff_high": [0.0, -0.6e6, -1.4e6],
        }
    )
    labels = {"mixed": "Mixed", "in_house": "In-house", "outsourced": "Outsourced"}
    text = charts.present_values_text(costs, labels, "mixed")
    assert text.alt.startswith(
        "Present value of costs by option, with 95 % intervals: Outsourced lowest at £12.30m, "
        "In-house £13.10m, Mixed (business as usual) £14.00m."
    )
    assert "Outsourced -£1.70m (-£2.00m to -£1.40m)" in text.alt
    assert text.data.loc[0, "Difference from business as usual"] == "—"
    assert text.data.loc[2, "Present value of costs"] == "£12.30m"


# ----------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module."""
    with launched() as chromium:
        yield chromium


@contextmanager
def opened(browser: Any, path: Path) -> Iterator[tuple[Any, list[str]]]:
    """``path`` loaded at 1280 x 800, with the requests it attempted beyond local files (each
    one blocked)."""
    page = browser.new_page(viewport=VIEWPORT)
    attempted: list[str] = []

    def only_local(route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    try:
        page.goto(path.as_uri(), wait_until="load")
        yield page, attempted
    finally:
        page.close()


def _pages(reports: Path) -> list[Path]:
    pages = sorted(reports.rglob("*.html"))
    assert reports / "index.html" in pages and len(pages) > 1, pages
    return pages


def _seen(browser: Any, reports: Path, pages: list[Path], script: str) -> dict[str, Any]:
    """What ``script`` returns on each of ``pages``, by where the page is under ``reports``."""
    seen = {}
    for path in pages:
        with opened(browser, path) as (page, _):
            seen[str(path.relative_to(reports))] = page.evaluate(script)
    return seen


def _problems(
    browser: Any,
    reports: Path,
    pages: list[Path],
    script: str,
    rule: Callable[[str, Any], Iterable[str]],
) -> list[str]:
    """What ``rule(where, seen)`` finds wrong with what ``script`` returns on each of ``pages``
    (``where``: the page's path under ``reports``)."""
    return [
        problem
        for where, seen in _seen(browser, reports, pages, script).items()
        for problem in rule(where, seen)
    ]


def _option_reports(reports: Path) -> list[Path]:
    return report_pages(reports, left_out=WITHOUT_RECOMMENDATION)


PAGE_FACTS = """() => ({
  lang: document.documentElement.lang,
  title: document.title,
  viewport: !!document.querySelector('meta[name=viewport]'),
  mains: document.querySelectorAll('main').length,
  levels: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)]),
})"""
"""A page's language, title, viewport, <main> elements and headings (level, text)."""

CHART_FACTS = """() => [...document.querySelectorAll('main img')].map(img => {
  const figure = img.closest('figure.wb-figure');
  const next = figure && figure.nextElementSibling;
  const numbers = next && next.matches('details.wb-chart-data') ? next : null;
  return {
    alt: img.getAttribute('alt') || '',
    caption: figure ? (figure.querySelector('figcaption') || {}).textContent : null,
    rows: numbers ? numbers.querySelectorAll('table tbody tr').length : 0,
    summary: numbers ? numbers.querySelector('summary').textContent : null,
  };
})"""
"""Each chart of a page's <main>: its text alternative, caption and table of numbers."""

RECOMMENDATION_BOX = """() => {
  const it = document.querySelector('.wb-decision .wb-recommendation');
  if (!it) return null;
  const r = it.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, text: it.textContent.trim()};
}"""
"""Where the recommendation of an option report's first screen is, and its text (or null)."""

REPEATED_ROWS = "tbody > tr:nth-child(n+9)"
"""Table rows axe-core leaves out: past the eighth, a table's rows repeat the markup and styles
of those above (escaped text from ``DataFrame.to_html``, no per-row style), and checking the
contrast of every one of some thousand cells takes minutes."""


def _axe_problems(page: Any, where: str) -> list[str]:
    """Serious and critical axe-core violations on ``page`` with every <details> opened."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    results = Axe().run(page, context={"exclude": [[REPEATED_ROWS]]})
    return [
        f"{where}: {v['id']} ({v['impact']}): {v['help']}; "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        + (f" and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else "")
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@needs_chromium
def test_the_harness_sees_and_blocks_an_external_request(browser: Any, tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text('<html lang="en"><title>c</title><img src="https://example.invalid/x.png">')
    with opened(browser, control) as (_page, attempted):
        pass
    assert attempted == ["https://example.invalid/x.png"]


@needs_chromium
def test_axe_would_see_a_serious_violation(browser: Any, tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text(
        '<html lang="en"><title>c</title><main><h1>c</h1>'
        '<p style="color:#bbbbbb;background:#ffffff">too faint to read</p></main></html>'
    )
    with opened(browser, control) as (page, _):
        problems = _axe_problems(page, "control")
    assert any("color-contrast (serious)" in p for p in problems), problems


@pytest.mark.slow  # about 10 s a report on 2 cores, most of it axe-core's colour contrast
@needs_chromium
def test_axe_finds_no_serious_or_critical_violation(quick_reports: Path, browser: Any) -> None:
    problems, requests = [], []
    for path in _pages(quick_reports):
        where = str(path.relative_to(quick_reports))
        with opened(browser, path) as (page, attempted):
            problems += _axe_problems(page, where)
        requests += [f"{where}: {url}" for url in attempted]
    assert requests == [], "requests beyond local files:\n" + "\n".join(requests)
    assert problems == [], "axe-core violations:\n" + "\n".join(problems)


def _page_problems(where: str, facts: dict[str, Any]) -> Iterator[str]:
    """A page that does not say its language, title or viewport, has not one <main>, or whose
    headings do not start at one <h1> and go down a level at a time."""
    if facts["lang"] != "en":
        yield f"{where}: <html lang={facts['lang']!r}>"
    if not facts["title"].strip() or facts["title"] in {"Notebook", Path(where).stem}:
        yield f"{where}: title {facts['title']!r}"
    if not facts["viewport"] or facts["mains"] != 1:
        yield f"{where}: viewport meta {facts['viewport']}, {facts['mains']} <main>"
    levels = facts["levels"]
    if not levels or levels[0][0] != 1 or sum(level == 1 for level, _ in levels) != 1:
        yield f"{where}: not one <h1> first: {levels[:3]}"
    for (before, _), (level, text) in pairwise(levels):
        if level > before + 1:
            yield f"{where}: h{before} then h{level} ({text!r})"


@needs_chromium
def test_every_page_says_its_language_title_and_goes_in_heading_order(
    quick_reports: Path, browser: Any
) -> None:
    problems = _problems(browser, quick_reports, _pages(quick_reports), PAGE_FACTS, _page_problems)
    assert problems == [], "\n".join(problems)


def _chart_problems(where: str, charts_found: list[dict[str, Any]]) -> Iterator[str]:
    """A chart outside a figure, without a text alternative that gives a figure, or without
    the table of its numbers."""
    for index, chart in enumerate(charts_found, 1):
        alt = unescape(chart["alt"]).strip()
        if chart["caption"] is None:
            yield f"{where}: chart {index} is not in a <figure class=wb-figure>"
        if len(alt) < 40 or alt.startswith(NBCONVERT_DEFAULT_ALT) or alt.lower() == "chart":
            yield f"{where}: chart {index} alt text {alt[:60]!r}"
        elif not any(ch.isdigit() for ch in alt):
            yield f"{where}: chart {index} alt text has no figure: {alt[:60]!r}"
        if chart["rows"] < 1 or chart["summary"] != "The numbers behind this chart":
            yield f"{where}: chart {index} has no table of its numbers"


@needs_chromium
def test_every_chart_has_words_and_its_numbers(quick_reports: Path, browser: Any) -> None:
    problems = _problems(
        browser, quick_reports, _pages(quick_reports), CHART_FACTS, _chart_problems
    )
    assert problems == [], "\n".join(problems)


def _recommendation_problems(where: str, box: dict[str, Any] | None) -> Iterator[str]:
    """An option report without a recommendation, or with one not wholly on its first screen."""
    if box is None:
        yield f"{where}: no .wb-decision .wb-recommendation"
    elif not (box["top"] >= 0 and box["bottom"] <= VIEWPORT["height"] and box["text"]):
        yield f"{where}: recommendation at {box['top']:.0f}-{box['bottom']:.0f} px"


@needs_chromium
def test_the_first_screen_holds_the_recommendation(quick_reports: Path, browser: Any) -> None:
    problems = _problems(
        browser,
        quick_reports,
        _option_reports(quick_reports),
        RECOMMENDATION_BOX,
        _recommendation_problems,
    )
    assert problems == [], "\n".join(problems)


@needs_chromium
def test_an_option_report_with_appendices_collapsed_is_short(
    quick_reports: Path, browser: Any
) -> None:
    heights = _seen(
        browser,
        quick_reports,
        _option_reports(quick_reports),
        "document.documentElement.scrollHeight",
    )
    scenario = load_scenario(DEFAULT_SCENARIO)
    limits = {
        where: COLLAPSED_LIMIT_PX
        + PER_FURTHER_OPTION_PX * max(0, len(scenario.section(Path(where).stem).options) - 3)
        for where in heights
    }
    too_tall = {where: px for where, px in heights.items() if px >= limits[where]}
    assert too_tall == {}, f"collapsed heights (limits {limits}): {heights}"
