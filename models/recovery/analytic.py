"""Closed-form figures for the recovery model: expected stays, Little's-law occupancy.

Used to calibrate the default scenario against the published pound stock (Little's law:
mean stock = arrival rate x mean stay) and as the M/G/infinity benchmark in verification.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from models.kit.distributions import (
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Triangular,
    Uniform,
)
from models.recovery.config import CategorySpec, RecoveryConfig

__all__ = [
    "expected_capped_mean",
    "expected_fill",
    "expected_occupancy",
    "expected_stay_days",
    "expected_stay_hours",
    "longest_stay_days",
]

HOURS_PER_YEAR = 365.0 * 24.0


def _frozen(spec: object) -> Any:
    """The scipy distribution of a continuous spec (None for fixed and empirical); scipy.stats
    is imported here, when first needed, as it is slow to import."""
    from scipy import stats

    if isinstance(spec, Exponential):
        return stats.expon(scale=spec.mean)
    if isinstance(spec, Lognormal) and spec.sd > 0:
        return stats.lognorm(s=spec.sigma, scale=math.exp(spec.mu))
    if isinstance(spec, Gamma) and spec.sd > 0:
        return stats.gamma(a=spec.shape, scale=spec.scale)
    if isinstance(spec, Triangular):
        width = spec.high - spec.low
        return stats.triang(c=(spec.mode - spec.low) / width, loc=spec.low, scale=width)
    if isinstance(spec, Uniform):
        return stats.uniform(loc=spec.low, scale=spec.high - spec.low)
    return None


def expected_capped_mean(spec: object, cap: float) -> float:
    """``E[min(X, cap)]`` for a distribution spec (``cap`` may be ``inf``)."""
    if isinstance(spec, Fixed):
        return min(spec.value, cap)
    if isinstance(spec, Lognormal | Gamma) and spec.sd == 0:
        return min(spec.mean, cap)
    if isinstance(spec, Empirical):
        return float(
            sum(p * min(v, cap) for p, v in zip(spec.probabilities, spec.values, strict=True))
        )
    closed = _capped_mean_closed_form(spec, cap)
    if closed is not None:
        return closed
    dist = _frozen(spec)
    if dist is None:
        raise TypeError(f"no analytic form for {spec!r}")
    if math.isinf(cap):
        return float(dist.mean())
    # E[min(X, c)] = integral of the survival function from 0 to c
    from scipy import integrate

    value, _ = integrate.quad(dist.sf, 0.0, cap, limit=200)
    return float(value)


def _capped_mean_closed_form(spec: object, cap: float) -> float | None:
    """``E[min(X, c)] = E[X; X < c] + c P(X >= c)`` in closed form, for the exponential,
    lognormal and gamma (partial expectations: e.g. Klugman, Panjer and Willmot, *Loss Models*,
    appendix A); ``None`` for other specs, or an infinite cap (the mean, elsewhere). The fill
    curve asks for hundreds of caps, which numerical integration made take seconds."""
    if math.isinf(cap) or cap <= 0:
        return None if math.isinf(cap) else 0.0
    from scipy import special

    if isinstance(spec, Exponential):
        return spec.mean * -math.expm1(-cap / spec.mean)
    if isinstance(spec, Lognormal) and spec.sd > 0:
        mu, sigma = spec.mu, spec.sigma
        z = (math.log(cap) - mu) / sigma
        below = math.exp(mu + sigma**2 / 2) * special.ndtr(z - sigma)
        return float(below + cap * special.ndtr(-z))
    if isinstance(spec, Gamma) and spec.sd > 0:
        a, scale = spec.shape, spec.scale
        below = a * scale * special.gammainc(a + 1, cap / scale)
        return float(below + cap * special.gammaincc(a, cap / scale))
    return None


def expected_stay_hours(category: CategorySpec, *, include_examination: bool = True) -> float:
    """Expected time a vehicle of ``category`` spends in storage, excluding examination waits.

    ``collected_share x E[min(time_to_collect, retention)] + (1 - collected_share) x
    (retention + disposal)``, plus the mean examination time when the category needs one (the
    wait for an examiner depends on the load, so it is left out: a lower bound then).
    """
    release = category.release
    retention = release.retention_days * 24.0
    collected = expected_capped_mean(release.time_to_collect, retention)
    disposed = (release.retention_days + release.disposal_days) * 24.0
    stay = release.collected_share * collected + (1.0 - release.collected_share) * disposed
    if include_examination and category.examination_time is not None:
        stay += category.examination_time.mean
    return stay


def expected_stay_days(config: RecoveryConfig) -> float:
    """Mean stay over all categories (days, examination waits excluded)."""
    hours = sum(c.share * expected_stay_hours(c) for c in config.demand.categories.values())
    return hours / 24.0


def expected_occupancy(config: RecoveryConfig, year: float = 0.0) -> float:
    """Little's law: mean vehicles held = requests per hour x mean stay (hours), all sites and
    overflow together, examination waits excluded."""
    rate = config.demand.annual_requests(year) / HOURS_PER_YEAR
    return rate * expected_stay_days(config) * 24.0


def expected_fill(config: RecoveryConfig, days: Sequence[float], year: float = 0.0) -> np.ndarray:
    """Expected vehicles held ``days`` after opening with an empty pound (no space limit).

    For an infinite-server system started empty, ``E[N(t)] = rate x E[min(S, t)]`` (S the
    stay), which reaches the stationary mean ``rate x E[S]`` once ``t`` exceeds the longest
    possible stay. The weekly pattern is averaged out (mean rate), examination waits are left
    out and the examination time is treated as fixed at its mean.
    """
    rate = config.demand.annual_requests(year) / HOURS_PER_YEAR
    out = []
    for day in days:
        t = float(day) * 24.0
        held = 0.0
        for category in config.demand.categories.values():
            release = category.release
            exam = 0.0 if category.examination_time is None else category.examination_time.mean
            if t <= exam:
                held += category.share * t
                continue
            left = t - exam
            retention = release.retention_days * 24.0
            disposal = (release.retention_days + release.disposal_days) * 24.0
            collected = expected_capped_mean(release.time_to_collect, min(retention, left))
            stay = release.collected_share * collected + (1 - release.collected_share) * min(
                disposal, left
            )
            held += category.share * (exam + stay)
        out.append(rate * held)
    return np.asarray(out)


def longest_stay_days(config: RecoveryConfig) -> float:
    """Longest possible stay (days) leaving out examination: retention plus disposal."""
    return max(
        c.release.retention_days + (c.release.disposal_days if c.release.collected_share < 1 else 0)
        for c in config.demand.categories.values()
    )
