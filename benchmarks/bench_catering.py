"""Catering model: run time against a bare SimPy process of the same events, and memory against
horizon.

1. Speed, side by side in one run: the full model (``models.catering.simulate``, default
   scenario, in-house option: rosters, balking, priorities, event call-ins, streamed statistics)
   and a bare SimPy process of the same events with the cheapest plain ``random`` draws
   (exponential) and no statistics: restaurant customers arriving by day segment at the four
   representative sites, a counter (``simpy.Resource`` at the roster's peak capacity) then a
   till; operational-feeding van loads cooked on a line and driven out and back; custody
   detainees arriving and leaving, fed at set times and on arrival by a member of staff.
   Prints microseconds per restaurant customer (customers dominate the work) and the ratio
   (goal: within about 2x of the bare process).
2. Memory: peak traced memory (``tracemalloc``) of ``simulate`` with a short and a ten times
   longer horizon (restaurants, custody and feeding alike). Statistics are streamed, so the peak
   should not grow with the horizon (goal: long peak within 1.5x of the short one).

Run: ``python benchmarks/bench_catering.py`` (about two minutes: 13 against 130 weeks;
``--quick`` for 4 against 40 weeks, ``--weeks 52`` for 1 against 10 years, some ten minutes).
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import sys
import time
from bisect import bisect
from collections.abc import Generator
from pathlib import Path
from typing import Any

import simpy

from models.catering import CateringConfig, CateringRun, simulate
from models.catering.feeding import event_windows
from models.kit.roster import build_roster
from models.kit.streams import Streams

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: common is a sibling
from common import load_section, peak_memory, print_memory, print_speed

OPTION = "in_house"
SPEED_DAYS = 14


def load_config() -> CateringConfig:
    """The default ``catering:`` section."""
    return load_section(CateringConfig, "catering")


def bare_simpy(config: CateringConfig, days: int, seed: int) -> int:
    """The same events as the model with nothing else: returns the number of customers."""
    rng = random.Random(seed)
    env = simpy.Environment()
    option = config.options[OPTION]
    end = days * 24.0
    customers = [0]

    def draw(mean: float) -> float:
        return rng.expovariate(1.0 / mean) if mean > 0 else 0.0

    # --- restaurants: one site per type, counters and tills at their peak capacity
    restaurants = config.restaurants
    counters = list(restaurants.counters.values())
    names = list(restaurants.counters)
    cumulative = list(itertools.accumulate(c.share for c in counters))
    till_mean = restaurants.till_minutes.mean / 60.0

    def customer(servers: list[Any], tills: Any, c: int) -> Generator[simpy.Event, Any, None]:
        server = servers[c]
        if server is None:
            yield env.timeout(draw(counters[c].service_minutes.mean / 60.0))
        else:
            with server.request() as req:
                yield req
                yield env.timeout(draw(counters[c].service_minutes.mean / 60.0))
        if counters[c].pays_at_till:
            with tills.request() as req:
                yield req
                yield env.timeout(draw(till_mean))

    def site_arrivals(
        site: Any, servers: list[Any], tills: Any
    ) -> Generator[simpy.Event, Any, None]:
        for day in range(days):
            covers = site.covers_per_day(day % 7)
            for segment in site.day_shape if covers > 0 else ():
                rate = covers * segment.share / (segment.end - segment.start)
                t = day * 24.0 + segment.start
                while True:
                    t += rng.expovariate(rate)
                    if t >= day * 24.0 + segment.end:
                        break
                    yield env.timeout(t - env.now)
                    c = min(bisect(cumulative, rng.random()), len(counters) - 1)
                    first = servers[c] if servers[c] is not None else tills
                    customers[0] += 1
                    if len(first.queue) < restaurants.balk_queue_length:
                        env.process(customer(servers, tills, c))

    for name, site in restaurants.site_types.items():
        staffing = option.restaurants.staffing[name]
        servers = [
            None
            if staffing.counters[n] is None
            else simpy.Resource(env, build_roster(staffing.counters[n]).max_capacity)
            for n in names
        ]
        tills = simpy.Resource(env, max(1, build_roster(staffing.tills).max_capacity))
        env.process(site_arrivals(site, servers, tills))

    # --- operational feeding: loads on a line, then a van out and back
    feeding = option.operational_feeding
    lines = simpy.PriorityResource(
        env, sum(build_roster(k.lines).max_capacity for k in feeding.kitchens.values())
    )
    vans = simpy.PriorityResource(
        env, sum(build_roster(k.vans).max_capacity for k in feeding.kitchens.values())
    )
    rate = next(iter(feeding.kitchens.values())).meals_per_line_hour

    def load(meals: float, travel: float, rank: int) -> Generator[simpy.Event, Any, None]:
        with lines.request(priority=rank) as req:
            yield req
            yield env.timeout(meals / rate)
        with vans.request(priority=rank) as req:
            yield req
            yield env.timeout(2 * travel + feeding.handover_hours)

    def orders() -> Generator[simpy.Event, Any, None]:
        planned = [(o.released, o.meals) for o in event_windows(config.operational_feeding, days)]
        unplanned = config.operational_feeding.unplanned
        t = 0.0
        while True:
            t += rng.expovariate(unplanned.requests_per_year / 365.0 / 24.0)
            if t >= end:
                break
            planned.append((t, unplanned.officers.mean))
        for released, meals in sorted(planned):
            yield env.timeout(released - env.now)
            for i in range(math.ceil(meals / feeding.meals_per_load)):
                size = min(feeding.meals_per_load, meals - i * feeding.meals_per_load)
                env.process(load(size, draw(0.6), 1))

    env.process(orders())

    # --- custody: detainees held, meals at set times and on arrival
    custody = config.custody
    provider = option.custody

    def serve(staff: Any) -> Generator[simpy.Event, Any, None]:
        with staff.request() as req:
            yield req
            yield env.timeout(draw(provider.prep_minutes.mean / 60.0))

    for name, suite in custody.suite_types.items():
        staff = simpy.Resource(env, build_roster(provider.servers[name]).max_capacity)
        held = [0]

        def leave(_event: simpy.Event, held: list[int] = held) -> None:
            held[0] -= 1

        def detainees(
            suite: Any = suite, staff: Any = staff, held: list[int] = held
        ) -> Generator[simpy.Event, Any, None]:
            while True:
                yield env.timeout(rng.expovariate(suite.detainees_per_day / 24.0))
                held[0] += 1
                env.timeout(draw(custody.stay_hours.mean)).callbacks.append(leave)
                if rng.random() < custody.arrival_meal_share:
                    env.process(serve(staff))

        def meals(staff: Any = staff, held: list[int] = held) -> Generator[simpy.Event, Any, None]:
            for day in range(days):
                for hour in custody.meal_times:
                    yield env.timeout(day * 24.0 + hour - env.now)
                    for _ in range(held[0]):
                        env.process(serve(staff))

        env.process(detainees())
        env.process(meals())

    env.run(until=end)
    return customers[0]


def time_model(config: CateringConfig, days: int, seed: int) -> float:
    """Seconds of the full model over ``days`` of every part (no warm-up, all observed)."""
    run = CateringRun(
        config, OPTION, year=0, warmup_days=0.0, window_days=float(days), feeding_days=days
    )
    start = time.perf_counter()
    simulate(run, Streams(seed))
    return time.perf_counter() - start


def speed(config: CateringConfig, rounds: int = 3) -> None:
    """Per-customer cost, model vs bare SimPy, alternating rounds and keeping each one's best
    (both divided by the bare process's customers: the same demand, so about the same number)."""
    model_best = bare_best = float("inf")
    for r in range(rounds):
        seconds = time_model(config, SPEED_DAYS, seed=r)
        start = time.perf_counter()
        customers = bare_simpy(config, SPEED_DAYS, seed=r)
        bare = time.perf_counter() - start
        model_best = min(model_best, seconds / customers)
        bare_best = min(bare_best, bare / customers)
    print_speed(
        f"speed ({SPEED_DAYS} simulated days, {OPTION}, best of {rounds})",
        model_best,
        bare_best,
        "restaurant customer (all parts)",
    )


def memory(config: CateringConfig, weeks: int) -> None:
    """Peak memory (one replication over every part) for ``weeks`` and ten times as many."""

    def peak(weeks: int) -> float:
        run = CateringRun(config, OPTION, year=1, window_days=7.0 * weeks, feeding_days=7 * weeks)
        return peak_memory(lambda: simulate(run, Streams(1)))

    print_memory(
        f"memory (peak traced, {OPTION}, restaurants + feeding + custody)",
        (f"{weeks:>4d} weeks", peak(weeks)),
        (f"{10 * weeks:>4d} weeks", peak(10 * weeks)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="memory: 4 against 40 weeks")
    parser.add_argument("--weeks", type=int, default=13, help="memory: short horizon in weeks")
    args = parser.parse_args()
    config = load_config()
    speed(config)
    memory(config, 4 if args.quick else args.weeks)


if __name__ == "__main__":
    main()
