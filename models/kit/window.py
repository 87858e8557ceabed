"""The observed window of one replication: a model that runs its own SimPy environment from
t = 0, discards the warm-up and observes ``[warmup, end)`` (its run's ``warmup_hours`` then
``window_hours``), and the :class:`Window` its metrics (:mod:`models.kit.observation`) are
read from at the end. Written once for the services whose models run that way (fleet,
recovery).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import simpy

from models.kit.runs import ServiceRun

__all__ = ["Window", "WindowedModel"]

RunT = TypeVar("RunT", bound="ServiceRun[Any, Any]")
ModelT = TypeVar("ModelT")


class WindowedModel(Generic[RunT]):
    """One replication of ``run``: its SimPy environment (t = 0 is the start of the warm-up),
    the end of the warm-up (``warmup``) and the end of the observed window (``end``), hours."""

    def __init__(self, run: RunT) -> None:
        self.run = run
        self.env = simpy.Environment()
        self.warmup = run.warmup_hours
        self.end = run.warmup_hours + run.window_hours


@dataclass(frozen=True)
class Window(Generic[ModelT]):
    """What a model's metrics are read from at the end of the run: the model, the end of its
    window and the factor that scales the window's counts to a year (each model computes it)."""

    model: ModelT
    end: float
    per_year: float
