"""Discrete-event model of fleet maintenance and vehicle availability (SimPy; clock in hours).

One replication simulates a *representative period*: ``warmup_days`` from a fleet with every
vehicle on the road (statistics discarded), then ``window_days`` observed. Counts are scaled to
a year (``x 365 / window_days``) so they feed the appraisal directly.

Each vehicle is on the road until its next job: a failure (mechanical defect, collision, tyres
and glass, ...) after a random amount of *use* (time on the road: exponential, so failures are
Poisson while on the road, and a vehicle in the workshop does not fail again), or its routine
service when it falls due (every so many miles or months since the last, whichever first).
Off the road, it goes to the workshop its job kind is routed to (travel or collection time),
waits for parts if the job needs them, takes a bay, then a technician of the job's skill
(urgent classes first) for the labour time, worked in sessions so that work stops when shifts
end, and travels back. Small jobs go to a mobile unit at the station where the workshop has
units. A service that fell due while a vehicle was off the road is done on its return.

Policing demand: each class needs a number of vehicles on the road in each shift (early, late,
night; weekdays and weekends). A spare pool stands in for missing vehicles of the classes it
covers (urgent classes first). Shortfalls follow from the counts of vehicles off the road by
class, updated whenever a vehicle leaves or returns and at shift boundaries: no process per
vehicle polls anything. A class-shift is *short* if at any moment of it fewer vehicles were
available than required; vehicle-hours short integrate the missing vehicles over time.

Common random numbers: each vehicle's sequence of jobs is drawn from streams of its class in
blocks (``fleet.use.<class>.<block>.<group>``: each failure's kind, labour, parts delay, mobile
draw and the use until the next; ``fleet.service.<class>.<block>.<group>``: each service's labour
and parts),
indexed by the vehicle and the job's number. Vehicle ``i``'s ``n``-th failure comes after the same
use, with the same kind and labour, under every option; only the calendar times differ with the
workshops' speed. Option-specific randomness (travel, other customers) has streams of its own.

Statistics are streamed (Tally, TimeWeighted) and job draws are kept in a bounded cache (each
vehicle's current block, the most recently used group blocks): memory does not grow with the
horizon.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import simpy

from models.fleet.config import (
    SERVICE,
    ContractorWorkshop,
    FleetConfig,
    OptionSpec,
)
from models.kit.observation import Metric, observe
from models.kit.observation import metric_names as _metric_names
from models.kit.other_work import OtherWork
from models.kit.roster import Roster, RosteredResource, build_roster
from models.kit.runs import ServiceRun
from models.kit.statistics import Tally, TimeWeighted
from models.kit.streams import Streams, stream_seed
from models.kit.window import Window, WindowedModel

__all__ = [
    "DAYS_PER_YEAR",
    "STREAMS",
    "FleetRun",
    "FleetTrace",
    "job_volume_metrics",
    "labour_metric",
    "metric_names",
    "simulate",
    "trace",
]

HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365.0
HOURS_PER_YEAR = DAYS_PER_YEAR * HOURS_PER_DAY
BLOCK = 8
"""Jobs per vehicle drawn at a time."""
GROUP = 64
"""Vehicles drawn together (one stream per group and block)."""
CACHED_BLOCKS_PER_GROUP = 2
"""Group blocks kept, on average per group, for the vehicles still to reach them."""

_QUEUE_RANK = {"urgent": 0.0, "routine": 1.0, "after_police": 2.0}
_CONTINUING = 0.5
"""A job's later sessions queue ahead of new jobs of the same priority."""

STREAMS: dict[str, str] = {
    "fleet.use.<class>.first": "per vehicle: use (time on the road) before its first failure",
    "fleet.use.<class>.<block>.<group>": "per vehicle: each failure's kind, labour, parts, ...",
    "fleet.service.<class>.<block>.<group>": "per vehicle: labour and parts of its services",
    "fleet.service_phase": "when each vehicle's first service falls due",
    "fleet.travel.<workshop>": "travel or collection time to and from a workshop",
    "fleet.mobile_travel.<workshop>": "a mobile unit's travel to the station",
    "fleet.other_customers.<workshop>.<skill>": "arrivals of a contractor's other work",
    "fleet.other_customers_time.<workshop>.<skill>": "durations of that work",
}
"""The named random streams the model draws from (one per random activity)."""


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class FleetRun(ServiceRun[FleetConfig, OptionSpec]):
    """What one call of :func:`simulate` runs (:class:`~models.kit.runs.ServiceRun`, picklable):
    an option of the ``fleet:`` section in a fleet-size year, whose counts and requirements
    are scaled by ``(1 + size_change) ** year``."""

    service: ClassVar[str] = "fleet"


@dataclass(frozen=True)
class FleetTrace:
    """One replication's time series, for charts (not for run_replications).

    ``day`` counts from the start of the run (warm-up included: ``warmup_days`` marks where
    observation starts); levels are daily time-weighted means.
    """

    option: str
    warmup_days: float
    day: np.ndarray
    off_road: np.ndarray
    """Vehicles off the road (all classes)."""
    off_road_by_class: dict[str, np.ndarray]
    availability_by_class: dict[str, np.ndarray]
    """Share of the class on the road."""
    short_by_class: dict[str, np.ndarray]
    """Vehicles missing from the shift's requirement after the spare pool."""
    turnaround_hours: np.ndarray
    """Off the road to back on it, every job completed in the window."""
    turnaround_kind: np.ndarray
    """Job kind of each of those jobs."""
    turnaround_target_hours: np.ndarray
    metrics: dict[str, float]


# --------------------------------------------------------------------------- job draws


class _JobDraws:
    """Pre-drawn attributes of every vehicle's successive jobs of one class.

    Vehicle ``i``'s jobs ``b * BLOCK .. (b + 1) * BLOCK - 1`` are row ``i % GROUP`` of block
    ``b`` of its group of ``GROUP`` vehicles, drawn from its own stream
    ``<prefix>.<class>.<b>.<group>``: what a vehicle's ``n``-th job is does not depend on when
    it is asked for. Memory stays flat however long the run: each vehicle keeps a copy of its
    current block's row, and only the most recently used group blocks are cached (a block
    dropped from the cache is drawn again, identically, if a vehicle still needs it).
    """

    __slots__ = (
        "_cache",
        "_capacity",
        "_draw",
        "_name",
        "_own",
        "_replication",
        "_seed",
        "_vehicles",
    )

    def __init__(
        self,
        name: str,
        streams: Streams,
        vehicles: int,
        draw: Callable[[np.random.Generator, int, int], list[np.ndarray]],
    ) -> None:
        self._name = name
        self._seed = streams.seed
        self._replication = streams.replication
        self._vehicles = vehicles
        self._draw = draw
        self._own: list[tuple[int, np.ndarray] | None] = [None] * vehicles
        """Each vehicle's current block and its row of it (attributes x jobs)."""
        self._cache: OrderedDict[tuple[int, int], np.ndarray] = OrderedDict()
        groups = -(-vehicles // GROUP)
        self._capacity = CACHED_BLOCKS_PER_GROUP * groups

    def _group_block(self, group: int, b: int) -> np.ndarray:
        """Block ``b`` of ``group``: attributes x vehicles x jobs."""
        key = (group, b)
        block = self._cache.get(key)
        if block is None:
            ss = stream_seed(self._seed, self._replication, f"{self._name}.{b}.{group}")
            rng = np.random.Generator(np.random.PCG64(ss))
            rows = min(GROUP, self._vehicles - group * GROUP)
            block = np.stack(self._draw(rng, rows, BLOCK))
            self._cache[key] = block
            if len(self._cache) > self._capacity:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return block

    def get(self, vehicle: int, n: int) -> tuple[float, ...]:
        """Attributes of job ``n`` of ``vehicle``."""
        b, j = divmod(n, BLOCK)
        own = self._own[vehicle]
        if own is None or own[0] != b:
            group, row = divmod(vehicle, GROUP)
            own = (b, self._group_block(group, b)[:, row, :].copy())
            self._own[vehicle] = own
        return tuple(own[1][:, j].tolist())


# --------------------------------------------------------------------------- the model


class _Vehicle:
    __slots__ = (
        "cls",
        "failure_n",
        "index",
        "priority",
        "service_due",
        "service_n",
        "up_since",
        "use_left",
    )

    cls: int
    index: int
    priority: float
    failure_n: int
    service_n: int
    use_left: float
    service_due: float
    up_since: float


class _Workshop:
    """One workshop's resources in the model."""

    def __init__(self, model: _Model, name: str, spec: Any, streams: Streams) -> None:
        env = model.env
        warmup = model.warmup
        self.name = name
        self.spec = spec
        self.contractor = isinstance(spec, ContractorWorkshop)
        self.technicians: dict[str, RosteredResource] = {}
        for skill, roster_spec in spec.technicians.items():
            roster = build_roster(roster_spec)
            if roster.max_capacity > 0:
                self.technicians[skill] = RosteredResource(env, roster, f"{name} {skill}", warmup)
        self.bays = {
            kind: RosteredResource(env, Roster.constant(n), f"{name} {kind} bays", warmup)
            for kind, n in spec.bays.items()
        }
        mobile = build_roster(spec.mobile_units)
        self.mobile = (
            RosteredResource(env, mobile, f"{name} mobile", warmup)
            if mobile.max_capacity > 0
            else None
        )
        self.travel = spec.travel_time.build(streams[f"fleet.travel.{name}"]).sample
        self.mobile_travel = spec.mobile_travel_time.build(
            streams[f"fleet.mobile_travel.{name}"]
        ).sample
        self.session = math.inf if spec.work_session_hours is None else spec.work_session_hours
        self.parts_factor = spec.parts_delay_factor
        self.targets: dict[str, float] = (
            dict(spec.contract_targets_hours) if self.contractor else {}
        )
        self.targets_exclude_parts = self.contractor and spec.targets_exclude_parts


class _Model(WindowedModel[FleetRun]):
    """The SimPy model of one option for one replication."""

    def __init__(self, run: FleetRun, streams: Streams, *, keep_trace: bool = False) -> None:
        super().__init__(run)
        env = self.env
        self.keep_trace = keep_trace
        config = run.config
        option = run.spec

        # --- job kinds ---
        self.kind_names = list(config.jobs)
        self.kinds = list(config.jobs.values())
        self.service_kind = self.kind_names.index(SERVICE) if SERVICE in config.jobs else -1
        failure_kinds = [k for k in self.kind_names if k != SERVICE]
        self.failure_kind_index = [self.kind_names.index(k) for k in failure_kinds]

        # --- workshops and routing ---
        self.workshops = {
            name: _Workshop(self, name, spec, streams) for name, spec in option.workshops.items()
        }
        self.route = [self.workshops[option.routing[k]] for k in self.kind_names]
        self.major_route: list[tuple[float, _Workshop] | None] = [None] * len(self.kinds)
        if option.major_repairs is not None:
            major = option.major_repairs
            for k in major.kinds:
                self.major_route[self.kind_names.index(k)] = (
                    major.above_labour_hours,
                    self.workshops[major.workshop],
                )
        self.other_work = OtherWork(env, warmup=self.warmup, until=self.end)
        for ws in self.workshops.values():
            if ws.contractor and ws.spec.other_customers is not None:
                self._start_other_customers(ws, streams)

        # --- vehicles ---
        self.class_names = list(config.vehicles)
        self.counts = [config.count(c, run.year) for c in self.class_names]
        self.vehicles: list[_Vehicle] = []
        self.failure_draws: list[_JobDraws] = []
        self.service_draws: list[_JobDraws | None] = []
        self.service_interval: list[float] = []
        phase = streams["fleet.service_phase"]
        for c, (name, spec) in enumerate(config.vehicles.items()):
            n = self.counts[c]
            self.failure_draws.append(
                _JobDraws(f"fleet.use.{name}", streams, n, self._failure_drawer(spec))
            )
            interval = spec.service_interval_hours
            self.service_interval.append(interval)
            self.service_draws.append(
                _JobDraws(f"fleet.service.{name}", streams, n, self._service_drawer())
                if math.isfinite(interval)
                else None
            )
            phases = phase.random(n).tolist()
            first_use = self._first_use(streams, name, spec, n)
            rank = _QUEUE_RANK[spec.priority]
            for i in range(n):
                v = _Vehicle()
                v.cls = c
                v.index = i
                v.priority = rank
                v.failure_n = 0
                v.service_n = 0
                v.use_left = first_use[i]
                v.service_due = phases[i] * interval if math.isfinite(interval) else math.inf
                v.up_since = 0.0
                self.vehicles.append(v)

        # --- demand for vehicles: shifts and the spare pool ---
        self.off_road = [0] * len(self.class_names)
        self.off_stats = [TimeWeighted(env) for _ in self.class_names]
        self.off_total = TimeWeighted(env)
        self.required = [0] * len(self.class_names)
        self.short = [0] * len(self.class_names)
        self.short_stats = [TimeWeighted(env) for _ in self.class_names]
        self.shift_max = [0] * len(self.class_names)
        self.shift_observed = False
        self.shifts = [0] * len(self.class_names)
        self.shifts_short = [0] * len(self.class_names)
        self.vehicle_shifts_short = [0] * len(self.class_names)
        pool = config.spare_pool
        covered = set(config.vehicles) if pool.covers is None else set(pool.covers)
        order = sorted(
            (c for c, name in enumerate(self.class_names) if name in covered),
            key=lambda c: (_QUEUE_RANK[config.vehicles[self.class_names[c]].priority], c),
        )
        self.pool_order = order
        self.pooled = frozenset(order) if pool.vehicles > 0 else frozenset()
        self.pool_size = pool.vehicles
        self.schedule = self._shift_schedule(config)

        # --- statistics ---
        n_kinds = len(self.kinds)
        self.jobs_started = {(ws, k): 0 for ws in self.workshops for k in range(n_kinds)}
        self.labour_started = {
            (ws, skill): 0.0 for ws, spec in option.workshops.items() for skill in spec.technicians
        }
        self.mobile_jobs = 0
        self.parts_waits = 0
        self.turnaround = [Tally(thresholds=(kind.turnaround_target_hours,)) for kind in self.kinds]
        self.breaches = dict.fromkeys(self.workshops, 0)
        self.contract_jobs = dict.fromkeys(self.workshops, 0)
        self.daily_off = Tally()
        self._midnight_area = 0.0  # vehicles off the road integrated up to the last midnight
        self.trace_off = [TimeWeighted(env) for _ in self.class_names] if keep_trace else []
        self.trace_short = [TimeWeighted(env) for _ in self.class_names] if keep_trace else []
        self.trace_jobs: list[tuple[float, int]] = []
        self.daily: list[tuple[float, float, list[float], list[float]]] = []
        self._day_marks = ([0.0] * len(self.class_names), [0.0] * len(self.class_names))

        # --- processes ---
        for v in self.vehicles:
            self._schedule_next(v, 0.0)
        env.process(self._follow_shifts())
        env.process(self._daily())
        if self.warmup > 0:
            env.process(self._end_warmup())

    # --- draws ---------------------------------------------------------------------------

    @staticmethod
    def _first_use(streams: Streams, name: str, spec: Any, n: int) -> list[float]:
        """Use (hours on the road) before each vehicle's first failure."""
        per_hour = spec.failure_rate / HOURS_PER_YEAR
        if per_hour <= 0:
            return [math.inf] * n
        return (streams[f"fleet.use.{name}.first"].standard_exponential(n) / per_hour).tolist()

    def _failure_drawer(
        self, spec: Any
    ) -> Callable[[np.random.Generator, int, int], list[np.ndarray]]:
        """Block drawer of one class's failures: kind, labour, parts, mobile draw, and the use
        after the vehicle's return until its next failure."""
        kinds = self.kinds
        index = self.failure_kind_index
        rates = np.array(
            [spec.failures_per_year.get(self.kind_names[k], 0.0) for k in index], dtype=float
        )
        total = float(rates.sum())
        cumulative = np.cumsum(rates) / total if total > 0 else np.ones(len(index))
        per_hour = total / HOURS_PER_YEAR

        def draw(rng: np.random.Generator, rows: int, cols: int) -> list[np.ndarray]:
            shape = (rows, cols)
            size = rows * cols
            exp = rng.standard_exponential(shape)
            use = exp / per_hour if per_hour > 0 else np.full(shape, math.inf)
            pick = np.minimum(
                np.searchsorted(cumulative, rng.random(shape), side="right"), len(index) - 1
            )
            kind = np.asarray(index, dtype=float)[pick]
            labour = np.zeros(shape)
            parts = np.zeros(shape)
            parts_u = rng.random(shape)
            for j, k in enumerate(index):
                spec_k = kinds[k]
                mask = pick == j
                labour[mask] = spec_k.labour_hours.draw(rng, size).reshape(shape)[mask]
                if spec_k.parts_delay_hours is not None:
                    delay = spec_k.parts_delay_hours.draw(rng, size).reshape(shape)
                    needed = mask & (parts_u < spec_k.parts_share)
                    parts[needed] = delay[needed]
            mobile = rng.random(shape)
            return [kind, labour, parts, mobile, use]

        return draw

    def _service_drawer(self) -> Callable[[np.random.Generator, int, int], list[np.ndarray]]:
        """Block drawer of one class's services: labour, parts, mobile."""
        spec = self.kinds[self.service_kind]

        def draw(rng: np.random.Generator, rows: int, cols: int) -> list[np.ndarray]:
            shape = (rows, cols)
            size = rows * cols
            labour = spec.labour_hours.draw(rng, size).reshape(shape)
            parts_u = rng.random(shape)
            parts = np.zeros(shape)
            if spec.parts_delay_hours is not None:
                delay = spec.parts_delay_hours.draw(rng, size).reshape(shape)
                parts = np.where(parts_u < spec.parts_share, delay, 0.0)
            return [labour, parts, rng.random(shape)]

        return draw

    # --- vehicles on and off the road ----------------------------------------------------

    def _schedule_next(self, v: _Vehicle, now: float) -> None:
        """The vehicle is on the road: its next failure or service, whichever comes first."""
        v.up_since = now
        failure_at = now + v.use_left
        if failure_at < v.service_due:
            if math.isfinite(failure_at):
                self.env.timeout(v.use_left, (v, False)).callbacks.append(self._leave_road)
        elif math.isfinite(v.service_due):
            self.env.timeout(v.service_due - now, (v, True)).callbacks.append(self._leave_road)

    def _leave_road(self, event: simpy.Event) -> None:
        v, service = event.value
        now = self.env.now
        c = v.cls
        self.off_road[c] += 1
        self.off_stats[c].update(now, self.off_road[c])
        self.off_total.add(now, 1)
        if self.keep_trace:
            self.trace_off[c].update(now, self.off_road[c])
        self._refresh(now, c)
        if service:
            v.use_left -= now - v.up_since
            self._start_service(v, now)
        else:
            kind, labour, parts, mobile, use_after = self.failure_draws[c].get(v.index, v.failure_n)
            v.failure_n += 1
            v.use_left = use_after
            self._start_job(v, int(kind), labour, parts, mobile, now)

    def _start_service(self, v: _Vehicle, now: float) -> None:
        draws = self.service_draws[v.cls]
        assert draws is not None
        labour, parts, mobile = draws.get(v.index, v.service_n)
        v.service_n += 1
        v.service_due = math.inf  # set again when the service is done
        self._start_job(v, self.service_kind, labour, parts, mobile, now)

    def _start_job(
        self, v: _Vehicle, kind: int, labour: float, parts: float, mobile_u: float, now: float
    ) -> None:
        ws = self.route[kind]
        major = self.major_route[kind]
        if major is not None and labour > major[0]:
            ws = major[1]
        mobile = ws.mobile is not None and mobile_u < self.kinds[kind].mobile_share
        if now >= self.warmup:
            self.jobs_started[ws.name, kind] += 1
            if parts > 0:
                self.parts_waits += 1
            if not mobile:
                self.labour_started[ws.name, self.kinds[kind].skill] += labour
        self.env.process(self._job(v, kind, ws, labour, parts * ws.parts_factor, mobile, now))

    def _job(
        self,
        v: _Vehicle,
        kind: int,
        ws: _Workshop,
        labour: float,
        parts: float,
        mobile: bool,
        off: float,
    ) -> Generator[simpy.Event, Any, None]:
        """A vehicle's workshop job, from leaving the road to coming back."""
        env = self.env
        priority = v.priority
        if mobile:
            if parts > 0:
                yield env.timeout(parts)
            with ws.mobile.request(priority) as unit:  # type: ignore[union-attr]
                yield unit
                yield env.timeout(ws.mobile_travel() + labour)
            arrived = off
            ready = env.now
        else:
            travel = ws.travel()
            if travel > 0:
                yield env.timeout(travel)
            arrived = env.now
            if parts > 0:
                yield env.timeout(parts)
            technicians = ws.technicians[self.kinds[kind].skill]
            with ws.bays[self.kinds[kind].bay].request(priority) as bay:
                yield bay
                remaining = labour
                rank = priority
                while True:
                    session = min(remaining, ws.session)
                    with technicians.request(rank) as technician:
                        yield technician
                        if session > 0:
                            yield env.timeout(session)
                    remaining -= session
                    if remaining <= 1e-9:
                        break
                    rank = priority - _CONTINUING
            ready = env.now
            if travel > 0:
                yield env.timeout(travel)
        self._job_done(v, kind, ws, off, arrived, ready, parts, mobile)

    def _job_done(
        self,
        v: _Vehicle,
        kind: int,
        ws: _Workshop,
        off: float,
        arrived: float,
        ready: float,
        parts: float,
        mobile: bool,
    ) -> None:
        now = self.env.now
        if now >= self.warmup:
            turnaround = now - off
            self.turnaround[kind].add(turnaround)
            if mobile:
                self.mobile_jobs += 1
            if ws.contractor:
                self.contract_jobs[ws.name] += 1
                target = ws.targets.get(self.kind_names[kind])
                excluded = parts if ws.targets_exclude_parts else 0.0
                if target is not None and ready - arrived - excluded > target:
                    self.breaches[ws.name] += 1
            if self.keep_trace:
                self.trace_jobs.append((turnaround, kind))
        if kind == self.service_kind:
            v.service_due = now + self.service_interval[v.cls]
        elif v.service_due <= now:  # fell due while off the road: serviced before returning
            self._start_service(v, now)
            return
        c = v.cls
        self.off_road[c] -= 1
        self.off_stats[c].update(now, self.off_road[c])
        self.off_total.add(now, -1)
        if self.keep_trace:
            self.trace_off[c].update(now, self.off_road[c])
        self._refresh(now, c)
        self._schedule_next(v, now)

    # --- shortfalls ----------------------------------------------------------------------

    def _refresh(self, now: float, changed: int = -1) -> None:
        """Vehicles missing from the current requirement, after the spare pool (only class
        ``changed`` needs looking at when it is not covered by the pool)."""
        if changed >= 0 and changed not in self.pooled:
            self._set_short(
                now,
                changed,
                max(0, self.required[changed] - self.counts[changed] + self.off_road[changed]),
            )
            return
        missing = [
            max(0, required - count + off)
            for required, count, off in zip(self.required, self.counts, self.off_road, strict=True)
        ]
        pool = self.pool_size
        if pool:
            for c in self.pool_order:
                if missing[c]:
                    cover = min(pool, missing[c])
                    missing[c] -= cover
                    pool -= cover
                    if not pool:
                        break
        for c, m in enumerate(missing):
            self._set_short(now, c, m)

    def _set_short(self, now: float, c: int, missing: int) -> None:
        if missing != self.short[c]:
            self.short[c] = missing
            self.short_stats[c].update(now, missing)
            if self.keep_trace:
                self.trace_short[c].update(now, missing)
            if missing > self.shift_max[c]:
                self.shift_max[c] = missing

    def _shift_schedule(self, config: FleetConfig) -> list[tuple[float, list[int]]]:
        """Shift starts in the week (hours from Monday 00:00) and each class's requirement."""
        starts = []
        for day in range(7):
            kind = "weekday" if day < 5 else "weekend"
            for shift_name, shift in config.shifts.items():
                required = [
                    round(
                        getattr(spec.required, kind)[shift_name]
                        * config.demand_factor(self.run.year)
                    )
                    for spec in config.vehicles.values()
                ]
                starts.append((day * HOURS_PER_DAY + shift.start, required))
        starts.sort(key=lambda item: item[0])
        return starts

    def _close_shift(self) -> None:
        if not self.shift_observed:
            return
        for c, required in enumerate(self.required):
            if required > 0:
                self.shifts[c] += 1
                if self.shift_max[c] > 0:
                    self.shifts_short[c] += 1
                    self.vehicle_shifts_short[c] += self.shift_max[c]

    def _follow_shifts(self) -> Generator[simpy.Event, Any, None]:
        """At each shift start: close the last shift's counts, set the new requirement."""
        env = self.env
        schedule = self.schedule
        # the shift in progress at t = 0 is the last one to start in the week
        week = 0.0
        position = 0
        self.required = list(schedule[-1][1])
        self._refresh(0.0)
        while True:
            t, required = schedule[position]
            when = week + t
            if when > env.now:
                yield env.timeout(when - env.now)
            self._close_shift()
            self.required = list(required)
            self.shift_max = [0] * len(required)
            self.shift_observed = env.now >= self.warmup
            self._refresh(env.now)
            self.shift_max = list(self.short)
            position += 1
            if position == len(schedule):
                position = 0
                week += 7 * HOURS_PER_DAY

    # --- bookkeeping ---------------------------------------------------------------------

    def _daily(self) -> Generator[simpy.Event, Any, None]:
        """At each midnight: the day's mean vehicles off the road (daily figures, trace)."""
        while True:
            yield self.env.timeout(HOURS_PER_DAY)
            self._end_of_day(self.env.now)

    def _end_of_day(self, now: float) -> None:
        if now > self.warmup:
            area = self.off_total.integral(now)
            if now - HOURS_PER_DAY >= self.warmup - 1e-9:
                self.daily_off.add((area - self._midnight_area) / HOURS_PER_DAY)
            self._midnight_area = area
        if self.keep_trace:
            self._snapshot(now)

    def _snapshot(self, now: float) -> None:
        """Daily means by class from the start (trace only; these levels are never reset)."""
        off = [s.integral(now) for s in self.trace_off]
        short = [s.integral(now) for s in self.trace_short]
        last_off, last_short = self._day_marks
        by_class = [(b - a) / HOURS_PER_DAY for a, b in zip(last_off, off, strict=True)]
        self.daily.append(
            (
                now / HOURS_PER_DAY - 1.0,
                sum(by_class),
                by_class,
                [(b - a) / HOURS_PER_DAY for a, b in zip(last_short, short, strict=True)],
            )
        )
        self._day_marks = (off, short)

    def _end_warmup(self) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(self.warmup)
        now = self.env.now
        for stats in (*self.off_stats, self.off_total, *self.short_stats):
            stats.reset(now)

    def _start_other_customers(self, ws: _Workshop, streams: Streams) -> None:
        """A contractor's work for other customers, on each skill's technicians."""
        others = ws.spec.other_customers
        rank = _QUEUE_RANK[others.priority]
        for skill, technicians in ws.technicians.items():
            self.other_work.start(
                technicians,
                rank,
                others,
                streams,
                time_stream=f"fleet.other_customers_time.{ws.name}.{skill}",
                arrival_stream=f"fleet.other_customers.{ws.name}.{skill}",
            )

    # --- results -------------------------------------------------------------------------

    def execute(self) -> dict[str, float]:
        """Run to the end of the window and return the metrics."""
        self.env.run(until=self.end)
        if self.end % HOURS_PER_DAY == 0:  # events at `until` do not run: close the last day
            self._end_of_day(self.end)
        self._close_shift()
        return self.metrics()

    def metrics(self) -> dict[str, float]:
        """The figures of the observed window (counts scaled to a year); a figure with no
        observation in the window is left out rather than reported as NaN."""
        window = _Window(self, self.end, DAYS_PER_YEAR * HOURS_PER_DAY / (self.end - self.warmup))
        return observe(_metrics(self.run.config, self.run.option), window, drop_nan=True)


@dataclass(frozen=True)
class _Window(Window[_Model]):
    """What the metrics are read from at the end of the run."""

    @property
    def vehicles(self) -> int:
        return sum(self.model.counts)

    def off_road_share(self) -> float:
        return _ratio(self.model.off_total.mean(self.end), self.vehicles)

    def jobs_of_kind(self, k: int) -> int:
        return sum(n for (_, kind), n in self.model.jobs_started.items() if kind == k)

    def jobs_per_year(self) -> float:
        return sum(self.model.jobs_started.values()) * self.per_year


def _workshop_totals(w: _Window) -> tuple[float, float, float]:
    """Busy and on-duty technician-hours and the mean queue, over every workshop and skill."""
    busy = on_duty = queue = 0.0
    for ws in w.model.workshops.values():
        for technicians in ws.technicians.values():
            busy += technicians.busy_hours(w.end)
            on_duty += technicians.on_duty_hours(w.end)
            queue += technicians.mean_queue(w.end)
    return busy, on_duty, queue


def _class_metrics(c: int, name: str) -> list[Metric[_Window]]:
    return [
        Metric(f"off_road_mean_{name}", lambda w: w.model.off_stats[c].mean(w.end)),
        Metric(
            f"availability_{name}",
            lambda w: 1.0 - _ratio(w.model.off_stats[c].mean(w.end), w.model.counts[c]),
        ),
    ]


def _class_short_metrics(c: int, name: str) -> list[Metric[_Window]]:
    return [
        Metric(f"shifts_short_{name}_per_year", lambda w: w.model.shifts_short[c] * w.per_year),
        Metric(
            f"vehicle_hours_short_{name}_per_year",
            lambda w: w.model.short_stats[c].integral(w.end) * w.per_year,
        ),
    ]


def _kind_metrics(k: int, name: str) -> list[Metric[_Window]]:
    def within_target(w: _Window) -> float:
        tally = w.model.turnaround[k]
        return (
            tally.share_at_most(w.model.kinds[k].turnaround_target_hours) if tally.n else math.nan
        )

    return [
        Metric(f"jobs_{name}_per_year", lambda w: w.jobs_of_kind(k) * w.per_year),
        Metric(f"turnaround_mean_hours_{name}", lambda w: w.model.turnaround[k].mean),
        Metric(f"turnaround_p90_hours_{name}", lambda w: w.model.turnaround[k].quantile(0.9)),
        Metric(f"turnaround_within_target_{name}", within_target),
    ]


def _resource_metrics(
    prefix: str, suffix: str, resource: Callable[[_Window], RosteredResource]
) -> list[Metric[_Window]]:
    """``{prefix}utilisation_{suffix}`` and ``{prefix}queue_mean_{suffix}`` of a resource."""
    return [
        Metric(f"{prefix}utilisation_{suffix}", lambda w: resource(w).utilisation(w.end)),
        Metric(f"{prefix}queue_mean_{suffix}", lambda w: resource(w).mean_queue(w.end)),
    ]


def _workshop_metrics(name: str, spec: Any) -> list[Metric[_Window]]:
    def breach_share(w: _Window) -> float:
        m = w.model
        if not m.workshops[name].contractor:
            return math.nan
        return _ratio(m.breaches[name], m.contract_jobs[name])

    def technicians(skill: str) -> Callable[[_Window], RosteredResource]:
        return lambda w: w.model.workshops[name].technicians[skill]

    def bays(bay: str) -> Callable[[_Window], RosteredResource]:
        return lambda w: w.model.workshops[name].bays[bay]

    def mobile(w: _Window) -> float:
        units = w.model.workshops[name].mobile
        assert units is not None
        return units.utilisation(w.end)

    def labour(skill: str) -> Callable[[_Window], float]:
        return lambda w: w.model.labour_started[name, skill] * w.per_year

    metrics = [
        Metric(f"breaches_{name}_per_year", lambda w: w.model.breaches[name] * w.per_year),
        Metric(f"breach_share_{name}", breach_share),
    ]
    for skill, roster in spec.technicians.items():
        if build_roster(roster).max_capacity > 0:
            metrics += _resource_metrics("", f"{name}_{skill}", technicians(skill))
            metrics.append(Metric(labour_metric(name, skill), labour(skill)))
    for bay in spec.bays:
        metrics += _resource_metrics("bay_", f"{name}_{bay}", bays(bay))
    if build_roster(spec.mobile_units).max_capacity > 0:
        metrics.append(Metric(f"mobile_utilisation_{name}", mobile))
    return metrics


def _jobs_started(ws: str, k: int, kind: str) -> Metric[_Window]:
    return Metric(f"jobs_{ws}_{kind}_per_year", lambda w: w.model.jobs_started[ws, k] * w.per_year)


def _metrics(config: FleetConfig, option: str) -> list[Metric[_Window]]:
    """Every metric of ``option``, in the order :func:`simulate` returns them."""
    spec = config.options[option]
    return [
        Metric("vehicles", lambda w: float(w.vehicles)),
        Metric("off_road_mean", lambda w: w.model.off_total.mean(w.end)),
        Metric("off_road_share", _Window.off_road_share),
        Metric("off_road_p95_daily", lambda w: w.model.daily_off.quantile(0.95)),
        Metric(
            "off_road_max_daily",
            lambda w: w.model.daily_off.max if w.model.daily_off.n else math.nan,
        ),
        Metric("availability", lambda w: 1.0 - w.off_road_share()),
        *(m for c, name in enumerate(config.vehicles) for m in _class_metrics(c, name)),
        Metric("shifts_short_per_year", lambda w: sum(w.model.shifts_short) * w.per_year),
        Metric(
            "shift_short_share",
            lambda w: _ratio(sum(w.model.shifts_short), sum(w.model.shifts)),
        ),
        Metric(
            "vehicle_shifts_short_per_year",
            lambda w: sum(w.model.vehicle_shifts_short) * w.per_year,
        ),
        Metric(
            "vehicle_hours_short_per_year",
            lambda w: sum([s.integral(w.end) for s in w.model.short_stats]) * w.per_year,
        ),
        *(m for c, name in enumerate(config.vehicles) for m in _class_short_metrics(c, name)),
        *(
            _jobs_started(ws, k, kind)
            for ws in spec.workshops
            for k, kind in enumerate(config.jobs)
        ),
        Metric("jobs_per_year", _Window.jobs_per_year),
        Metric("jobs_per_vehicle_year", lambda w: _ratio(w.jobs_per_year(), w.vehicles)),
        *(m for k, name in enumerate(config.jobs) for m in _kind_metrics(k, name)),
        Metric("mobile_jobs_per_year", lambda w: w.model.mobile_jobs * w.per_year),
        Metric("parts_waits_per_year", lambda w: w.model.parts_waits * w.per_year),
        Metric("breaches_per_year", lambda w: sum(w.model.breaches.values()) * w.per_year),
        *(m for name, ws in spec.workshops.items() for m in _workshop_metrics(name, ws)),
        Metric("workshop_utilisation", lambda w: _ratio(*_workshop_totals(w)[:2])),
        Metric("workshop_queue_mean", lambda w: _workshop_totals(w)[2]),
        Metric("other_customer_jobs_per_year", lambda w: w.model.other_work.jobs * w.per_year),
    ]


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


# --------------------------------------------------------------------------- public API


def simulate(run: FleetRun, streams: Streams) -> dict[str, float]:
    """Simulate one replication of ``run`` and return its metrics (flat, for run_replications).

    Metric names: see :func:`metric_names`. Counts are per year (window counts x 365 /
    window_days); shares are fractions; times are hours. A figure with no observation in the
    window is left out rather than returned as NaN.
    """
    return _Model(run, streams).execute()


def trace(run: FleetRun, streams: Streams) -> FleetTrace:
    """Simulate one replication and keep its daily series for charts (warm-up included) and
    every observed job's turnaround."""
    model = _Model(run, streams, keep_trace=True)
    metrics = model.execute()
    names = model.class_names
    days = np.array([d[0] for d in model.daily])
    off = np.array([d[2] for d in model.daily]).reshape(len(days), len(names))
    short = np.array([d[3] for d in model.daily]).reshape(len(days), len(names))
    kinds = np.array([model.kind_names[k] for _, k in model.trace_jobs], dtype=object)
    targets = {
        name: kind.turnaround_target_hours
        for name, kind in zip(model.kind_names, model.kinds, strict=True)
    }
    return FleetTrace(
        option=run.option,
        warmup_days=run.warmup_hours / HOURS_PER_DAY,
        day=days,
        off_road=np.array([d[1] for d in model.daily]),
        off_road_by_class={name: off[:, c] for c, name in enumerate(names)},
        availability_by_class={
            name: 1.0 - off[:, c] / model.counts[c] if model.counts[c] else np.ones(len(days))
            for c, name in enumerate(names)
        },
        short_by_class={name: short[:, c] for c, name in enumerate(names)},
        turnaround_hours=np.array([t for t, _ in model.trace_jobs]),
        turnaround_kind=kinds,
        turnaround_target_hours=np.array([targets[k] for k in kinds]),
        metrics=metrics,
    )


def labour_metric(workshop: str, skill: str) -> str:
    """Name of the metric of labour hours a year of the force's jobs at ``workshop`` needing
    ``skill``, worked by its technicians (jobs of a mobile unit left out)."""
    return f"labour_hours_{workshop}_{skill}_per_year"


def job_volume_metrics(config: FleetConfig, option: str) -> list[str]:
    """The annual job volumes of ``option`` by workshop and kind (what the costs use)."""
    spec = config.options[option]
    return [f"jobs_{ws}_{kind}_per_year" for ws in spec.workshops for kind in config.jobs]


def metric_names(config: FleetConfig, option: str) -> list[str]:
    """Names of every metric :func:`simulate` can return for ``option``.

    ``availability*`` are time-weighted shares of vehicles on the road; ``off_road_*`` are
    vehicles off the road (``_p95_daily``: 95th percentile of daily means); ``shifts_short*``
    count class-shifts during which fewer vehicles were available than required (after the
    spare pool), ``vehicle_shifts_short`` the most missing in each, ``vehicle_hours_short`` the
    missing vehicles integrated over time; ``turnaround_*`` are hours off the road per job
    kind; ``breaches*`` are contract turnaround breaches (arrival to ready beyond the contract
    target); ``utilisation_*`` busy over on-duty technician-hours (other customers' work
    included); ``labour_hours_<workshop>_<skill>_per_year`` the labour of the force's jobs
    started at a workshop's technicians of a skill (mobile units' jobs left out).
    """
    if option not in config.options:
        raise ValueError(f"no fleet option {option!r} (options: {', '.join(config.options)})")
    return _metric_names(_metrics(config, option))
