"""End to end: a portfolio summary starts only after its scenario's other notebooks.

The fixtures (``tests/fixtures/notebooks/portfolio/``): ``service`` takes a few seconds and
publishes a recommendation and a tables payload; ``portfolio`` (notebook metadata
``workbook.portfolio``) fails unless ``service.html`` and the spreadsheet (``workbook.xlsx``) of
its scenario are already written. Two scenarios, two notebooks at a time: a runner that started
a summary with its scenario's service would fail it, and one that waited for the whole scenario
before starting anything else would start the second scenario's service only after the first
one's had finished. Then ``--only portfolio`` runs the summary alone.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # two runs, five kernels: 82 s measured on a shared 2-core machine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks" / "portfolio"
SCENARIOS = ("alpha", "beta")


@dataclass(frozen=True)
class Run:
    """What one run left: its output, and its manifest and index page read right after it."""

    result: subprocess.CompletedProcess[str]
    reports: Path
    manifest: dict[str, dict]
    index: str

    @classmethod
    def after(cls, result: subprocess.CompletedProcess[str], reports: Path) -> Run:
        data = json.loads((reports / "index.json").read_text(encoding="utf-8"))
        manifest = {f"{r['scenario_slug']}/{r['notebook']}": r for r in data["reports"]}
        return cls(result, reports, manifest, (reports / "index.html").read_text("utf-8"))

    def line(self, pattern: str) -> int:
        """The number of the first stderr line that matches ``pattern``."""
        lines = self.result.stderr.splitlines()
        found = [n for n, line in enumerate(lines) if re.search(pattern, line)]
        assert found, (pattern, self.result.stderr)
        return found[0]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, make_scenario) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("portfolio-run")  # the fixture's reports are root/reports
    return root, [make_scenario(root / f"{name}.yaml", name=name.title()) for name in SCENARIOS]


@pytest.fixture(scope="module")
def both(workspace, run_workbook) -> Run:
    root, scenarios = workspace
    result = run_workbook(
        "run", *(arg for s in scenarios for arg in ("--scenario", s)),
        "--notebooks-dir", FIXTURES, "--reports-dir", root / "reports", "--quick", "--jobs", "2",
        cwd=root,
    )  # fmt: skip
    return Run.after(result, root / "reports")


@pytest.fixture(scope="module")
def alone(both: Run, workspace, run_workbook) -> Run:
    root, scenarios = workspace
    result = run_workbook(
        "run", "--scenario", scenarios[0], "--only", "portfolio", "--notebooks-dir", FIXTURES,
        "--reports-dir", root / "reports", "--quick", cwd=root,
    )  # fmt: skip
    return Run.after(result, root / "reports")


def test_every_summary_ran_after_its_scenarios_report(both: Run) -> None:
    assert both.result.returncode == 0, both.result.stderr
    for slug in SCENARIOS:
        summary = both.manifest[f"{slug}/portfolio"]
        assert summary["status"] == "ok", summary["reason"]
        assert summary["portfolio"] is True
        assert summary["headline"] == {"Reports read": "service.html"}
        assert both.line(rf"running +{slug}/portfolio$") > both.line(rf"ok +{slug}/service ")
        assert (both.reports / slug / "portfolio.html").is_file()


def test_each_scenarios_spreadsheet_is_written_before_its_summary_starts(both: Run) -> None:
    for slug in SCENARIOS:
        written = both.line(rf"^workbook: {slug}: spreadsheet and \d+ CSV table\(s\)$")
        assert both.line(rf"ok +{slug}/service ") < written
        assert written < both.line(rf"running +{slug}/portfolio$")
        assert (both.reports / slug / "workbook.xlsx").is_file()


def test_other_scenarios_keep_the_pool_busy_meanwhile(both: Run) -> None:
    assert both.line(r"running +beta/service$") < both.line(r"ok +alpha/service ")


def test_the_manifest_keeps_one_entry_per_scenario_and_notebook(both: Run) -> None:
    assert set(both.manifest) == {f"{s}/{n}" for s in SCENARIOS for n in ("service", "portfolio")}
    assert both.manifest["alpha/service"]["title"] == "Fixture service: options appraisal"
    assert both.manifest["alpha/service"]["portfolio"] is False


def test_the_index_links_each_summary_first_in_its_row(both: Run) -> None:
    page = both.index
    heads = re.findall(r'<th scope="col">(.*?)</th>', page)
    assert heads == ["Scenario", "Fixture service"]
    for slug in SCENARIOS:
        row = re.search(
            rf'<tr><th scope="row"><span class="scenario">{slug.title()}<.*?</tr>', page
        )
        assert row is not None, page
        links = re.findall(r'href="([^"]+)"', row.group(0))
        assert links == [
            f"{slug}/portfolio.html",
            f"{slug}/workbook.xlsx",
            f"{slug}/csv/",
            f"{slug}/service.html",
        ]
        assert "Recommendation: <strong>Outsourced &lt;b&gt;bold&lt;/b&gt;</strong>" in row.group(0)


def test_only_the_summary_just_runs(alone: Run, both: Run) -> None:
    assert alone.result.returncode == 0, alone.result.stderr
    assert alone.line(r"^\[1/1\] running +alpha/portfolio$") >= 0
    assert alone.manifest["alpha/portfolio"]["status"] == "ok"
    assert alone.manifest["alpha/portfolio"] != both.manifest["alpha/portfolio"]  # run again
    assert alone.manifest["alpha/service"] == both.manifest["alpha/service"]
