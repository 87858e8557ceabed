"""Metrics declared once: each :class:`Metric` is a name and the function of the observed
state that gives its value, so a model lists its metrics in one place and both the values of
a run (:func:`observe`) and the names it can return (:func:`metric_names`) come from that list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["Metric", "metric_names", "observe"]

State = TypeVar("State")


@dataclass(frozen=True)
class Metric(Generic[State]):
    """One metric of a model: its name and its value from the state observed at the end."""

    name: str
    value: Callable[[State], float]


def metric_names(metrics: Iterable[Metric[State]]) -> list[str]:
    """The names of ``metrics``, in order."""
    return [metric.name for metric in metrics]


def observe(
    metrics: Iterable[Metric[State]], state: State, *, drop_nan: bool = False
) -> dict[str, float]:
    """``{name: value}`` of every metric on ``state``, in order (``drop_nan``: a figure with
    no observation, NaN, is left out, as :func:`models.kit.replications.run_replications`
    refuses NaN)."""
    out = {metric.name: metric.value(state) for metric in metrics}
    if drop_nan:
        return {name: value for name, value in out.items() if not math.isnan(value)}
    return out
