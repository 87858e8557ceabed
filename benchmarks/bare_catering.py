"""Catering's bare-SimPy reference loop, for ``bench_services.py``.

The same events as the full model (``models.catering.simulate``, default scenario, in-house
option: restaurants, operational feeding and custody) with nothing else: restaurant customers at
counters and tills at their peak capacity, feeding loads on a line then a van out and back,
custody detainees held and fed at set times and on arrival, with the cheapest plain ``random``
draws (exponential) and no statistics. Both sides are counted per restaurant customer of the
bare loop (the same demand, so about the same number). Memory: 13 against 130 weeks of every
part (``--quick``: 4 against 40).
"""

from __future__ import annotations

import itertools
import math
import random
from bisect import bisect
from collections.abc import Generator
from typing import Any

import simpy
from common import Reference

from models.catering.config import CateringConfig
from models.catering.feeding import event_windows
from models.kit.roster import build_roster

OPTION = "in_house"


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


def horizon(days: float) -> dict[str, float]:
    """Every part over ``days``: restaurants and custody, and operational feeding."""
    return {"window_days": float(days), "feeding_days": int(days)}


REFERENCE = Reference(
    unit="restaurant customer (all parts)",
    option=OPTION,
    speed_days=14,
    bare=bare_simpy,
    memory_days=(7.0 * 13, 7.0 * 130),
    quick_memory_days=(7.0 * 4, 7.0 * 40),
    counted=None,
    speed_year=0.0,
    horizon=horizon,
)
