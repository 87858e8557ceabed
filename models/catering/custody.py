"""Custody meals: detainees fed at set times and on arrival, one representative suite per suite
type (SimPy; clock in hours).

Detainees arrive (non-stationary Poisson by hour of the week) and stay a random time. At each
set meal time every detainee held is due a meal; a share of detainees is also fed on arrival. A
meal comes from the suite's microwave stock (``supply: microwave``), or, for set-time meals
under ``supply: kitchen``, hot from a kitchen, delivered a random delay after the set time. When
the stock has run out a meal is bought in and arrives ``emergency_hours`` later. A member of
staff on the suite's roster then prepares and serves it. A meal is on time if served within
``target_hours`` of the set time (or of the arrival). The stock is topped up on a fixed cycle.

Each suite type is simulated as one suite and its counts multiplied by its number of suites.
The model runs ``warmup_days`` first so that the cells hold their usual number of detainees.

Common random numbers: each detainee's stay and whether they are fed on arrival are drawn at
arrival; preparation times are drawn as meals fall due, in an order no option changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import simpy

from models.catering.config import ContractorCustody, CustodyDemand, InHouseCustody, SuiteTypeSpec
from models.kit.arrivals import arrivals, poisson_arrival_times
from models.kit.distributions import Uniform
from models.kit.observation import Metric, metric_names, observe
from models.kit.roster import RosteredResource, build_roster
from models.kit.statistics import Tally
from models.kit.streams import Streams

__all__ = ["CustodyService", "custody_metric_names"]

HOURS_PER_DAY = 24.0
MINUTES = 60.0
DRAIN_HOURS = 12.0
"""The model runs on this long after the window so meals due in it are served."""


@dataclass
class _Counts:
    detainees: int = 0
    meals: int = 0
    late: int = 0
    emergency: int = 0
    waits: Tally = field(default_factory=Tally)


class _Suite:
    """One custody suite of a type (its counts stand for ``suites`` suites)."""

    def __init__(
        self,
        service: CustodyService,
        name: str,
        suite: SuiteTypeSpec,
        provider: InHouseCustody | ContractorCustody,
        streams: Streams,
    ) -> None:
        env = service.env
        demand = service.demand
        self.env = env
        self.service = service
        self.name = name
        self.weight = suite.suites
        self.held = 0
        self.stock = self.order_up_to = provider.stock.order_up_to[name]
        self.emergency_hours = provider.stock.emergency_hours
        self.kitchen = provider.supply == "kitchen"
        self.staff = RosteredResource(
            env, build_roster(provider.servers[name]), f"{name} custody staff", service.warmup
        )
        self.stay = demand.stay_hours.build(streams[f"catering.custody.stay.{name}"]).sample
        self.fed_on_arrival = (
            Uniform(low=0.0, high=1.0).build(streams[f"catering.custody.arrival_meal.{name}"])
        ).sample
        self.prep = provider.prep_minutes.build(streams[f"catering.custody.prep.{name}"]).sample
        self.delivery: Callable[[], float] | None = None
        if provider.delivery_delay_hours is not None:
            self.delivery = provider.delivery_delay_hours.build(
                streams[f"catering.custody.delivery.{name}"]
            ).sample
        self.counts = _Counts()
        profile = demand.profile(suite.detainees_per_day, service.factor)
        times = poisson_arrival_times(profile, streams[f"catering.custody.arrivals.{name}"])
        env.process(arrivals(env, times, self._arrive, until=service.end))
        env.process(self._meal_times())
        env.process(self._restock(provider.stock.restock_days, provider.stock.restock_hour))

    def _arrive(self, now: float) -> None:
        stay = self.stay()
        fed = self.fed_on_arrival() < self.service.demand.arrival_meal_share
        self.held += 1
        if now >= self.service.warmup:
            self.counts.detainees += 1
        self.env.timeout(stay).callbacks.append(self._leave)
        if fed:
            self._meal(now, from_stock=True, delay=0.0)

    def _leave(self, _event: simpy.Event) -> None:
        self.held -= 1

    def _meal_times(self) -> Generator[simpy.Event, Any, None]:
        """Every set meal time: a meal for each detainee held."""
        env = self.env
        times = sorted(self.service.demand.meal_times)
        day = 0
        while True:
            for hour in times:
                t = day * HOURS_PER_DAY + hour
                if t >= self.service.end:
                    return
                yield env.timeout(t - env.now)
                delay = self.delivery() if self.delivery is not None else 0.0
                for _ in range(self.held):
                    self._meal(t, from_stock=not self.kitchen, delay=delay)
            day += 1

    def _restock(self, every_days: int, hour: float) -> Generator[simpy.Event, Any, None]:
        env = self.env
        t = hour
        while t < self.service.end:
            yield env.timeout(t - env.now)
            self.stock = self.order_up_to
            t += every_days * HOURS_PER_DAY

    def _meal(self, due: float, *, from_stock: bool, delay: float) -> None:
        """A meal falls due: take it from stock (or buy it in), or wait for the delivery."""
        prep = self.prep() / MINUTES
        emergency = False
        if from_stock:
            if self.stock > 0:
                self.stock -= 1
            else:
                emergency = True
                delay = self.emergency_hours
        self.env.process(self._serve(due, delay, prep, emergency))

    def _serve(
        self, due: float, delay: float, prep: float, emergency: bool
    ) -> Generator[simpy.Event, Any, None]:
        env = self.env
        if delay > 0:
            yield env.timeout(delay)
        req = self.staff.request()
        yield req
        yield env.timeout(prep)
        self.staff.release(req)
        service = self.service
        if service.warmup <= due < service.end:
            counts = self.counts
            counts.meals += 1
            wait = env.now - due
            counts.waits.add(wait * MINUTES)
            if wait > service.demand.target_hours + 1e-9:
                counts.late += 1
            if emergency:
                counts.emergency += 1


class CustodyService:
    """Every suite type's representative suite in one SimPy environment.

    The model starts at t = 0 (Monday 00:00, cells empty, stock full) and observes
    ``[warmup, end)``; meals due in the window are counted when served.
    """

    def __init__(
        self,
        demand: CustodyDemand,
        provider: InHouseCustody | ContractorCustody,
        streams: Streams,
        *,
        warmup: float,
        end: float,
        factor: float,
    ) -> None:
        self.env = simpy.Environment()
        self.demand = demand
        self.warmup = warmup
        self.end = end
        self.factor = factor
        self.suites = [
            _Suite(self, name, suite, provider, streams)
            for name, suite in demand.suite_types.items()
            if suite.suites > 0
        ]

    def run(self) -> None:
        """Simulate to the end of the window, then serve the meals due in it."""
        self.env.run(until=self.end + DRAIN_HOURS)

    def metrics(self, per_year: float) -> dict[str, float]:
        """Figures of the window; counts scaled by ``per_year`` and each type's suites."""
        detainees = meals = late = emergency = waited = 0.0
        for suite in self.suites:
            w = suite.weight
            c = suite.counts
            detainees += w * c.detainees
            meals += w * c.meals
            late += w * c.late
            emergency += w * c.emergency
            if c.waits.n:
                waited += w * c.waits.n * c.waits.mean
        return observe(_METRICS, _Totals(detainees, meals, late, emergency, waited, per_year))


@dataclass(frozen=True)
class _Totals:
    """Counts of the window over every suite (weighted by suites per type)."""

    detainees: float
    meals: float
    late: float
    emergency: float
    waited: float
    per_year: float


_METRICS: tuple[Metric[_Totals], ...] = (
    Metric("custody_detainees_per_year", lambda t: t.detainees * t.per_year),
    Metric("custody_meals_per_year", lambda t: t.meals * t.per_year),
    Metric("custody_late_meals_per_year", lambda t: t.late * t.per_year),
    Metric("custody_on_time_share", lambda t: 1.0 - t.late / t.meals if t.meals else math.nan),
    Metric("custody_emergency_meals_per_year", lambda t: t.emergency * t.per_year),
    Metric("custody_wait_mean_minutes", lambda t: t.waited / t.meals if t.meals else math.nan),
)


def custody_metric_names() -> list[str]:
    """Names of the custody metrics, in order."""
    return metric_names(_METRICS)
