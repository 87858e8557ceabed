"""Recovery's bare-SimPy reference loop, for ``bench_services.py``.

The same events as the full model (``models.recovery.simulate``, default scenario, in-house
option: rosters, priorities, streamed statistics, income) with nothing else: Poisson requests
by thinning, a priority resource per sector, travel, on scene and tow, pound admission, return,
examination with a bay and an examiner, departure, with the cheapest plain ``random`` draws
(exponential) and no statistics. Counted per vehicle (the model's requests in the window).
Statistics are streamed, so memory should not grow with the horizon.
"""

from __future__ import annotations

import itertools
import random
from bisect import bisect
from collections.abc import Generator
from typing import Any

import simpy
from common import Reference

from models.kit.roster import build_roster
from models.recovery.config import RecoveryConfig

OPTION = "in_house"


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


REFERENCE = Reference(
    unit="vehicle", option=OPTION, speed_days=182.0, bare=bare_simpy, counted="requests_per_year"
)
