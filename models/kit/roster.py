"""Rostered capacity: shifts, a weekly roster, and a SimPy resource whose capacity follows it.

Time is in hours from Monday 00:00 of week 1; a roster repeats every week (168 h).

Why a small custom resource rather than ``simpy.PriorityResource`` plus "off-duty" requests:
taking units away with top-priority dummy requests needs cancelling those requests when capacity
returns before they were granted, and every statistic must then tell dummy holds from real jobs.
Here the resource simply keeps a count of busy units and the current on-duty capacity and grants
a waiting request only while ``busy < capacity``. When capacity drops, units in service finish
their current job (no preemption) and nobody new starts until ``busy`` falls below the new
capacity, which is exactly "finish the job, then go off duty". The queue is a heap ordered by
(priority, arrival order), so each request costs O(log queue) instead of the re-sort
``PriorityResource`` does on every request; with a constant roster it serves requests in exactly
the order ``simpy.Resource`` / ``simpy.PriorityResource`` would.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
from bisect import bisect_right
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Annotated, Any

import simpy
from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.kit.statistics import Tally, TimeWeighted

__all__ = [
    "HOURS_PER_DAY",
    "HOURS_PER_WEEK",
    "Roster",
    "RosterRequest",
    "RosterSpec",
    "RosteredResource",
    "Shift",
    "ShiftSpec",
    "build_roster",
]

HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = 168.0
ALL_DAYS: frozenset[int] = frozenset(range(7))


@dataclass(frozen=True)
class Shift:
    """Units on duty from ``start`` to ``end`` (hours of the day) on the given days.

    ``end <= start`` means the shift runs past midnight (``Shift(19, 7, 2)`` is 19:00 to 07:00
    next morning; ``Shift(0, 24, c)`` is round the clock). ``days`` are the days the shift
    *starts* (0 = Monday ... 6 = Sunday): a Friday night shift runs into Saturday morning, and the
    Sunday night shift covers Monday 00:00 of the same week (the roster repeats weekly).
    """

    start: float
    end: float
    capacity: int
    days: frozenset[int] = field(default=ALL_DAYS)

    def __post_init__(self) -> None:
        if not 0.0 <= self.start < HOURS_PER_DAY:
            raise ValueError(f"shift start must be an hour in [0, 24), got {self.start}")
        if not 0.0 <= self.end <= HOURS_PER_DAY:
            raise ValueError(f"shift end must be an hour in [0, 24], got {self.end}")
        if isinstance(self.capacity, bool) or int(self.capacity) != self.capacity:
            raise ValueError(f"shift capacity must be a whole number, got {self.capacity!r}")
        if self.capacity < 0:
            raise ValueError(f"shift capacity must be >= 0, got {self.capacity}")
        days = frozenset(self.days)
        if not days or not days <= ALL_DAYS:
            raise ValueError(f"shift days must be a non-empty subset of 0..6, got {sorted(days)}")
        object.__setattr__(self, "capacity", int(self.capacity))
        object.__setattr__(self, "days", days)

    @property
    def duration(self) -> float:
        """Length of the shift in hours (a shift ending where it starts lasts 24 h)."""
        span = self.end - self.start
        return span if span > 0.0 else span + HOURS_PER_DAY

    def spans(self) -> list[tuple[float, float]]:
        """Weekly on-duty intervals ``[begin, begin + duration)`` (begin in [0, 168))."""
        return [(day * HOURS_PER_DAY + self.start, self.duration) for day in sorted(self.days)]


class Roster:
    """Weekly on-duty capacity made of shifts (overlapping shifts add up).

    Stored as a step function over the week: ``capacity_at`` is a bisection, so it is cheap
    to call inside a model.
    """

    def __init__(self, shifts: Iterable[Shift]) -> None:
        self._shifts: tuple[Shift, ...] = tuple(shifts)
        for shift in self._shifts:
            if not isinstance(shift, Shift):
                raise TypeError(f"a roster is made of Shift objects, got {shift!r}")
        spans = [span for shift in self._shifts for span in shift.spans()]
        capacities = [shift.capacity for shift in self._shifts for _ in shift.spans()]
        bounds = sorted(
            {0.0}
            | {begin % HOURS_PER_WEEK for begin, _ in spans}
            | {(begin + length) % HOURS_PER_WEEK for begin, length in spans}
        )
        starts: list[float] = []
        levels: list[int] = []
        for i, lo in enumerate(bounds):
            hi = bounds[i + 1] if i + 1 < len(bounds) else HOURS_PER_WEEK
            middle = 0.5 * (lo + hi)
            level = sum(
                c
                for (begin, length), c in zip(spans, capacities, strict=True)
                if (middle - begin) % HOURS_PER_WEEK < length
            )
            if not levels or level != levels[-1]:
                starts.append(lo)
                levels.append(level)
        self._starts = starts
        self._levels = levels
        ends = [*starts[1:], HOURS_PER_WEEK]
        self._cumulative = [0.0]  # capacity-hours from Monday 00:00 to each segment start
        for lo, hi, level in zip(starts, ends, levels, strict=True):
            self._cumulative.append(self._cumulative[-1] + level * (hi - lo))

    @classmethod
    def constant(cls, capacity: int) -> Roster:
        """A roster with ``capacity`` units on duty round the clock."""
        return cls([Shift(0.0, 24.0, capacity)])

    @property
    def shifts(self) -> tuple[Shift, ...]:
        """The shifts, as given."""
        return self._shifts

    @property
    def is_constant(self) -> bool:
        """Whether the same number of units is on duty all week."""
        return len(self._levels) == 1

    @property
    def max_capacity(self) -> int:
        """Most units ever on duty at once."""
        return max(self._levels)

    @property
    def min_capacity(self) -> int:
        """Fewest units on duty at any time."""
        return min(self._levels)

    @property
    def weekly_capacity_hours(self) -> float:
        """On-duty unit-hours in one week (e.g. for staff costing)."""
        return self._cumulative[-1]

    @property
    def mean_capacity(self) -> float:
        """Average units on duty over the week."""
        return self.weekly_capacity_hours / HOURS_PER_WEEK

    def capacity_at(self, t: float) -> int:
        """Units on duty at time ``t`` (hours since Monday 00:00 of week 1)."""
        return self._levels[bisect_right(self._starts, t % HOURS_PER_WEEK) - 1]

    def capacity_hours(self, start: float, end: float) -> float:
        """On-duty unit-hours between ``start`` and ``end``."""
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        return self._hours_to(end) - self._hours_to(start)

    def _hours_to(self, t: float) -> float:
        weeks, within = divmod(t, HOURS_PER_WEEK)
        i = bisect_right(self._starts, within) - 1
        return (
            weeks * self._cumulative[-1]
            + self._cumulative[i]
            + self._levels[i] * (within - self._starts[i])
        )

    def changes(self, start: float = 0.0) -> Generator[tuple[float, int], None, None]:
        """Endless ``(time, new capacity)`` for each change strictly after ``start``."""
        wraps = self._levels[0] != self._levels[-1]
        week = math.floor(start / HOURS_PER_WEEK)
        while True:
            base = week * HOURS_PER_WEEK
            for i, (offset, level) in enumerate(zip(self._starts, self._levels, strict=True)):
                if i == 0 and not wraps:
                    continue
                t = base + offset
                if t > start:
                    yield t, level
            week += 1
            if len(self._levels) == 1:
                return

    def change_times(self, until: float, start: float = 0.0) -> list[float]:
        """Times in ``(start, until)`` at which the on-duty capacity changes."""
        times = []
        for t, _ in self.changes(start):
            if t >= until:
                break
            times.append(t)
        return times

    def __repr__(self) -> str:
        return f"Roster({list(self._shifts)!r})"


class RosterRequest(simpy.Event):
    """A request for one unit; use as ``with resource.request() as req: yield req``.

    Leaving the ``with`` block releases the unit, or withdraws the request if it was never
    granted (e.g. the caller reneged with ``yield req | env.timeout(patience)``).
    """

    def __init__(self, resource: RosteredResource, priority: float) -> None:
        super().__init__(resource.env)
        self.resource = resource
        self.priority = priority
        self.time: float = resource.env.now
        self.granted_at: float | None = None
        self.closed = False

    @property
    def granted(self) -> bool:
        """Whether a unit has been assigned to this request."""
        return self.granted_at is not None

    def __enter__(self) -> RosterRequest:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.resource.release(self)


class RosteredResource:
    """Units that serve jobs one at a time, with on-duty capacity following a :class:`Roster`.

    Requests are served by priority (lower number = more urgent), first come first served
    within a priority. When capacity drops, units finish their current job then go off duty (no
    preemption). Statistics run from ``warmup`` (or creation, if later) to ``until``:

    - ``utilisation(until)``: busy unit-hours / on-duty unit-hours. A unit that stays on to finish
      a job after its shift ended counts as on duty until it finishes, so utilisation never
      exceeds 1; jobs in progress count only up to ``until``;
    - ``mean_busy``, ``mean_queue``, ``mean_on_duty``: time-weighted means;
    - ``wait_tally``: waits of requests granted at or after warm-up (requests still waiting
      at the end are not in it: see ``queue_length``).

    A roster that changes needs a process that follows it; that process stops once nothing
    else is scheduled, so ``env.run()`` without ``until`` still ends when the model is done.

    Parameters
    ----------
    env, roster, name
        The environment, the on-duty roster and a label for messages.
    warmup
        Time (hours) from which statistics are collected.
    wait_thresholds
        Waits (hours) for which ``wait_tally.share_at_most`` must be exact (service targets).
    """

    def __init__(
        self,
        env: simpy.Environment,
        roster: Roster,
        name: str = "",
        warmup: float = 0.0,
        *,
        wait_thresholds: Sequence[float] = (),
    ) -> None:
        if roster.max_capacity < 1:
            raise ValueError(f"resource {name!r}: the roster never has anyone on duty")
        if not math.isfinite(warmup) or warmup < 0:
            raise ValueError(f"resource {name!r}: warmup must be a finite time >= 0, got {warmup}")
        self.env = env
        self.roster = roster
        self.name = name
        self.warmup = float(warmup)
        self._capacity = roster.capacity_at(env.now)
        self._busy = 0
        self._waiting = 0
        self._heap: list[tuple[float, int, RosterRequest]] = []
        self._order = itertools.count()
        self.wait_tally = Tally(thresholds=wait_thresholds)
        self._busy_level = TimeWeighted(env, 0.0)
        self._queue_level = TimeWeighted(env, 0.0)
        self._on_duty_level = TimeWeighted(env, float(self._capacity))
        if self.warmup > env.now:
            env.process(self._warm_up())
        if not roster.is_constant:
            env.process(self._follow_roster())

    # --- serving -------------------------------------------------------------------------

    def request(self, priority: float = 0) -> RosterRequest:
        """Ask for one unit (lower ``priority`` = more urgent)."""
        req = RosterRequest(self, priority)
        if self._busy < self._capacity:
            self._grant(req)
        else:
            heapq.heappush(self._heap, (priority, next(self._order), req))
            self._waiting += 1
            self._queue_level.update(self.env.now, self._waiting)
        return req

    def release(self, req: RosterRequest) -> None:
        """Free the unit held by ``req`` (or withdraw it if still waiting); idempotent."""
        if req.closed:
            return
        req.closed = True
        now = self.env.now
        if req.granted:
            self._busy -= 1
            self._busy_level.update(now, self._busy)
            self._grant_waiting()
            self._track_on_duty(now)
        else:  # withdrawn while waiting: lazily dropped from the heap
            self._waiting -= 1
            self._queue_level.update(now, self._waiting)

    def _grant(self, req: RosterRequest) -> None:
        now = self.env.now
        req.granted_at = now
        self._busy += 1
        self._busy_level.update(now, self._busy)
        if now >= self.warmup:
            self.wait_tally.add(now - req.time)
        req.succeed()

    def _grant_waiting(self) -> None:
        served = False
        while self._busy < self._capacity and self._heap:
            req = heapq.heappop(self._heap)[2]
            if req.closed:
                continue
            self._waiting -= 1
            served = True
            self._grant(req)
        if served:
            self._queue_level.update(self.env.now, self._waiting)

    def _track_on_duty(self, now: float) -> None:
        on_duty = max(self._capacity, self._busy)
        if on_duty != self._on_duty_level.level:
            self._on_duty_level.update(now, on_duty)

    # --- processes -----------------------------------------------------------------------

    def _follow_roster(self) -> Generator[simpy.Event, Any, None]:
        for t, capacity in self.roster.changes(self.env.now):
            if self.env.peek() == math.inf:
                return  # nothing else can ever happen: let env.run() without `until` end
            yield self.env.timeout(t - self.env.now)
            self._capacity = capacity
            self._grant_waiting()
            self._track_on_duty(self.env.now)

    def _warm_up(self) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(self.warmup - self.env.now)
        now = self.env.now
        for level in (self._busy_level, self._queue_level, self._on_duty_level):
            level.reset(now)

    # --- state ---------------------------------------------------------------------------

    @property
    def capacity(self) -> int:
        """Units on duty now by the roster."""
        return self._capacity

    @property
    def count(self) -> int:
        """Units serving a job now (may briefly exceed ``capacity`` after it drops)."""
        return self._busy

    @property
    def queue_length(self) -> int:
        """Requests waiting now."""
        return self._waiting

    @property
    def max_queue(self) -> float:
        """Longest queue since warm-up."""
        return self._queue_level.max

    # --- statistics ----------------------------------------------------------------------

    def _until(self, until: float | None) -> float:
        t = self.env.now if until is None else float(until)
        if self._busy_level.start < self.warmup:
            raise ValueError(
                f"resource {self.name!r}: the warm-up ({self.warmup} h) is not over yet "
                f"(now {self.env.now} h); run the model past it before reporting"
            )
        if t > self.env.now:
            raise ValueError(
                f"resource {self.name!r}: cannot report up to {t} h, the simulation is only at "
                f"{self.env.now} h"
            )
        if t < self._busy_level.start:
            raise ValueError(
                f"resource {self.name!r}: statistics start at {self._busy_level.start} h, "
                f"cannot report up to {t} h"
            )
        return t

    def busy_hours(self, until: float | None = None) -> float:
        """Unit-hours spent serving jobs from warm-up to ``until`` (default now)."""
        return self._busy_level.integral(self._until(until))

    def on_duty_hours(self, until: float | None = None) -> float:
        """On-duty unit-hours (including overruns to finish a job) from warm-up to ``until``."""
        return self._on_duty_level.integral(self._until(until))

    def utilisation(self, until: float | None = None) -> float:
        """Busy unit-hours / on-duty unit-hours from warm-up to ``until`` (NaN if none on duty)."""
        t = self._until(until)
        on_duty = self._on_duty_level.integral(t)
        return self._busy_level.integral(t) / on_duty if on_duty > 0 else math.nan

    def mean_busy(self, until: float | None = None) -> float:
        """Time-weighted mean number of units serving jobs."""
        return self._busy_level.mean(self._until(until))

    def mean_queue(self, until: float | None = None) -> float:
        """Time-weighted mean number of requests waiting."""
        return self._queue_level.mean(self._until(until))

    def mean_on_duty(self, until: float | None = None) -> float:
        """Time-weighted mean number of units on duty (including overruns)."""
        return self._on_duty_level.mean(self._until(until))

    def __repr__(self) -> str:
        return (
            f"RosteredResource({self.name!r}, capacity={self._capacity}, busy={self._busy}, "
            f"waiting={self._waiting})"
        )


# --------------------------------------------------------------------------- scenario specs


class ShiftSpec(BaseModel):
    """A shift in a scenario file: ``capacity`` units on duty from ``start`` to ``end`` (hours
    of the day).

    ``end`` at or before ``start`` wraps past midnight (``start: 19, end: 7`` is a night shift;
    ``end: 24`` or ``end: 0`` is midnight; ``start: 0, end: 24`` is round the clock). ``days``
    are the days the shift *starts* (0 = Monday); all seven when omitted.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: Annotated[float, Field(ge=0.0, lt=24.0, allow_inf_nan=False)]
    end: Annotated[float, Field(ge=0.0, le=24.0, allow_inf_nan=False)]
    capacity: Annotated[int, Field(ge=0, le=10_000)]
    days: tuple[Annotated[int, Field(ge=0, le=6)], ...] | None = None

    @field_validator("days")
    @classmethod
    def _distinct_days(cls, days: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if days is not None and len(set(days)) != len(days):
            raise ValueError(f"days repeat a day (got {list(days)})")
        return days


RosterSpec = (
    Annotated[int, Field(ge=0, le=10_000)] | Annotated[list[ShiftSpec], Field(min_length=1)]
)
"""A roster in a scenario file: a whole number (that many units on duty round the clock) or a
list of shifts."""


def build_roster(spec: int | Sequence[ShiftSpec]) -> Roster:
    """The :class:`Roster` for a roster spec (an int: that many round the clock). Rosters are
    immutable, so one is built once per distinct spec and shared (cost lines ask for the same
    rosters at every replication and uncertainty sample)."""
    if isinstance(spec, int):
        return _roster_of(spec)
    return _roster_of(tuple((s.start, s.end, s.capacity, s.days) for s in spec))


@functools.lru_cache(maxsize=4096)
def _roster_of(
    shifts: int | tuple[tuple[float, float, int, tuple[int, ...] | None], ...],
) -> Roster:
    if isinstance(shifts, int):
        return Roster.constant(shifts)
    return Roster(
        [
            Shift(start, end, capacity, ALL_DAYS if days is None else frozenset(days))
            for start, end, capacity, days in shifts
        ]
    )
