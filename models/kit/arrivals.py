"""Arrival processes: weekly demand profiles, Poisson arrivals, scheduled events.

Time is in hours from Monday 00:00 of week 1. Demand for a police support service (vehicles to
recover, vehicles due for service, meals) varies by hour of day and day of week; an
:class:`ArrivalProfile` holds one rate per hour of the week, repeated every week.

The arrival-time functions return endless (or finite, for schedules) iterators of absolute,
non-decreasing times. :func:`arrivals` turns such an iterator into a SimPy process. Keeping the
times separate from SimPy means one stream of arrival times can drive every option (common
random numbers) and can be tested without a simulation.

``sim_tools.time_dependent.NSPPThinning`` was reviewed and not used: it looks the rate up at the
time the wait starts rather than at each candidate time (which is what Lewis & Shedler's
thinning needs), and reads a pandas frame on every candidate.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

if TYPE_CHECKING:
    from models.kit.distributions import DistributionSpec
    from models.kit.streams import Streams

__all__ = [
    "HOURS_PER_WEEK",
    "ArrivalProfile",
    "arrivals",
    "hour_of_week",
    "poisson_arrival_times",
    "scheduled_arrival_times",
    "start_background_jobs",
    "stationary_arrival_times",
]

HOURS_PER_WEEK = 168
_BLOCK = 1024


def hour_of_week(t: float) -> int:
    """Hour of the week (0 = Monday 00:00-01:00, ..., 167 = Sunday 23:00-24:00) at time ``t``."""
    return min(int(t % HOURS_PER_WEEK), HOURS_PER_WEEK - 1)


def _check_rate(label: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{label} must be a finite rate >= 0 per hour, got {value!r}")
    return value


@dataclass(frozen=True)
class ArrivalProfile:
    """Arrival rate (per hour) for each of the 168 hours of the week, repeated weekly.

    Parameters
    ----------
    rates
        168 non-negative finite rates; ``rates[24 * day + hour]`` with day 0 = Monday.
    """

    rates: tuple[float, ...]

    def __post_init__(self) -> None:
        rates = tuple(_check_rate(f"rates[{i}]", r) for i, r in enumerate(self.rates))
        if len(rates) != HOURS_PER_WEEK:
            raise ValueError(
                f"an arrival profile needs {HOURS_PER_WEEK} hourly rates, got {len(rates)}"
            )
        object.__setattr__(self, "rates", rates)

    @classmethod
    def from_hourly(
        cls,
        hourly: Sequence[float],
        day_factors: Sequence[float] = (1.0,) * 7,
        scale: float = 1.0,
    ) -> ArrivalProfile:
        """Profile from 24 hour-of-day rates x 7 day factors (Monday first) x ``scale``."""
        if len(hourly) != 24:
            raise ValueError(f"hourly needs 24 rates (hour 0 to 23), got {len(hourly)}")
        if len(day_factors) != 7:
            raise ValueError(
                f"day_factors needs 7 factors (Monday to Sunday), got {len(day_factors)}"
            )
        hourly = [_check_rate(f"hourly[{h}]", r) for h, r in enumerate(hourly)]
        days = [_check_rate(f"day_factors[{d}]", f) for d, f in enumerate(day_factors)]
        scale = _check_rate("scale", scale)
        return cls(tuple(hourly[h] * days[d] * scale for d in range(7) for h in range(24)))

    @classmethod
    def constant(cls, rate: float) -> ArrivalProfile:
        """The same rate in every hour."""
        return cls((_check_rate("rate", rate),) * HOURS_PER_WEEK)

    def rate_at(self, t_hours: float) -> float:
        """Arrival rate (per hour) at time ``t_hours``."""
        return self.rates[hour_of_week(t_hours)]

    @property
    def max_rate(self) -> float:
        """Highest hourly rate (the thinning envelope)."""
        return max(self.rates)

    @property
    def mean_rate(self) -> float:
        """Mean rate per hour over the week."""
        return math.fsum(self.rates) / HOURS_PER_WEEK

    @property
    def weekly_arrivals(self) -> float:
        """Expected arrivals per week."""
        return math.fsum(self.rates)

    def scaled(self, factor: float) -> ArrivalProfile:
        """The same shape with every rate multiplied by ``factor`` (e.g. demand growth)."""
        factor = _check_rate("factor", factor)
        return ArrivalProfile(tuple(r * factor for r in self.rates))

    def expected_arrivals(self, start: float, end: float) -> float:
        """Expected number of arrivals in ``[start, end)`` (the integrated rate)."""
        if end < start:
            raise ValueError(f"end ({end}) is before start ({start})")
        weeks = math.floor((end - start) / HOURS_PER_WEEK)
        total = weeks * self.weekly_arrivals
        t = start + weeks * HOURS_PER_WEEK
        while t < end:  # at most 168 whole or part hours left
            boundary = min(math.floor(t) + 1.0, end)
            total += (boundary - t) * self.rate_at(t)
            t = boundary
        return total


def poisson_arrival_times(
    profile: ArrivalProfile, rng: np.random.Generator, start: float = 0.0
) -> Iterator[float]:
    """Arrival times of a non-stationary Poisson process with ``profile``'s rates, after ``start``.

    Thinning (Lewis & Shedler 1979): candidates arrive at the peak rate and each is kept with
    probability ``rate(t) / peak``. Yields absolute, non-decreasing times; endless unless the
    profile is all zeros (then nothing).
    """
    peak = profile.max_rate
    if peak <= 0:
        return
    rates = profile.rates
    scale = 1.0 / peak
    t = float(start)
    while True:
        gaps = rng.standard_exponential(_BLOCK).tolist()
        thresholds = rng.random(_BLOCK).tolist()
        for gap, u in zip(gaps, thresholds, strict=True):
            t += gap * scale
            if u * peak < rates[min(int(t % HOURS_PER_WEEK), HOURS_PER_WEEK - 1)]:
                yield t


def stationary_arrival_times(
    rate: float, rng: np.random.Generator, start: float = 0.0
) -> Iterator[float]:
    """Arrival times of a Poisson process with constant ``rate`` per hour, after ``start``.

    Endless, unless ``rate`` is zero (then nothing).
    """
    rate = _check_rate("rate", rate)
    if rate == 0:
        return
    scale = 1.0 / rate
    t = float(start)
    while True:
        for gap in rng.standard_exponential(_BLOCK).tolist():
            t += gap * scale
            yield t


def scheduled_arrival_times(times: Iterable[float]) -> Iterator[float]:
    """The given event times (e.g. planned services), sorted; refuses non-finite times at once."""
    values = [float(t) for t in times]
    for t in values:
        if not math.isfinite(t):
            raise ValueError(f"scheduled times must be finite, got {t!r}")
    return iter(sorted(values))


def arrivals(
    env: simpy.Environment,
    times: Iterator[float] | Iterable[float],
    on_arrival: Callable[[float], Any],
    until: float | None = None,
) -> Generator[simpy.Event, Any, None]:
    """SimPy process: wait until each time in ``times`` and call ``on_arrival(env.now)``.

    ``on_arrival`` may start further processes (``env.process(job(...))``). The process ends
    when ``times`` is exhausted or at the first time ``>= until`` (as ``env.run(until=...)``
    does not process events at ``until`` itself). Times must not be earlier than ``env.now``.

    Usage: ``env.process(arrivals(env, poisson_arrival_times(profile, rng), start_job))``.
    """
    for t in times:
        if until is not None and t >= until:
            return
        delay = t - env.now
        if delay < 0:
            raise ValueError(f"arrival time {t} is earlier than the simulation clock ({env.now})")
        yield env.timeout(delay)
        on_arrival(env.now)


def start_background_jobs(
    env: simpy.Environment,
    *,
    busy_share: float,
    capacity: float,
    job_time: DistributionSpec,
    streams: Streams,
    time_stream: str,
    arrival_stream: str,
    starter: Callable[[Callable[[], float]], Callable[[float], Any]],
    until: float,
) -> None:
    """Start a contractor's work for other customers, competing for the same resource.

    Jobs arrive at random (Poisson) at the rate that keeps ``busy_share`` of the resource's mean
    ``capacity`` busy with jobs of ``job_time``; nothing starts when that rate is zero. Job
    times are drawn from ``streams[time_stream]``, arrival times from
    ``streams[arrival_stream]``; ``starter(draw_job_time)`` gives the ``on_arrival`` callback.
    """
    rate = busy_share * capacity / job_time.mean
    if rate <= 0:
        return
    duration = job_time.build(streams[time_stream]).sample
    times = stationary_arrival_times(rate, streams[arrival_stream])
    env.process(arrivals(env, times, starter(duration), until=until))
