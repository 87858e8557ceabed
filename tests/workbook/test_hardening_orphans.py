"""A killed run leaves nothing running, and the next run removes the files it left.

The fixture notebook ``spin_workers`` starts two replication workers that stay busy, and
leaves ``pids/kernel-<pid>`` and ``pids/worker-<pid>`` beside itself once they are up. The test
then takes every process under ``workbook run`` (from ``/proc``), kills only that top process
with SIGKILL, and expects every one of them to be gone within seconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SPIN = PROJECT_ROOT / "tests" / "fixtures" / "notebooks_spin" / "spin_workers.ipynb"
WORKERS_UP_S = 180.0
GONE_WITHIN_S = 10.0
RUN_ID = "4242-0123abcd"
RUNS_DIR = ".runs"  # where a run keeps its lock in the reports folder
TEMP_PREFIX = "workbook-run-"  # its lock and socket folder in the temporary folder

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="needs /proc and the parent-death signal (Linux)"
)

Process = tuple[int, int]  # pid and start time, so a reused pid is not mistaken for the same


def _stat(pid: int) -> tuple[str, int, int] | None:
    """State, parent pid and start time of ``pid`` from /proc, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[19])


def _descendants(root: int) -> set[Process]:
    """Every process under ``root``, each with its start time."""
    children: dict[int, list[int]] = {}
    starts: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[1], []).append(int(entry.name))
            starts[int(entry.name)] = stat[2]
    found, todo = set(), list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.add((pid, starts[pid]))
        todo.extend(children.get(pid, []))
    return found


def _alive(process: Process) -> bool:
    stat = _stat(process[0])
    return stat is not None and stat[2] == process[1] and stat[0] not in "ZX"


def _survivors(processes: set[Process], within: float) -> set[Process]:
    deadline = time.monotonic() + within
    while (alive := {p for p in processes if _alive(p)}) and time.monotonic() < deadline:
        time.sleep(0.2)
    return alive


def _wait_for_workers(pids: Path, kernels: int, top: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + WORKERS_UP_S
    while time.monotonic() < deadline:
        up = [p.name for p in pids.glob("*")] if pids.is_dir() else []
        if sum(n.startswith("kernel-") for n in up) >= kernels and (
            sum(n.startswith("worker-") for n in up) >= 2 * kernels
        ):
            return
        if top.poll() is not None:
            pytest.fail(f"workbook run ended before its workers were up: {log.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"workers not up within {WORKERS_UP_S} s: {log.read_text()}")


def _leftovers(reports: Path, temp: Path) -> list[str]:
    found = [p for p in reports.rglob("*") if p.name.endswith((".tmp", ".running.ipynb"))]
    found += list((reports / RUNS_DIR).glob("*")) if (reports / RUNS_DIR).is_dir() else []
    found += [p for p in temp.iterdir() if p.name.startswith("workbook") or p.suffix == ".json"]
    return sorted(map(str, found))


@pytest.fixture
def short_temp() -> Iterator[Path]:
    """A temporary folder with a short path (Unix socket paths are limited to ~100 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="wbt-", dir="/tmp"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@linux_only
@pytest.mark.parametrize("jobs", [1, 2], ids=["one-notebook", "notebook-pool"])
def test_killed_run_leaves_no_process_and_the_next_run_no_files(
    jobs: int, tmp_path: Path, short_temp: Path, make_scenario, run_workbook, fixture_notebooks
) -> None:
    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    shutil.copy(SPIN, notebooks / SPIN.name)
    scenarios = [make_scenario(tmp_path / f"spin{i}.yaml", name=f"Spin {i}") for i in range(jobs)]
    reports, log = tmp_path / "reports", tmp_path / "run.log"
    env = os.environ | {"TMPDIR": str(short_temp)}
    command = [sys.executable, "-m", "workbook", "run", "--only", "spin_workers"]
    command += ["--jobs", str(jobs)]
    command += ["--notebooks-dir", str(notebooks), "--reports-dir", str(reports)]
    command += [arg for scenario in scenarios for arg in ("--scenario", str(scenario))]
    tree: set[Process] = set()
    with log.open("wb") as out:
        top = subprocess.Popen(
            command, cwd=tmp_path, env=env, stdout=out, stderr=out, start_new_session=True
        )  # fmt: skip
    try:
        _wait_for_workers(notebooks / "pids", jobs, top, log)
        tree = _descendants(top.pid)
        recorded = {int(p.name.split("-")[1]) for p in (notebooks / "pids").iterdir()}
        assert recorded <= {pid for pid, _ in tree}, "the /proc scan misses processes"
        os.kill(top.pid, signal.SIGKILL)
        top.wait(timeout=30)
        survivors = _survivors(tree, GONE_WITHIN_S)
        assert not survivors, [Path(f"/proc/{p}/cmdline").read_bytes() for p, _ in survivors]
        assert _leftovers(reports, short_temp), "expected the killed run to leave files"

        again = run_workbook(
            "run", "--scenario", scenarios[0], "--notebooks-dir", fixture_notebooks,
            "--only", "display_ok", "--reports-dir", reports, "--quick", cwd=tmp_path, env=env,
        )  # fmt: skip
        assert again.returncode == 0, again.stderr
        assert _leftovers(reports, short_temp) == []
    finally:
        for pid, _ in (p for p in tree if _alive(p)):
            os.kill(pid, signal.SIGKILL)
        if top.poll() is None:
            top.kill()


_HOLD = (
    "import fcntl, sys\n"
    "handles = [open(p, 'a') for p in sys.argv[1:]]\n"
    "for h in handles: fcntl.flock(h, fcntl.LOCK_EX)\n"
    "print('locked', flush=True)\n"
    "sys.stdin.read()\n"
)


def _fake_run_files(reports: Path, temp: Path) -> tuple[list[Path], list[Path]]:
    """A run's leftovers and its lock files, named for ``RUN_ID``."""
    leftovers = [
        reports / "baseline" / f".recovery.{RUN_ID}.running.ipynb",
        reports / "baseline" / f".recovery.html.{RUN_ID}.k3x_9qzb.tmp",
        reports / f".index.json.{RUN_ID}.a1b2c3d4.tmp",
        temp / f"{TEMP_PREFIX}{RUN_ID}" / "kernel-0123.json",
    ]
    locks = [reports / RUNS_DIR / f"{RUN_ID}.lock", temp / f"{TEMP_PREFIX}{RUN_ID}.lock"]
    for path in leftovers + locks:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return leftovers, locks


@pytest.mark.skipif(os.name != "posix", reason="run locks need fcntl")
def test_cleanup_spares_a_live_runs_files_and_removes_them_once_it_is_gone(
    tmp_path: Path,
) -> None:
    from workbook.leftovers import remove_leftovers

    reports, temp = tmp_path / "reports", tmp_path / "temp"
    leftovers, locks = _fake_run_files(reports, temp)
    untagged = reports / "baseline" / ".fleet.html.oldstyle.tmp"  # no run id, two hours old
    untagged.write_text("")
    os.utime(untagged, (time.time() - 7200, time.time() - 7200))
    recent = reports / "baseline" / ".catering.1a2b3c4d.running.ipynb"  # no run id, new: kept
    recent.write_text("")
    kept = [reports / "baseline" / "recovery.html", reports / "baseline" / "notes.tmp"]
    for path in kept:
        path.write_text("earlier report")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, *map(str, locks)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        remove_leftovers(reports, temp)
        assert all(p.exists() for p in leftovers + locks + [untagged, recent] + kept)
    finally:
        holder.communicate("", timeout=30)
    remove_leftovers(reports, temp)
    assert not [p for p in leftovers + locks + [untagged] if p.exists()]
    assert not (temp / f"{TEMP_PREFIX}{RUN_ID}").exists()
    assert all(p.read_text() == "earlier report" for p in kept) and recent.exists()
