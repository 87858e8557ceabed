"""Verification of the catering model against closed forms (tests and report appendix).

Each check builds a configuration of the real model simple enough to have a known answer,
simulates it and compares the mean over replications (95 % t-interval) with the answer:

- **Erlang C** (M/M/c): one restaurant open round the clock with one counter, Poisson arrivals
  at a constant rate, ``c`` servers, exponential service, payment at the counter and customers
  who never leave: the mean queueing time is ``Wq`` of the M/M/c queue;
- **M/M/c/K**: the same counter with customers who leave when ``L`` people are already waiting,
  i.e. a system of capacity ``K = c + L``: the share of lost covers is the blocking probability
  and the mean wait of those served is ``Wq`` of the M/M/c/K queue;
- **feeding schedule**: one planned meal window with deterministic production and travel; the
  deliveries follow a schedule computed by hand (:func:`hand_schedule`: loads on the earliest
  free line in turn, then on the earliest free van), so late meals and meals on time match it
  exactly.

A check passes when the answer lies inside the interval *and* the relative difference is within
the tolerance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import Any

from models.catering.config import CateringConfig
from models.catering.model import DAYS_PER_YEAR, CateringRun, simulate
from models.kit.checks import (
    Expected,
    VerificationCheck,
    analytic_check,
    compare_with_analytic,
)
from models.kit.queueing import mmc, mmck
from models.kit.replications import IN_PROCESS, Replicator

__all__ = [
    "CHECKS",
    "DETERMINISTIC_CHECKS",
    "FeedingScheduleCase",
    "VerificationCheck",
    "check_erlang_c",
    "check_feeding_schedule",
    "check_mmck",
    "counter_run",
    "hand_schedule",
]

_ZERO = {"kind": "fixed", "value": 0.0}
_ONE = {"kind": "fixed", "value": 1.0}
_NO_PAY = {"salary": 0}


def _verification_run(
    *,
    arrival_rate: float = 0.0,
    servers: int = 1,
    mean_service_minutes: float = 1.0,
    balk_queue_length: int = 100_000,
    window_days: int = 7,
    feeding: dict[str, Any] | None = None,
    kitchen: dict[str, Any] | None = None,
    meals_per_load: int = 100,
    handover_hours: float = 0.0,
    feeding_days: int = 1,
    lead_hours: float = 3.0,
) -> CateringRun:
    """The run of a section with one round-the-clock restaurant with one counter
    (``arrival_rate`` customers an hour, exponential service), the given operational feeding,
    and no custody."""
    config = CateringConfig.model_validate(
        {
            "restaurants": {
                "counters": {
                    "counter": {
                        "share": 1.0,
                        "service_minutes": {"kind": "exponential", "mean": mean_service_minutes},
                        "pays_at_till": False,
                        "spend": 0.0,
                    }
                },
                "till_minutes": _ZERO,
                "balk_queue_length": balk_queue_length,
                "site_types": {
                    "site": {
                        "sites": 1,
                        "population": arrival_rate * 24.0,
                        "take_up": 1.0,
                        "open_days": list(range(7)),
                        "day_shape": [{"start": 0.0, "end": 24.0, "share": 1.0}],
                    }
                },
            },
            "operational_feeding": {
                "lead_hours": lead_hours,
                "planned": feeding or {},
                "unplanned": {
                    "requests_per_year": 0,
                    "officers": _ONE,
                    "deadline_hours": _ONE,
                    "travel_hours": _ZERO,
                },
            },
            "custody": {
                "suite_types": {"suite": {"suites": 0, "detainees_per_day": 0}},
                "hour_of_day": [1.0] * 24,
                "stay_hours": _ONE,
                "meal_times": [12.0],
                "arrival_meal_share": 0.0,
                "target_hours": 1.0,
            },
            "period": {
                "warmup_days": 0,
                "window_days": window_days,
                "feeding_days": feeding_days,
            },
            "business_as_usual": "verification",
            "options": {
                "verification": {
                    "label": "Verification",
                    "restaurants": {
                        "provider": "in_house",
                        "staffing": {"site": {"counters": {"counter": servers}}},
                        "costs": {
                            "server": _NO_PAY,
                            "kitchen": _NO_PAY,
                            "kitchen_fte_per_site": {"site": 0},
                        },
                    },
                    "operational_feeding": {
                        "provider": "in_house",
                        "meals_per_load": meals_per_load,
                        "handover_hours": handover_hours,
                        "kitchens": {
                            "kitchen": kitchen
                            or {"lines": 1, "meals_per_line_hour": 100, "vans": 1}
                        },
                        "costs": {
                            "cook": _NO_PAY,
                            "driver": _NO_PAY,
                            "food_cost_per_meal": 0,
                            "vans": {"unit_cost": 0, "life_years": 1},
                        },
                    },
                    "custody": {
                        "provider": "in_house",
                        "supply": "microwave",
                        "servers": {"suite": 1},
                        "prep_minutes": _ONE,
                        "stock": {"order_up_to": {"suite": 0}},
                        "costs": {"food_cost_per_meal": 0},
                    },
                }
            },
        }
    )
    return CateringRun(config, "verification")


# --------------------------------------------------------------------------- restaurant queues


def counter_run(
    arrival_rate: float = 60.0,
    mean_service_minutes: float = 1.5,
    servers: int = 2,
    *,
    balk_queue_length: int = 100_000,
    window_days: int = 7,
) -> CateringRun:
    """One counter open round the clock: Poisson arrivals (an hour), exponential service
    (minutes), ``servers`` servers; customers leave if ``balk_queue_length`` are waiting."""
    return _verification_run(
        arrival_rate=arrival_rate,
        servers=servers,
        mean_service_minutes=mean_service_minutes,
        balk_queue_length=balk_queue_length,
        window_days=window_days,
    )


def _counter(run: CateringRun) -> tuple[float, float, int, int]:
    """``(arrival rate, service rate, servers, queue limit)`` an hour, of a :func:`counter_run`."""
    restaurants = run.config.restaurants
    site = restaurants.site_types["site"]
    counter = restaurants.counters["counter"]
    servers = run.spec.restaurants.staffing["site"].counters["counter"]
    assert isinstance(servers, int)
    rate = site.population * site.take_up / 24.0
    return rate, 60.0 / counter.service_minutes.mean, servers, restaurants.balk_queue_length


@analytic_check(
    simulate,
    partial(counter_run, mean_service_minutes=1.0, servers=2),
    replications=30,
    tolerance=0.04,
)
def check_erlang_c(run: CateringRun) -> Expected:
    """Mean queueing time at one counter against Erlang C's ``Wq`` (M/M/c).

    The default, two servers at 50 % utilisation, estimates the mean wait most precisely per
    simulated customer (waits are rare at low loads and strongly correlated at high ones)."""
    rate, service_rate, servers, _ = _counter(run)
    queue = mmc(rate, service_rate, servers)
    return Expected(
        name="Erlang C",
        description=(
            f"M/M/{servers}: {rate:g} customers/h, exponential service of "
            f"{60.0 / service_rate:g} min (utilisation {queue.utilisation:.0%}), nobody leaves; "
            "mean queueing time = Wq"
        ),
        metric="restaurant_wait_mean_minutes",
        analytic=queue.mean_wait * 60.0,
    )


@analytic_check(
    simulate,
    partial(counter_run, mean_service_minutes=2.4, balk_queue_length=3),
    replications=20,
    tolerance=0.03,
)
def check_mmck(run: CateringRun) -> list[Expected]:
    """Share of lost covers against the M/M/c/K blocking probability, and the mean wait of those
    served against its ``Wq``, for a counter whose customers leave when ``L`` are waiting."""
    rate, service_rate, servers, limit = _counter(run)
    queue = mmck(rate, service_rate, servers, servers + limit)
    description = (
        f"M/M/{servers}/{servers + limit}: {rate:g} customers/h, exponential service of "
        f"{60.0 / service_rate:g} min (offered load {rate / service_rate:.1f}), customers leave "
        f"when {limit} are waiting"
    )
    return [
        Expected(
            "M/M/c/K lost covers",
            f"{description}; lost share = blocking probability",
            "restaurant_lost_share",
            queue.blocking_probability,
        ),
        Expected(
            "M/M/c/K wait",
            f"{description}; mean queueing time of those served = Wq",
            "restaurant_wait_mean_minutes",
            queue.mean_wait * 60.0,
        ),
    ]


# --------------------------------------------------------------------------- feeding schedule


@dataclass(frozen=True)
class FeedingScheduleCase:
    """One planned meal window fed with deterministic production and travel (hours)."""

    officers: int = 1000
    window_start: float = 12.0
    window_end: float = 14.0
    lead_hours: float = 3.0
    lines: int = 2
    meals_per_line_hour: float = 100.0
    vans: int = 2
    meals_per_load: int = 100
    travel_hours: float = 0.5
    handover_hours: float = 0.25
    day: int = 1

    @property
    def release(self) -> float:
        """When production starts (hours from t = 0)."""
        return self.day * 24.0 + self.window_start - self.lead_hours

    @property
    def due(self) -> float:
        """When the meals are due (the window's end)."""
        return self.day * 24.0 + self.window_end

    def run(self) -> CateringRun:
        """The model configured for this case (feeding over ``day + 2`` days)."""
        return _verification_run(
            feeding={
                "event": {
                    "days": [self.day],
                    "officers": self.officers,
                    "meal_windows": [{"start": self.window_start, "end": self.window_end}],
                    "travel_hours": {"kind": "fixed", "value": self.travel_hours},
                }
            },
            kitchen={
                "lines": self.lines,
                "meals_per_line_hour": self.meals_per_line_hour,
                "vans": self.vans,
            },
            meals_per_load=self.meals_per_load,
            handover_hours=self.handover_hours,
            feeding_days=self.day + 2,
            lead_hours=self.lead_hours,
        )

    def schedule(self) -> list[tuple[float, float]]:
        """``(delivery time, meals)`` of every load by :func:`hand_schedule`."""
        return hand_schedule(
            meals=self.officers,
            meals_per_load=self.meals_per_load,
            release=self.release,
            lines=self.lines,
            meals_per_line_hour=self.meals_per_line_hour,
            vans=self.vans,
            travel_hours=self.travel_hours,
            handover_hours=self.handover_hours,
        )

    def late_meals(self) -> float:
        """Meals delivered after the window's end by the hand schedule."""
        return sum(meals for time, meals in self.schedule() if time > self.due + 1e-9)


def hand_schedule(
    *,
    meals: float,
    meals_per_load: int,
    release: float,
    lines: int,
    meals_per_line_hour: float,
    vans: int,
    travel_hours: float,
    handover_hours: float,
) -> list[tuple[float, float]]:
    """Deliveries of one order computed by hand: ``(time, meals)`` per load, in load order.

    The loads are cooked in turn on whichever line is free first (a load takes ``meals /
    meals_per_line_hour``); each cooked load, in the order they are ready, leaves on whichever
    van is back first, arrives ``travel_hours`` later, and the van is back ``handover_hours +
    travel_hours`` after that.
    """
    count = math.ceil(meals / meals_per_load - 1e-9)
    loads = [min(meals_per_load, meals - i * meals_per_load) for i in range(count)]
    line_free = [release] * lines
    ready = []
    for load in loads:
        j = min(range(lines), key=lambda k: (line_free[k], k))
        line_free[j] += load / meals_per_line_hour
        ready.append(line_free[j])
    van_free = [release] * vans
    delivered: list[tuple[float, float]] = [(math.nan, 0.0)] * count
    for i in sorted(range(count), key=lambda k: (ready[k], k)):
        j = min(range(vans), key=lambda k: (van_free[k], k))
        depart = max(ready[i], van_free[j])
        delivered[i] = (depart + travel_hours, loads[i])
        van_free[j] = depart + travel_hours + handover_hours + travel_hours
    return delivered


def check_feeding_schedule(
    case: FeedingScheduleCase | None = None,
    *,
    seed: int = 2013,
    runner: Replicator = IN_PROCESS,
) -> tuple[VerificationCheck, VerificationCheck]:
    """Late meals and the share on time of a deterministic meal window against
    :func:`hand_schedule` (two replications: the model is deterministic, so they agree)."""
    case = FeedingScheduleCase() if case is None else case
    run = case.run()
    per_year = DAYS_PER_YEAR / run.horizon_days
    late = case.late_meals()
    description = (
        f"{case.officers} meals due {case.window_start:g}:00-{case.window_end:g}:00, "
        f"{case.lines} lines of {case.meals_per_line_hour:g} meals/h, {case.vans} vans of "
        f"{case.meals_per_load}, {case.travel_hours:g} h each way; schedule computed by hand"
    )
    expected = [
        Expected(
            "Feeding schedule: late meals",
            description,
            "feeding_late_meals_per_year",
            late * per_year,
        ),
        Expected(
            "Feeding schedule: on time",
            description,
            "feeding_on_time_share",
            1.0 - late / case.officers,
        ),
    ]
    late_check, on_time = compare_with_analytic(simulate, run, expected, 2, seed, runner, 1e-9)
    return late_check, on_time


CHECKS = (check_erlang_c, check_mmck)
"""The checks of the service's verification (:meth:`models.service.Service.verify`)."""
DETERMINISTIC_CHECKS = (check_feeding_schedule,)
"""Checks with an exact answer, run once."""
