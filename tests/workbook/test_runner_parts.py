"""Runner pieces that need no kernel: HTML export, titles, headline figures, failure reasons."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from papermill.exceptions import PapermillExecutionError

from workbook.display import HEADLINE_MIME
from workbook.runner import (
    KERNEL_NAME,
    WorkbookKernelManager,
    export_html,
    failure_reason,
    headline_figures,
    notebook_title,
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
