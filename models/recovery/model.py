"""Discrete-event model of vehicle recovery and pounds (SimPy; clock in hours).

One replication simulates a *representative period*: ``warmup_days`` from an empty pound (its
statistics discarded), then ``window_days`` observed. Counts are scaled to a year
(``x 365 / window_days``) so they feed the appraisal directly.

A removal request arrives (non-stationary Poisson by hour of the week); it has a category
(seizure, crime-related, ...) and a sector. A truck of that sector is requested (urgent before
routine, first come first served within a priority); the truck is dispatched, travels to the
scene (attendance = request to arrival on scene), works on scene, tows the vehicle to the
sector's pound and returns. At the pound the vehicle takes a space, or goes to paid external
storage when the site is full (it stays there until it leaves). Vehicles needing forensic
examination wait for a bay and an examiner. Once releasable, the owner collects (after a random
time, at most the retention period) or the vehicle is disposed of after the retention and
disposal periods. Statutory charges on leaving are income.

Common random numbers: each vehicle's attributes (category, sector, travel, on-scene, tow and
return times, collection and examination times) are drawn *when it arrives*, each from its own
named stream, so the same vehicle has the same attributes under every option, however the
options then treat it. Option-specific randomness (a contractor's other clients) has streams of
its own.

Statistics are streamed (:class:`~models.kit.statistics.Tally`,
:class:`~models.kit.statistics.TimeWeighted`): memory does not grow with the horizon.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import simpy

from models.kit.arrivals import arrivals, poisson_arrival_times
from models.kit.distributions import Empirical, Uniform
from models.kit.observation import Metric, observe
from models.kit.observation import metric_names as _metric_names
from models.kit.other_work import OtherWork
from models.kit.roster import RosteredResource
from models.kit.runs import ServiceRun
from models.kit.statistics import Tally, TimeWeighted
from models.kit.streams import Streams
from models.kit.window import Window, WindowedModel
from models.recovery.config import (
    PRIORITIES,
    ContractorRecovery,
    OptionSpec,
    OtherClientsSpec,
    RecoveryConfig,
    build_roster,
)

__all__ = [
    "DAYS_PER_YEAR",
    "STREAMS",
    "RecoveryRun",
    "RecoveryTrace",
    "metric_names",
    "simulate",
    "trace",
]

HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365.0
"""Counts in the window are scaled to a year of this many days."""

_QUEUE_RANK = {"urgent": 0, "routine": 1, "after_police": 2}

STREAMS: dict[str, str] = {
    "recovery.arrivals": "times of removal requests (thinning)",
    "recovery.category": "category of each request",
    "recovery.sector": "sector of each request",
    "recovery.travel": "travel time to the scene",
    "recovery.on_scene": "time on scene",
    "recovery.tow": "tow time to the pound",
    "recovery.return": "return time from the pound",
    "recovery.release": "whether the owner collects",
    "recovery.collect_time": "time until the owner collects",
    "recovery.exam": "forensic examination time",
    "recovery.contractor_background.<sector>": "arrivals of a contractor's other-client jobs",
    "recovery.contractor_background_time.<sector>": "durations of those jobs",
}
"""The named random streams the model draws from (one per random activity)."""


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class RecoveryRun(ServiceRun[RecoveryConfig, OptionSpec]):
    """What one call of :func:`simulate` runs (:class:`~models.kit.runs.ServiceRun`, picklable):
    an option of the ``recovery:`` section in a demand year, whose requests are
    ``annual_vehicles * (1 + growth) ** year`` (0 = base year)."""

    service: ClassVar[str] = "recovery"


# --------------------------------------------------------------------------- vehicles


class _Vehicle:
    """One removal request and its vehicle (attributes drawn at arrival)."""

    __slots__ = (
        "at_pound",
        "category",
        "collect_time",
        "collect_u",
        "exam_time",
        "observed",
        "on_scene",
        "priority",
        "requested",
        "returning",
        "sector",
        "site",
        "tow",
        "travel",
    )

    requested: float
    category: int
    sector: int
    priority: int
    travel: float
    on_scene: float
    tow: float
    returning: float
    collect_u: float
    collect_time: float
    exam_time: float
    observed: bool
    at_pound: float
    site: int  # index of the site holding the vehicle, -1 in external overflow storage


@dataclass(frozen=True)
class _Category:
    name: str
    priority: int
    target: float
    needs_exam: bool
    charged: bool
    collected_share: float
    retention: float  # hours
    disposal_stay: float  # hours from releasable to leaving, when not collected


@dataclass
class _Counters:
    """Counts in the observed window."""

    requests: int = 0
    requests_by_priority: list[int] = field(default_factory=lambda: [0] * len(PRIORITIES))
    within_target: list[int] = field(default_factory=lambda: [0] * len(PRIORITIES))
    breaches: int = 0
    admitted: int = 0
    overflow: int = 0
    overflow_days: int = 0
    last_overflow_day: int = -1
    exams: int = 0
    collected: int = 0
    disposed: int = 0
    paid_removals: float = 0.0
    paid_storage_days: float = 0.0
    paid_disposals: float = 0.0


@dataclass(frozen=True)
class RecoveryTrace:
    """One replication's time series, for charts (not for run_replications).

    ``day`` counts from the start of the run (the warm-up included: ``warmup_days`` marks where
    observation starts). Occupancies are daily time-weighted means.
    """

    option: str
    warmup_days: float
    day: np.ndarray
    occupancy: np.ndarray
    """Vehicles held in the option's own sites (all sites)."""
    site_occupancy: dict[str, np.ndarray]
    overflow_occupancy: np.ndarray
    """Vehicles held in external overflow storage."""
    attendance_hours: np.ndarray
    """Attendance time of every request observed (after the warm-up)."""
    attendance_priority: np.ndarray
    """Priority of each of those requests (names from ``PRIORITIES``)."""
    attendance_target_hours: np.ndarray
    """Attendance target of each of those requests (its category's)."""
    exam_wait_hours: np.ndarray
    """Wait from arrival at the pound to the start of examination, per examined vehicle."""
    metrics: dict[str, float]
    """The same figures :func:`simulate` returns for this replication."""


# --------------------------------------------------------------------------- the model


class _Model(WindowedModel[RecoveryRun]):
    """The SimPy model of one option for one replication."""

    def __init__(self, run: RecoveryRun, streams: Streams, *, keep_trace: bool = False) -> None:
        super().__init__(run)
        env = self.env
        config = run.config
        option = run.spec
        demand = config.demand
        self.keep_trace = keep_trace

        # --- demand and attributes (option-independent streams) ---
        self.sector_names = list(demand.sectors)
        self.categories = [
            _Category(
                name=name,
                priority=PRIORITIES.index(c.priority),
                target=c.attendance_target_hours,
                needs_exam=c.examination_time is not None,
                charged=c.charged,
                collected_share=c.release.collected_share,
                retention=c.release.retention_days * HOURS_PER_DAY,
                disposal_stay=(c.release.retention_days + c.release.disposal_days) * HOURS_PER_DAY,
            )
            for name, c in demand.categories.items()
        ]
        pick_category = _index_sampler([c.share for c in demand.categories.values()])
        pick_sector = _index_sampler([s.share for s in demand.sectors.values()])
        self.draw_category = pick_category(streams["recovery.category"])
        self.draw_sector = pick_sector(streams["recovery.sector"])
        travel_factor = option.recovery.travel_time_factor
        tow_factor = option.storage.tow_time_factor
        self.travel_factor = travel_factor
        self.tow_factor = tow_factor
        rng = streams["recovery.travel"]
        self.travel = [s.travel_time.build(rng).sample for s in demand.sectors.values()]
        rng = streams["recovery.tow"]
        self.tow = [s.tow_time.build(rng).sample for s in demand.sectors.values()]
        rng = streams["recovery.return"]
        self.returning = [s.return_time.build(rng).sample for s in demand.sectors.values()]
        rng = streams["recovery.on_scene"]
        self.on_scene = [c.on_scene_time.build(rng).sample for c in demand.categories.values()]
        self.collect_u = Uniform(low=0.0, high=1.0).build(streams["recovery.release"]).sample
        rng = streams["recovery.collect_time"]
        self.collect_time = [
            c.release.time_to_collect.build(rng).sample for c in demand.categories.values()
        ]
        rng = streams["recovery.exam"]
        self.exam_time: list[Callable[[], float] | None] = [
            None if c.examination_time is None else c.examination_time.build(rng).sample
            for c in demand.categories.values()
        ]

        # --- recovery: trucks per sector ---
        recovery = option.recovery
        self.dispatch = recovery.dispatch_hours
        self.trucks = [
            RosteredResource(env, build_roster(recovery.trucks[s]), f"trucks {s}", self.warmup)
            if demand.sectors[s].share > 0 or _roster_has_units(recovery.trucks[s])
            else None
            for s in self.sector_names
        ]
        self.contract_targets: list[float] | None = None
        self.other_clients = OtherWork(env, warmup=self.warmup, until=self.end)
        if isinstance(recovery, ContractorRecovery):
            self.contract_targets = [recovery.contract_targets_hours[p] for p in PRIORITIES]
            if recovery.other_clients is not None and recovery.other_clients.busy_share > 0:
                self._start_other_clients(recovery.other_clients, streams)

        # --- pound sites ---
        storage = option.storage
        self.site_names = list(storage.sites)
        self.site_capacity = [
            math.inf if site.capacity is None else site.capacity for site in storage.sites.values()
        ]
        site_of = {s: i for i, site in enumerate(storage.sites.values()) for s in site.sectors}
        self.site_of_sector = [site_of[s] for s in self.sector_names]
        self.site_level = [0] * len(self.site_names)
        self.site_stats = [TimeWeighted(env) for _ in self.site_names]
        self.total_stats = TimeWeighted(env)
        self.overflow_level = 0
        self.overflow_stats = TimeWeighted(env)

        # --- examination ---
        examination = option.examination
        self.needs_exam = any(c.needs_exam for c in self.categories)
        if self.needs_exam:
            self.bays = simpy.Resource(env, capacity=examination.bays)
            self.examiners = RosteredResource(
                env, build_roster(examination.examiners), "examiners", self.warmup
            )
        self.exam_wait = Tally()

        # --- statistics (within-target counts are kept per vehicle: targets vary by category) ---
        self.attendance = [Tally() for _ in PRIORITIES]
        self.attendance_all = Tally()
        self.counts = _Counters()
        charges = config.charges
        self.paid_share_collected = charges.collected_paid_share
        self.paid_share_disposed = charges.disposed_paid_share

        # --- trace (charts only) ---
        self.trace_attendance: list[tuple[float, int, float]] = []
        self.trace_exam_wait: list[float] = []
        self.daily: list[tuple[float, list[float], float, float]] = []  # (day, sites, all, out)
        if keep_trace:
            self.trace_levels = [TimeWeighted(env) for _ in self.site_names]
            self.trace_total = TimeWeighted(env)
            self.trace_overflow = TimeWeighted(env)
            self._previous_snapshot: tuple[float, list[float], float, float] = (
                0.0,
                [0.0] * len(self.site_names),
                0.0,
                0.0,
            )
            env.process(self._daily_snapshots())

        # --- processes ---
        profile = demand.profile(run.year)
        times = poisson_arrival_times(profile, streams["recovery.arrivals"])
        env.process(arrivals(env, times, self._on_request, until=self.end))
        if self.warmup > 0:
            env.process(self._end_warmup())

    # --- demand -------------------------------------------------------------------------

    def _on_request(self, now: float) -> None:
        """A removal request: draw the vehicle's attributes, then start its recovery job."""
        v = _Vehicle()
        v.requested = now
        c = int(self.draw_category())
        s = int(self.draw_sector())
        category = self.categories[c]
        v.category = c
        v.sector = s
        v.priority = category.priority
        v.travel = self.travel[s]() * self.travel_factor
        v.tow = self.tow[s]() * self.tow_factor
        v.returning = self.returning[s]() * self.tow_factor
        v.on_scene = self.on_scene[c]()
        v.collect_u = self.collect_u()
        v.collect_time = self.collect_time[c]()
        exam = self.exam_time[c]
        v.exam_time = exam() if exam is not None else 0.0
        v.observed = now >= self.warmup
        if v.observed:
            counts = self.counts
            counts.requests += 1
            counts.requests_by_priority[v.priority] += 1
        self.env.process(self._job(v))

    def _job(self, v: _Vehicle) -> Generator[simpy.Event, Any, None]:
        """The truck's job: dispatch and travel, on scene, tow to the pound, return."""
        env = self.env
        with self.trucks[v.sector].request(v.priority) as req:  # type: ignore[union-attr]
            yield req
            delay = self.dispatch + v.travel
            if delay > 0:  # zero-time steps (possible in test configurations) need no event
                yield env.timeout(delay)
            if v.observed:
                self._record_attendance(v, env.now - v.requested)
            delay = v.on_scene + v.tow
            if delay > 0:
                yield env.timeout(delay)
            self._admit(v, env.now)
            if v.returning > 0:
                yield env.timeout(v.returning)

    def _record_attendance(self, v: _Vehicle, attendance: float) -> None:
        p = v.priority
        self.attendance[p].add(attendance)
        self.attendance_all.add(attendance)
        category = self.categories[v.category]
        if attendance <= category.target:
            self.counts.within_target[p] += 1
        if self.contract_targets is not None and attendance > self.contract_targets[p]:
            self.counts.breaches += 1
        if self.keep_trace:
            self.trace_attendance.append((attendance, p, category.target))

    # --- other clients of a contractor -----------------------------------------------------

    def _start_other_clients(self, others: OtherClientsSpec, streams: Streams) -> None:
        """The contractor's work for other clients, on each sector's trucks."""
        rank = _QUEUE_RANK[others.priority]
        for s, name in enumerate(self.sector_names):
            trucks = self.trucks[s]
            if trucks is None:
                continue
            self.other_clients.start(
                trucks,
                rank,
                others,
                streams,
                time_stream=f"recovery.contractor_background_time.{name}",
                arrival_stream=f"recovery.contractor_background.{name}",
            )

    # --- pound ----------------------------------------------------------------------------

    def _admit(self, v: _Vehicle, now: float) -> None:
        """The vehicle arrives at its sector's pound, or at overflow storage if it is full."""
        v.at_pound = now
        site = self.site_of_sector[v.sector]
        observed = now >= self.warmup
        if observed:
            self.counts.admitted += 1
        if self.site_level[site] < self.site_capacity[site]:
            v.site = site
            self.site_level[site] += 1
            self.site_stats[site].update(now, self.site_level[site])
            self.total_stats.add(now, 1)
            if self.keep_trace:
                self.trace_levels[site].update(now, self.site_level[site])
                self.trace_total.add(now, 1)
        else:
            v.site = -1
            self.overflow_level += 1
            self.overflow_stats.update(now, self.overflow_level)
            if self.keep_trace:
                self.trace_overflow.update(now, self.overflow_level)
            if observed:
                counts = self.counts
                counts.overflow += 1
                day = int(now // HOURS_PER_DAY)
                if day != counts.last_overflow_day:
                    counts.overflow_days += 1
                    counts.last_overflow_day = day
        if self.categories[v.category].needs_exam:
            self.env.process(self._examine(v))
        else:
            self._releasable(v, now, now)

    def _examine(self, v: _Vehicle) -> Generator[simpy.Event, Any, None]:
        """Forensic examination: a bay, then an examiner, for the examination time."""
        env = self.env
        with self.bays.request() as bay:
            yield bay
            with self.examiners.request() as examiner:
                yield examiner
                if v.observed:
                    wait = env.now - v.at_pound
                    self.exam_wait.add(wait)
                    if self.keep_trace:
                        self.trace_exam_wait.append(wait)
                yield env.timeout(v.exam_time)
        if env.now >= self.warmup:
            self.counts.exams += 1
        self._releasable(v, env.now, env.now)

    def _releasable(self, v: _Vehicle, now: float, charge_from: float) -> None:
        """Schedule the vehicle's departure: collected by its owner, or disposed of."""
        category = self.categories[v.category]
        if v.collect_u < category.collected_share:
            stay = min(v.collect_time, category.retention)
            collected = True
        else:
            stay = category.disposal_stay
            collected = False
        leave = self.env.timeout(stay, (v, collected, charge_from))
        leave.callbacks.append(self._on_leave)

    def _on_leave(self, event: simpy.Event) -> None:
        """The vehicle leaves the pound (or overflow storage): free the space, count income."""
        v, collected, charge_from = event.value
        now = self.env.now
        site = v.site
        if site >= 0:
            self.site_level[site] -= 1
            self.site_stats[site].update(now, self.site_level[site])
            self.total_stats.add(now, -1)
            if self.keep_trace:
                self.trace_levels[site].update(now, self.site_level[site])
                self.trace_total.add(now, -1)
        else:
            self.overflow_level -= 1
            self.overflow_stats.update(now, self.overflow_level)
            if self.keep_trace:
                self.trace_overflow.update(now, self.overflow_level)
        if now < self.warmup:
            return
        counts = self.counts
        charged = self.categories[v.category].charged
        days = _storage_days(v.at_pound, charge_from, now)
        if collected:
            counts.collected += 1
            if charged:
                share = self.paid_share_collected
                counts.paid_removals += share
                counts.paid_storage_days += share * days
        else:
            counts.disposed += 1
            if charged:
                share = self.paid_share_disposed
                counts.paid_removals += share
                counts.paid_storage_days += share * days
                counts.paid_disposals += share

    # --- bookkeeping ------------------------------------------------------------------------

    def _end_warmup(self) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(self.warmup)
        now = self.env.now
        for stats in (*self.site_stats, self.total_stats, self.overflow_stats):
            stats.reset(now)

    def _daily_snapshots(self) -> Generator[simpy.Event, Any, None]:
        while True:
            yield self.env.timeout(HOURS_PER_DAY)
            self._snapshot(self.env.now)

    def _snapshot(self, now: float) -> None:
        """Record the mean levels of the day ending at ``now`` (trace only)."""
        current = (
            [level.integral(now) for level in self.trace_levels],
            self.trace_total.integral(now),
            self.trace_overflow.integral(now),
        )
        previous = self._previous_snapshot
        span = now - previous[0]
        self.daily.append(
            (
                previous[0] / HOURS_PER_DAY,
                [(b - a) / span for a, b in zip(previous[1], current[0], strict=True)],
                (current[1] - previous[2]) / span,
                (current[2] - previous[3]) / span,
            )
        )
        self._previous_snapshot = (now, *current)

    def finish_trace(self) -> None:
        """Close the last (possibly partial) day of the trace at the end of the run."""
        if self.env.now > self._previous_snapshot[0]:
            self._snapshot(self.env.now)

    def execute(self) -> dict[str, float]:
        """Run to the end of the window and return the metrics."""
        self.env.run(until=self.end)
        return self.metrics()

    def metrics(self) -> dict[str, float]:
        """The figures of the observed window (counts scaled to a year); a figure with no
        observation in the window (e.g. attendance with zero demand) is left out rather than
        reported as NaN, which run_replications refuses."""
        window_days = (self.end - self.warmup) / HOURS_PER_DAY
        window = _Window(self, self.end, DAYS_PER_YEAR / window_days, self.counts)
        return observe(_metrics(self.run.config, self.run.option), window, drop_nan=True)


@dataclass(frozen=True)
class _Window(Window[_Model]):
    """What the metrics are read from at the end of the run."""

    c: _Counters


def _truck_utilisation(w: _Window) -> float:
    busy_hours = on_duty_hours = 0.0
    for trucks in w.model.trucks:
        if trucks is not None:
            busy_hours += trucks.busy_hours(w.end)
            on_duty_hours += trucks.on_duty_hours(w.end)
    return _ratio(busy_hours, on_duty_hours)


def _income(w: _Window) -> float:
    charges = w.model.run.config.charges
    c = w.c
    return (
        charges.removal * (c.paid_removals * w.per_year)
        + charges.storage_per_day * (c.paid_storage_days * w.per_year)
        + charges.disposal * (c.paid_disposals * w.per_year)
    )


def _per_year(count: str) -> Callable[[_Window], float]:
    """A count of the window (an attribute of the counts) scaled to a year."""
    return lambda w: getattr(w.c, count) * w.per_year


def _priority_metrics(p: int, name: str) -> list[Metric[_Window]]:
    return [
        Metric(f"jobs_{name}_per_year", lambda w: w.c.requests_by_priority[p] * w.per_year),
        Metric(f"attendance_mean_hours_{name}", lambda w: w.model.attendance[p].mean),
        Metric(f"attendance_p90_hours_{name}", lambda w: w.model.attendance[p].quantile(0.9)),
        Metric(
            f"attendance_within_target_{name}",
            lambda w: _ratio(w.c.within_target[p], w.model.attendance[p].n),
        ),
    ]


def _site_metrics(i: int, name: str) -> list[Metric[_Window]]:
    return [
        Metric(f"pound_occupancy_mean_{name}", lambda w: w.model.site_stats[i].mean(w.end)),
        Metric(f"pound_occupancy_peak_{name}", lambda w: w.model.site_stats[i].max),
    ]


def _metrics(config: RecoveryConfig, option: str) -> list[Metric[_Window]]:
    """Every metric of ``option``, in the order :func:`simulate` returns them."""
    sites = config.options[option].storage.sites
    return [
        Metric("requests_per_year", _per_year("requests")),
        Metric("jobs_per_year", _per_year("requests")),
        Metric("attendance_mean_hours", lambda w: w.model.attendance_all.mean),
        Metric("attendance_p90_hours", lambda w: w.model.attendance_all.quantile(0.9)),
        Metric(
            "attendance_within_target",
            lambda w: _ratio(sum(w.c.within_target), w.model.attendance_all.n),
        ),
        *(m for p, name in enumerate(PRIORITIES) for m in _priority_metrics(p, name)),
        Metric("service_credits_per_year", _per_year("breaches")),
        Metric(
            "contract_breach_share",
            lambda w: (
                _ratio(w.c.breaches, w.model.attendance_all.n) if w.model.contract_targets else 0.0
            ),
        ),
        Metric("truck_utilisation", _truck_utilisation),
        Metric("other_client_jobs_per_year", lambda w: w.model.other_clients.jobs * w.per_year),
        Metric("pound_occupancy_mean", lambda w: w.model.total_stats.mean(w.end)),
        Metric("pound_occupancy_peak", lambda w: w.model.total_stats.max),
        *(m for i, name in enumerate(sites) for m in _site_metrics(i, name)),
        Metric("vehicle_days_per_year", lambda w: w.model.total_stats.mean(w.end) * DAYS_PER_YEAR),
        Metric("days_over_capacity_per_year", _per_year("overflow_days")),
        Metric("overflow_vehicles_per_year", _per_year("overflow")),
        Metric("overflow_share", lambda w: _ratio(w.c.overflow, w.c.admitted)),
        Metric(
            "overflow_vehicle_days_per_year",
            lambda w: w.model.overflow_stats.mean(w.end) * DAYS_PER_YEAR,
        ),
        Metric("exams_per_year", _per_year("exams")),
        Metric("exam_wait_mean_hours", lambda w: w.model.exam_wait.mean),
        Metric(
            "examiner_utilisation",
            lambda w: w.model.examiners.utilisation(w.end) if w.model.needs_exam else math.nan,
        ),
        Metric("collected_per_year", _per_year("collected")),
        Metric("disposed_per_year", _per_year("disposed")),
        Metric("paid_removals_per_year", _per_year("paid_removals")),
        Metric("paid_storage_days_per_year", _per_year("paid_storage_days")),
        Metric("paid_disposals_per_year", _per_year("paid_disposals")),
        Metric("income_per_year", _income),
    ]


def _index_sampler(shares: list[float]) -> Callable[[np.random.Generator], Callable[[], float]]:
    """A factory of samplers of an index drawn with the given shares (one draw per call)."""
    spec = Empirical(values=[float(i) for i in range(len(shares))], weights=shares)
    return lambda rng: spec.build(rng).sample


def _roster_has_units(spec: int | list[Any]) -> bool:
    return build_roster(spec).max_capacity > 0


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def _storage_days(removed_at: float, charge_from: float, left_at: float) -> int:
    """Storage days chargeable: one per midday passed from the day after removal.

    Charging starts at midday of the day after removal (and not before the end of any forensic
    examination, ``charge_from``, during which it is waived).
    """
    first = (math.floor(removed_at / HOURS_PER_DAY) + 1) * HOURS_PER_DAY + 12.0
    if charge_from > removed_at:
        # days of examination are waived: start at the first midday after the examination
        first = max(first, math.ceil((charge_from - 12.0) / HOURS_PER_DAY) * HOURS_PER_DAY + 12.0)
    if left_at < first:
        return 0
    return int((left_at - first) // HOURS_PER_DAY) + 1


# --------------------------------------------------------------------------- public API


def simulate(run: RecoveryRun, streams: Streams) -> dict[str, float]:
    """Simulate one replication of ``run`` and return its metrics (flat, for run_replications).

    Metric names: see :func:`metric_names`. Counts are per year (window counts x 365 /
    window_days); shares are fractions; times are hours. A figure with no observation in the
    window (e.g. attendance with zero demand, examiner utilisation with no examinations) is
    left out rather than returned as NaN.
    """
    return _Model(run, streams).execute()


def trace(run: RecoveryRun, streams: Streams) -> RecoveryTrace:
    """Simulate one replication and keep its time series for charts (daily pound occupancy from
    the start, warm-up included; every observed attendance and examination wait)."""
    model = _Model(run, streams, keep_trace=True)
    metrics = model.execute()
    model.finish_trace()
    days = np.array([d[0] for d in model.daily])
    sites = np.array([d[1] for d in model.daily]).reshape(len(days), len(model.site_names))
    attendance = np.array([a[0] for a in model.trace_attendance])
    priority = np.array([PRIORITIES[a[1]] for a in model.trace_attendance], dtype=object)
    targets = np.array([a[2] for a in model.trace_attendance])
    return RecoveryTrace(
        option=run.option,
        warmup_days=run.warmup_hours / HOURS_PER_DAY,
        day=days,
        occupancy=np.array([d[2] for d in model.daily]),
        site_occupancy={name: sites[:, i] for i, name in enumerate(model.site_names)},
        overflow_occupancy=np.array([d[3] for d in model.daily]),
        attendance_hours=attendance,
        attendance_priority=priority,
        attendance_target_hours=targets,
        exam_wait_hours=np.array(model.trace_exam_wait),
        metrics=metrics,
    )


def metric_names(config: RecoveryConfig, option: str) -> list[str]:
    """Names of every metric :func:`simulate` can return for ``option`` (site names vary).

    ``*_per_year`` are counts in the window scaled to a year; ``attendance_*`` are hours from
    request to arrival on scene (``_within_target``: share within the category's target);
    ``pound_occupancy_*`` are vehicles held in the option's own sites; ``overflow_*`` are
    vehicles sent to external storage because their site was full; ``*_utilisation`` are busy
    unit-hours over on-duty unit-hours.
    """
    if option not in config.options:
        raise ValueError(f"no recovery option {option!r} (options: {', '.join(config.options)})")
    return _metric_names(_metrics(config, option))
