"""The reports index: a scenarios x reports matrix, escaped, self-contained, linking only to
files that exist, and it keeps the entries of reports not re-run."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from workbook.index import (
    INDEX_NAME,
    MANIFEST_NAME,
    STATUS_FAILED,
    STATUS_OK,
    ReportEntry,
    load_manifest,
    update_index,
)

TITLES = {
    "recovery": "Vehicle recovery and pounds: options appraisal",
    "fleet": "Fleet provision and maintenance: options appraisal",
    "catering": "Catering: staff restaurants, operational feeding and custody meals",
    "verification": "Model verification: the simulation kit against queueing theory",
    "summary": "Portfolio summary: every service side by side",
}


def _entry(slug: str, notebook: str, **changes) -> ReportEntry:
    fields = {
        "scenario_slug": slug,
        "scenario_name": f"Scenario {slug}",
        "notebook": notebook,
        "status": STATUS_OK,
        "reason": "",
        "duration_s": 1.5,
        "run_date": "2013-03-08T14:05:00+00:00",
        "headline": {"NPV": "£1.23m"},
        "title": TITLES.get(notebook, ""),
        "portfolio": notebook == "summary",
    }
    return ReportEntry(**(fields | changes))


def _reports(folder: Path, *paths: str) -> Path:
    """``folder`` with an (empty) file at each of ``paths``."""
    for path in paths:
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text("<html></html>")
    return folder


@dataclass
class Cell:
    tag: str
    scope: str | None
    classes: set[str]
    text: str = ""  # what is shown
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, accessible name)


class _Page(HTMLParser):
    """The page's table as rows of cells, and the structure an accessibility check needs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[Cell]] = []
        self.tags: dict[str, int] = {}
        self.lang: str | None = None
        self.caption = ""
        self.urls: list[str] = []
        self._cell: Cell | None = None
        self._link: list[str] | None = None
        self._stack: list[tuple[str, bool]] = []  # (tag, visually hidden)
        self._in_caption = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        classes = set((values.get("class") or "").split())
        hidden = "visually-hidden" in classes or any(h for _, h in self._stack)
        if tag not in ("meta", "br"):
            self._stack.append((tag, hidden))
        self.urls += [v for k, v in attrs if k in ("href", "src") and v]
        if tag == "html":
            self.lang = values.get("lang")
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = Cell(tag, values.get("scope"), classes)
            self.rows[-1].append(self._cell)
        elif tag == "a" and self._cell is not None:
            self._cell.links.append((values.get("href") or "", ""))
            self._link = []
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop()[0] != tag:
            pass
        if tag in ("th", "td"):
            self._cell = None
        elif tag == "a" and self._cell is not None and self._link is not None:
            href, _ = self._cell.links[-1]
            self._cell.links[-1] = (href, " ".join("".join(self._link).split()))
            self._link = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self._in_caption:
            self.caption += data
        if self._link is not None:
            self._link.append(data)
        hidden = bool(self._stack) and self._stack[-1][1]
        if self._cell is not None and not hidden:
            self._cell.text = " ".join((self._cell.text + " " + data).split())


def _page(folder: Path) -> _Page:
    page = _Page()
    page.feed((folder / INDEX_NAME).read_text(encoding="utf-8"))
    page.close()
    return page


def _row(page: _Page, scenario: str) -> list[Cell]:
    rows = [row for row in page.rows if row and row[0].text.startswith(scenario)]
    assert len(rows) == 1, [row[0].text for row in page.rows]
    return rows[0]


# ---- the manifest --------------------------------------------------------------------------


def test_update_keeps_rows_of_reports_not_rerun(tmp_path: Path) -> None:
    update_index(tmp_path, [_entry("baseline", "recovery"), _entry("growth", "recovery")])
    update_index(tmp_path, [_entry("baseline", "recovery", status=STATUS_FAILED, reason="boom")])
    entries = load_manifest(tmp_path)
    assert set(entries) == {"baseline/recovery", "growth/recovery"}
    assert entries["baseline/recovery"].status == STATUS_FAILED
    assert entries["growth/recovery"].status == STATUS_OK


def test_unreadable_manifest_is_replaced_not_fatal(tmp_path: Path, capsys) -> None:
    (tmp_path / MANIFEST_NAME).write_text("{ not json")
    update_index(tmp_path, [_entry("baseline", "recovery")])
    manifest = json.loads((tmp_path / MANIFEST_NAME).read_text())
    assert [r["notebook"] for r in manifest["reports"]] == ["recovery"]
    assert "ignoring unreadable" in capsys.readouterr().err


def test_manifest_of_an_earlier_version_loads_and_unknown_fields_are_ignored(
    tmp_path: Path,
) -> None:
    old = {
        "scenario_slug": "baseline",
        "scenario_name": "Baseline",
        "notebook": "fleet",
        "status": "ok",
        "reason": "",
        "duration_s": 2.0,
        "run_date": "2013-03-08T14:05:00+00:00",
        "headline": {},
        "quick": False,
    }
    newer = old | {"notebook": "summary", "portfolio": True, "from_the_future": 1}
    (tmp_path / MANIFEST_NAME).write_text(json.dumps({"version": 1, "reports": [old, newer]}))
    entries = load_manifest(tmp_path)
    assert entries["baseline/fleet"].title == "" and not entries["baseline/fleet"].portfolio
    assert entries["baseline/summary"].portfolio
    update_index(tmp_path, [])
    written = json.loads((tmp_path / MANIFEST_NAME).read_text())["reports"]
    assert all(set(record) == set(old) | {"title", "portfolio"} for record in written)


# ---- the matrix ----------------------------------------------------------------------------


def test_one_row_per_scenario_and_one_column_per_report_services_first(tmp_path: Path) -> None:
    entries = [
        _entry(slug, notebook)
        for slug in ("baseline", "growth")
        for notebook in ("verification", "catering", "recovery", "fleet", "summary", "extra")
        if (slug, notebook) != ("growth", "fleet")
    ]
    update_index(tmp_path, entries)
    page = _page(tmp_path)
    header, *rows = page.rows
    assert [(cell.tag, cell.scope, cell.text) for cell in header] == [
        ("th", "col", "Scenario"),
        ("th", "col", "Vehicle recovery and pounds"),
        ("th", "col", "Fleet provision and maintenance"),
        ("th", "col", "Catering"),
        ("th", "col", "Extra"),
        ("th", "col", "Model verification"),
    ]
    assert [row[0].text.split(" Portfolio")[0] for row in rows] == [
        "Scenario baseline",
        "Scenario growth",
    ]
    for row in rows:
        assert (row[0].tag, row[0].scope) == ("th", "row")
        assert [cell.tag for cell in row[1:]] == ["td"] * 5
    growth_fleet = _row(page, "Scenario growth")[2]
    assert growth_fleet.text == "not run" and growth_fleet.links == []


def test_a_cell_shows_recommendation_how_sure_status_quick_run_date_duration_and_link(
    tmp_path: Path,
) -> None:
    _reports(tmp_path, "baseline/recovery.html")
    headline = {
        "Recommendation": "Mixed",
        "How sure": "cheapest in 55 % of 4,104 draws",
        "Difference from business as usual": "-£1.2m (-£1.9m to -£0.4m)",
        "Cheapest option": "Outsourced",
        "PV of costs, cheapest": "£3.1m",
    }
    update_index(
        tmp_path,
        [_entry("baseline", "recovery", headline=headline, quick=True, duration_s=125.4)],
    )
    cell = _row(_page(tmp_path), "Scenario baseline")[1]
    assert cell.text == (
        "Recommendation: Mixed How sure: cheapest in 55 % of 4,104 draws "
        "Difference from business as usual: -£1.2m (-£1.9m to -£0.4m) Status: ok quick run "
        "Run 2013-03-08 14:05, took 2 min 5 s open report"
    )
    assert cell.links == [
        ("baseline/recovery.html", "open report (Vehicle recovery and pounds, Scenario baseline)")
    ]


def test_the_cheapest_option_stands_in_for_a_recommendation(tmp_path: Path) -> None:
    headline = {"Cheapest option": "Outsourced", "PV of costs, cheapest": "£3.1m"}
    update_index(tmp_path, [_entry("baseline", "fleet", headline=headline)])
    cell = _row(_page(tmp_path), "Scenario baseline")[1]
    assert cell.text.startswith("Cheapest option: Outsourced Status: ok Run 2013-03-08 14:05")
    assert "£3.1m" not in cell.text and "quick run" not in cell.text


def test_a_report_without_a_recommendation_shows_its_headline_figures(tmp_path: Path) -> None:
    headline = {"Verdict": "reproduces queueing theory within 5%", "Comparisons covered": "9"}
    update_index(tmp_path, [_entry("baseline", "verification", headline=headline)])
    cell = _row(_page(tmp_path), "Scenario baseline")[1]
    assert cell.text.startswith(
        "Verdict: reproduces queueing theory within 5% Comparisons covered: 9 Status: ok"
    )


def test_a_failed_cell_says_why_and_links_the_earlier_report_only_if_there_is_one(
    tmp_path: Path,
) -> None:
    _reports(tmp_path, "baseline/fleet.html")
    reason = "ValueError: replications must be at least 2"
    update_index(
        tmp_path,
        [
            _entry("baseline", notebook, status=STATUS_FAILED, reason=reason, headline={})
            for notebook in ("fleet", "catering")
        ],
    )
    _, fleet, catering = _row(_page(tmp_path), "Scenario baseline")
    for cell in (fleet, catering):
        assert "cell-failed" in cell.classes
        assert f"Status: failed Reason: {reason} Run 2013-03-08 14:05" in cell.text
    assert fleet.links == [
        (
            "baseline/fleet.html",
            "earlier report (Fleet provision and maintenance, Scenario baseline)",
        )
    ]
    assert catering.links == [] and catering.text.endswith("no report")


def test_the_portfolio_summary_spreadsheet_and_tables_lead_the_row_when_they_exist(
    tmp_path: Path,
) -> None:
    _reports(
        tmp_path,
        "baseline/summary.html",
        "baseline/recovery.html",
        "baseline/workbook.xlsx",
        "baseline/csv/present_values.csv",
        "growth/recovery.html",
    )
    (tmp_path / "growth" / "csv").mkdir()  # a folder with no tables is not linked
    entries = [
        _entry(slug, nb) for slug in ("baseline", "growth") for nb in ("recovery", "summary")
    ]
    total = {"How sure": "cheaper in 97 % of draws", "Difference from business as usual": "-£7m"}
    entries.append(_entry("baseline", "summary", headline={"Recommendation": "Mixed"} | total))
    update_index(tmp_path, entries)
    page = _page(tmp_path)
    assert [cell.text for cell in page.rows[0]] == ["Scenario", "Vehicle recovery and pounds"]
    baseline = _row(page, "Scenario baseline")[0]
    assert baseline.text == (
        "Scenario baseline Portfolio summary How sure: cheaper in 97 % of draws "
        "Difference from business as usual: -£7m Spreadsheet (.xlsx) Tables as CSV"
    )
    assert baseline.links == [
        ("baseline/summary.html", "Portfolio summary (Scenario baseline)"),
        ("baseline/workbook.xlsx", "Spreadsheet (.xlsx) (Scenario baseline)"),
        ("baseline/csv/", "Tables as CSV (Scenario baseline)"),
    ]
    growth = _row(page, "Scenario growth")[0]
    assert growth.text == "Scenario growth Portfolio summary" and growth.links == []


def test_a_failed_portfolio_summary_says_why(tmp_path: Path) -> None:
    _reports(tmp_path, "baseline/summary.html")
    failed = _entry("baseline", "summary", status=STATUS_FAILED, reason="KeyError: 'fleet'")
    update_index(tmp_path, [failed, _entry("baseline", "fleet")])
    header = _row(_page(tmp_path), "Scenario baseline")[0]
    assert header.text == (
        "Scenario baseline Portfolio summary: failed Reason: KeyError: 'fleet' earlier summary"
    )
    assert header.links == [
        ("baseline/summary.html", "earlier summary (Portfolio summary, Scenario baseline)")
    ]


def test_links_only_to_reports_that_exist(tmp_path: Path) -> None:
    _reports(tmp_path, "baseline/recovery.html")
    update_index(tmp_path, [_entry("baseline", "recovery"), _entry("baseline", "fleet")])
    page = (tmp_path / INDEX_NAME).read_text(encoding="utf-8")
    assert 'href="baseline/recovery.html"' in page
    assert 'href="baseline/fleet.html"' not in page
    assert "report missing" in page


def test_page_escapes_scenario_text_reasons_and_figures(tmp_path: Path) -> None:
    hostile = "<script>alert(1)</script>"
    hostile_slug = 'x"><img src=y>'
    update_index(
        tmp_path,
        [
            _entry(
                hostile_slug,
                "fleet",
                scenario_name=hostile,
                status=STATUS_FAILED,
                reason="ValueError: <b>bad</b>",
            ),
            _entry(
                hostile_slug,
                "recovery",
                scenario_name=hostile,
                headline={"<i>k</i>": "<u>v</u>"},
                title="<em>Recovery</em>",
            ),
            _entry(
                hostile_slug,
                "catering",
                scenario_name=hostile,
                headline={"Recommendation": "<b>r</b>", "How sure": "<s>s</s>"},
            ),
        ],
    )
    _reports(tmp_path / hostile_slug, "recovery.html")
    update_index(tmp_path, [])
    text = (tmp_path / INDEX_NAME).read_text(encoding="utf-8")
    assert hostile not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "ValueError: &lt;b&gt;bad&lt;/b&gt;" in text
    assert "&lt;i&gt;k&lt;/i&gt;" in text and "&lt;u&gt;v&lt;/u&gt;" in text
    assert "&lt;em&gt;Recovery&lt;/em&gt;" in text
    assert "&lt;b&gt;r&lt;/b&gt;" in text and "&lt;s&gt;s&lt;/s&gt;" in text
    page = _page(tmp_path)
    assert page.tags.get("script", 0) == 0 and "img" not in page.tags
    assert "x%22%3E%3Cimg%20src%3Dy%3E/recovery.html" in page.urls
    assert "http://" not in text and "https://" not in text


def test_page_is_self_contained_and_structured_for_assistive_technology(tmp_path: Path) -> None:
    _reports(tmp_path, "baseline/recovery.html", "growth/recovery.html", "baseline/summary.html")
    entries = [
        _entry(slug, nb) for slug in ("baseline", "growth") for nb in ("recovery", "summary")
    ]
    update_index(tmp_path, entries)
    page = _page(tmp_path)
    assert page.lang == "en"
    assert page.tags.get("h1") == 1 and page.tags.get("main") == 1
    assert page.caption == "Reports by scenario and service"
    assert page.tags.get("script", 0) == 0 and page.tags.get("link", 0) == 0
    assert all(not url.startswith(("http:", "https:", "//")) for url in page.urls)
    names = [name for row in page.rows for cell in row for _, name in cell.links]
    assert len(names) == len(set(names)) == 3  # every link names its own target


def test_empty_index_says_how_to_make_reports(tmp_path: Path) -> None:
    update_index(tmp_path, [])
    page = _page(tmp_path)
    assert page.rows[-1][0].text.startswith("No reports yet: run workbook run")
