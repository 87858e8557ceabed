"""Engines: a real Dask LocalCluster, a cluster joined by its address, the process pool and this
process give bit-identical results; bad specs are refused in one line; workers never outlive
the process that started them, even when it is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from distributed import LocalCluster

from models.kit.cache import ResultCache, code_version
from models.kit.engine import Engine, open_engine, parse_dask
from models.kit.replications import run_replications
from models.registry import SERVICES
from models.scenario import DEFAULT_SCENARIO, load_scenario

ROOT = Path(__file__).resolve().parents[2]
REPLICATIONS = 4
GONE_WITHIN_S = 10.0


@pytest.fixture(scope="module")
def study() -> dict[str, Any]:
    """The recovery service's options in year 1 of the default scenario, its quick period."""
    scenario = load_scenario(DEFAULT_SCENARIO)
    service = SERVICES["recovery"]
    config = service.section(scenario)
    period = scenario.appraisal.period_years
    runs = service.appraisal_runs(config, period, years=(1,), **service.quick)
    return {"simulate": service.simulate, "options": runs, "seed": scenario.seed}


@pytest.fixture(scope="module")
def in_process(study: dict[str, Any]) -> pd.DataFrame:
    return _run(study, jobs=1)


def _run(study: dict[str, Any], **engine: Any) -> pd.DataFrame:
    return run_replications(
        study["simulate"],
        study["options"],
        replications=REPLICATIONS,
        seed=study["seed"],
        progress=False,
        **engine,
    )


def _on(engine: Engine) -> dict[str, Any]:
    return {"jobs": engine.workers, "executor": engine.executor}


def _identical(frame: pd.DataFrame, reference: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(frame, reference, check_exact=True)


# --------------------------------------------------------------------------- processes


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie has finished: only its exit status is left)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            state = stat.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def _children() -> dict[int, int]:
    """Every process's parent, by pid."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            parents[int(entry.name)] = int(fields[1])
    return parents


def _descendants(pid: int) -> set[int]:
    parents = _children()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _workers(pids: set[int]) -> set[int]:
    """Those of ``pids`` that are worker processes made by multiprocessing (spawn)."""
    found = set()
    for pid in pids:
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.add(pid)
        except OSError:
            continue
    return found


def _wait_gone(pids: set[int], within_s: float = GONE_WITHIN_S) -> set[int]:
    """The pids still running after ``within_s`` seconds."""
    deadline = time.monotonic() + within_s
    while (alive := {pid for pid in pids if _alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def _kill(pids: set[int]) -> None:
    """Stop processes this test started, should a check have failed."""
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def own_children() -> Iterator[set[int]]:
    """The set to fill with child processes this test starts; killed if left at the end."""
    started: set[int] = set()
    yield started
    _kill(started)


# --------------------------------------------------------------------------- specs


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("local:2", "local:2"),
        (" local:16 ", "local:16"),
        ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("10.0.0.5:8786", "tcp://10.0.0.5:8786"),
        ("tls://scheduler.example:8786", "tls://scheduler.example:8786"),
        ("tcp://[::1]:8786", "tcp://[::1]:8786"),
    ],
)
def test_a_good_spec_is_understood(spec: str, expected: str) -> None:
    assert str(parse_dask(spec)) == expected


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("local:0", "local:N needs a whole number of workers from 1 to"),
        ("local:two", "local:N needs a whole number"),
        ("local:-1", "local:N needs a whole number"),
        ("local:100000", "local:N needs a whole number"),
        ("", "not a Dask scheduler address"),
        ("scheduler", "not a Dask scheduler address"),
        ("tcp://scheduler", "not a Dask scheduler address"),
        ("http://scheduler:8786", "not a Dask scheduler address"),
        ("tcp://scheduler:99999", "not a Dask scheduler address"),
        ("tcp://scheduler:8786/path", "not a Dask scheduler address"),
        ("tcp://sched uler:8786", "not a Dask scheduler address"),
    ],
)
def test_a_bad_spec_is_one_line(spec: str, says: str) -> None:
    with pytest.raises(ValueError, match=says) as refused:
        parse_dask(spec)
    assert "\n" not in str(refused.value)
    with pytest.raises(ValueError, match=says), open_engine(spec, None):
        pass


def test_a_scheduler_that_does_not_answer_is_one_line() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with (
        pytest.raises(ValueError, match="no Dask scheduler answered at") as refused,
        open_engine(f"tcp://127.0.0.1:{port}", None, timeout_s=2),
    ):
        pass
    assert "\n" not in str(refused.value)
    assert time.monotonic() - started < 30


# --------------------------------------------------------------------------- identical results


def test_the_process_pool_and_this_process_give_the_same_numbers(
    study: dict[str, Any], in_process: pd.DataFrame
) -> None:
    with open_engine(None, 2) as pool:
        assert (pool.executor, pool.workers, pool.label) == (None, 2, "local process pool of 2")
        _identical(_run(study, **_on(pool)), in_process)
    with open_engine(None, 1) as one:
        assert (one.executor, one.workers, one.label) == (None, 1, "one process")


def test_a_local_cluster_gives_the_same_numbers_and_closes(
    study: dict[str, Any], in_process: pd.DataFrame, tmp_path: Path, own_children: set[int]
) -> None:
    before = _descendants(os.getpid())
    with open_engine("local:2", None) as engine:
        workers = _workers(_descendants(os.getpid()) - before)
        own_children |= workers
        assert (engine.workers, engine.label) == (2, "Dask LocalCluster of 2 workers")
        assert engine.address is not None and engine.address.startswith("tcp://")
        assert len(workers) == 2
        cache = ResultCache(tmp_path / "cache")
        _identical(_run(study, **_on(engine), cache=cache), in_process)  # simulated there
        _identical(_run(study, **_on(engine), cache=cache), in_process)  # from the cache
        assert cache.hits == cache.misses == REPLICATIONS * len(study["options"])
    assert not _wait_gone(workers), "LocalCluster workers outlived the engine"


def test_a_cluster_joined_by_its_address_gives_the_same_numbers(
    study: dict[str, Any], in_process: pd.DataFrame
) -> None:
    code_version.cache_clear()  # other engineers edit models/ as the tests run: read it afresh
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        open_engine(cluster.scheduler_address, None) as engine,
    ):
        assert engine.workers == 2
        assert engine.label == f"Dask cluster at {cluster.scheduler_address} (2 workers)"
        _identical(_run(study, **_on(engine)), in_process)


# --------------------------------------------------------------------------- nothing outlives


def _script(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "engine_user.py"
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    return script


def _start(script: Path) -> subprocess.Popen[str]:
    """``script`` run by this interpreter from the project root, its pipes to this test."""
    return subprocess.Popen(
        [sys.executable, str(script)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_local_cluster_workers_die_when_their_parent_is_killed(
    tmp_path: Path, own_children: set[int]
) -> None:
    script = _script(
        tmp_path,
        """
        import time
        from models.kit.engine import open_engine

        def busy(seconds):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                pass

        if __name__ == "__main__":
            with open_engine("local:2", None) as engine:
                running = [engine.executor.submit(busy, 120) for _ in range(2)]
                time.sleep(1.0)  # both workers are computing when the parent dies
                print("ready", flush=True)
                time.sleep(120)
        """,
    )
    parent = _start(script)
    own_children.add(parent.pid)
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "ready"
        family = _descendants(parent.pid)  # its workers and multiprocessing's resource tracker
        own_children |= family
        assert len(_workers(family)) == 2, family
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        assert not _wait_gone(family), "processes of the killed parent are still running"
    finally:
        parent.kill()
        parent.communicate()


def test_an_engine_held_for_a_kernel_closes_when_the_process_exits(
    tmp_path: Path, own_children: set[int]
) -> None:
    script = _script(
        tmp_path,
        """
        import os
        import sys
        from models.kit.engine import Engine

        if __name__ == "__main__":
            engine = Engine.open_for_kernel("local:1", None)
            print(engine.label, engine.executor.submit(os.getpid).result(), flush=True)
            sys.stdin.readline()
        """,
    )
    user = _start(script)
    own_children.add(user.pid)
    try:
        assert user.stdout is not None and user.stdin is not None
        line = user.stdout.readline().split()
        assert line[:-1] == ["Dask", "LocalCluster", "of", "1", "worker"], line
        worker = int(line[-1])
        own_children.add(worker)
        assert _alive(worker)
        _, err = user.communicate("\n", timeout=60)
        assert user.returncode == 0, err
        assert "Traceback" not in err, err
        assert not _wait_gone({worker}), "the kernel's worker outlived it"
    finally:
        user.kill()
