"""The ``workbook`` command refuses bad input on one line each, before anything runs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from models.kit.cache import ResultCache
from workbook.cli import main
from workbook.runner import RunOptions, available_cores, run

PARAMETERS = "scenario = ''\nreplications = None\nquick = False\njobs = None"
"""The parameters every notebook takes from the runner, with their defaults."""


def _notebooks(folder: Path, name: str, parameters: str, *sources: str) -> Path:
    """A new notebooks folder holding one notebook, ``name``: its ``parameters`` cell (tagged),
    then a code cell of each of ``sources``."""
    folder.mkdir()
    cells = [new_code_cell(parameters, metadata={"tags": ["parameters"]})]
    cells += [new_code_cell(source) for source in sources]
    nbformat.write(new_notebook(cells=cells), folder / f"{name}.ipynb")
    return folder


def _marker_notebooks(folder: Path) -> Path:
    """A notebooks folder whose one notebook would leave a marker file if it ever ran."""
    return _notebooks(folder, "marker", PARAMETERS, "open('executed.marker', 'w').close()")


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
        (["run", "--dask", "local:0"], "--dask: 'local:0': local:N needs a whole number"),
        (["run", "--dask", "local:many"], "--dask: 'local:many': local:N needs a whole number"),
        (["run", "--dask", "scheduler"], "--dask: 'scheduler': not a Dask scheduler address"),
        (["run", "--dask", "http://h:8786"], "not a Dask scheduler address"),
        (["cache"], "required: action"),
        (["cache", "empty"], "invalid choice: 'empty'"),
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


# ---- the result cache -------------------------------------------------------------------


def test_cache_clear_removes_every_entry_and_says_how_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    cache = ResultCache(tmp_path / "cache")
    for replication in range(3):
        cache.put(cache.key("replication", replication), {"value": float(replication)})
    keep = tmp_path / "cache" / "notes.txt"  # not an entry: never touched
    keep.write_text("mine")
    monkeypatch.setenv("WORKBOOK_CACHE", str(tmp_path / "cache"))

    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().out == (
        f"workbook: removed 3 result cache entries from {tmp_path / 'cache'}\n"
    )
    assert [p.name for p in (tmp_path / "cache").rglob("*")] == ["notes.txt"]
    assert main(["cache", "clear"]) == 0
    assert "removed 0 result cache entries" in capsys.readouterr().out


# ---- the engine and the progress of running notebooks -----------------------------------

_RECORDING_NOTEBOOK = """\
import json, os, time
from models.kit.engine import Engine
from models.kit.progress import ProgressFile

engine = Engine.open_for_kernel(dask, jobs)
seen = {{"dask": dask, "label": engine.label, "env": {{k: os.environ.get(k) for k in KEYS}}}}
with open({record!r}, "w") as handle:
    json.dump(seen, handle)
ProgressFile.from_environment().report("study", 3, 8)
time.sleep(3)
"""


@dataclass(frozen=True)
class Recording:
    """A scenario and a notebooks folder whose one notebook, ``recording``, records its dask
    parameter, its engine and its environment in ``record``, reports progress and waits a little
    (so the runner shows it)."""

    scenario: Path
    notebooks: Path
    record: Path

    @classmethod
    def made(cls, folder: Path, make_scenario: Any, stem: str, name: str) -> Recording:
        """One in ``folder``, its scenario ``<stem>.yaml`` named ``name``."""
        scenario = make_scenario(folder / f"{stem}.yaml", name=name)
        record = folder / "seen.json"
        notebooks = _notebooks(
            folder / "notebooks",
            "recording",
            PARAMETERS + "\ndask = None",
            'KEYS = ("WORKBOOK_CACHE", "WORKBOOK_PROGRESS")',
            _RECORDING_NOTEBOOK.format(record=str(record)),
        )
        return cls(scenario, notebooks, record)

    def seen(self) -> dict[str, Any]:
        """What the notebook recorded when it ran."""
        return json.loads(self.record.read_text())


def test_a_run_on_a_local_cluster_passes_its_address_cache_and_progress_to_the_kernel(
    tmp_path: Path, make_scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording = Recording.made(tmp_path, make_scenario, "progress", "Progress")
    monkeypatch.setenv("WORKBOOK_CACHE", "relative-cache")  # made absolute for the kernel
    monkeypatch.chdir(tmp_path)
    lines: list[str] = []
    options = RunOptions(
        scenario_paths=(recording.scenario,),
        notebooks_dir=recording.notebooks,
        reports_dir=tmp_path / "reports",
        quick=True,
        dask="local:1",
        progress_interval_s=0.5,
    )

    assert run(options, say=lines.append) == 0, lines

    seen = recording.seen()
    assert re.fullmatch(r"tcp://127\.0\.0\.1:\d+", seen["dask"]), seen
    assert seen["label"] == f"Dask cluster at {seen['dask']} (1 worker)"
    assert seen["env"]["WORKBOOK_CACHE"] == str(tmp_path / "relative-cache")
    progress_file = Path(seen["env"]["WORKBOOK_PROGRESS"])
    assert not progress_file.parent.exists()  # the run's temporary folder is gone
    assert "replications on Dask LocalCluster of 1 worker" in lines[0]
    shown = [line.strip() for line in lines if line.startswith(" ")]
    assert shown, lines
    assert re.fullmatch(r"progress/recording \(\d+ s so far\): study: 3/8 runs", shown[-1]), lines


def test_no_cache_turns_the_cache_off_for_the_kernel(
    tmp_path: Path, make_scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording = Recording.made(tmp_path, make_scenario, "nocache", "No cache")
    monkeypatch.setenv("WORKBOOK_CACHE", str(tmp_path / "cache"))
    status = main(
        ["run", "--scenario", str(recording.scenario), "--notebooks-dir", str(recording.notebooks),
         "--reports-dir", str(tmp_path / "reports"), "--quick", "--no-cache"]
    )  # fmt: skip
    assert status == 0
    seen = recording.seen()
    cores = available_cores()
    assert seen["dask"] is None
    assert seen["label"] == ("one process" if cores == 1 else f"local process pool of {cores}")
    assert seen["env"]["WORKBOOK_CACHE"] == "off"
