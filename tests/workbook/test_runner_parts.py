"""Runner pieces that need no kernel: HTML export, titles, headline figures, failure reasons,
the order in which portfolio summaries start, and when a scenario's spreadsheet is written."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from papermill.exceptions import PapermillExecutionError

from workbook.display import HEADLINE_MIME
from workbook.runner import (
    KERNEL_NAME,
    NotebookOutcome,
    NotebookTask,
    RunOptions,
    ServiceReports,
    WorkbookKernelManager,
    export_html,
    failure_reason,
    headline_figures,
    is_portfolio,
    next_ready,
    notebook_title,
    plan_tasks,
    read_notebook_facts,
    write_spreadsheet,
)


def _executed_notebook() -> nbformat.NotebookNode:
    params = new_code_cell("replications = None", metadata={"tags": ["parameters"]})
    injected = new_code_cell("replications = 99", metadata={"tags": ["injected-parameters"]})
    shown = new_code_cell("secret_source_line = 1")
    shown.outputs = [
        new_output("display_data", data={"text/html": "<p>Visible result</p>"}),
        new_output("display_data", data={HEADLINE_MIME: {"NPV": "£1.23m"}}),
    ]
    later = new_code_cell("x = 2")
    later.outputs = [new_output("display_data", data={HEADLINE_MIME: {"NPV": "£2.00m", "n": 5}})]
    intro = new_markdown_cell("Intro\n\n## Vehicle recovery options")
    return new_notebook(cells=[intro, params, injected, shown, later])


def test_export_has_outputs_and_prose_but_no_code_parameters_or_headline_data() -> None:
    html = export_html(_executed_notebook(), "A & <B> — Recovery", Path.cwd())
    assert "Visible result" in html and "Vehicle recovery options" in html
    assert "secret_source_line" not in html
    assert "replications = " not in html
    assert HEADLINE_MIME not in html and "£1.23m" not in html
    assert "<title>A &amp; &lt;B&gt; — Recovery</title>" in html


def test_headline_figures_later_values_win_and_are_text() -> None:
    assert headline_figures(_executed_notebook()) == {"NPV": "£2.00m", "n": "5"}


def test_notebook_title_is_first_heading_else_file_name() -> None:
    assert notebook_title(_executed_notebook(), "recovery") == "Vehicle recovery options"
    assert notebook_title(new_notebook(cells=[]), "fleet_maintenance") == "Fleet maintenance"


def test_failure_reason_is_one_line_with_exception_name_and_message() -> None:
    error = PapermillExecutionError(
        cell_index=3,
        exec_count=3,
        source="raise ValueError",
        ename="ValueError",
        evalue="replications must be\nat least 2",
        traceback=["Traceback ...", "ValueError: ..."],
    )
    assert failure_reason(error) == "ValueError: replications must be at least 2"
    assert failure_reason(TimeoutError("cell timed out\npreview")) == "TimeoutError: cell timed out"
    assert len(failure_reason(RuntimeError("x" * 1000))) <= 300


def test_kernel_is_this_interpreter_whatever_the_kernel_name() -> None:
    manager = WorkbookKernelManager(kernel_name=KERNEL_NAME)
    assert manager.kernel_spec.argv[0] == sys.executable
    assert manager.kernel_spec.argv[1:3] == ["-m", "ipykernel_launcher"]
    if sys.platform != "win32":
        assert manager.transport == "ipc"
        other = WorkbookKernelManager(kernel_name=KERNEL_NAME)
        assert manager.ip != other.ip  # each kernel gets its own socket path


# ---- portfolio summaries: found by their metadata, started after their scenario's others ----

PORTFOLIO_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks" / "portfolio"


def _task(slug: str, notebook: str, *, portfolio: bool = False) -> NotebookTask:
    return NotebookTask(
        scenario_path=f"/s/{slug}.yaml",
        scenario_slug=slug,
        scenario_name=slug.capitalize(),
        notebook=f"/nb/{notebook}.ipynb",
        reports_dir="/reports",
        replications=None,
        quick=True,
        jobs=1,
        timeout=None,
        portfolio=portfolio,
    )


def test_a_summary_waits_while_a_notebook_of_its_scenario_waits_or_runs() -> None:
    summary_a = _task("alpha", "summary", portfolio=True)
    fleet_a, fleet_b = _task("alpha", "fleet"), _task("beta", "fleet")
    assert next_ready([summary_a, fleet_a, fleet_b], []) == 1  # alpha's fleet waits
    assert next_ready([summary_a, fleet_b], [fleet_a]) == 1  # ... runs: beta keeps the pool busy
    assert next_ready([summary_a], [fleet_a]) is None
    assert next_ready([summary_a], [fleet_b]) == 0  # another scenario's work does not hold it
    assert next_ready([summary_a, _task("alpha", "other", portfolio=True)], []) == 0
    assert next_ready([], []) is None


def test_portfolio_flag_and_title_come_from_the_notebook_file(tmp_path: Path) -> None:
    assert read_notebook_facts(PORTFOLIO_FIXTURES / "portfolio.ipynb") == (
        "Portfolio summary: fixture",
        True,
    )
    assert read_notebook_facts(PORTFOLIO_FIXTURES / "service.ipynb")[1] is False
    assert not is_portfolio({"metadata": {"workbook": {"portfolio": "yes"}}})
    assert not is_portfolio({"metadata": {"workbook": ["portfolio"]}})
    broken = tmp_path / "broken_notes.ipynb"
    broken.write_text("{ not json")
    assert read_notebook_facts(broken) == ("Broken notes", False)


def test_plan_runs_each_scenarios_summary_after_its_other_notebooks(
    tmp_path: Path, make_scenario
) -> None:
    scenarios = tuple(make_scenario(tmp_path / f"{n}.yaml", name=n) for n in ("alpha", "beta"))
    options = RunOptions(
        scenario_paths=scenarios, notebooks_dir=PORTFOLIO_FIXTURES, reports_dir=tmp_path / "r"
    )
    planned = [(t.scenario_slug, t.stem, t.portfolio, t.title) for t in plan_tasks(options)]
    assert planned == [
        ("alpha", "service", False, "Fixture service: options appraisal"),
        ("alpha", "portfolio", True, "Portfolio summary: fixture"),
        ("beta", "service", False, "Fixture service: options appraisal"),
        ("beta", "portfolio", True, "Portfolio summary: fixture"),
    ]


def _outcome(task: NotebookTask, ok: bool) -> NotebookOutcome:
    return NotebookOutcome(task=task, ok=ok, reason="", duration_s=1.0, finished="")


def test_a_scenarios_service_reports_are_done_at_the_last_and_only_if_one_succeeded() -> None:
    fleet_a, catering_a, fleet_b = (
        _task("alpha", "fleet"),
        _task("alpha", "catering"),
        _task("beta", "fleet"),
    )
    summary_a = _task("alpha", "summary", portfolio=True)
    reports = ServiceReports([fleet_a, catering_a, summary_a, fleet_b])
    assert not reports.finished(_outcome(fleet_a, True))
    assert reports.finished(_outcome(catering_a, False))  # the last; fleet succeeded
    assert not reports.finished(_outcome(summary_a, True))
    assert not reports.finished(_outcome(fleet_b, False))  # beta produced nothing
    assert not ServiceReports([summary_a]).finished(_outcome(summary_a, True))  # --only summary


def _tables_payload(slug: str) -> str:
    from workbook.export import FORMAT

    provenance = {
        "scenario": slug.title(),
        "scenario_slug": slug,
        "scenario_file": f"{slug}.yaml",
        "scenario_sha256": "0" * 64,
        "seed": 1,
        "service": "fleet",
        "replications": 2,
        "quick": True,
        "code_version": "test",
        "started": "2013-03-08T14:05:00",
        "base_year": 2012,
        "period_years": 10,
    }
    row = {"option": "in_house", "option_label": "In-house", "pv_mean": 1.5e6}
    return json.dumps({"format": FORMAT, "provenance": provenance, "tables": {"x": [row]}})


def test_the_spreadsheet_is_written_from_the_scenarios_tables(tmp_path: Path) -> None:
    folder = tmp_path / "alpha"
    folder.mkdir()
    lines: list[str] = []
    assert write_spreadsheet(folder, "", lines.append) is True  # no tables: nothing to write
    assert lines == [] and list(folder.iterdir()) == []
    (folder / "fleet-tables.json").write_text(_tables_payload("alpha"))
    assert write_spreadsheet(folder, "", lines.append) is True
    assert (folder / "workbook.xlsx").is_file() and list((folder / "csv").glob("*.csv"))
    assert len(lines) == 1 and lines[0].startswith("workbook: alpha: spreadsheet and ")


def test_a_spreadsheet_that_cannot_be_written_is_one_line_and_a_failure(tmp_path: Path) -> None:
    folder = tmp_path / "alpha"
    folder.mkdir()
    (folder / "fleet-tables.json").write_text(_tables_payload("alpha"))
    (folder / "csv").write_text("a file in the way of the CSV folder")
    lines: list[str] = []
    assert write_spreadsheet(folder, "", lines.append) is False
    assert len(lines) == 1, lines
    assert lines[0].startswith("workbook: alpha: spreadsheet not written: ")
    assert not (folder / "workbook.xlsx").exists()


def test_the_service_fixture_publishes_tables_in_the_exports_format() -> None:
    from workbook.export import FORMAT, RESULT_NAME

    source = (PORTFOLIO_FIXTURES / "service.ipynb").read_text(encoding="utf-8")
    assert f'FORMAT, RESULT_NAME = \\"{FORMAT}\\", \\"{RESULT_NAME}\\"' in source
