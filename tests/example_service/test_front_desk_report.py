"""The example service's report comes from the shared report parts, run by the real runner."""

from __future__ import annotations

from pathlib import Path

from tests.support import not_a_number, visible_text
from workbook.runner import NotebookTask, execute_task

REPORT = Path(__file__).resolve().parent / "report"


def test_the_front_desk_report_is_built_from_the_shared_parts(tmp_path: Path) -> None:
    task = NotebookTask(
        scenario_path=str(REPORT / "front_desk.yaml"),
        scenario_slug="front_desk",
        scenario_name="Front desk example",
        notebook=str(REPORT / "front_desk.ipynb"),
        reports_dir=str(tmp_path),
        replications=2,
        quick=True,
        jobs=1,
        timeout=300,
    )
    outcome = execute_task(task)
    assert outcome.ok, outcome.reason
    html = (tmp_path / "front_desk" / "front_desk.html").read_text(encoding="utf-8")
    text = visible_text(html)
    for part in ("Front desk: options appraisal", "Present value of costs", "Provenance"):
        assert part in text
    assert "Verification of the front_desk model" in text
    assert not_a_number(text) == []
