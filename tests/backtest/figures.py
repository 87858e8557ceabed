"""Key results of the default scenario, per service, for the back-tests.

``python tests/backtest/figures.py recovery`` recomputes a service's figures and rewrites its
stored file ``tests/backtest/<service>.json``: do that only when a change to the model or the
default scenario is meant to move the results, and say so in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from models.comparison import OptionComparison, compare_service
from models.kit.replications import Replicator
from models.registry import SERVICES as REGISTRY
from models.registry import Registry
from models.scenario import DEFAULT_SCENARIO, Scenario, load_scenario

HERE = Path(__file__).resolve().parent
REPLICATIONS = 10
JOBS = 2

Figures = dict[str, dict[str, float]]
"""Figure name -> {mean, low, high} (95 % interval over the replications)."""


def compare(service: str, scenario: Scenario, registry: Registry = REGISTRY) -> OptionComparison:
    """Every option of ``service`` on ``scenario`` (the same calls its report makes)."""
    return compare_service(
        registry[service],
        scenario,
        replications=REPLICATIONS,
        seed=scenario.seed,
        runner=Replicator(jobs=JOBS),
    )


SERVICES: dict[str, tuple[str, ...]] = {
    service.name: tuple(metric.name for metric in service.key_metrics) for service in REGISTRY
}
"""Each service's key metrics (its declaration's), whose figures are recorded."""


def figures(service: str) -> Figures:
    """The service's key figures on the default scenario: performance and costs per option."""
    metrics = SERVICES[service]
    result = compare(service, load_scenario(DEFAULT_SCENARIO))
    out: Figures = {}
    for row in result.performance.itertuples(index=False):
        if row.metric in metrics:
            out[f"{row.option}: {row.metric}"] = _interval(row.mean, row.low, row.high)
    for row in result.costs.itertuples(index=False):
        out[f"{row.option}: present value of costs"] = _interval(row.pv_mean, row.low, row.high)
        if row.option != result.baseline:
            out[f"{row.option}: difference from {result.baseline}"] = _interval(
                row.diff_mean, row.diff_low, row.diff_high
            )
    return out


def _interval(mean: float, low: float, high: float) -> dict[str, float]:
    return {"mean": float(mean), "low": float(low), "high": float(high)}


def moved(expected: Figures, actual: Figures) -> list[str]:
    """One line per figure whose new mean lies outside its recorded interval (or is missing)."""
    lines = []
    for name, band in sorted(expected.items()):
        if name not in actual:
            lines.append(f"{name}: no longer computed")
        elif not band["low"] <= actual[name]["mean"] <= band["high"]:
            lines.append(
                f"{name}: now {actual[name]['mean']:.6g}, recorded {band['mean']:.6g} "
                f"(interval {band['low']:.6g} to {band['high']:.6g})"
            )
    lines.extend(
        f"{name}: new figure, not recorded" for name in sorted(set(actual) - set(expected))
    )
    return lines


def stored(service: str) -> Figures:
    """The figures recorded for ``service``."""
    return json.loads((HERE / f"{service}.json").read_text())


def main(services: list[str]) -> None:
    for service in services or list(SERVICES):
        path = HERE / f"{service}.json"
        path.write_text(json.dumps(figures(service), indent=2, sort_keys=True) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
