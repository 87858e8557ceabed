"""End to end: ``workbook run`` executes real notebooks on a real kernel and writes reports.

Three runs share one reports folder (module-scoped, about 15 s in all):

1. ``report`` (a fixture that uses every display helper) and ``raises`` (a fixture that
   fails), two at a time, on a scenario named ``<script>alert(1)</script>``, with bogus
   kernelspecs on the Jupyter path;
2. ``report`` again after it was changed to fail: the earlier HTML must survive untouched;
3. ``report`` fixed again: the report is rewritten and the stale failed notebook removed.

Each run's files are captured right after it, so the tests do not depend on their order.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import numpy
import pytest

from models.scenario import scenario_sha256
from tests.support import not_a_number, visible_text
from workbook.provenance import git_commit, package_versions
from workbook.runner import available_cores

HOSTILE = "<script>alert(1)</script>"
SLUG = "escaping"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROJECT_NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
URL_ATTRIBUTES = {"src", "href", "srcset", "data", "action", "poster", "xlink:href", "formaction"}
SERVICE_NOTEBOOKS = ("recovery", "fleet", "catering")
GREEN_BOOK_SECTIONS = (
    "What the ranking rests on",
    "Economic case",
    "Optimism bias",
    "Risk register",
    "Financial case",
    "Should-cost",
)
"""Headings every service report has (issue 10: the Green Book cases beside each other)."""


@dataclass(frozen=True)
class Run:
    """What one ``workbook run`` left behind."""

    result: subprocess.CompletedProcess[str]
    files: dict[str, bytes]
    scenario: Path

    @property
    def manifest(self) -> dict[str, dict]:
        data = json.loads(self.files["index.json"])
        return {f"{r['scenario_slug']}/{r['notebook']}": r for r in data["reports"]}

    def text(self, name: str) -> str:
        return self.files[name].decode("utf-8")


@dataclass(frozen=True)
class Workspace:
    root: Path
    scenario: Path
    notebooks: Path
    reports: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, make_scenario, fixture_notebooks: Path) -> Workspace:
    root = tmp_path_factory.mktemp("workbook-run")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    shutil.copy(fixture_notebooks / "display_ok.ipynb", notebooks / "report.ipynb")
    shutil.copy(fixture_notebooks / "raises.ipynb", notebooks / "raises.ipynb")
    return Workspace(
        root=root,
        scenario=make_scenario(root / f"{SLUG}.yaml", name=HOSTILE),
        notebooks=notebooks,
        reports=root / "reports",
        env=_env_with_bogus_kernelspecs(root / "jupyter"),
    )


def _env_with_bogus_kernelspecs(jupyter: Path) -> dict[str, str]:
    """Environment whose Jupyter paths hold kernelspecs that cannot start."""
    for name in ("python3", "workbook-python"):
        spec = jupyter / "kernels" / name
        spec.mkdir(parents=True)
        argv = ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        spec.joinpath("kernel.json").write_text(
            json.dumps({"argv": argv, "display_name": "broken", "language": "python"})
        )
    return os.environ | {"JUPYTER_PATH": str(jupyter), "JUPYTER_DATA_DIR": str(jupyter)}


def _run(space: Workspace, run_workbook, snapshot, *extra: str) -> Run:
    result = run_workbook(
        "run", "--scenario", space.scenario, "--notebooks-dir", space.notebooks,
        "--reports-dir", space.reports, "--quick", *extra, cwd=space.root, env=space.env,
    )  # fmt: skip
    return Run(result=result, files=snapshot(space.reports), scenario=space.scenario)


@pytest.fixture(scope="module")
def first(workspace: Workspace, run_workbook, snapshot) -> Run:
    return _run(workspace, run_workbook, snapshot, "--jobs", "2")


@pytest.fixture(scope="module")
def second(first: Run, workspace: Workspace, fixture_notebooks: Path, run_workbook, snapshot):
    shutil.copy(fixture_notebooks / "raises.ipynb", workspace.notebooks / "report.ipynb")
    return _run(workspace, run_workbook, snapshot, "--only", "report")


@pytest.fixture(scope="module")
def third(second: Run, workspace: Workspace, fixture_notebooks: Path, run_workbook, snapshot):
    shutil.copy(fixture_notebooks / "display_ok.ipynb", workspace.notebooks / "report.ipynb")
    return _run(workspace, run_workbook, snapshot, "--only", "report.ipynb")


class _Page(HTMLParser):
    """Collects what a browser would fetch or run, and the classes used, from a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.classes: set[str] = set()
        self.embedded_code: list[str] = []
        self.title = ""
        self._inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value:
                self.urls.append((tag, name, value))
            if name == "class" and value:
                self.classes.update(value.split())
        self._inside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._inside and self._inside[-1] == tag:
            self._inside.pop()

    def handle_data(self, data: str) -> None:
        where = self._inside[-1] if self._inside else ""
        if where in ("script", "style"):
            self.embedded_code.append(data)
        elif where == "title":
            self.title += data


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


# ---- first run: a report and a failure side by side -----------------------------------------


def test_run_reports_progress_and_fails_overall_when_a_notebook_fails(first: Run) -> None:
    err = first.result.stderr
    assert first.result.returncode == 1, err
    assert "Traceback" not in err
    for label in (f"{SLUG}/report", f"{SLUG}/raises"):
        assert re.search(rf"running +{label}$", err, re.MULTILINE), err
    assert re.search(rf"ok +{SLUG}/report \(\d+\.\d s\)$", err, re.MULTILINE), err
    assert re.search(
        rf"FAILED +{SLUG}/raises \(\d+\.\d s\): ValueError: fixture failure", err, re.MULTILINE
    ), err


def test_report_shows_outputs_and_prose_but_no_code(first: Run, fixture_notebooks: Path) -> None:
    html = first.text(f"{SLUG}/report.html")
    page = _page(html)
    assert "Fixture report" in html and "The fixture ran to the end." in html
    assert not page.classes & {"jp-InputArea-editor", "jp-InputPrompt", "jp-OutputPrompt"}
    source = nbformat.read(fixture_notebooks / "display_ok.ipynb", as_version=4)
    for cell in source.cells:
        if cell.cell_type != "code":
            continue
        for line in cell.source.splitlines():
            if len(line.strip()) >= 12:
                assert line.strip() not in html and escape(line.strip()) not in html, line


def test_report_has_no_parameters_cells(first: Run) -> None:
    html = first.text(f"{SLUG}/report.html")
    for trace in ("injected-parameters", "replications = ", "quick = True", "jobs = "):
        assert trace not in html


def test_report_loads_nothing_from_outside(first: Run) -> None:
    html = first.text(f"{SLUG}/report.html")
    page = _page(html)
    assert page.urls, "expected in-page anchor links at least"
    external = [(tag, name, value) for tag, name, value in page.urls if EXTERNAL.match(value)]
    assert external == []
    code = "\n".join(page.embedded_code)
    fetches = r"@import|url\(\s*['\"]?(https?:)?//|import\s*\(|from\s+['\"]https?:"
    assert not re.search(fetches, code)
    assert "cdnjs" not in html and "require.min.js" not in html


def test_scenario_name_is_escaped_everywhere(first: Run) -> None:
    escaped = escape(HOSTILE)
    for name in (f"{SLUG}/report.html", "index.html"):
        text = first.text(name)
        assert HOSTILE not in text and escaped in text, name
    assert _page(first.text(f"{SLUG}/report.html")).title == f"{HOSTILE} — Fixture report"


def test_report_carries_provenance_and_the_quick_banner(first: Run) -> None:
    html = first.text(f"{SLUG}/report.html")
    assert scenario_sha256(first.scenario) in html
    assert "<code>4242</code>" in html  # seed
    assert "3 (quick run)" in html  # replications
    assert git_commit().removesuffix("-dirty") in html
    assert f"numpy {numpy.__version__}" in html
    for name in ("papermill", "nbconvert", "simpy", "pydantic"):
        assert f"{name} {package_versions()[name]}" in html
    assert "QUICK RUN" in html


def test_notebooks_share_the_cores_for_their_replications(first: Run) -> None:
    html = first.text(f"{SLUG}/report.html")
    assert f"replication workers: {max(1, available_cores() // 2)}" in html


def test_kernel_is_the_runners_interpreter_not_a_user_kernelspec(first: Run) -> None:
    # Every kernelspec on the Jupyter path points at /nonexistent/python.
    assert first.manifest[f"{SLUG}/report"]["status"] == "ok"


def test_index_lists_the_report_with_its_headline_figures(first: Run) -> None:
    entry = first.manifest[f"{SLUG}/report"]
    assert entry["status"] == "ok" and entry["quick"] is True
    assert entry["headline"] == {"Whole-life cost": "£1.23m", "Replications": "3"}
    assert entry["duration_s"] > 0
    index = first.text("index.html")
    assert f'href="{SLUG}/report.html"' in index
    assert "£1.23m" in index
    assert not [u for u in _page(index).urls if EXTERNAL.match(u[2])]


def test_failed_notebook_is_kept_and_indexed_with_its_reason(first: Run) -> None:
    entry = first.manifest[f"{SLUG}/raises"]
    assert entry["status"] == "failed"
    assert entry["reason"] == "ValueError: fixture failure <b>on purpose</b>"
    assert "ValueError: fixture failure &lt;b&gt;on purpose&lt;/b&gt;" in first.text("index.html")
    assert f"{SLUG}/raises.html" not in first.files
    failed = nbformat.reads(first.text(f"{SLUG}/raises.failed.ipynb"), as_version=4)
    errors = [o for c in failed.cells if c.cell_type == "code" for o in c.outputs]
    assert any(o.get("ename") == "ValueError" for o in errors)


def test_no_temporary_files_are_left(first: Run, second: Run, third: Run) -> None:
    for run in (first, second, third):
        assert not [name for name in run.files if name.endswith((".tmp", ".running.ipynb"))]


# ---- second run: the notebook that produced a report now fails ----------------------------


def test_failure_leaves_the_earlier_report_byte_identical(first: Run, second: Run) -> None:
    assert second.result.returncode != 0
    assert "Traceback" not in second.result.stderr
    assert second.files[f"{SLUG}/report.html"] == first.files[f"{SLUG}/report.html"]
    assert f"{SLUG}/report.failed.ipynb" in second.files


def test_index_says_failed_and_keeps_rows_not_rerun(first: Run, second: Run) -> None:
    report = second.manifest[f"{SLUG}/report"]
    assert report["status"] == "failed"
    assert report["reason"].startswith("ValueError: fixture failure")
    assert second.manifest[f"{SLUG}/raises"] == first.manifest[f"{SLUG}/raises"]
    assert f'href="{SLUG}/report.html">earlier report' in second.text("index.html")


# ---- third run: fixed again ---------------------------------------------------------------


def test_success_rewrites_the_report_and_removes_the_stale_failure(third: Run) -> None:
    assert third.result.returncode == 0, third.result.stderr
    assert f"{SLUG}/report.failed.ipynb" not in third.files
    assert third.manifest[f"{SLUG}/report"]["status"] == "ok"
    assert f"{SLUG}/raises.failed.ipynb" in third.files  # not re-run, so kept


# ---- every project notebook, quick -------------------------------------------------------


def test_every_project_notebook_runs_quick_on_every_scenario(
    first: Run, quick_reports: Path
) -> None:
    """CI's smoke run of the real reports (the shared quick run of every notebook)."""
    manifest = json.loads((quick_reports / "index.json").read_text())["reports"]
    scenarios = sorted((PROJECT_ROOT / "data" / "scenarios").glob("*.yaml"))
    assert len(manifest) == len(scenarios) * len(PROJECT_NOTEBOOKS)
    for entry in manifest:
        assert entry["status"] == "ok", entry
        html = quick_reports / entry["scenario_slug"] / f"{entry['notebook']}.html"
        page = html.read_text(encoding="utf-8")
        assert not_a_number(visible_text(page)) == [], html
        if entry["notebook"] in SERVICE_NOTEBOOKS:
            missing = [h for h in GREEN_BOOK_SECTIONS if not _has_heading(page, h)]
            assert missing == [], (html, missing)


def _has_heading(page: str, heading: str) -> bool:
    """True if a section heading of the page starts with ``heading``."""
    return re.search(rf"<h[1-4][^>]*>\s*{re.escape(heading)}", page) is not None
