"""The ``workbook`` command refuses bad input on one line each, before anything runs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from workbook.cli import main


def _marker_notebooks(folder: Path) -> Path:
    """A notebooks folder whose one notebook would leave a marker file if it ever ran."""
    folder.mkdir()
    cells = [
        new_code_cell(
            "scenario = ''\nreplications = None\nquick = False\njobs = None",
            metadata={"tags": ["parameters"]},
        ),
        new_code_cell("open('executed.marker', 'w').close()"),
    ]
    nbformat.write(new_notebook(cells=cells), folder / "marker.ipynb")
    return folder


def test_bad_scenario_is_refused_in_one_line_per_problem_and_nothing_runs(
    tmp_path: Path, make_scenario, run_workbook, snapshot
) -> None:
    good = make_scenario(tmp_path / "good.yaml", name="Good")
    bad = make_scenario(tmp_path / "bad.yaml", name="Bad", extra="colour: blue\n")
    bad.write_text(bad.read_text().replace("quick_replications: 3", "quick_replications: -3"))
    notebooks = _marker_notebooks(tmp_path / "notebooks")
    reports = tmp_path / "reports"
    (reports / "good").mkdir(parents=True)
    (reports / "index.html").write_text("earlier index")
    (reports / "good" / "marker.html").write_text("earlier report")
    before = snapshot(reports)

    result = run_workbook(
        "run", "--scenario", good, "--scenario", bad, "--notebooks-dir", notebooks,
        "--reports-dir", reports, "--quick", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith(str(bad)) for line in lines), lines
    assert any("run.quick_replications" in line for line in lines)
    assert any("colour" in line for line in lines)
    assert snapshot(reports) == before
    assert not (notebooks / "executed.marker").exists()


def test_missing_scenario_file_is_one_line(tmp_path: Path, capsys) -> None:
    status = main(["run", "--scenario", str(tmp_path / "nope.yaml")])
    err = capsys.readouterr().err.splitlines()
    assert status != 0
    assert len(err) == 1 and "nope.yaml" in err[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "--replications", "1"], "--replications: must be at least 2 (got 1)"),
        (["run", "--jobs", "two"], "--jobs: not a whole number: 'two'"),
        (["run", "--timeout", "0"], "--timeout: must be more than 0"),
        (["run", "--colour"], "unrecognized arguments: --colour"),
        ([], "required: command"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], expected: str, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(args)
    err = capsys.readouterr().err.splitlines()
    assert stop.value.code != 0
    assert len(err) == 1 and expected in err[0], err


def test_unknown_notebook_is_refused(
    make_scenario, fixture_notebooks: Path, tmp_path: Path, capsys
) -> None:
    scenario_file = make_scenario(tmp_path / "valid.yaml", name="Valid")
    status = main(
        ["run", "--scenario", str(scenario_file), "--notebooks-dir", str(fixture_notebooks),
         "--reports-dir", str(tmp_path / "reports"), "--only", "nosuch"]
    )  # fmt: skip
    err = capsys.readouterr().err.splitlines()
    assert status != 0
    assert err == [
        f"--only nosuch: no such notebook in {fixture_notebooks} (have: display_ok, raises)"
    ]
    assert not (tmp_path / "reports").exists()


def test_validate_delegates_to_the_scenario_checker(tmp_path: Path, make_scenario, capsys) -> None:
    good = make_scenario(tmp_path / "good.yaml", name="Good")
    bad = make_scenario(tmp_path / "bad.yaml", name="Bad", extra="colour: blue\n")
    status = main(["validate", str(good), str(bad)])
    captured = capsys.readouterr()
    assert status != 0
    assert captured.out.startswith(f"{good}: ok")
    assert str(bad) in captured.err and "colour" in captured.err
