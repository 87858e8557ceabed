"""The driver of the service benchmarks (``bench_services.py``) and what it shares.

For every service of the registry: the full model against the service's bare-SimPy reference
loop (``bare_<service>.py``: its own :class:`Reference`), in microseconds per unit of work side
by side, and the peak memory of one replication over a short and a long horizon, ratios printed
against the goals. Not a benchmark itself (``run_all.py`` runs ``bench_*.py`` only). The
benchmarks run as scripts, so they import this module as a sibling (``from common import ...``,
with this folder put first on ``sys.path``), not as ``benchmarks.common``.
"""

from __future__ import annotations

import gc
import importlib
import time
import tracemalloc
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.kit.streams import Streams
from models.scenario import DEFAULT_SCENARIO, load_scenario
from models.service import Service

__all__ = [
    "MEMORY_GOAL",
    "SPEED_GOAL",
    "Reference",
    "bench_service",
    "memory_by_days",
    "peak_memory",
    "print_memory",
    "print_ratio",
    "print_ratios",
    "print_speed",
    "reference_of",
    "service_config",
    "side_by_side",
    "speed",
]

ROOT = Path(__file__).resolve().parents[1]
SPEED_GOAL = 2.0
"""The model should cost at most this many times the bare SimPy process, per unit of work."""
MEMORY_GOAL = 1.5
"""The long horizon's peak memory should be at most this many times the short one's."""


@dataclass(frozen=True)
class Reference:
    """What a service's benchmark needs of its own: the bare-SimPy loop and the runs timed."""

    unit: str
    """What one unit of work is (``"vehicle"``), per which the speed is printed."""
    option: str
    speed_days: float
    """Simulated days of each speed round."""
    bare: Callable[[Any, Any, int], int]
    """``bare(config, days, seed)``: the same events with nothing else; returns its units."""
    counted: str | None
    """The model's metric (per year) of its units; ``None``: both are counted per the bare
    loop's units (the same demand)."""
    memory_days: tuple[float, float] = (365.0, 3650.0)
    """Short and long horizon of the memory comparison, in days (a year against ten)."""
    quick_memory_days: tuple[float, float] = (365.0, 1095.0)
    """The same for ``--quick`` (a year against three)."""
    speed_year: float = 1.0
    """Demand year of the speed runs (no warm-up, all observed); the memory runs are of year 1
    with the default warm-up."""
    horizon: Callable[[float], Mapping[str, Any]] = lambda days: {"window_days": days}
    """The run class's arguments of a ``days``-long horizon."""


def reference_of(service: Service) -> Reference:
    """The service's :class:`Reference`, from its sibling module ``bare_<service>.py``."""
    return importlib.import_module(f"bare_{service.name}").REFERENCE


def service_config(service: Service) -> Any:
    """The default scenario's section of ``service``."""
    return service.section(load_scenario(DEFAULT_SCENARIO))


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
    rounds: int,
    time_model: Callable[[int], tuple[float, float | None]],
    bare: Callable[[int], int],
) -> tuple[float, float, float]:
    """Alternate ``rounds`` timings of the model (``time_model(seed)`` -> seconds, units, or
    ``None`` for the bare process's units of the same round) and of the bare process
    (``bare(seed)`` -> units, timed here), keeping each one's best seconds per unit; also
    returns the model's units of the last round."""
    model_best = bare_best = float("inf")
    units = 0.0
    for r in range(rounds):
        seconds, counted = time_model(r)
        start = time.perf_counter()
        bare_units = bare(r)
        bare_best = min(bare_best, (time.perf_counter() - start) / bare_units)
        units = bare_units if counted is None else counted
        model_best = min(model_best, seconds / units)
    return model_best, bare_best, units


def speed(service: Service, reference: Reference, config: Any, days: Any, rounds: int = 3) -> float:
    """Per-unit cost, model vs bare SimPy, alternating rounds and keeping each one's best;
    prints them and returns the ratio."""

    def time_model(seed: int) -> tuple[float, float | None]:
        run = service.run_class(
            config,
            reference.option,
            year=reference.speed_year,
            warmup_days=0.0,
            **reference.horizon(days),
        )
        start = time.perf_counter()
        metrics = service.simulate(run, Streams(seed))
        seconds = time.perf_counter() - start
        counted = reference.counted
        return seconds, None if counted is None else metrics[counted] * days / 365.0

    model_best, bare_best, units = side_by_side(
        rounds, time_model, lambda seed: reference.bare(config, days, seed)
    )
    title = f"speed ({days:g} simulated days, {reference.option}, ~{units:,.0f} units"
    print_speed(f"{title}, best of {rounds})", model_best, bare_best, reference.unit)
    return model_best / bare_best


def memory_by_days(
    service: Service, reference: Reference, config: Any, short: float, long: float
) -> float:
    """Peak memory of one replication of the run over ``short`` and ``long`` days (the run is
    built before tracing starts); prints them and returns the ratio."""

    def peak(days: float) -> float:
        run = service.run_class(config, reference.option, year=1, **reference.horizon(days))
        return peak_memory(lambda: service.simulate(run, Streams(1)))

    low, high = peak(short), peak(long)
    print_memory(
        f"memory (peak traced, {reference.option}, warm-up + window)",
        (f"{short:>5g} days", low),
        (f"{long:>5g} days", high),
    )
    return high / low


def bench_service(
    service: Service,
    *,
    quick: bool = False,
    rounds: int = 3,
    speed_days: float | None = None,
    memory_days: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """Speed and memory of one service; returns the two ratios."""
    reference = reference_of(service)
    config = service_config(service)
    print(f"\n-- {service.title} --", flush=True)
    days = reference.speed_days if speed_days is None else speed_days
    ratio = speed(service, reference, config, days, rounds)
    default = reference.quick_memory_days if quick else reference.memory_days
    short, long = default if memory_days is None else memory_days
    return ratio, memory_by_days(service, reference, config, short, long)


def print_ratios(ratios: Mapping[str, tuple[float, float]]) -> None:
    """Every service's speed and memory ratios side by side, against the goals."""
    print(f"\n{'service':<12}{'speed':>10}{'memory':>10}")
    for name, (fast, small) in ratios.items():
        print(f"{name:<12}{fast:>9.2f}x{small:>9.2f}x")
    print(f"{'goal':<12}{SPEED_GOAL:>9g}x{MEMORY_GOAL:>9g}x")
