"""Verification checks: a simulated figure against its closed form, for tests and report
appendices.

A service model is configured down to a case with an analytic answer (Erlang B/C, M/G/infinity,
machine repair), simulated over several replications, and the mean over replications (95 %
t-interval) compared with the analytic value. A check passes when the analytic value lies inside
the interval *and* the relative difference is within the tolerance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from models.kit.output_analysis import Interval, confidence_interval
from models.kit.replications import run_replications
from models.kit.streams import Streams

__all__ = ["VerificationCheck", "simulated_intervals"]


@dataclass(frozen=True)
class VerificationCheck:
    """One comparison of the simulation with a closed form."""

    name: str
    description: str
    metric: str
    analytic: float
    simulated: Interval
    tolerance: float
    """Largest relative difference accepted."""

    @property
    def relative_difference(self) -> float:
        """(simulated mean - analytic) / analytic."""
        return (self.simulated.mean - self.analytic) / self.analytic

    @property
    def inside_interval(self) -> bool:
        """Whether the analytic value lies in the simulation's 95 % interval."""
        return self.simulated.low <= self.analytic <= self.simulated.high

    @property
    def passed(self) -> bool:
        """Inside the interval and within the tolerance."""
        return self.inside_interval and abs(self.relative_difference) <= self.tolerance

    def as_row(self) -> dict[str, Any]:
        """A flat row for a report table."""
        return {
            "check": self.name,
            "description": self.description,
            "metric": self.metric,
            "analytic": self.analytic,
            "simulated": self.simulated.mean,
            "low": self.simulated.low,
            "high": self.simulated.high,
            "replications": self.simulated.n,
            "relative_difference": self.relative_difference,
            "tolerance": self.tolerance,
            "passed": self.passed,
        }


def simulated_intervals(
    simulate: Callable[[Any, Streams], Mapping[str, float]],
    run: Any,
    metrics: Iterable[str],
    *,
    replications: int,
    seed: int,
    jobs: int | None,
) -> dict[str, Interval]:
    """Mean and 95 % t-interval over ``replications`` of each of ``metrics`` of ``run``."""
    results = run_replications(
        simulate,
        {"verification": run},
        replications=replications,
        seed=seed,
        jobs=jobs,
        progress=False,
    )
    out = {}
    for metric in metrics:
        values = results.loc[results["metric"] == metric, "value"].to_numpy()
        if values.size != replications:
            raise RuntimeError(f"metric {metric!r} missing from some replications")
        out[metric] = confidence_interval(values)
    return out
