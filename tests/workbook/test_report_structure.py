"""The option reports as decision documents (issue 12), on the shared quick run of every
notebook: the recommendation first, a table of contents whose every link lands, the long parts
as appendices collapsed by default, and a portfolio summary per scenario whose totals are the
sums of the services' figures, with a bundle wherever the scenario defines one."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from models.registry import SERVICES
from models.scenario import load_scenario
from tests.support import ROOT
from workbook import display

SCENARIOS = sorted((ROOT / "data" / "scenarios").glob("*.yaml"))


class _Structure(HTMLParser):
    """Ids, the contents nav's links, the appendices and the order of the decision section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.nav_links: list[str] = []
        self.appendices: list[dict[str, str | None]] = []
        self.order: list[str] = []
        self._in_nav = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        classes = (found.get("class") or "").split()
        if tag == "nav" and "wb-contents" in classes:
            self._in_nav = True
            self.order.append("contents")
        if tag == "section" and "wb-decision" in classes:
            self.order.append("decision")
        if tag == "details" and "wb-appendix" in classes:
            self.appendices.append(found)
            self.order.append("appendix")
        if tag == "a" and self._in_nav:
            self.nav_links.append(str(found.get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False


def _parse(path: Path) -> _Structure:
    page = _Structure()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _slug(scenario: Path) -> str:
    return load_scenario(scenario).slug


@pytest.mark.parametrize("service", SERVICES.names)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_an_option_report_reads_as_a_decision_document(
    quick_reports: Path, scenario: Path, service: str
) -> None:
    page = _parse(quick_reports / _slug(scenario) / f"{service}.html")
    assert page.order[:2] == ["decision", "contents"], page.order[:3]
    assert page.order[2:] == ["appendix"] * len(page.appendices)
    assert len(page.appendices) >= 4
    assert all("open" not in found for found in page.appendices)  # collapsed on screen
    targets = [link.removeprefix("#") for link in page.nav_links]
    assert all(link.startswith("#") for link in page.nav_links)
    missing = [t for t in targets if t not in page.ids]
    assert missing == [], missing
    assert {str(a["id"]) for a in page.appendices} <= set(targets)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_the_index_shows_each_report_recommendation(quick_reports: Path, scenario: Path) -> None:
    manifest = json.loads((quick_reports / "index.json").read_text(encoding="utf-8"))
    slug = _slug(scenario)
    for entry in manifest["reports"]:
        if entry["scenario_slug"] == slug and entry["notebook"] in SERVICES.names:
            label = entry["headline"]["Recommendation"]
            page = (quick_reports / slug / f"{entry['notebook']}.html").read_text("utf-8")
            assert f"Recommended: {label}," in page or f"Keep business as usual: {label}." in page


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_the_summary_totals_are_the_sums_of_the_services(
    quick_reports: Path, scenario: Path
) -> None:
    folder = quick_reports / _slug(scenario)
    data = json.loads((folder / "summary-portfolio.json").read_text(encoding="utf-8"))
    services = data["services"]
    assert sorted(services) == sorted(SERVICES.names)
    total_bau = sum(one["business_as_usual_pv"] for one in services.values())
    total_chosen = sum(one["recommended_pv"] for one in services.values())
    assert data["options"]["business_as_usual"]["pv_mean"] == pytest.approx(total_bau, rel=1e-12)
    assert data["options"]["preferred"]["pv_mean"] == pytest.approx(total_chosen, rel=1e-12)
    for name, one in services.items():  # the summary's figures are each report's own
        tables = json.loads((folder / f"{name}-tables.json").read_text(encoding="utf-8"))
        pv = {r["option"]: r["pv_mean"] for r in tables["tables"]["present_values"]}
        assert pv[one["business_as_usual"]] == pytest.approx(one["business_as_usual_pv"])
        assert pv[one["recommended"]] == pytest.approx(one["recommended_pv"])
        assert one["recommended"] == min(pv, key=pv.__getitem__)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_bundle_of_the_scenario_is_an_option_of_the_summary(
    quick_reports: Path, scenario: Path
) -> None:
    bundles = load_scenario(scenario).portfolio.bundles
    assert bundles, "the shipped scenarios define bundles"
    folder = quick_reports / _slug(scenario)
    data = json.loads((folder / "summary-portfolio.json").read_text(encoding="utf-8"))
    page = (folder / "summary.html").read_text(encoding="utf-8")
    for name, bundle in bundles.items():
        assert f"bundle:{name}" in data["options"]
        assert bundle.label in page
    assert _parse(folder / "summary.html").order[:2] == ["decision", "contents"]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_the_workbook_opens_and_its_totals_are_the_reports(
    quick_reports: Path, scenario: Path
) -> None:
    """Each service's present values in workbook.xlsx are the figures its report prints, and
    their discounted economic cash flows add up to them (at the mean volumes)."""
    from openpyxl import load_workbook

    folder = quick_reports / _slug(scenario)
    book = load_workbook(folder / "workbook.xlsx", read_only=True)
    rows = list(book["Present values"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    present = {(r[0], r[1]): dict(zip(header, r, strict=True)) for r in body}
    cash = list(book["Economic cash flows"].iter_rows(values_only=True))
    cash_header = cash[0]
    discounted: dict[tuple[str, str], float] = {}
    for row in cash[1:]:
        record = dict(zip(cash_header, row, strict=True))
        key = (record["service"], record["option"])
        discounted[key] = discounted.get(key, 0.0) + float(record["discounted"] or 0.0)
    summary = json.loads((folder / "summary-portfolio.json").read_text(encoding="utf-8"))
    for name in SERVICES.names:
        chosen = summary["services"][name]["recommended"]
        record = present[(name, chosen)]
        assert record["pv_mean"] == pytest.approx(summary["services"][name]["recommended_pv"])
        page = (folder / f"{name}.html").read_text(encoding="utf-8")
        assert f"<strong>Cost:</strong> {display.money(record['pv_mean'])} (" in page
        for (service, option), total in discounted.items():
            if service == name:
                expected = present[(service, option)]["pv_at_mean_volumes"]
                assert total == pytest.approx(expected, rel=1e-6), (service, option)
