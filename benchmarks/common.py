"""Scaffolding shared by the service benchmarks (bench_recovery, bench_fleet, bench_catering).

Not a benchmark itself (``run_all.py`` runs ``bench_*.py`` only). The benchmarks run as scripts,
so they import this module as a sibling (``from common import ...``, with this folder put first
on ``sys.path``), not as ``benchmarks.common``.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel

__all__ = [
    "BASELINE",
    "MEMORY_GOAL",
    "SPEED_GOAL",
    "load_section",
    "memory_by_years",
    "peak_memory",
    "print_memory",
    "print_ratio",
    "print_speed",
    "side_by_side",
]

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "data" / "scenarios" / "baseline.yaml"
SPEED_GOAL = 2.0
"""The model should cost at most this many times the bare SimPy process, per unit of work."""
MEMORY_GOAL = 1.5
"""The long horizon's peak memory should be at most this many times the short one's."""

SectionT = TypeVar("SectionT", bound=BaseModel)


def load_section(model: type[SectionT], section: str) -> SectionT:
    """The baseline scenario's ``section`` (e.g. ``"recovery"``), validated by ``model``."""
    with open(BASELINE, encoding="utf-8") as handle:
        return model.model_validate(yaml.safe_load(handle)[section])


def peak_memory(run_once: Callable[[], Any]) -> float:
    """Peak traced memory (MiB, ``tracemalloc``) of one call of ``run_once``."""
    gc.collect()
    tracemalloc.start()
    run_once()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def print_ratio(ratio: float, goal: float) -> None:
    """The ratio line of a table, with whether it meets ``goal``."""
    verdict = "ok" if ratio <= goal else "above goal"
    print(f"  ratio      {ratio:8.2f}x  (goal <= {goal:g}x: {verdict})")


def print_speed(title: str, model_best: float, bare_best: float, unit: str) -> None:
    """Model against bare SimPy, in microseconds per ``unit`` (best seconds per unit given)."""
    print(title)
    print(f"  model      {model_best * 1e6:8.1f} us per {unit}")
    print(f"  bare SimPy {bare_best * 1e6:8.1f} us per {unit}")
    print_ratio(model_best / bare_best, SPEED_GOAL)


def print_memory(title: str, short: tuple[str, float], long: tuple[str, float]) -> None:
    """Peak memory of a short and a long horizon, each ``(label, MiB)``, and their ratio."""
    print(title)
    for label, mib in (short, long):
        print(f"  {label} {mib:8.2f} MiB")
    print_ratio(long[1] / short[1], MEMORY_GOAL)


def side_by_side(
    rounds: int, time_model: Callable[[int], tuple[float, float]], bare: Callable[[int], int]
) -> tuple[float, float, float]:
    """Alternate ``rounds`` timings of the model (``time_model(seed)`` -> seconds, units) and of
    the bare process (``bare(seed)`` -> units, timed here), keeping each one's best seconds per
    unit; also returns the model's units of the last round."""
    model_best = bare_best = float("inf")
    units = 0.0
    for r in range(rounds):
        seconds, units = time_model(r)
        model_best = min(model_best, seconds / units)
        start = time.perf_counter()
        bare_units = bare(r)
        bare_best = min(bare_best, (time.perf_counter() - start) / bare_units)
    return model_best, bare_best, units


def memory_by_years(
    make_run: Callable[[float], Any],
    run_once: Callable[[Any], Any],
    option: str,
    long_years: float,
) -> None:
    """Peak memory of one replication (``run_once(run)``) of ``make_run(years)`` for 1 and
    ``long_years`` simulated years (the run is built before tracing starts)."""

    def peak(years: float) -> float:
        run = make_run(years)
        return peak_memory(lambda: run_once(run))

    print_memory(
        f"memory (peak traced, {option}, warm-up + window)",
        (f"{1:>3g} year ", peak(1.0)),
        (f"{long_years:>3g} years", peak(long_years)),
    )
