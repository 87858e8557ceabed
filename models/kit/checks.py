"""Verification checks: a simulated figure against its closed form, for tests and report
appendices.

A service model is configured down to a case with an analytic answer (Erlang B/C, M/G/infinity,
machine repair), simulated over several replications, and the mean over replications (95 %
t-interval) compared with the analytic value. A check passes when the analytic value lies inside
the interval *and* the relative difference is within the tolerance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from models.kit.output_analysis import Interval, confidence_interval
from models.kit.replications import IN_PROCESS, Replicator
from models.kit.streams import Streams

__all__ = [
    "Expected",
    "VerificationCheck",
    "analytic_check",
    "compare_with_analytic",
    "simulated_intervals",
    "verification_table",
]


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
    runner: Replicator,
) -> dict[str, Interval]:
    """Mean and 95 % t-interval over ``replications`` (run by ``runner``) of each of
    ``metrics`` of ``run``."""
    results = runner.run(
        simulate,
        {"verification": run},
        replications=replications,
        seed=seed,
        description="verification",
    )
    out = {}
    for metric in metrics:
        values = results.loc[results["metric"] == metric, "value"].to_numpy()
        if values.size != replications:
            raise RuntimeError(f"metric {metric!r} missing from some replications")
        out[metric] = confidence_interval(values)
    return out


@dataclass(frozen=True)
class Expected:
    """What one check expects: its name and description, the metric and its analytic value."""

    name: str
    description: str
    metric: str
    analytic: float


def compare_with_analytic(
    simulate: Callable[[Any, Streams], Mapping[str, float]],
    run: Any,
    expected: Sequence[Expected],
    replications: int,
    seed: int,
    runner: Replicator,
    tolerance: float,
) -> list[VerificationCheck]:
    """One :class:`VerificationCheck` per entry of ``expected``, all from one set of
    ``replications`` of ``run`` by ``runner`` (each metric's interval is computed once)."""
    metrics = list(dict.fromkeys(e.metric for e in expected))
    intervals = simulated_intervals(
        simulate, run, metrics, replications=replications, seed=seed, runner=runner
    )
    return [
        VerificationCheck(
            name=e.name,
            description=e.description,
            metric=e.metric,
            analytic=e.analytic,
            simulated=intervals[e.metric],
            tolerance=tolerance,
        )
        for e in expected
    ]


def analytic_check(
    simulate: Callable[[Any, Streams], Mapping[str, float]],
    default_run: Callable[[], Any],
    *,
    replications: int,
    tolerance: float,
) -> Callable[[Callable[[Any], Any]], Callable[..., Any]]:
    """Make a check of ``expected(run) -> Expected | list[Expected]``: the check is
    ``check(run=None, *, replications=, seed=2013, tolerance=, runner=IN_PROCESS)``, runs
    ``default_run()`` when ``run`` is ``None`` and gives one :class:`VerificationCheck` (or a
    list of them, as ``expected`` gives one or a list) from :func:`compare_with_analytic`."""
    default_replications = replications
    default_tolerance = tolerance

    def decorate(expected_of: Callable[[Any], Any]) -> Callable[..., Any]:
        def check(
            run: Any = None,
            *,
            replications: int = default_replications,
            seed: int = 2013,
            tolerance: float = default_tolerance,
            runner: Replicator = IN_PROCESS,
        ) -> VerificationCheck | list[VerificationCheck]:
            run = default_run() if run is None else run
            expected = expected_of(run)
            one = isinstance(expected, Expected)
            made = [expected] if one else expected
            checks = compare_with_analytic(
                simulate, run, made, replications, seed, runner, tolerance
            )
            return checks[0] if one else checks

        check.__name__ = expected_of.__name__
        check.__qualname__ = expected_of.__qualname__
        check.__doc__ = expected_of.__doc__
        check.__module__ = expected_of.__module__
        return check

    return decorate


def verification_table(
    checks: Iterable[Callable[..., Any]],
    *,
    replications: int | None,
    seed: int,
    runner: Replicator,
    deterministic: Iterable[Callable[..., Any]] = (),
) -> pd.DataFrame:
    """A service's ``verify``: each of ``checks`` run with ``seed`` by ``runner`` (and
    ``replications``, unless ``None``: each check's own default), then each of
    ``deterministic`` with the same but ``replications``; one :meth:`VerificationCheck.as_row`
    per check made, in order."""
    engine = {"seed": seed, "runner": runner}
    options = {} if replications is None else {"replications": replications}
    results = [check(**engine, **options) for check in checks]
    results += [check(**engine) for check in deterministic]
    rows = []
    for result in results:
        made = [result] if isinstance(result, VerificationCheck) else result
        rows += [c.as_row() for c in made]
    return pd.DataFrame(rows)
