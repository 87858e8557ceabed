"""Fleet's bare-SimPy reference loop, for ``bench_services.py``.

The same events as the full model (``models.fleet.simulate``, default scenario, in-house
option: 5,500 vehicles, rosters, sessions, priorities, mobile units, shifts and the spare pool,
streamed statistics) with nothing else: each vehicle's next failure or service as a timeout, a
process per job (travel, parts wait, a bay and a technician from priority resources at the
rosters' mean capacity, labour, travel back; mobile units for small jobs), with the cheapest
plain ``random`` draws (exponential) and no statistics. Counted per job. Statistics are streamed
and job draws sit in a bounded cache, so memory should not grow with the horizon.
"""

from __future__ import annotations

import math
import random
from collections.abc import Generator
from typing import Any

import simpy
from common import Reference

from models.fleet.config import SERVICE, FleetConfig
from models.kit.roster import build_roster

OPTION = "in_house"
HOURS_PER_YEAR = 8760.0


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


REFERENCE = Reference(
    unit="job", option=OPTION, speed_days=91.0, bare=bare_simpy, counted="jobs_per_year"
)
