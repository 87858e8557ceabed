"""Paths are taken literally: braces in the reports or notebooks path are not format fields.

papermill formats the notebook paths it is given with ``str.format`` (its parameterised
paths), so ``reports-{x}`` failed every notebook with a missing-parameter error.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def test_braces_in_reports_and_notebooks_paths(
    tmp_path: Path, make_scenario, run_workbook, fixture_notebooks: Path
) -> None:
    notebooks, reports = tmp_path / "nb-{y}", tmp_path / "reports-{x}"
    notebooks.mkdir()
    shutil.copy(fixture_notebooks / "display_ok.ipynb", notebooks / "display_ok.ipynb")
    scenario = make_scenario(tmp_path / "braces.yaml", name="Braces {0}")
    result = run_workbook(
        "run", "--scenario", scenario, "--notebooks-dir", notebooks, "--reports-dir", reports,
        "--quick", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Fixture report" in (reports / "braces" / "display_ok.html").read_text()
    assert not list(tmp_path.glob("reports-x*")) and not list(tmp_path.glob("reports-"))
