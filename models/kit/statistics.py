"""Streaming statistics collected inside a simulation run.

Both collectors keep a fixed, small amount of state whatever the run length, so a model can
observe millions of events (waits, queue changes) without its memory growing.

- :class:`Tally` summarises observations (e.g. waits): Welford mean and variance, exact min and
  max, exact shares at or below thresholds registered up front, and approximate quantiles from a
  logarithmic-bucket sketch (DDSketch-style, Masson, Rim & Lee 2019) with a guaranteed relative
  error.
- :class:`TimeWeighted` summarises a level held over time (queue length, busy units): its
  time-weighted mean, maximum and the time spent above registered levels.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence

import simpy

__all__ = ["Tally", "TimeWeighted"]


class Tally:
    """Summary of observations such as waiting times, in constant memory.

    Parameters
    ----------
    thresholds
        Values ``t`` for which :meth:`share_at_most` must be exact (e.g. a 0.5 h response
        target). They are counted exactly as observations arrive.
    relative_accuracy
        Accuracy of :meth:`quantile`: the estimate ``e`` of the q-quantile ``x`` (the order
        statistic of rank ``floor(q * (n - 1))``) satisfies ``|e - x| <= relative_accuracy * |x|``
        whenever ``min_value <= |x| <= max_value``. Values with ``|x| < min_value`` are
        reported as 0 (absolute error below ``min_value``); above ``max_value`` the error grows
        but estimates are always clipped to the exact observed [min, max].
    min_value, max_value
        Magnitude range over which the relative accuracy holds. They bound the sketch: it never
        holds more than ``2 * (log(max_value / min_value) / log(gamma) + 2)`` buckets, with
        ``gamma = (1 + a) / (1 - a)`` (about 2,800 for the defaults, typically a few hundred),
        whatever the number of observations.
    """

    __slots__ = (
        "_count_by_slot",
        "_gamma",
        "_inv_log_gamma",
        "_key_max",
        "_key_min",
        "_m2",
        "_max",
        "_mean",
        "_min",
        "_min_value",
        "_n",
        "_negative",
        "_positive",
        "_thresholds",
        "_zeros",
        "relative_accuracy",
    )

    def __init__(
        self,
        thresholds: Iterable[float] = (),
        *,
        relative_accuracy: float = 0.01,
        min_value: float = 1e-6,
        max_value: float = 1e6,
    ) -> None:
        if not 0.0 < relative_accuracy < 1.0:
            raise ValueError(f"relative_accuracy must lie in (0, 1), got {relative_accuracy}")
        if not 0.0 < min_value < max_value:
            raise ValueError(f"need 0 < min_value < max_value, got {min_value}, {max_value}")
        levels = sorted({float(t) for t in thresholds})
        if not all(math.isfinite(t) for t in levels):
            raise ValueError(f"thresholds must be finite, got {levels}")
        self.relative_accuracy = float(relative_accuracy)
        self._thresholds: tuple[float, ...] = tuple(levels)
        self._gamma = (1.0 + relative_accuracy) / (1.0 - relative_accuracy)
        self._inv_log_gamma = 1.0 / math.log(self._gamma)
        self._min_value = float(min_value)
        self._key_min = math.ceil(math.log(min_value) * self._inv_log_gamma)
        self._key_max = math.ceil(math.log(max_value) * self._inv_log_gamma)
        self.reset()

    def reset(self) -> None:
        """Forget every observation (thresholds and accuracy are kept)."""
        self._n = 0
        self._mean = 0.0
        self._m2 = 0.0
        self._min = math.inf
        self._max = -math.inf
        self._zeros = 0
        self._positive: dict[int, int] = {}
        self._negative: dict[int, int] = {}
        # slot i counts observations x with thresholds[i-1] < x <= thresholds[i]
        self._count_by_slot = [0] * (len(self._thresholds) + 1)

    def add(self, x: float) -> None:
        """Record one observation (must be finite)."""
        if not math.isfinite(x):
            raise ValueError(f"Tally observations must be finite, got {x!r}")
        n = self._n + 1
        self._n = n
        delta = x - self._mean
        self._mean += delta / n
        self._m2 += delta * (x - self._mean)
        if x < self._min:
            self._min = x
        if x > self._max:
            self._max = x
        if self._thresholds:
            self._count_by_slot[bisect_left(self._thresholds, x)] += 1
        magnitude = abs(x)
        if magnitude < self._min_value:
            self._zeros += 1
            return
        key = math.ceil(math.log(magnitude) * self._inv_log_gamma)
        if key > self._key_max:
            key = self._key_max
        store = self._positive if x > 0 else self._negative
        store[key] = store.get(key, 0) + 1

    def add_many(self, values: Iterable[float]) -> None:
        """Record several observations."""
        for x in values:
            self.add(x)

    @property
    def n(self) -> int:
        """Number of observations."""
        return self._n

    @property
    def mean(self) -> float:
        """Sample mean (NaN when empty)."""
        return self._mean if self._n else math.nan

    @property
    def variance(self) -> float:
        """Sample variance with n - 1 divisor (NaN below two observations)."""
        return self._m2 / (self._n - 1) if self._n > 1 else math.nan

    @property
    def std(self) -> float:
        """Sample standard deviation (NaN below two observations)."""
        return math.sqrt(self.variance) if self._n > 1 else math.nan

    @property
    def min(self) -> float:
        """Smallest observation (NaN when empty)."""
        return self._min if self._n else math.nan

    @property
    def max(self) -> float:
        """Largest observation (NaN when empty)."""
        return self._max if self._n else math.nan

    @property
    def thresholds(self) -> tuple[float, ...]:
        """Thresholds counted exactly, ascending."""
        return self._thresholds

    @property
    def buckets(self) -> int:
        """Number of sketch buckets in use (bounded whatever ``n``; see class docstring)."""
        return len(self._positive) + len(self._negative) + 1

    def share_at_most(self, threshold: float) -> float:
        """Exact share of observations ``<= threshold`` (NaN when empty).

        Only thresholds registered at construction are allowed: an approximate answer for
        another threshold could be mistaken for an exact one.
        """
        i = bisect_left(self._thresholds, threshold)
        if i == len(self._thresholds) or self._thresholds[i] != threshold:
            raise ValueError(
                f"threshold {threshold} was not registered; construct Tally(thresholds=...) "
                f"with it (registered: {list(self._thresholds)})"
            )
        if not self._n:
            return math.nan
        return sum(self._count_by_slot[: i + 1]) / self._n

    def quantile(self, q: float) -> float:
        """Approximate q-quantile (accuracy documented in the class docstring; NaN when empty)."""
        if not 0.0 <= q <= 1.0:
            raise ValueError(f"q must lie in [0, 1], got {q}")
        if not self._n:
            return math.nan
        rank = math.floor(q * (self._n - 1))
        seen = 0
        for key in sorted(self._negative, reverse=True):
            seen += self._negative[key]
            if seen > rank:
                return self._clip(-self._representative(key))
        seen += self._zeros
        if seen > rank:
            return self._clip(0.0)
        for key in sorted(self._positive):
            seen += self._positive[key]
            if seen > rank:
                return self._clip(self._representative(key))
        return self._max

    def _representative(self, key: int) -> float:
        # bucket `key` holds magnitudes in (gamma**(key-1), gamma**key]; this point is within
        # relative_accuracy of every one of them.
        return 2.0 * self._gamma**key / (self._gamma + 1.0)

    def _clip(self, value: float) -> float:
        return min(max(value, self._min), self._max)

    def __repr__(self) -> str:
        return f"Tally(n={self._n}, mean={self.mean:.6g}, std={self.std:.6g})"


class TimeWeighted:
    """A level held over time (queue length, busy units), summarised by time-weighted statistics.

    Parameters
    ----------
    start
        A SimPy environment (its current time is the start) or a start time in hours.
    initial
        Level at the start.
    levels
        Levels for which :meth:`time_above` is tracked exactly.
    """

    __slots__ = ("_above", "_area", "_last", "_level", "_levels", "_max", "_start")

    def __init__(
        self,
        start: simpy.Environment | float = 0.0,
        initial: float = 0.0,
        *,
        levels: Sequence[float] = (),
    ) -> None:
        t0 = float(start.now) if isinstance(start, simpy.Environment) else float(start)
        if not math.isfinite(t0) or not math.isfinite(initial):
            raise ValueError(f"start and initial must be finite, got {t0}, {initial}")
        self._levels: tuple[float, ...] = tuple(sorted({float(x) for x in levels}))
        self._level = float(initial)
        self.reset(t0)

    def reset(self, t: float) -> None:
        """Restart the statistics at time ``t``, keeping the current level (used at warm-up)."""
        if t < getattr(self, "_last", -math.inf):
            raise ValueError(f"cannot reset at {t}: already updated at {self._last}")
        self._start = float(t)
        self._last = float(t)
        self._area = 0.0
        self._max = self._level
        self._above = [0.0] * len(self._levels)

    def update(self, t: float, value: float) -> None:
        """Set the level to ``value`` from time ``t`` on (times must not go backwards)."""
        dt = t - self._last
        if dt < 0.0:
            raise ValueError(f"time went backwards: update at {t} after {self._last}")
        if dt > 0.0:
            level = self._level
            self._area += level * dt
            if self._levels:
                for i, threshold in enumerate(self._levels):
                    if level > threshold:
                        self._above[i] += dt
            self._last = t
        self._level = value
        if value > self._max:
            self._max = value

    def add(self, t: float, delta: float) -> None:
        """Change the level by ``delta`` at time ``t``."""
        self.update(t, self._level + delta)

    @property
    def level(self) -> float:
        """Current level."""
        return self._level

    @property
    def start(self) -> float:
        """Time the statistics (re)started."""
        return self._start

    @property
    def max(self) -> float:
        """Highest level held since the start (or last reset)."""
        return self._max

    def integral(self, until: float) -> float:
        """Area under the level from the start to ``until`` (the current level runs on to it)."""
        if until < self._last:
            raise ValueError(f"until={until} is before the last update at {self._last}")
        return self._area + self._level * (until - self._last)

    def mean(self, until: float) -> float:
        """Time-weighted mean level over [start, until] (the current level if the span is empty)."""
        span = until - self._start
        area = self.integral(until)
        return area / span if span > 0.0 else self._level

    def time_above(self, level: float, until: float) -> float:
        """Time spent strictly above a registered ``level`` from the start to ``until``."""
        try:
            i = self._levels.index(float(level))
        except ValueError:
            raise ValueError(
                f"level {level} was not registered; construct TimeWeighted(levels=...) with it "
                f"(registered: {list(self._levels)})"
            ) from None
        if until < self._last:
            raise ValueError(f"until={until} is before the last update at {self._last}")
        tail = until - self._last if self._level > level else 0.0
        return self._above[i] + tail

    def __repr__(self) -> str:
        return f"TimeWeighted(level={self._level}, start={self._start}, last={self._last})"
