"""Staff restaurants: one representative site per site type, customers queueing at counters and
tills, balking when the queue is too long (SimPy; clock in hours).

A customer arrives (Poisson, at a constant rate within each segment of the day's shape, so the
lunch peak is as sharp as the scenario says), chooses a counter (hot meal, grab-and-go,
coffee), queues for a server unless the counter is self-service, is served, then queues at a
till unless the counter takes payment itself. A customer who finds ``balk_queue_length`` people
or more already waiting at the first queue they would join leaves: a lost cover and lost
takings. Servers and tills follow rosters (:class:`~models.kit.roster.RosteredResource`).

Each site type is simulated as one site and its counts multiplied by its number of sites
(sites of a type are alike and independent), which keeps a replication to four restaurants
rather than fourteen. Day sites open empty every morning, so the restaurants need no warm-up:
the model starts at the beginning of the observed window.

Common random numbers: every customer's counter, counter time and till time are drawn at
arrival, each from its own stream, whatever the option then does with them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import simpy

from models.catering.config import (
    ContractorRestaurants,
    InHouseRestaurants,
    RestaurantDemand,
    SiteTypeSpec,
)
from models.kit.arrivals import arrivals
from models.kit.distributions import Empirical
from models.kit.roster import RosteredResource, build_roster
from models.kit.statistics import Tally
from models.kit.streams import Streams

__all__ = ["SLOT_HOURS", "RestaurantEstate", "restaurant_arrival_times"]

HOURS_PER_DAY = 24.0
MINUTES = 60.0
SLOT_HOURS = 0.25
"""Width of the time-of-day slots of the trace (15 minutes)."""
_SLOTS = int(HOURS_PER_DAY / SLOT_HOURS)
_BLOCK = 1024


def _standard_exponentials(rng: np.random.Generator) -> Iterator[float]:
    while True:
        yield from rng.standard_exponential(_BLOCK).tolist()


def restaurant_arrival_times(
    site: SiteTypeSpec, factor: float, rng: np.random.Generator, start: float, end: float
) -> Iterator[float]:
    """Arrival times at one site in ``[start, end)``: Poisson at a constant rate within each
    segment of the day's shape (``covers x share / segment length``).

    Restarting the exponential gaps at each segment boundary is exact for a piecewise-constant
    rate (the process has independent increments).
    """
    gaps = _standard_exponentials(rng)
    day = math.floor(start / HOURS_PER_DAY)
    while day * HOURS_PER_DAY < end:
        covers = site.covers_per_day(day % 7, factor)
        if covers > 0:
            base = day * HOURS_PER_DAY
            for segment in site.day_shape:
                if segment.share <= 0:
                    continue
                scale = (segment.end - segment.start) / (covers * segment.share)
                t = base + segment.start
                close = base + segment.end
                while True:
                    t += next(gaps) * scale
                    if t >= close:
                        break
                    if t >= end:
                        return
                    if t >= start:
                        yield t
        day += 1


@dataclass
class _SiteCounts:
    """Counts at one representative site in the observed window (not yet scaled)."""

    covers: list[int]
    lost: list[int]
    served: int = 0
    waited: float = 0.0
    """Minutes queued by the customers served (for the mean)."""
    peak_waits: Tally = field(default_factory=Tally)
    peak_arrivals: int = 0
    peak_lost: int = 0


class _Site:
    """One restaurant of a site type (its counts stand for ``sites`` restaurants)."""

    def __init__(
        self,
        estate: RestaurantEstate,
        name: str,
        site: SiteTypeSpec,
        provider: InHouseRestaurants | ContractorRestaurants,
        streams: Streams,
    ) -> None:
        env = estate.env
        demand = estate.demand
        self.env = env
        self.estate = estate
        self.name = name
        self.weight = site.sites
        staffing = provider.staffing[name]
        counters = list(demand.counters.values())
        names = list(demand.counters)
        start = estate.start
        self.servers: list[RosteredResource | None] = [
            None
            if staffing.counters[c] is None
            else RosteredResource(env, build_roster(staffing.counters[c]), f"{name} {c}", start)
            for c in names
        ]
        needs_till = any(c.pays_at_till for c in counters)
        self.tills = (
            RosteredResource(env, build_roster(staffing.tills), f"{name} tills", start)
            if needs_till
            else None
        )
        self.pays = [c.pays_at_till for c in counters]
        # the first queue a customer of each counter joins (None: no queue at all)
        self.first_queue = [
            server if server is not None else (self.tills if pays else None)
            for server, pays in zip(self.servers, self.pays, strict=True)
        ]
        factor = provider.service_time_factor / MINUTES
        self.time_factor = factor
        picker = Empirical(
            values=[float(i) for i in range(len(counters))], weights=[c.share for c in counters]
        )
        self.choose = picker.build(streams[f"catering.restaurants.counter.{name}"]).sample
        self.service: list[Callable[[], float]] = [
            c.service_minutes.build(streams[f"catering.restaurants.service.{name}.{n}"]).sample
            for n, c in zip(names, counters, strict=True)
        ]
        self.till = demand.till_minutes.build(streams[f"catering.restaurants.till.{name}"]).sample
        self.counts = _SiteCounts(covers=[0] * len(counters), lost=[0] * len(counters))
        # trace: waits and arrivals by 15-minute slot of the day
        self.slot_wait = [0.0] * _SLOTS
        self.slot_served = [0] * _SLOTS
        self.slot_arrivals = [0] * _SLOTS
        self.slot_lost = [0] * _SLOTS
        times = restaurant_arrival_times(
            site,
            estate.factor,
            streams[f"catering.restaurants.arrivals.{name}"],
            start,
            estate.end,
        )
        env.process(arrivals(env, times, self._arrive, until=estate.end))

    def _arrive(self, now: float) -> None:
        """A customer: draw their counter and times, then queue or leave."""
        c = int(self.choose())
        service = self.service[c]() * self.time_factor
        till = self.till() * self.time_factor
        hour = now % HOURS_PER_DAY
        estate = self.estate
        peak = estate.peak_start <= hour < estate.peak_end
        counts = self.counts
        trace = estate.keep_trace
        if peak:
            counts.peak_arrivals += 1
        if trace:
            self.slot_arrivals[int(hour / SLOT_HOURS)] += 1
        queue = self.first_queue[c]
        if queue is not None and queue.queue_length >= estate.balk:
            counts.lost[c] += 1
            if peak:
                counts.peak_lost += 1
            if trace:
                self.slot_lost[int(hour / SLOT_HOURS)] += 1
            return
        counts.covers[c] += 1
        self.env.process(self._serve(c, service, till, now, peak))

    def _serve(
        self, c: int, service: float, till: float, arrived: float, peak: bool
    ) -> Generator[simpy.Event, Any, None]:
        """Counter (unless self-service), then till (unless paid at the counter)."""
        env = self.env
        wait = 0.0
        server = self.servers[c]
        if server is None:
            yield env.timeout(service)
        else:
            req = server.request()
            yield req
            wait = env.now - arrived
            yield env.timeout(service)
            server.release(req)
        if self.pays[c]:
            assert self.tills is not None
            queued = env.now
            req = self.tills.request()
            yield req
            wait += env.now - queued
            yield env.timeout(till)
            self.tills.release(req)
        minutes = wait * MINUTES
        counts = self.counts
        counts.served += 1
        counts.waited += minutes
        if peak:
            counts.peak_waits.add(minutes)
            for _ in range(self.weight):  # the estate's distribution: each site counted
                self.estate.peak_waits.add(minutes)
        if self.estate.keep_trace:
            slot = int((arrived % HOURS_PER_DAY) / SLOT_HOURS)
            self.slot_wait[slot] += minutes
            self.slot_served[slot] += 1


class RestaurantEstate:
    """Every site type's representative restaurant in one SimPy environment.

    Parameters
    ----------
    demand, provider
        The scenario's restaurant demand and the option's restaurant provider.
    streams
        The replication's named streams.
    start, end
        The observed window (hours from Monday 00:00 of week 1); the model starts at ``start``.
    factor
        Demand factor (covers relative to the base year).
    keep_trace
        Keep waits and arrivals by time of day (for charts).
    """

    def __init__(
        self,
        demand: RestaurantDemand,
        provider: InHouseRestaurants | ContractorRestaurants,
        streams: Streams,
        *,
        start: float,
        end: float,
        factor: float,
        keep_trace: bool = False,
    ) -> None:
        self.env = simpy.Environment(initial_time=start)
        self.demand = demand
        self.start = start
        self.end = end
        self.factor = factor
        self.keep_trace = keep_trace
        self.balk = demand.balk_queue_length
        self.peak_start = demand.peak.start
        self.peak_end = demand.peak.end
        self.peak_waits = Tally()
        self.counter_names = list(demand.counters)
        self.sites = [
            _Site(self, name, site, provider, streams)
            for name, site in demand.site_types.items()
            if site.sites > 0
        ]

    def run(self) -> None:
        """Simulate the window (customers still queueing at its end are left out)."""
        self.env.run(until=self.end)

    def metrics(self, per_year: float) -> dict[str, float]:
        """Figures of the window; counts scaled by ``per_year`` (365 / window days) and by each
        type's number of sites."""
        demand = self.demand
        counters = list(demand.counters.values())
        covers = [0.0] * len(counters)
        lost = [0.0] * len(counters)
        served = waited = peak_served = peak_waited = 0.0
        peak_arrivals = peak_lost = 0.0
        busy = on_duty = till_busy = till_on_duty = 0.0
        for site in self.sites:
            w = site.weight
            c = site.counts
            for i in range(len(counters)):
                covers[i] += w * c.covers[i]
                lost[i] += w * c.lost[i]
            served += w * c.served
            waited += w * c.waited
            if c.peak_waits.n:
                peak_served += w * c.peak_waits.n
                peak_waited += w * c.peak_waits.n * c.peak_waits.mean
            peak_arrivals += w * c.peak_arrivals
            peak_lost += w * c.peak_lost
            for server in site.servers:
                if server is not None:
                    busy += w * server.busy_hours(self.end)
                    on_duty += w * server.on_duty_hours(self.end)
            if site.tills is not None:
                till_busy += w * site.tills.busy_hours(self.end)
                till_on_duty += w * site.tills.on_duty_hours(self.end)
        total_covers = sum(covers)
        total_lost = sum(lost)
        out: dict[str, float] = {
            "restaurant_covers_per_year": total_covers * per_year,
            "restaurant_lost_covers_per_year": total_lost * per_year,
            "restaurant_lost_share": _ratio(total_lost, total_covers + total_lost),
            "restaurant_peak_lost_share": _ratio(peak_lost, peak_arrivals),
            "restaurant_takings_per_year": per_year
            * math.fsum(n * c.spend for n, c in zip(covers, counters, strict=True)),
            "restaurant_lost_takings_per_year": per_year
            * math.fsum(n * c.spend for n, c in zip(lost, counters, strict=True)),
            "restaurant_wait_mean_minutes": _ratio(waited, served),
            "restaurant_peak_wait_mean_minutes": _ratio(peak_waited, peak_served),
            # every peak customer of a representative site was added once per site of its type
            "restaurant_peak_wait_p95_minutes": self.peak_waits.quantile(0.95),
        }
        for name, n in zip(self.counter_names, covers, strict=True):
            out[f"restaurant_covers_{name}_per_year"] = n * per_year
        for site in self.sites:
            c = site.counts
            out[f"restaurant_peak_wait_mean_minutes_{site.name}"] = c.peak_waits.mean
            out[f"restaurant_peak_wait_p95_minutes_{site.name}"] = c.peak_waits.quantile(0.95)
            out[f"restaurant_lost_share_{site.name}"] = _ratio(
                sum(c.lost), sum(c.covers) + sum(c.lost)
            )
        out["restaurant_server_utilisation"] = _ratio(busy, on_duty)
        out["restaurant_till_utilisation"] = _ratio(till_busy, till_on_duty)
        return out


def restaurant_metric_names(demand: RestaurantDemand) -> list[str]:
    """Names of the restaurant metrics for ``demand``'s counters and site types."""
    names = [
        "restaurant_covers_per_year",
        "restaurant_lost_covers_per_year",
        "restaurant_lost_share",
        "restaurant_peak_lost_share",
        "restaurant_takings_per_year",
        "restaurant_lost_takings_per_year",
        "restaurant_wait_mean_minutes",
        "restaurant_peak_wait_mean_minutes",
        "restaurant_peak_wait_p95_minutes",
    ]
    names += [f"restaurant_covers_{name}_per_year" for name in demand.counters]
    for name, site in demand.site_types.items():
        if site.sites > 0:
            names += [
                f"restaurant_peak_wait_mean_minutes_{name}",
                f"restaurant_peak_wait_p95_minutes_{name}",
                f"restaurant_lost_share_{name}",
            ]
    names += ["restaurant_server_utilisation", "restaurant_till_utilisation"]
    return names


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan
