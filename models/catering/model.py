"""Discrete-event model of catering: staff restaurants, operational feeding and custody meals
(SimPy; clock in hours; t = 0 is Monday 00:00).

One replication simulates three independent parts, each over its own representative period
(:class:`~models.catering.config.PeriodSpec`), and scales their counts to a year:

- restaurants (:mod:`models.catering.restaurants`) over ``window_days`` (one week by default,
  no warm-up: day sites open empty);
- operational feeding (:mod:`models.catering.feeding`) over ``feeding_days`` (the whole yearly
  calendar of planned events, with unplanned requests at random);
- custody meals (:mod:`models.catering.custody`) over ``warmup_days`` then ``window_days``.

They share nothing but the demand level and the option, so each runs in its own SimPy
environment. Statistics are streamed: memory does not grow with the horizon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from models.catering.config import CateringConfig, OptionSpec
from models.catering.custody import CustodyService, custody_metric_names
from models.catering.feeding import FeedingService, feeding_metric_names
from models.catering.restaurants import SLOT_HOURS, RestaurantEstate, restaurant_metric_names
from models.kit.runs import ServiceRun
from models.kit.streams import Streams

__all__ = [
    "DAYS_PER_YEAR",
    "STREAMS",
    "CateringRun",
    "CateringTrace",
    "metric_names",
    "simulate",
    "trace",
]

HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365.0
"""Counts in a window are scaled to a year of this many days."""

STREAMS: dict[str, str] = {
    "catering.restaurants.arrivals.<site type>": "customer arrival times",
    "catering.restaurants.counter.<site type>": "counter each customer chooses",
    "catering.restaurants.service.<site type>.<counter>": "time at the counter",
    "catering.restaurants.till.<site type>": "time at the till",
    "catering.feeding.travel.<event>": "kitchen to feeding point, per meal window",
    "catering.feeding.requests": "times of unplanned requests (thinning)",
    "catering.feeding.request_size": "officers to feed per unplanned request",
    "catering.feeding.request_deadline": "time allowed per unplanned request",
    "catering.feeding.request_travel": "kitchen to incident, per request",
    "catering.custody.arrivals.<suite type>": "detainee arrival times (thinning)",
    "catering.custody.stay.<suite type>": "time each detainee is held",
    "catering.custody.arrival_meal.<suite type>": "whether a detainee is fed on arrival",
    "catering.custody.prep.<suite type>": "time to prepare and serve a meal",
    "catering.custody.delivery.<suite type>": "delivery delay after a set meal time (kitchen)",
}
"""The named random streams the model draws from (one per random activity)."""


@dataclass(frozen=True)
class CateringRun(ServiceRun[CateringConfig, OptionSpec]):
    """What one call of :func:`simulate` runs (:class:`~models.kit.runs.ServiceRun`, picklable):
    an option of the ``catering:`` section in a demand year, whose covers, detainees and
    unplanned requests scale by ``(1 + growth) ** year`` (planned events keep their size).

    ``warmup_days`` and ``window_days`` override the restaurant and custody period,
    ``feeding_days`` the operational-feeding horizon (e.g. for a quick run).
    """

    service: ClassVar[str] = "catering"
    day_fields: ClassVar[tuple[str, ...]] = ("warmup_days", "window_days", "feeding_days")
    positive_fields: ClassVar[tuple[str, ...]] = ("window_days", "feeding_days")

    feeding_days: int | None = None

    @property
    def factor(self) -> float:
        """Demand factor of the run's year."""
        return self.config.demand_factor(self.year)

    @property
    def horizon_days(self) -> int:
        """Days of operational feeding simulated."""
        return self.config.period.feeding_days if self.feeding_days is None else self.feeding_days


@dataclass(frozen=True)
class CateringTrace:
    """One replication's series for charts (not for run_replications)."""

    option: str
    slot_hours: float
    """Width of the time-of-day slots (hours)."""
    restaurant_arrivals: dict[str, np.ndarray]
    """Per site type: mean customers arriving per day in each slot of the day (one site)."""
    restaurant_lost: dict[str, np.ndarray]
    """Per site type: mean customers leaving (balking) per day in each slot (one site)."""
    restaurant_wait_minutes: dict[str, np.ndarray]
    """Per site type: mean queueing time of customers arriving in each slot (NaN: nobody)."""
    feeding_day: int
    """Day of the operational feeding calendar shown (day 0 is a Monday)."""
    feeding_event: str
    feeding_hourly: dict[str, np.ndarray]
    """By hour of ``feeding_day``: ``required`` (meals spread over their windows), ``due``
    (meals whose deadline falls in the hour), ``delivered`` and ``late`` (delivered late)."""
    metrics: dict[str, float]
    """The same figures :func:`simulate` returns for this replication."""


class _Model:
    """The three parts of one replication."""

    def __init__(self, run: CateringRun, streams: Streams, *, keep_trace: bool = False) -> None:
        config = run.config
        option = run.spec
        factor = run.factor
        start = run.warmup_hours
        end = start + run.window_hours
        self.run = run
        self.per_year_window = DAYS_PER_YEAR * HOURS_PER_DAY / run.window_hours
        self.per_year_feeding = DAYS_PER_YEAR / run.horizon_days
        self.restaurants = RestaurantEstate(
            config.restaurants,
            option.restaurants,
            streams,
            start=start,
            end=end,
            factor=factor,
            keep_trace=keep_trace,
        )
        self.feeding = FeedingService(
            config.operational_feeding,
            option.operational_feeding,
            streams,
            horizon_days=run.horizon_days,
            factor=factor,
            keep_trace=keep_trace,
        )
        self.custody = CustodyService(
            config.custody, option.custody, streams, warmup=start, end=end, factor=factor
        )

    def execute(self) -> dict[str, float]:
        """Run the three parts and return the metrics (NaN figures left out)."""
        self.restaurants.run()
        self.feeding.run()
        self.custody.run()
        out = self.restaurants.metrics(self.per_year_window)
        out |= self.feeding.metrics(self.per_year_feeding)
        out |= self.custody.metrics(self.per_year_window)
        out["meals_per_year"] = (
            out["restaurant_covers_per_year"]
            + out["feeding_meals_per_year"]
            + out["custody_meals_per_year"]
        )
        # a figure with no observation (e.g. waits with no customers) is left out rather than
        # reported as NaN, which run_replications refuses
        return {name: value for name, value in out.items() if not math.isnan(value)}


def simulate(run: CateringRun, streams: Streams) -> dict[str, float]:
    """Simulate one replication of ``run`` and return its metrics (flat, for run_replications).

    Metric names: see :func:`metric_names`. Counts are per year; shares are fractions; queue
    times are minutes, response times hours. A figure with no observation is left out.
    """
    return _Model(run, streams).execute()


def _largest_event(config: CateringConfig, horizon_days: int) -> str | None:
    """The planned event with most meals among those within the horizon (None: no event)."""
    planned = config.operational_feeding.planned
    within = [name for name, event in planned.items() if event.event_days(horizon_days)]
    if not within:
        return None
    return max(
        within,
        key=lambda n: (
            planned[n].officers * sum(w.meals_per_officer for w in planned[n].meal_windows)
        ),
    )


def trace(run: CateringRun, streams: Streams, *, event: str | None = None) -> CateringTrace:
    """Simulate one replication and keep series for charts: restaurant arrivals, balking and
    queueing time by 15-minute slot of the day per site type, and the hourly meals required and
    delivered on the first day of ``event`` (default: the planned event with most meals within
    the feeding horizon, e.g. Notting Hill Carnival; day 0 when no event falls within it)."""
    model = _Model(run, streams, keep_trace=True)
    metrics = model.execute()
    planned = run.config.operational_feeding.planned
    chosen = _largest_event(run.config, run.horizon_days) if event is None else event
    if chosen is not None and chosen not in planned:
        raise ValueError(f"no planned event {chosen!r} (events: {', '.join(planned)})")
    days = [] if chosen is None else planned[chosen].event_days(run.horizon_days)
    if chosen is not None and not days:
        raise ValueError(f"event {chosen!r} does not fall within {run.horizon_days} days")
    feeding_day = days[0] if days else 0
    open_days = run.window_hours / HOURS_PER_DAY
    arrivals: dict[str, np.ndarray] = {}
    lost: dict[str, np.ndarray] = {}
    waits: dict[str, np.ndarray] = {}
    for site in model.restaurants.sites:
        arrivals[site.name] = np.array(site.slot_arrivals) / open_days
        lost[site.name] = np.array(site.slot_lost) / open_days
        served = np.array(site.slot_served, dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            waits[site.name] = np.where(served > 0, np.array(site.slot_wait) / served, np.nan)
    return CateringTrace(
        option=run.option,
        slot_hours=SLOT_HOURS,
        restaurant_arrivals=arrivals,
        restaurant_lost=lost,
        restaurant_wait_minutes=waits,
        feeding_day=feeding_day,
        feeding_event=chosen or "",
        feeding_hourly=model.feeding.hourly(feeding_day),
        metrics=metrics,
    )


def metric_names(config: CateringConfig, option: str) -> list[str]:
    """Names of every metric :func:`simulate` can return for ``option`` (counters and site
    types vary with the scenario).

    ``restaurant_*``: covers served and lost (balked) a year, takings, queueing time (counter
    plus till, minutes) over the day and at the lunch peak (mean, 95th percentile, over the
    estate and per site type), utilisation of servers and tills; ``feeding_*``: meals required
    a year (planned and emergency), late meals, shares on time, emergency requests met within
    their deadline, mean response (request to last delivery, hours), van trips, utilisation of
    lines and vans; ``custody_*``: detainees and meals a year, late meals, share on time, meals
    bought in when the stock ran out, mean time from due to served (minutes);
    ``meals_per_year``: covers + operational + custody meals.
    """
    if option not in config.options:
        raise ValueError(f"no catering option {option!r} (options: {', '.join(config.options)})")
    return [
        *restaurant_metric_names(config.restaurants),
        *feeding_metric_names(),
        *custody_metric_names(),
        "meals_per_year",
    ]
