"""Output analysis over replications: t-intervals, paired comparisons, run-length choices.

Works on the tidy frame from :func:`models.kit.replications.run_replications` (columns
replication, option, metric, value). Every stochastic figure is reported as a mean over
replications with a Student t confidence interval; options are compared replication by
replication, which is valid and much sharper because they share random numbers.

References
----------
Hoad, K., Robinson, S. & Davies, R. (2010) Automated selection of the number of replications
for a discrete-event simulation. Journal of the Operational Research Society 61(11), 1632-1644.

White, K. P. Jr. (1997) An effective truncation heuristic for bias reduction in simulation
output. Simulation 69(6), 323-334.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Interval",
    "PrecisionNotReached",
    "confidence_interval",
    "mser5",
    "paired_difference",
    "probability_lower",
    "replications_needed",
    "summarise",
]


@dataclass(frozen=True)
class Interval:
    """A mean (or a share) with its two-sided confidence interval."""

    mean: float
    low: float
    high: float
    half_width: float
    n: int
    level: float

    @property
    def relative_half_width(self) -> float:
        """Half-width as a share of ``|mean|`` (inf for a zero mean with a non-zero width)."""
        if self.mean != 0:
            return self.half_width / abs(self.mean)
        return 0.0 if self.half_width == 0 else math.inf

    def __str__(self) -> str:
        pct = round(100 * self.level)
        return f"{self.mean:.4g} ({pct}% CI {self.low:.4g} to {self.high:.4g}, n={self.n})"


class PrecisionNotReached(ValueError):
    """The pilot replications never reach (and keep) the target precision."""

    def __init__(self, message: str, estimate: int) -> None:
        super().__init__(message)
        self.estimate = estimate


def _stats() -> Any:
    """``scipy.stats``, imported when first needed: it is slow to import (about a second),
    and reading or checking a scenario never needs it."""
    from scipy import stats

    return stats


def _finite_array(values: Iterable[float], what: str = "values") -> np.ndarray:
    array = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, float)
    if array.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{what} must all be finite")
    return array


def _t_half_width(sd: float, n: int, level: float) -> float:
    return float(_stats().t.ppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n))


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must lie in (0, 1), got {level}")


def confidence_interval(values: Iterable[float], level: float = 0.95) -> Interval:
    """Mean of ``values`` with a Student t interval (NaN bounds for a single value)."""
    _check_level(level)
    array = _finite_array(values)
    n = array.size
    if n == 0:
        raise ValueError("no values: a confidence interval needs at least one")
    mean = float(array.mean())
    if n == 1:
        return Interval(mean, math.nan, math.nan, math.nan, 1, level)
    half = _t_half_width(float(array.std(ddof=1)), n, level)
    return Interval(mean, mean - half, mean + half, half, n, level)


def proportion_interval(successes: int, trials: int, level: float = 0.95) -> Interval:
    """Share of ``trials`` that succeeded, with its exact (Clopper-Pearson) interval.

    Exact rather than normal-approximate because it is used for a handful of trials (the
    coverage of a few experiments), where the normal interval leaves [0, 1]. Source:
    Clopper and Pearson (1934), as ``scipy._stats().binomtest(...).proportion_ci('exact')``.
    """
    _check_level(level)
    if trials < 1 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials, trials >= 1 ({successes}/{trials})")
    share = successes / trials
    ci = _stats().binomtest(successes, trials).proportion_ci(confidence_level=level, method="exact")
    half = max(share - ci.low, ci.high - share)
    return Interval(share, float(ci.low), float(ci.high), float(half), trials, level)


def _check_results(results: pd.DataFrame) -> None:
    missing = {"replication", "option", "metric", "value"} - set(results.columns)
    if missing:
        raise ValueError(f"results lack column(s) {sorted(missing)}; use run_replications output")


def summarise(results: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Mean and t-interval for every option and metric.

    Returns columns option, metric, mean, low, high, half_width, n; options in the order they
    first appear in ``results``, metrics sorted.
    """
    _check_results(results)
    _check_level(level)
    option_order = list(dict.fromkeys(results["option"]))
    rows = []
    for (option, metric), group in results.groupby(["option", "metric"], sort=False):
        ci = confidence_interval(group["value"].to_numpy(), level)
        rows.append((option, metric, ci.mean, ci.low, ci.high, ci.half_width, ci.n))
    frame = pd.DataFrame(
        rows, columns=["option", "metric", "mean", "low", "high", "half_width", "n"]
    )
    frame["_order"] = frame["option"].map(option_order.index)
    frame = frame.sort_values(["_order", "metric"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def _paired(
    results: pd.DataFrame, metric: str, option: str, baseline: str
) -> tuple[np.ndarray, np.ndarray]:
    """Values of ``metric`` for ``option`` and ``baseline``, aligned by replication."""
    _check_results(results)
    rows = results[results["metric"] == metric]
    if rows.empty:
        known = sorted(results["metric"].unique())
        raise ValueError(f"unknown metric {metric!r}; known metrics: {known}")
    series = {}
    for name in (option, baseline):
        chosen = rows[rows["option"] == name]
        if chosen.empty:
            known = list(dict.fromkeys(rows["option"]))
            raise ValueError(f"no {metric!r} results for option {name!r}; options: {known}")
        if chosen["replication"].duplicated().any():
            raise ValueError(f"option {name!r} has repeated replications for {metric!r}")
        series[name] = chosen.set_index("replication")["value"].sort_index()
    a, b = series[option], series[baseline]
    if not a.index.equals(b.index):
        raise ValueError(
            f"options {option!r} and {baseline!r} were not run on the same replications for "
            f"{metric!r}; a paired comparison needs both on each replication"
        )
    return a.to_numpy(), b.to_numpy()


def paired_difference(
    results: pd.DataFrame, metric: str, option: str, baseline: str, level: float = 0.95
) -> Interval:
    """Mean of ``option - baseline`` for ``metric``, paired by replication, with a t-interval.

    With common random numbers the two options see the same demand in each replication, so the
    differences vary far less than the options do and the interval is much narrower than an
    unpaired comparison.
    """
    a, b = _paired(results, metric, option, baseline)
    return confidence_interval(a - b, level)


def probability_lower(results: pd.DataFrame, metric: str, option: str, baseline: str) -> float:
    """Share of replications in which ``option`` is strictly below ``baseline`` on ``metric``."""
    a, b = _paired(results, metric, option, baseline)
    return float(np.mean(a < b))


def _look_ahead(n: int, look_ahead: int) -> int:
    """Hoad et al.'s kLimit: ``look_ahead`` up to 100 replications, then that share of ``n``."""
    return look_ahead if n <= 100 else math.floor(look_ahead / 100 * n)


def replications_needed(
    values: Iterable[float],
    target: float = 0.05,
    level: float = 0.95,
    *,
    look_ahead: int = 5,
    min_replications: int = 3,
) -> int:
    """Fewest replications whose relative half-width is, and stays, within ``target``.

    Confidence-interval method with Hoad, Robinson & Davies' (2010) look-ahead: ``n`` is the
    smallest count (at least ``min_replications``) such that the relative half-width of the
    t-interval of the first ``m`` values is ``<= target`` for every ``m`` from ``n`` to
    ``n + kLimit(n)``, where kLimit is ``look_ahead`` up to 100 replications and
    ``look_ahead % of n`` beyond. The look-ahead guards against a precision that is met by
    chance once and then lost.

    Unlike sim-tools' ``ReplicationsAlgorithm``, which runs the model one replication at a time
    until the rule is met, this applies the same rule to ``values`` already run (replication
    order), e.g. a pilot batch run in parallel by ``run_replications``.

    Raises
    ------
    PrecisionNotReached
        If the pilot is too short; its ``estimate`` is the t-approximation count
        ``ceil((t * s / (target * |mean|))**2)`` from all the values, to size the next pilot.
    """
    _check_level(level)
    if target <= 0:
        raise ValueError(f"target must be > 0, got {target}")
    if look_ahead < 0 or min_replications < 2:
        raise ValueError("need look_ahead >= 0 and min_replications >= 2")
    array = _finite_array(values)
    total = array.size
    if total < 2:
        raise ValueError("at least two replications are needed")
    deviations = _running_relative_half_widths(array, level)
    within = deviations <= target
    for n in range(min_replications, total + 1):
        last = n + _look_ahead(n, look_ahead)
        if last > total:
            break
        if within[n - 1 : last].all():
            return n
    mean = float(array.mean())
    if mean == 0:
        raise PrecisionNotReached("the mean is 0: no relative precision can be reached", -1)
    t = float(_stats().t.ppf(0.5 + level / 2, total - 1))
    estimate = math.ceil((t * float(array.std(ddof=1)) / (target * abs(mean))) ** 2)
    raise PrecisionNotReached(
        f"{total} replications do not reach and keep a relative half-width of {target:.3g} "
        f"(now {deviations[-1]:.3g}) over a look-ahead of {look_ahead}; roughly "
        f"{max(estimate, min_replications)} replications are needed, plus the look-ahead",
        estimate,
    )


def _running_relative_half_widths(array: np.ndarray, level: float) -> np.ndarray:
    """Relative half-width of the t-interval of the first m values, m = 1..n (inf for m = 1)."""
    m = np.arange(1, array.size + 1)
    centred = array - array.mean()  # reduces cancellation in the running sums
    total = np.cumsum(centred)
    squares = np.cumsum(centred**2)
    means = total / m + array.mean()
    out = np.full(array.size, np.inf)
    k = m[1:]
    variance = np.maximum(squares[1:] - total[1:] ** 2 / k, 0.0) / (k - 1)
    half = _stats().t.ppf(0.5 + level / 2, k - 1) * np.sqrt(variance / k)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(half == 0, 0.0, half / np.abs(means[1:]))
    out[1:] = relative
    return out


def mser5(series: Iterable[float], *, batch: int = 5) -> int:
    """Warm-up length (in observations) by White's MSER-5 truncation rule.

    The series is cut into batch means of ``batch`` observations (a trailing incomplete batch
    is dropped); the truncation ``d`` minimising ``sum((Z_j - mean(Z_d+1..k))**2) / (k - d)**2``
    is chosen, and ``d * batch`` observations are returned. As usual, only truncations keeping
    at least half the batches are considered: a warm-up longer than that means the run is too
    short to estimate it.
    """
    array = _finite_array(series, "series")
    k = array.size // batch
    if k < 2:
        raise ValueError(f"MSER-{batch} needs at least {2 * batch} observations, got {array.size}")
    means = array[: k * batch].reshape(k, batch).mean(axis=1)
    centred = means - means.mean()  # reduces cancellation in the running sums
    tail_sum = np.cumsum(centred[::-1])[::-1]  # sum of Z_j for j >= d
    tail_sq = np.cumsum((centred**2)[::-1])[::-1]
    kept = k - np.arange(k)
    sse = tail_sq - tail_sum**2 / kept
    mser = np.maximum(sse, 0.0) / kept**2
    last = (k - 1) // 2  # keep at least half the batches
    return int(np.argmin(mser[: last + 1]) * batch)
