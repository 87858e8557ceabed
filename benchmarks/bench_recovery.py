"""Recovery model: per-vehicle cost against a bare SimPy process, and memory against horizon.

1. Speed, side by side in one run: the full model (``models.recovery.simulate``, default
   scenario, in-house option: rosters, priorities, streamed statistics, income) and a bare SimPy
   process of the same events (Poisson requests by thinning, a priority resource per sector,
   travel, on scene and tow, pound admission, return, examination with a bay and an examiner,
   departure), with the cheapest plain ``random`` draws (exponential) and no statistics.
   Prints microseconds per vehicle and the ratio (goal: within about 2x of the bare process).
2. Memory: peak traced memory (``tracemalloc``) of ``simulate`` with a 1-year and a 10-year
   observed window. Statistics are streamed, so the peak should not grow with the horizon
   (goal: 10-year peak within 1.5x of the 1-year peak).

Run: ``python benchmarks/bench_recovery.py`` (about a minute; ``--quick`` for 1 vs 3 years).
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from bisect import bisect
from collections.abc import Generator
from pathlib import Path
from typing import Any

import simpy

from models.kit.streams import Streams
from models.recovery import RecoveryConfig, RecoveryRun, simulate
from models.recovery.config import build_roster

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: common is a sibling
from common import load_section, memory_by_years, print_speed, side_by_side

OPTION = "in_house"
SPEED_DAYS = 182.0


def load_config() -> RecoveryConfig:
    """The default ``recovery:`` section."""
    return load_section(RecoveryConfig, "recovery")


def bare_simpy(config: RecoveryConfig, days: float, seed: int) -> int:
    """The same events as the model with nothing else: returns the number of vehicles."""
    rng = random.Random(seed)
    env = simpy.Environment()
    option = config.options[OPTION]
    demand = config.demand
    sectors = list(demand.sectors.values())
    categories = list(demand.categories.values())
    trucks = [
        simpy.PriorityResource(env, capacity=max(1, round(build_roster(spec).mean_capacity)))
        for spec in option.recovery.trucks.values()
    ]
    bays = simpy.Resource(env, capacity=option.examination.bays)
    examiners = simpy.Resource(
        env, capacity=max(1, round(build_roster(option.examination.examiners).mean_capacity))
    )
    profile = demand.profile(1)
    peak = profile.max_rate
    held = [0]
    count = [0]

    def draw(mean: float) -> float:
        return rng.expovariate(1.0 / mean)  # the cheapest draw: the bare process's best case

    def leave(_event: simpy.Event) -> None:
        held[0] -= 1

    def vehicle(sector: Any, category: Any) -> Generator[simpy.Event, Any, None]:
        with trucks[sector].request(priority=0 if category.priority == "urgent" else 1) as req:
            yield req
            yield env.timeout(draw(sectors[sector].travel_time.mean))
            yield env.timeout(
                draw(category.on_scene_time.mean) + draw(sectors[sector].tow_time.mean)
            )
            held[0] += 1
            if category.examination_time is not None:
                env.process(examine(category))
            else:
                env.timeout(draw(100.0)).callbacks.append(leave)
            yield env.timeout(draw(sectors[sector].return_time.mean))

    def examine(category: Any) -> Generator[simpy.Event, Any, None]:
        with bays.request() as bay:
            yield bay
            with examiners.request() as examiner:
                yield examiner
                yield env.timeout(draw(category.examination_time.mean))
        env.timeout(draw(100.0)).callbacks.append(leave)

    sector_cumulative = list(itertools.accumulate(s.share for s in sectors))
    category_cumulative = list(itertools.accumulate(c.share for c in categories))

    def source() -> Generator[simpy.Event, Any, None]:
        t = 0.0
        while True:
            t += rng.expovariate(peak)
            if rng.random() * peak < profile.rate_at(t):
                yield env.timeout(t - env.now)
                sector = min(bisect(sector_cumulative, rng.random()), len(sectors) - 1)
                category = categories[
                    min(bisect(category_cumulative, rng.random()), len(categories) - 1)
                ]
                count[0] += 1
                env.process(vehicle(sector, category))

    env.process(source())
    env.run(until=days * 24.0)
    return count[0]


def time_model(config: RecoveryConfig, days: float, seed: int) -> tuple[float, float]:
    """Seconds and vehicles of the full model over ``days`` (warm-up 0, all observed)."""
    run = RecoveryRun(config, OPTION, year=1, warmup_days=0.0, window_days=days)
    start = time.perf_counter()
    metrics = simulate(run, Streams(seed))
    seconds = time.perf_counter() - start
    return seconds, metrics["requests_per_year"] * days / 365.0


def speed(config: RecoveryConfig, rounds: int = 3) -> None:
    """Per-vehicle cost, model vs bare SimPy, alternating rounds and keeping each one's best."""
    model_best, bare_best, _vehicles = side_by_side(
        rounds,
        lambda seed: time_model(config, SPEED_DAYS, seed=seed),
        lambda seed: bare_simpy(config, SPEED_DAYS, seed=seed),
    )
    print_speed(
        f"speed ({SPEED_DAYS:g} simulated days, best of {rounds})", model_best, bare_best, "vehicle"
    )


def memory(config: RecoveryConfig, long_years: float) -> None:
    """Peak memory (one replication, ``simulate``) for 1 and ``long_years`` simulated years."""
    memory_by_years(
        lambda years: RecoveryRun(config, OPTION, year=1, window_days=365.0 * years),
        lambda run: simulate(run, Streams(1)),
        OPTION,
        long_years,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="compare 1 and 3 years of memory")
    args = parser.parse_args()
    config = load_config()
    speed(config)
    memory(config, 3.0 if args.quick else 10.0)


if __name__ == "__main__":
    main()
