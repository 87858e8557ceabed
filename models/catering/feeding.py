"""Operational feeding: planned events and unplanned requests fed from production kitchens by
van (SimPy; clock in hours).

An *order* is one meal window of a planned event on one day (its meals are due by the window's
end; production may start ``lead_hours`` before it opens) or one unplanned request (due
``deadline_hours`` after it, production starts at once). An order is split into van loads of
``meals_per_load``. Each load goes to the kitchen with a free line (else the shortest queue),
waits for a production line (emergencies first, then first come first served), is cooked in
``meals / meals_per_line_hour`` hours, waits for one of that kitchen's vans, travels to the
feeding point and is delivered; the van hands over and returns. A meal is late if it arrives
after its order is due.

Lines and vans follow weekly rosters, plus the staff and vans called in on planned-event days
(:class:`EventRoster`). The whole calendar is simulated (``feeding_days``, a year by default):
events are few and large, so this costs little, and every planned event happens once.

Common random numbers: the travel time of each order and the size and deadline of each request
are drawn when the order is made, from their own streams, whatever the option.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from models.catering.config import (
    ContractorFeeding,
    FeedingDemand,
    InHouseFeeding,
    KitchenSpec,
)
from models.kit.arrivals import arrivals, poisson_arrival_times
from models.kit.observation import Metric, metric_names, observe
from models.kit.roster import Roster, RosteredResource, RosterRequest, build_roster
from models.kit.statistics import Tally
from models.kit.streams import Streams

__all__ = [
    "EMERGENCY",
    "PLANNED",
    "Delivery",
    "EventRoster",
    "FeedingService",
    "Order",
    "event_windows",
    "feeding_metric_names",
    "surge_windows",
]

HOURS_PER_DAY = 24.0
EMERGENCY = 0
"""Queue rank of unplanned requests (served first)."""
PLANNED = 1
"""Queue rank of planned events."""
DRAIN_HOURS = 48.0
"""The model runs on this long after the horizon so that the last orders are delivered."""


class EventRoster(Roster):
    """A weekly roster plus ``extra`` units on duty in dated windows (staff called in for planned
    events).

    Only what :class:`~models.kit.roster.RosteredResource` reads is extended
    (``capacity_at``, ``changes``, ``is_constant``, ``max_capacity``); the weekly figures
    (``weekly_capacity_hours``, ``mean_capacity``) stay those of the weekly roster, and the
    called-in hours are :attr:`extra_hours`.
    """

    def __init__(self, weekly: Roster, windows: list[tuple[float, float]], extra: int) -> None:
        super().__init__(weekly.shifts)
        merged: list[list[float]] = []
        if extra > 0:
            for begin, end in sorted(windows):
                if end <= begin:
                    continue
                if merged and begin <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([begin, end])
        self.extra = extra if merged else 0
        self._window_starts = [w[0] for w in merged]
        self._window_ends = [w[1] for w in merged]
        self._marks = sorted({t for w in merged for t in w})

    @property
    def extra_hours(self) -> float:
        """Unit-hours called in over all windows."""
        return self.extra * math.fsum(
            e - s for s, e in zip(self._window_starts, self._window_ends, strict=True)
        )

    def extra_at(self, t: float) -> int:
        """Units called in at time ``t``."""
        i = bisect_right(self._window_starts, t) - 1
        return self.extra if i >= 0 and t < self._window_ends[i] else 0

    def capacity_at(self, t: float) -> int:
        """Units on duty at ``t``: the weekly roster's plus any called in."""
        return super().capacity_at(t) + self.extra_at(t)

    @property
    def is_constant(self) -> bool:
        """Whether the capacity never changes."""
        return super().is_constant and not self.extra

    @property
    def max_capacity(self) -> int:
        """Most units ever on duty (weekly peak plus the called-in units, an upper bound)."""
        return super().max_capacity + self.extra

    def changes(self, start: float = 0.0) -> Generator[tuple[float, int], None, None]:
        """``(time, capacity)`` at each change of the weekly roster or of a window after
        ``start``."""
        weekly: Iterator[tuple[float, int]] = super().changes(start)
        marks = iter(t for t in self._marks if t > start)
        next_weekly = next(weekly, None)
        next_mark = next(marks, None)
        last = None
        while next_weekly is not None or next_mark is not None:
            if next_mark is None or (next_weekly is not None and next_weekly[0] <= next_mark):
                assert next_weekly is not None
                t = next_weekly[0]
                next_weekly = next(weekly, None)
            else:
                t = next_mark
                next_mark = next(marks, None)
            if t != last:
                last = t
                yield t, self.capacity_at(t)


@dataclass
class Order:
    """One meal window of an event on one day, or one unplanned request."""

    kind: int
    """:data:`PLANNED` or :data:`EMERGENCY`."""
    event: str
    released: float
    """When production may start (the request time for an unplanned request)."""
    opens: float
    """When the meals are wanted from (window start; the request time if unplanned)."""
    due: float
    meals: float
    travel: float
    meals_left: float = 0.0
    late_meals: float = 0.0
    last_delivery: float = math.nan


@dataclass(frozen=True)
class Delivery:
    """A van load delivered (trace only)."""

    time: float
    meals: float
    late: bool
    kind: int


def event_windows(demand: FeedingDemand, horizon_days: int) -> list[Order]:
    """The planned orders of the calendar over ``horizon_days``, in time order (day, then
    events and windows as the scenario lists them); travel times are left at 0."""
    days = {name: set(event.event_days(horizon_days)) for name, event in demand.planned.items()}
    orders = []
    for day in range(horizon_days):
        base = day * HOURS_PER_DAY
        for name, event in demand.planned.items():
            if day not in days[name]:
                continue
            for window in event.meal_windows:
                orders.append(
                    Order(
                        kind=PLANNED,
                        event=name,
                        released=max(0.0, base + demand.release_hours(window)),
                        opens=base + window.start,
                        due=base + window.end,
                        meals=event.officers * window.meals_per_officer,
                        travel=0.0,
                    )
                )
    return orders


def _surge_days(demand: FeedingDemand, horizon_days: int) -> dict[int, list[str]]:
    days: dict[int, list[str]] = {}
    for name, event in demand.planned.items():
        if event.surge:
            for day in event.event_days(horizon_days):
                days.setdefault(day, []).append(name)
    return days


def surge_windows(demand: FeedingDemand, horizon_days: int) -> list[tuple[float, float]]:
    """When called-in staff are on duty: on each day of a planned event with ``surge``, from the
    first production start to the last meal window's end of those events."""
    windows = []
    for day, names in sorted(_surge_days(demand, horizon_days).items()):
        base = day * HOURS_PER_DAY
        starts = [
            base + demand.release_hours(w) for n in names for w in demand.planned[n].meal_windows
        ]
        ends = [base + w.end for n in names for w in demand.planned[n].meal_windows]
        windows.append((max(0.0, min(starts)), max(ends)))
    return windows


class _Kitchen:
    """A production kitchen: lines and vans on rosters (plus event call-ins)."""

    def __init__(
        self,
        env: simpy.Environment,
        name: str,
        spec: KitchenSpec,
        windows: list[tuple[float, float]],
    ) -> None:
        self.name = name
        self.rate = spec.meals_per_line_hour
        self.line_roster = EventRoster(build_roster(spec.lines), windows, spec.event_lines)
        self.van_roster = EventRoster(build_roster(spec.vans), windows, spec.event_vans)
        self.lines = RosteredResource(env, self.line_roster, f"{name} lines")
        self.vans = RosteredResource(env, self.van_roster, f"{name} vans")

    def preference(self) -> tuple[int, int]:
        """Sort key: a kitchen with a free line first, then the shortest queue for a line."""
        lines = self.lines
        free = lines.count < lines.capacity
        return (0 if free else 1, lines.queue_length)


@dataclass
class _Counts:
    meals: list[float] = field(default_factory=lambda: [0.0, 0.0])
    late: list[float] = field(default_factory=lambda: [0.0, 0.0])
    requests: int = 0
    requests_on_time: int = 0
    trips: int = 0
    response: Tally = field(default_factory=Tally)


class FeedingService:
    """Operational feeding over ``horizon`` hours from t = 0 (no warm-up: kitchens idle between
    events)."""

    def __init__(
        self,
        demand: FeedingDemand,
        provider: InHouseFeeding | ContractorFeeding,
        streams: Streams,
        *,
        horizon_days: int,
        factor: float,
        keep_trace: bool = False,
    ) -> None:
        self.env = env = simpy.Environment()
        self.demand = demand
        self.provider = provider
        self.end = horizon_days * HOURS_PER_DAY
        self.keep_trace = keep_trace
        windows = surge_windows(demand, horizon_days)
        self.kitchens = [
            _Kitchen(env, name, spec, windows) for name, spec in provider.kitchens.items()
        ]
        self.per_load = provider.meals_per_load
        self.handover = provider.handover_hours
        travel_factor = provider.travel_time_factor
        self.counts = _Counts()
        self.orders: list[Order] = []  # trace only
        self.deliveries: list[Delivery] = []  # trace only
        self._open: list[Order] = []  # orders not yet fully delivered

        # planned orders: travel drawn once per order, in calendar order (option-independent)
        planned_travel = {
            name: event.travel_hours.build(streams[f"catering.feeding.travel.{name}"]).sample
            for name, event in demand.planned.items()
        }
        planned = event_windows(demand, horizon_days)
        for order in planned:
            order.travel = planned_travel[order.event]() * travel_factor
        env.process(self._release_planned(planned))

        # unplanned requests: size, deadline and travel drawn at the request
        unplanned = demand.unplanned
        self.size = unplanned.officers.build(streams["catering.feeding.request_size"]).sample
        self.deadline = unplanned.deadline_hours.build(
            streams["catering.feeding.request_deadline"]
        ).sample
        self.request_travel = unplanned.travel_hours.build(
            streams["catering.feeding.request_travel"]
        ).sample
        self.travel_factor = travel_factor
        times = poisson_arrival_times(
            unplanned.profile(factor), streams["catering.feeding.requests"]
        )
        env.process(arrivals(env, times, self._request, until=self.end))

    # --- orders ------------------------------------------------------------------------------

    def _release_planned(self, orders: list[Order]) -> Generator[simpy.Event, Any, None]:
        env = self.env
        for order in sorted(orders, key=lambda o: o.released):
            if order.released >= self.end:
                return
            yield env.timeout(order.released - env.now)
            self._start(order)

    def _request(self, now: float) -> None:
        """An unplanned request: its size, deadline and travel are drawn now."""
        unplanned = self.demand.unplanned
        officers = max(1, round(self.size()))
        order = Order(
            kind=EMERGENCY,
            event="unplanned",
            released=now,
            opens=now,
            due=now + self.deadline(),
            meals=officers * unplanned.meals_per_officer,
            travel=self.request_travel() * self.travel_factor,
        )
        self._start(order)

    def _start(self, order: Order) -> None:
        """Split the order into van loads and send each to a kitchen."""
        order.meals_left = order.meals
        self.counts.meals[order.kind] += order.meals
        if order.kind == EMERGENCY:
            self.counts.requests += 1
        if self.keep_trace:
            self.orders.append(order)
        self._open.append(order)
        loads = math.ceil(order.meals / self.per_load - 1e-9)
        for i in range(loads):
            meals = min(self.per_load, order.meals - i * self.per_load)
            # ask for a line now, so the next load sees this one in the kitchen's queue
            kitchen = min(self.kitchens, key=_Kitchen.preference)
            line = kitchen.lines.request(order.kind)
            self.env.process(self._load(order, meals, kitchen, line))

    def _load(
        self, order: Order, meals: float, kitchen: _Kitchen, line: RosterRequest
    ) -> Generator[simpy.Event, Any, None]:
        """Cook a load on a line (already asked for), take it by van to the feeding point,
        return."""
        env = self.env
        yield line
        yield env.timeout(meals / kitchen.rate)
        kitchen.lines.release(line)
        van = kitchen.vans.request(order.kind)
        yield van
        yield env.timeout(order.travel)
        self._deliver(order, meals, env.now)
        yield env.timeout(self.handover + order.travel)
        kitchen.vans.release(van)

    def _deliver(self, order: Order, meals: float, now: float) -> None:
        counts = self.counts
        counts.trips += 1
        late = now > order.due + 1e-9
        if late:
            order.late_meals += meals
            counts.late[order.kind] += meals
        order.meals_left -= meals
        order.last_delivery = now
        if self.keep_trace:
            self.deliveries.append(Delivery(now, meals, late, order.kind))
        if order.meals_left <= 1e-9:
            self._open.remove(order)
            if order.kind == EMERGENCY:
                counts.response.add(now - order.released)
                if order.late_meals == 0:
                    counts.requests_on_time += 1

    # --- run and results ---------------------------------------------------------------------

    def run(self) -> None:
        """Simulate the horizon and let the last orders finish (meals never delivered count as
        late)."""
        self.env.run(until=self.end + DRAIN_HOURS)
        for order in self._open:
            self.counts.late[order.kind] += order.meals_left
            order.late_meals += order.meals_left

    def metrics(self, per_year: float) -> dict[str, float]:
        """Figures over the horizon; counts scaled by ``per_year`` (365 / horizon days)."""
        c = self.counts
        meals = sum(c.meals)
        late = sum(c.late)
        until = self.env.now
        busy = sum(k.lines.busy_hours(until) for k in self.kitchens)
        on_duty = sum(k.lines.on_duty_hours(until) for k in self.kitchens)
        van_busy = sum(k.vans.busy_hours(until) for k in self.kitchens)
        van_on_duty = sum(k.vans.on_duty_hours(until) for k in self.kitchens)
        return observe(
            _METRICS, _Totals(c, per_year, meals, late, busy, on_duty, van_busy, van_on_duty)
        )

    def hourly(self, day: int) -> dict[str, np.ndarray]:
        """Meals required, delivered and delivered late by hour of ``day`` (trace only).

        Required meals are spread evenly over each order's window (from when meals are wanted
        to when they are due), so the chart shows demand as the officers eat."""
        if not self.keep_trace:
            raise RuntimeError("hourly figures need a trace run")
        start = day * HOURS_PER_DAY
        required = np.zeros(24)
        due = np.zeros(24)
        for order in self.orders:
            span = order.due - order.opens
            for h in range(24):
                lo, hi = start + h, start + h + 1
                if span > 0:
                    overlap = min(hi, order.due) - max(lo, order.opens)
                    if overlap > 0:
                        required[h] += order.meals * overlap / span
                if lo <= order.due < hi:
                    due[h] += order.meals
        delivered = np.zeros(24)
        late = np.zeros(24)
        for d in self.deliveries:
            h = math.floor(d.time - start)
            if 0 <= h < 24:
                delivered[h] += d.meals
                if d.late:
                    late[h] += d.meals
        return {"required": required, "due": due, "delivered": delivered, "late": late}


@dataclass(frozen=True)
class _Totals:
    """Counts over the horizon and hours of the kitchens' lines and vans."""

    counts: _Counts
    per_year: float
    meals: float
    late: float
    busy: float
    on_duty: float
    van_busy: float
    van_on_duty: float


def _share_on_time(late: float, meals: float) -> float:
    return 1.0 - late / meals if meals else math.nan


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


_METRICS: tuple[Metric[_Totals], ...] = (
    Metric("feeding_meals_per_year", lambda t: t.meals * t.per_year),
    Metric("feeding_planned_meals_per_year", lambda t: t.counts.meals[PLANNED] * t.per_year),
    Metric("feeding_emergency_meals_per_year", lambda t: t.counts.meals[EMERGENCY] * t.per_year),
    Metric("feeding_late_meals_per_year", lambda t: t.late * t.per_year),
    Metric("feeding_on_time_share", lambda t: _share_on_time(t.late, t.meals)),
    Metric(
        "feeding_planned_on_time_share",
        lambda t: _share_on_time(t.counts.late[PLANNED], t.counts.meals[PLANNED]),
    ),
    Metric("feeding_emergency_requests_per_year", lambda t: t.counts.requests * t.per_year),
    Metric(
        "feeding_emergency_within_target",
        lambda t: _ratio(t.counts.requests_on_time, t.counts.requests),
    ),
    Metric("feeding_emergency_response_mean_hours", lambda t: t.counts.response.mean),
    Metric("feeding_trips_per_year", lambda t: t.counts.trips * t.per_year),
    Metric("feeding_line_utilisation", lambda t: _ratio(t.busy, t.on_duty)),
    Metric("feeding_van_utilisation", lambda t: _ratio(t.van_busy, t.van_on_duty)),
)


def feeding_metric_names() -> list[str]:
    """Names of the operational feeding metrics, in order."""
    return metric_names(_METRICS)
