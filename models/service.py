"""What a service is: one declaration that the comparison, back-tests, contract tests and
benchmarks use, so none of them names a service.

A service package declares one :class:`Service` (e.g. ``models/recovery/service.py``): its name,
its scenario section and config type, its run class and ``simulate``, a trace for charts, the
volumes its cost lines use, its cost lines, its verification, its key metrics and its unit cost.
Everything a service used to wire to the kit by hand (demand years, run keys, yearly volumes,
the assembly of cost lines, the interpolation check) is written once here, as methods.
Nothing here imports :mod:`models.scenario`, so the scenario schema may import the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib import import_module
from operator import attrgetter
from typing import Any, Literal, get_args, get_origin

import pandas as pd

from models.appraisal import CostLine
from models.costing import (
    Volumes,
    annual_recurring_cost,
    levelised_cost,
    option_lines,
    replication_lines,
)
from models.kit import periods
from models.kit.checks import verification_table
from models.kit.replications import IN_PROCESS, Replicator
from models.kit.runs import ServiceRun
from models.kit.streams import Streams

__all__ = ["KeyMetric", "Service", "UnitCost"]

Runs = Mapping[str, Mapping[str, float]]
"""One replication's ``{run key: {metric: value}}``."""


def _no_standard(_config: Any) -> float | None:
    return None


@dataclass(frozen=True)
class KeyMetric:
    """A headline metric of a service: how reports label it and what it is judged against."""

    name: str
    label: str
    unit: str
    """``share``, ``hours``, ``minutes``, ``vehicles``, ``per year``, ``pounds a year``..."""
    direction: Literal["higher", "lower"]
    """Which way is better."""
    standard: Callable[[Any], float | None] = _no_standard
    """The service standard (from the section) it is judged against, or ``None``."""

    @classmethod
    def judged(
        cls, name: str, label: str, unit: str, direction: Literal["higher", "lower"], standard: str
    ) -> KeyMetric:
        """A key metric judged against the section's ``standard.<standard>`` field."""
        return cls(name, label, unit, direction, attrgetter(f"standard.{standard}"))

    def meets(self, config: Any, value: float) -> bool | None:
        """Whether ``value`` meets the standard (``None``: there is no standard)."""
        target = self.standard(config)
        if target is None:
            return None
        return value >= target if self.direction == "higher" else value <= target


@dataclass(frozen=True)
class UnitCost:
    """A service's levelised unit cost: PV of an option's costs / PV of one of its volumes."""

    label: str
    """e.g. ``"cost per vehicle recovered"``."""
    volume: str
    """The volume metric counted (e.g. ``"jobs_per_year"``)."""
    leave_out: tuple[str, ...] = ()
    """Cost lines (by name) left out, e.g. capital the same under every option."""

    def __call__(
        self,
        lines: Iterable[CostLine],
        volumes: Volumes,
        period_years: int,
        *,
        include_income: bool = False,
        leave_out: Iterable[str] | None = None,
    ) -> float:
        """The unit cost of ``lines`` over ``volumes[self.volume]`` (income left out unless
        ``include_income``; ``leave_out`` overrides :attr:`leave_out`)."""
        dropped = set(self.leave_out if leave_out is None else leave_out)
        kept = [line for line in lines if line.name not in dropped]
        units = volumes[self.volume]
        return levelised_cost(kept, units, period_years, include_income=include_income)


@dataclass(frozen=True)
class Service:
    """A declared service. Callables are module-level functions, so a Service pickles."""

    name: str
    """Key of the service (``recovery``), its package and its scenario section."""
    title: str
    config_type: type
    """The section's pydantic model (a :class:`models.section.ServiceSection`)."""
    run_class: Callable[..., Any]
    """The run of one option at one demand level (a :class:`models.kit.runs.ServiceRun`)."""
    simulate: Callable[[Any, Streams], dict[str, float]]
    trace: Callable[[Any, Streams], Any]
    """Time series of one run, for charts."""
    volume_metrics: Callable[[Any, str], Sequence[str]]
    """``volume_metrics(config, option)``: the annual volumes the cost lines use."""
    cost_lines: Callable[[Any, str, Volumes, int], list[CostLine]]
    """``cost_lines(config, option, volumes, period_years)``."""
    checks: tuple[Callable[..., Any], ...]
    """The model against queueing theory: checks made by :func:`models.kit.checks.analytic_check`
    (each ``check(*, replications=, seed=, runner=)``); see :meth:`verify`."""
    key_metrics: tuple[KeyMetric, ...]
    unit_cost: UnitCost
    interpolation_metrics: tuple[str, ...]
    """Metrics the interpolation check compares by default."""
    quick: Mapping[str, float] = field(default_factory=dict)
    """Period overrides of a short run (tests, ``--quick``)."""
    unobserved_is_zero: bool = False
    """A volume a run left out (nothing observed) counts as zero instead of being an error."""
    should_cost: Callable[[Any, str, Volumes, Any], list[Any]] | None = None
    """``should_cost(config, option, volumes, settings)``: the
    :class:`models.appraisal.ShouldCost` of each contract of ``option`` (none: not modelled)."""
    deterministic_checks: tuple[Callable[..., Any], ...] = ()
    """Checks with an exact answer and no replications (``check(*, seed=, runner=)``)."""

    @classmethod
    def declare(cls, run_class: type, title: str, **declared: Any) -> Service:
        """The service of ``run_class`` (a :class:`models.kit.runs.ServiceRun`): named by its
        ``service``, its config type the run's first type argument, and its ``simulate`` and
        ``trace``, ``volume_metrics`` and ``cost_lines`` the module-level functions of those
        names in the ``model``, ``costs`` and ``verification`` modules of the run class's package
        (and ``should_cost`` if one of them has it), ``checks`` the verification module's
        ``CHECKS`` (and ``deterministic_checks`` its ``DETERMINISTIC_CHECKS``, if any);
        ``declared`` gives the rest."""
        name = run_class.service
        (config_type, _spec) = next(
            get_args(base) for base in run_class.__orig_bases__ if get_origin(base) is ServiceRun
        )
        package = run_class.__module__.rpartition(".")[0]
        modules = [import_module(f"{package}.{m}") for m in ("model", "costs", "verification")]
        found = {}
        for attribute in ("simulate", "trace", "volume_metrics", "cost_lines"):
            owners = {id(f): f for m in modules if (f := getattr(m, attribute, None)) is not None}
            if len(owners) != 1:
                raise ValueError(f"service {name!r}: {len(owners)} parts define {attribute}")
            found[attribute] = next(iter(owners.values()))
        for attribute in ("should_cost",):
            owners = {id(f): f for m in modules if (f := getattr(m, attribute, None)) is not None}
            if len(owners) > 1:
                raise ValueError(f"service {name!r}: {len(owners)} parts define {attribute}")
            if owners and attribute not in declared:
                found[attribute] = next(iter(owners.values()))
        verification = modules[2]
        found["checks"] = tuple(verification.CHECKS)
        found["deterministic_checks"] = tuple(getattr(verification, "DETERMINISTIC_CHECKS", ()))
        return cls(
            name=name,
            title=title,
            config_type=config_type,
            run_class=run_class,
            **found,
            **declared,
        )

    def verify(
        self,
        *,
        replications: int | None = None,
        seed: int = 2013,
        runner: Replicator = IN_PROCESS,
    ) -> pd.DataFrame:
        """Every check, one row each (the report's verification appendix), run by ``runner``:
        ``replications=None`` uses each check's own default, chosen so that its interval is
        narrow enough for its tolerance."""
        return verification_table(
            self.checks,
            replications=replications,
            seed=seed,
            runner=runner,
            deterministic=self.deterministic_checks,
        )

    # ------------------------------------------------------------------ the section

    def section(self, scenario: Any) -> Any:
        """The scenario's section of this service (``None`` if it has none)."""
        return getattr(scenario, self.name, None)

    def business_as_usual(self, config: Any) -> str:
        """The option the others are compared with."""
        return config.business_as_usual

    # ------------------------------------------------------------------ runs

    def demand_years(self, config: Any, period_years: int, levels: int = 2) -> tuple[int, ...]:
        """Operating years whose demand is simulated (:func:`models.kit.periods.demand_years`)."""
        return periods.demand_years(period_years, levels, growth=config.demand_growth)

    def appraisal_runs(
        self,
        config: Any,
        period_years: int,
        *,
        options: Iterable[str] | None = None,
        years: Sequence[float] | None = None,
        levels: int = 2,
        **overrides: Any,
    ) -> dict[str, Any]:
        """Every option at every simulated demand year, keyed ``"<option>@<year>"``;
        ``overrides`` (``warmup_days``, ``window_days``...) go to the run class."""
        simulated = self.demand_years(config, period_years, levels) if years is None else years
        return periods.appraisal_runs(
            self.run_class, config, tuple(simulated), options=options, **overrides
        )

    def performance_runs(
        self,
        config: Any,
        *,
        year: float = 1,
        options: Iterable[str] | None = None,
        **overrides: Any,
    ) -> dict[str, Any]:
        """One run per option at one demand year, keyed by the option's name."""
        return periods.performance_runs(
            self.run_class, config, year=year, options=options, **overrides
        )

    # ------------------------------------------------------------------ volumes and costs

    def all_volume_metrics(self, config: Any, options: Iterable[str]) -> list[str]:
        """The volumes the cost lines of any of ``options`` use, sorted."""
        return sorted({m for option in options for m in self.volume_metrics(config, option)})

    def yearly_volumes(
        self,
        runs: Runs,
        option: str,
        config: Any,
        period_years: int,
        metrics: Iterable[str] | None = None,
    ) -> dict[str, Any]:
        """Annual volumes of ``option`` for years ``0 .. N`` from one replication's results,
        interpolated linearly in the demand level (default: its :attr:`volume_metrics`)."""
        wanted = tuple(self.volume_metrics(config, option) if metrics is None else metrics)
        if self.unobserved_is_zero:
            runs = {key: {m: values.get(m, 0.0) for m in wanted} for key, values in runs.items()}
        return periods.yearly_volumes(runs, option, config.demand_factor, period_years, wanted)

    def build_lines(
        self, config: Any, period_years: int, options: Iterable[str] | None = None
    ) -> Callable[[Runs], list[CostLine]]:
        """``build_lines`` for :func:`models.appraisal.appraise_replications`: one
        replication's results to the cost lines of every option, volumes interpolated."""
        chosen = list(config.options) if options is None else list(options)
        return replication_lines(
            chosen,
            partial(self._volumes_of, config, period_years),
            partial(self._lines_of, config, period_years),
        )

    def _volumes_of(self, config: Any, period_years: int, runs: Runs, option: str) -> Volumes:
        return self.yearly_volumes(runs, option, config, period_years)

    def _lines_of(
        self, config: Any, period_years: int, option: str, volumes: Volumes
    ) -> list[CostLine]:
        return self.lines(config, option, volumes, period_years)

    def lines(
        self, config: Any, option: str, volumes: Volumes, period_years: int
    ) -> list[CostLine]:
        """Every cost line of ``option``: the service's own (:attr:`cost_lines`) and those
        every option has (client function, transition, re-lets, disposals, priced risks:
        :func:`models.costing.option_lines`)."""
        return [
            *self.cost_lines(config, option, volumes, period_years),
            *option_lines(config, option, period_years),
        ]

    def annual_net_cost(self, config: Any, option: str, volumes: Mapping[str, float]) -> float:
        """Recurring net cost of one operating year at these volumes (one-offs left out)."""
        if self.unobserved_is_zero:
            volumes = {m: volumes.get(m, 0.0) for m in self.volume_metrics(config, option)}
        return annual_recurring_cost(self.lines(config, option, volumes, 1))

    def interpolation_check(
        self,
        config: Any,
        period_years: int,
        *,
        replications: int,
        seed: int,
        options: Iterable[str] | None = None,
        levels: int = 2,
        metrics: Iterable[str] | None = None,
        runner: Replicator = IN_PROCESS,
        **overrides: Any,
    ) -> pd.DataFrame:
        """Is interpolation between demand levels sound? Simulate the year furthest from the
        simulated ones too, by ``runner`` (:func:`models.kit.periods.interpolation_check`)."""
        return periods.service_interpolation_check(
            self.simulate,
            self.run_class,
            config,
            period_years,
            simulated_years=self.demand_years(config, period_years, levels),
            demand_factor=config.demand_factor,
            metrics=self.interpolation_metrics if metrics is None else metrics,
            volume_metrics=partial(self.all_volume_metrics, config),
            net_cost=partial(self.annual_net_cost, config),
            replications=replications,
            seed=seed,
            options=options,
            runner=runner,
            **overrides,
        )
