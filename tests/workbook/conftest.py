"""Shared helpers for the workbook tests, as fixtures (tests import no sibling modules).

``make_scenario`` writes a scenario file extending the baseline; ``run_workbook`` runs the
real command (``python -m workbook``) with this interpreter, through ``tests.support``;
``snapshot`` reads every file of a folder so a test can tell whether anything was written;
``quick_reports`` is one quick run of every project notebook on every scenario, shared by every
test (and every xdist worker) that reads the real reports.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import run_workbook as run_workbook_command
from workbook.atomic import atomic_write_text, file_lock

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BASELINE = PROJECT_ROOT / "data" / "scenarios" / "baseline.yaml"

MakeScenario = Callable[..., Path]
RunWorkbook = Callable[..., subprocess.CompletedProcess[str]]
Snapshot = Callable[[Path], dict[str, bytes]]


def _make_scenario(path: Path, *, name: str, seed: int = 4242, extra: str = "") -> Path:
    """A scenario file that extends the baseline (3 quick replications)."""
    path.write_text(
        f"extends: {BASELINE}\n"
        f"name: {name!r}\n"
        "description: 'Runner test & escaping <b>check</b>'\n"
        f"seed: {seed}\n"
        "run:\n  quick_replications: 3\n" + extra,
        encoding="utf-8",
    )
    return path


def _run_workbook(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``python -m workbook ARGS`` with this interpreter, from ``cwd`` (which must be given)."""
    return run_workbook_command(*args, cwd=cwd, env=env, timeout=timeout)


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="session")
def make_scenario() -> MakeScenario:
    return _make_scenario


@pytest.fixture(scope="session")
def run_workbook() -> RunWorkbook:
    return _run_workbook


@pytest.fixture(scope="session")
def snapshot() -> Snapshot:
    return _snapshot


@pytest.fixture(scope="session")
def fixture_notebooks() -> Path:
    return PROJECT_ROOT / "tests" / "fixtures" / "notebooks"


@pytest.fixture(scope="session")
def quick_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reports folder of one ``workbook run --quick --replications 2`` of every project
    notebook on every scenario (the smallest replications accepted: every report must cope).

    The run happens once per test session: xdist workers share it through a folder beside
    their own temporary folders, the first to take the lock runs it and the others read its
    outcome. A failed run fails every test that uses it, with the command's error.
    """
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's folder is inside the session's; without it the parent is
    # shared by every session, so the run stays in the session's own folder.
    session = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    shared = session / "quick-reports"
    shared.mkdir(exist_ok=True)
    outcome = shared / "outcome.json"
    with file_lock(shared / ".lock"):
        if not outcome.exists():
            done = _run_workbook(
                "run", "--quick", "--replications", "2", "--jobs", "2",
                "--reports-dir", shared / "reports", cwd=shared, timeout=1200,
            )  # fmt: skip
            record = {"returncode": done.returncode, "stderr": done.stderr[-4000:]}
            atomic_write_text(outcome, json.dumps(record))
    record = json.loads(outcome.read_text(encoding="utf-8"))
    assert record["returncode"] == 0, record["stderr"]
    return shared / "reports"
