"""``benchmarks/run_all.py`` runs every benchmark and fails when any one fails.

The real benchmarks take minutes, so these tests give the runner tiny fake scripts instead.
"""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

RUN_ALL = Path(__file__).resolve().parents[1] / "benchmarks" / "run_all.py"


@pytest.fixture(scope="module")
def runner() -> dict:
    return runpy.run_path(str(RUN_ALL))  # not as __main__: only defines the functions


def _write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def fakes(tmp_path: Path) -> Path:
    """Four fake benchmarks: one ends early with SystemExit(0), one fails, one crashes."""
    _write(tmp_path, "bench_a_early_exit.py", "print('early')\nraise SystemExit(0)\n")
    _write(tmp_path, "bench_b_fails.py", "print('missed its goal')\nraise SystemExit(3)\n")
    _write(tmp_path, "bench_c_crashes.py", "raise RuntimeError('boom')\n")
    _write(tmp_path, "bench_d_last.py", "print('last one ran')\n")
    _write(tmp_path, "common.py", "raise AssertionError('not a benchmark: must not run')\n")
    return tmp_path


def test_every_benchmark_runs_after_one_exits_early_or_fails(
    runner: dict, fakes: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    scripts = runner["benchmarks"](fakes)
    assert [p.stem for p in scripts] == [
        "bench_a_early_exit",
        "bench_b_fails",
        "bench_c_crashes",
        "bench_d_last",
    ]
    code = runner["main"](scripts)
    out = capfd.readouterr().out
    assert code == 1
    for text in ("== bench_a_early_exit ==", "early", "missed its goal", "last one ran"):
        assert text in out
    assert out.index("early") < out.index("missed its goal") < out.index("last one ran")
    summary = out.strip().splitlines()[-1]
    assert "2 of 4 benchmarks FAILED" in summary
    assert "bench_b_fails (exit 3)" in summary and "bench_c_crashes (exit 1)" in summary
    assert "bench_a_early_exit" not in summary and "bench_d_last" not in summary


def test_exit_status_is_zero_only_when_all_pass(runner: dict, tmp_path: Path) -> None:
    one = _write(tmp_path, "bench_one.py", "raise SystemExit(0)\n")
    two = _write(tmp_path, "bench_two.py", "print('fine')\n")
    outcomes = runner["run_all"]([one, two])
    assert [(o.name, o.returncode) for o in outcomes] == [("bench_one", 0), ("bench_two", 0)]
    assert runner["main"]([one, two]) == 0
    assert runner["main"]([]) == 1  # an empty list measured nothing: not a success


def test_the_command_line_exits_non_zero_naming_the_failure(fakes: Path) -> None:
    """As `make bench` runs it: a script, whose exit status make sees."""
    code = (
        "import runpy, sys; from pathlib import Path\n"
        f"ns = runpy.run_path({str(RUN_ALL)!r})\n"
        f"sys.exit(ns['main'](ns['benchmarks'](Path({str(fakes)!r}))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1
    assert "bench_b_fails (exit 3)" in done.stdout
    assert "last one ran" in done.stdout
