"""The report context: what one option report runs, decided once from the notebook's parameters.

Every service notebook builds a :class:`ReportContext` from its four parameters and the name of
its service, so the run policy (replications, simulated period, warm-up, worker processes, the
replications of the method sections) is written here once, for every report:

- a full run simulates the section's representative period (``<section>.period``) with
  ``run.replications`` replications;
- a quick run (``--quick``) keeps ``run.quick_horizon_days`` after a ``run.warmup_days``
  warm-up, each no longer than the section's own period (a quick run is never longer than a
  full one), with ``run.quick_replications`` replications;
- an explicit ``replications`` parameter overrides either count.

Every run of the report goes to one :class:`~models.kit.engine.Engine` (the process pool, or a
Dask cluster named by the ``dask`` parameter), held open for the kernel's life, and through the
result cache named by ``WORKBOOK_CACHE`` (:meth:`ResultCache.from_environment`), when there is
one; neither changes a number.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from models.comparison import AppraisalInputs, OptionComparison, compare_service
from models.kit.cache import ResultCache
from models.kit.engine import Engine
from models.kit.replications import Replicator
from models.kit.streams import Streams
from models.registry import SERVICES, Registry
from models.scenario import Scenario, load_scenario
from models.service import Service

__all__ = ["PERFORMANCE_YEAR", "MethodReplications", "ReportContext", "cache_note"]

PERFORMANCE_YEAR = 1
"""Demand year of the performance tables and charts (year 1 of the appraisal)."""


def cache_note(cache: ResultCache | None) -> str:
    """The sentence a report prints about the result cache, e.g. "412 of 420 simulated runs
    came from the result cache." (counted by ``cache`` over this kernel's runs)."""
    if cache is None:
        return "The result cache was off: every run was simulated."
    looked_up = cache.hits + cache.misses
    if looked_up == 0:
        return "The result cache was on; no result went through it."
    return (
        f"{cache.hits} of the {looked_up} results looked up (simulated runs, comparisons, "
        "studies) came from the result cache; the rest were computed for this report."
    )


@dataclass(frozen=True)
class MethodReplications:
    """Replications of the method sections (warm-up evidence, interpolation check,
    verification): evidence about the method, so fewer than the comparison's, and the same
    for every service."""

    warmup: int
    interpolation: int
    verification: int | None
    """``None``: the verification's own default."""

    @classmethod
    def for_run(cls, quick: bool) -> MethodReplications:
        """The policy of a quick or a full run."""
        return cls(warmup=3, interpolation=2, verification=4) if quick else cls(5, 5, None)


@dataclass(frozen=True)
class ReportContext:
    """One report's scenario, service and run policy (see the module notes)."""

    scenario: Scenario
    service: Service
    config: Any
    """The scenario's section of the service."""
    quick: bool
    replications: int
    warmup_days: float
    """Warm-up simulated and discarded before each replication's observed window."""
    window_days: float
    """Days observed per replication."""
    method: MethodReplications
    jobs: int | None
    labels: Mapping[str, str]
    """Short option names for tables and charts, in the section's order."""
    baseline: str
    """The business-as-usual option, from the section."""
    period_years: int
    started: datetime
    engine: Engine
    """Where the replications run (its ``label`` goes in the provenance)."""
    cache: ResultCache | None
    """The result cache, or ``None`` when it is off."""

    @classmethod
    def from_parameters(
        cls,
        scenario: str | os.PathLike[str] | Scenario,
        replications: int | None,
        quick: bool,
        jobs: int | None,
        service_name: str,
        *,
        registry: Registry = SERVICES,
        dask: str | None = None,
    ) -> ReportContext:
        """The context of a report on ``service_name`` from the notebook's parameters;
        refuses, in one line, an unknown service or a scenario without its section. ``dask``
        (``None``, ``"local:N"`` or a scheduler address) chooses the engine, opened for the
        kernel's life (:meth:`Engine.open_for_kernel`); the cache is ``WORKBOOK_CACHE``'s."""
        started = datetime.now()
        loaded = (
            load_scenario(scenario, registry=registry)
            if isinstance(scenario, str | os.PathLike)
            else scenario
        )
        if service_name not in registry:
            raise ValueError(f"no service {service_name!r} (services: {', '.join(registry.names)})")
        service = registry[service_name]
        config = service.section(loaded)
        if config is None:
            raise ValueError(
                f"{loaded.source.name} has no {service_name!r} section: nothing to appraise"
            )
        run = loaded.run
        period = config.period
        engine = Engine.open_for_kernel(dask, jobs)
        return cls(
            scenario=loaded,
            service=service,
            config=config,
            quick=bool(quick),
            replications=replications or (run.quick_replications if quick else run.replications),
            warmup_days=min(run.warmup_days, period.warmup_days) if quick else period.warmup_days,
            window_days=min(run.quick_horizon_days, period.window_days)
            if quick
            else period.window_days,
            method=MethodReplications.for_run(bool(quick)),
            jobs=jobs,
            labels=MappingProxyType(
                {name: name.replace("_", "-").capitalize() for name in config.options}
            ),
            baseline=service.business_as_usual(config),
            period_years=AppraisalInputs.from_scenario(loaded).period_years,
            started=started,
            engine=engine,
            cache=ResultCache.from_environment(),
        )

    # ------------------------------------------------------------------ derived

    @property
    def seed(self) -> int:
        """The scenario's seed (every run of the report draws from it)."""
        return self.scenario.seed

    @property
    def title(self) -> str:
        """The report's title."""
        return f"{self.service.title}: options appraisal"

    @property
    def options(self) -> list[str]:
        """Every option, in the section's order."""
        return list(self.config.options)

    @property
    def others(self) -> list[str]:
        """The options other than the business-as-usual one."""
        return [option for option in self.config.options if option != self.baseline]

    @property
    def replicator(self) -> Replicator:
        """What runs every study of this report: the engine's workers and executor, and the
        cache."""
        return self.engine.replicator(self.cache)

    def cache_note(self) -> str:
        """The sentence the report prints about the result cache (:func:`cache_note`)."""
        return cache_note(self.cache)

    @property
    def overrides(self) -> dict[str, float]:
        """The simulated period every run of this report uses (to the service's run class)."""
        return {"warmup_days": self.warmup_days, "window_days": self.window_days}

    # ------------------------------------------------------------------ runs

    def compare(self) -> OptionComparison:
        """Every option compared with the business-as-usual one, on common random numbers;
        the whole comparison comes from the result cache when an unchanged scenario is run
        again (a changed one still finds every simulated run it shares there)."""

        def compute() -> OptionComparison:
            return compare_service(
                self.service,
                self.scenario,
                replications=self.replications,
                runner=self.replicator,
                performance_year=PERFORMANCE_YEAR,
                description=self.service.name,
                **self.overrides,
            )

        if self.cache is None:
            return compute()
        parts = (
            "comparison",
            self.service.name,
            self.scenario.model_dump(mode="json"),
            self.replications,
            self.overrides,
            PERFORMANCE_YEAR,
        )
        return self.cache.memo(parts, compute)

    def traces(self) -> dict[str, Any]:
        """One simulated period of every option at the performance year (replication 0), for
        the charts of a single run: the same demand under every option (from the result cache
        when it holds them)."""
        runs = self.service.performance_runs(self.config, year=PERFORMANCE_YEAR, **self.overrides)
        return {option: self._trace(run) for option, run in runs.items()}

    def _trace(self, run: Any) -> Any:
        # A fresh Streams per option: streams are stateful, and each option must see the same
        # draws (common random numbers).
        def compute() -> Any:
            return self.service.trace(run, Streams(self.seed, 0))

        if self.cache is None:
            return compute()
        return self.cache.memo(("trace", self.service.trace, run, self.seed, 0), compute)

    def interpolation_check(self) -> Any:
        """The interpolation check between demand levels, with this report's run policy."""
        return self.service.interpolation_check(
            self.config,
            self.period_years,
            replications=self.method.interpolation,
            seed=self.seed,
            runner=self.replicator,
            **self.overrides,
        )

    def verification(self) -> Any:
        """The service model against queueing theory, with this report's run policy."""
        return self.service.verify(
            replications=self.method.verification, seed=self.seed, runner=self.replicator
        )
