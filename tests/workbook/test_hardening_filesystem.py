"""File-system failures are one line naming the path and what to do, never a traceback.

Root ignores permission bits, so a read-only folder is made with ``chattr +i`` (where the file
system supports it) or a read-only bind mount in a private mount namespace (``unshare -m``);
a path under a regular file always works and needs neither.
"""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from workbook.cli import main
from workbook.runner import NotebookTask, execute_task

SLUG = "earlier"


@pytest.fixture
def scenario(tmp_path: Path, make_scenario) -> Path:
    return make_scenario(tmp_path / f"{SLUG}.yaml", name="Earlier")


@pytest.fixture
def earlier_reports(tmp_path: Path) -> Path:
    """A reports folder holding the reports of an earlier run."""
    reports = tmp_path / "reports"
    (reports / SLUG).mkdir(parents=True)
    (reports / SLUG / "display_ok.html").write_text("earlier report")
    (reports / "index.html").write_text("earlier index")
    (reports / "index.json").write_text('{"version": 1, "reports": []}\n')
    return reports


def _run(scenario: Path, reports: Path, notebooks: Path, capsys) -> tuple[int, list[str]]:
    status = main(
        ["run", "--scenario", str(scenario), "--notebooks-dir", str(notebooks),
         "--only", "display_ok", "--reports-dir", str(reports), "--quick"]
    )  # fmt: skip
    return status, capsys.readouterr().err.splitlines()


def _assert_one_line(status: int, err: list[str], *needles: str) -> None:
    assert status != 0
    assert len(err) == 1, err
    assert "Traceback" not in err[0]
    for needle in needles:
        assert needle in err[0], err


def test_reports_dir_that_is_a_file_is_refused(
    tmp_path: Path, scenario: Path, fixture_notebooks: Path, capsys
) -> None:
    reports = tmp_path / "reports"
    reports.write_text("not a folder")
    status, err = _run(scenario, reports, fixture_notebooks, capsys)
    _assert_one_line(status, err, str(reports), "--reports-dir")
    assert reports.read_text() == "not a folder"


def test_reports_dir_under_a_file_is_refused(
    tmp_path: Path, scenario: Path, fixture_notebooks: Path, capsys
) -> None:
    blocker = tmp_path / "some_file"
    blocker.write_text("a file where a folder should be")
    status, err = _run(scenario, blocker / "sub", fixture_notebooks, capsys)
    _assert_one_line(status, err, str(blocker / "sub"), str(blocker), "--reports-dir")
    assert blocker.read_text() == "a file where a folder should be"


def test_file_in_the_way_of_the_scenario_folder_is_refused(
    earlier_reports: Path, scenario: Path, fixture_notebooks: Path, capsys, snapshot
) -> None:
    shutil.rmtree(earlier_reports / SLUG)
    (earlier_reports / SLUG).write_text("a file where reports/<scenario>/ must be")
    before = snapshot(earlier_reports)
    status, err = _run(scenario, earlier_reports, fixture_notebooks, capsys)
    _assert_one_line(status, err, str(earlier_reports / SLUG), "in the way")
    assert snapshot(earlier_reports) == before


@contextmanager
def _immutable(folder: Path) -> Iterator[None]:
    """``folder`` read-only even for root (``chattr +i``), or skip where that is unavailable."""
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("chattr is not installed")
    made = subprocess.run([chattr, "+i", str(folder)], capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"chattr +i is not supported here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


@pytest.mark.parametrize("where", ["reports", "scenario folder"])
def test_read_only_reports_are_refused_and_kept(
    where: str, earlier_reports: Path, scenario: Path, fixture_notebooks: Path, capsys, snapshot
) -> None:
    folder = earlier_reports if where == "reports" else earlier_reports / SLUG
    before = snapshot(earlier_reports)
    with _immutable(folder):
        status, err = _run(scenario, earlier_reports, fixture_notebooks, capsys)
    _assert_one_line(status, err, f"{folder}/: cannot write here", "--reports-dir")
    assert snapshot(earlier_reports) == before


def test_read_only_mount_is_refused_in_one_line(
    earlier_reports: Path, scenario: Path, fixture_notebooks: Path, tmp_path: Path, snapshot
) -> None:
    unshare = shutil.which("unshare")
    if unshare is None or not sys.platform.startswith("linux"):
        pytest.skip("needs unshare (Linux mount namespaces)")
    before = snapshot(earlier_reports)
    remount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 77; exec "$@"'
    result = subprocess.run(
        [unshare, "-m", "sh", "-c", remount, str(earlier_reports),
         sys.executable, "-m", "workbook", "run", "--scenario", str(scenario),
         "--notebooks-dir", str(fixture_notebooks), "--only", "display_ok",
         "--reports-dir", str(earlier_reports), "--quick"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if result.returncode == 77:
        pytest.skip(f"cannot make a read-only bind mount here: {result.stderr.strip()}")
    err = result.stderr.splitlines()
    _assert_one_line(result.returncode, err, f"{earlier_reports}/", "Read-only file system")
    assert snapshot(earlier_reports) == before


def test_file_system_error_during_a_run_is_one_line(monkeypatch, capsys) -> None:
    def disk_full(options, say=None) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", "reports/index.json")

    monkeypatch.setattr("workbook.runner.run", disk_full)
    status = main(["run", "--scenario", "any.yaml"])
    err = capsys.readouterr().err.splitlines()
    _assert_one_line(status, err, "reports/index.json", "No space left on device", "free")


def test_file_system_error_in_validate_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    def unreadable(path):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr("workbook.validate.load_scenario", unreadable)
    status = main(["validate", str(tmp_path / "locked.yaml")])
    err = capsys.readouterr().err.splitlines()
    _assert_one_line(status, err, "locked.yaml", "Permission denied")


def test_notebook_whose_report_folder_cannot_be_made_fails_without_raising(
    tmp_path: Path, fixture_notebooks: Path
) -> None:
    blocker = tmp_path / "some_file"
    blocker.write_text("x")
    task = NotebookTask(
        scenario_path=str(tmp_path / "s.yaml"),
        scenario_slug=SLUG,
        scenario_name="Earlier",
        notebook=str(fixture_notebooks / "display_ok.ipynb"),
        reports_dir=str(blocker / "sub"),
        replications=None,
        quick=True,
        jobs=1,
        timeout=60.0,
    )
    outcome = execute_task(task)
    assert not outcome.ok
    assert "\n" not in outcome.reason and outcome.reason
    assert blocker.read_text() == "x"
