"""What one replication of a service model runs: an option of a scenario at a demand level.

Each service (recovery, fleet, catering) subclasses :class:`ServiceRun`, naming the service and
adding only what it runs differently (catering's operational-feeding horizon). A run is a frozen
dataclass defined at module level, so it pickles: it can be an entry of
:func:`models.kit.replications.run_replications`' options mapping, sent to worker processes.
Its :meth:`ServiceRun.cache_identity` says what of it determines a result, for the result cache
(:mod:`models.kit.cache`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar, Generic, Protocol, Self, TypeVar

from models.kit.cache import identity

__all__ = ["HOURS_PER_DAY", "ServiceConfig", "ServiceRun"]

HOURS_PER_DAY = 24.0


class _Period(Protocol):
    """A representative period: a warm-up then an observed window (days)."""

    @property
    def warmup_days(self) -> float: ...

    @property
    def window_days(self) -> float: ...


class ServiceConfig(Protocol):
    """What a run needs of a service's scenario section: its options and period."""

    @property
    def options(self) -> Mapping[str, Any]: ...

    @property
    def period(self) -> _Period: ...


ConfigT = TypeVar("ConfigT", bound=ServiceConfig)
SpecT = TypeVar("SpecT")


@dataclass(frozen=True)
class ServiceRun(Generic[ConfigT, SpecT]):
    """An option of a service's scenario section at a demand level (one call of ``simulate``).

    Parameters
    ----------
    config
        The scenario's section of the service.
    option
        Name of the delivery option (a key of ``config.options``).
    year
        Demand year (0 = base year); each service says what scales with it.
    warmup_days, window_days
        Override the section's representative period (e.g. for a quick run).
    """

    service: ClassVar[str] = "service"
    """Name of the service, for messages."""
    day_fields: ClassVar[tuple[str, ...]] = ("warmup_days", "window_days")
    """Fields that, when given, must be a finite number of days >= 0."""
    positive_fields: ClassVar[tuple[str, ...]] = ("window_days",)
    """Fields that, when given, must be > 0."""

    config: ConfigT
    option: str
    year: float = 0.0
    warmup_days: float | None = None
    window_days: float | None = None

    def __post_init__(self) -> None:
        if self.option not in self.config.options:
            raise ValueError(
                f"no {self.service} option {self.option!r} "
                f"(options: {', '.join(self.config.options)})"
            )
        for label in self.day_fields:
            value = getattr(self, label)
            if value is not None and (not math.isfinite(value) or value < 0):
                raise ValueError(f"{label} must be a finite number of days >= 0, got {value}")
        for label in self.positive_fields:
            value = getattr(self, label)
            if value is not None and value <= 0:
                raise ValueError(f"{label} must be > 0, got {value}")

    @property
    def spec(self) -> SpecT:
        """The option's specification."""
        return self.config.options[self.option]

    @property
    def warmup_hours(self) -> float:
        """Start of the observed window."""
        days = self.config.period.warmup_days if self.warmup_days is None else self.warmup_days
        return days * HOURS_PER_DAY

    @property
    def window_hours(self) -> float:
        """Length of the observed window."""
        days = self.config.period.window_days if self.window_days is None else self.window_days
        return days * HOURS_PER_DAY

    def cache_identity(self) -> dict[str, object]:
        """What determines this run's results, for :func:`models.kit.cache.identity`: the run
        class, the section as the simulation reads it (``config.simulation_identity()`` when
        the section has one, leaving out what only its cost lines read, so a change of a cost
        input keeps the simulated results) and every other field by name."""
        simulated = getattr(self.config, "simulation_identity", None)
        config = simulated() if callable(simulated) else self.config
        others = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "config"}
        run = f"{type(self).__module__}.{type(self).__qualname__}"
        parts: dict[str, object] = {"run": run, "config": config, **others}
        return {name: identity(value) for name, value in sorted(parts.items())}

    def with_(self, **changes: Any) -> Self:
        """A copy with some fields changed (``run.with_(year=10)``)."""
        return replace(self, **changes)
