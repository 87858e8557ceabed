"""Fleet model: per-job cost against a bare SimPy process, and memory against horizon.

1. Speed, side by side in one run: the full model (``models.fleet.simulate``, default scenario,
   in-house option: 5,500 vehicles, rosters, sessions, priorities, mobile units, shifts and the
   spare pool, streamed statistics) and a bare SimPy loop of the same events (each vehicle's
   next failure or service as a timeout, a process per job: travel, parts wait, a bay and a
   technician from priority resources at the rosters' mean capacity, labour, travel back;
   mobile units for small jobs), with the cheapest plain ``random`` draws (exponential) and no
   statistics. Prints microseconds per job and the ratio (goal: within about 2x of the bare
   loop).
2. Memory: peak traced memory (``tracemalloc``) of ``simulate`` with a 1-year and a 10-year
   observed window. Statistics are streamed and job draws sit in a bounded cache, so the
   peak should not grow with the horizon (goal: 10-year peak within 1.5x of the 1-year peak).

Run: ``python benchmarks/bench_fleet.py`` (a few minutes; ``--quick`` for 1 vs 3 years).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import simpy

from models.fleet import SERVICE, FleetConfig, FleetRun, simulate
from models.kit.roster import build_roster
from models.kit.streams import Streams

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: common is a sibling
from common import load_section, memory_by_years, print_speed, side_by_side

OPTION = "in_house"
SPEED_DAYS = 91.0
HOURS_PER_YEAR = 8760.0


def load_config() -> FleetConfig:
    """The default ``fleet:`` section."""
    return load_section(FleetConfig, "fleet")


def bare_simpy(config: FleetConfig, days: float, seed: int) -> int:
    """The same events as the model with nothing else: returns the number of jobs."""
    rng = random.Random(seed)
    env = simpy.Environment()
    workshop = config.options[OPTION].workshops["force"]
    technicians = {
        skill: simpy.PriorityResource(
            env, capacity=max(1, round(build_roster(roster).mean_capacity))
        )
        for skill, roster in workshop.technicians.items()
    }
    bays = {kind: simpy.PriorityResource(env, capacity=n) for kind, n in workshop.bays.items()}
    mobile = simpy.PriorityResource(
        env, capacity=max(1, round(build_roster(workshop.mobile_units).mean_capacity))
    )
    kinds = list(config.jobs.items())
    travel = workshop.travel_time.mean
    count = [0]

    def draw(mean: float) -> float:
        return rng.expovariate(1.0 / mean) if mean > 0 else 0.0

    def job(kind: Any, priority: int) -> Generator[simpy.Event, Any, None]:
        parts = draw(kind.parts_delay_hours.mean) if rng.random() < kind.parts_share else 0.0
        if rng.random() < kind.mobile_share:
            if parts:
                yield env.timeout(parts)
            with mobile.request(priority) as unit:
                yield unit
                yield env.timeout(draw(1.0) + draw(kind.labour_hours.mean))
            return
        yield env.timeout(draw(travel))
        if parts:
            yield env.timeout(parts)
        with bays[kind.bay].request(priority) as bay:
            yield bay
            with technicians[kind.skill].request(priority) as technician:
                yield technician
                yield env.timeout(draw(kind.labour_hours.mean))
        yield env.timeout(draw(travel))

    def vehicle(spec: Any) -> Generator[simpy.Event, Any, None]:
        rate = spec.failure_rate / HOURS_PER_YEAR
        interval = spec.service_interval_hours
        weights = [spec.failures_per_year.get(name, 0.0) for name, _ in kinds]
        priority = 0 if spec.priority == "urgent" else 1
        service_due = rng.random() * interval
        while True:
            failure = env.now + (rng.expovariate(rate) if rate > 0 else math.inf)
            if failure < service_due:
                yield env.timeout(failure - env.now)
                kind = rng.choices(kinds, weights)[0][1]
            else:
                yield env.timeout(max(0.0, service_due - env.now))
                kind = config.jobs[SERVICE]
            count[0] += 1
            yield env.process(job(kind, priority))
            if kind is config.jobs.get(SERVICE):
                service_due = env.now + interval

    for spec in config.vehicles.values():
        for _ in range(spec.count):
            env.process(vehicle(spec))
    env.run(until=days * 24.0)
    return count[0]


def time_model(config: FleetConfig, days: float, seed: int) -> tuple[float, float]:
    """Seconds and jobs of the full model over ``days`` (warm-up 0, all observed)."""
    run = FleetRun(config, OPTION, year=1, warmup_days=0.0, window_days=days)
    start = time.perf_counter()
    metrics = simulate(run, Streams(seed))
    seconds = time.perf_counter() - start
    return seconds, metrics["jobs_per_year"] * days / 365.0


def speed(config: FleetConfig, rounds: int = 3) -> None:
    """Per-job cost, model vs bare SimPy, alternating rounds and keeping each one's best."""
    model_best, bare_best, units = side_by_side(
        rounds,
        lambda seed: time_model(config, SPEED_DAYS, seed=seed),
        lambda seed: bare_simpy(config, SPEED_DAYS, seed=seed),
    )
    print_speed(
        f"speed ({SPEED_DAYS:g} simulated days, ~{units:,.0f} jobs, best of {rounds})",
        model_best,
        bare_best,
        "job",
    )


def memory(config: FleetConfig, long_years: float) -> None:
    """Peak memory (one replication, ``simulate``) for 1 and ``long_years`` simulated years."""
    memory_by_years(
        lambda years: FleetRun(config, OPTION, year=1, window_days=365.0 * years),
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
