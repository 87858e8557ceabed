"""Options compared: simulated service performance and Green Book costs, for any service.

A service model supplies its runs (``"<option>@<year>"`` keys, one per option and simulated
demand year), its ``simulate`` function and its ``build_lines`` (:func:`compare_options`), or
it is a declared :class:`~models.service.Service` (:func:`compare_service`); this module runs
the replications on common random numbers and turns them into what every option report shows:

- service performance per option at one demand year (mean and 95 % interval per metric) and the
  paired difference of each option from the baseline;
- present value of costs per option per replication, its interval, the paired difference from
  the baseline and the probability that an option is cheaper;
- one deterministic appraisal at the mean volumes, for cash-flow charts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from models.appraisal import (
    Appraisal,
    Category,
    CostLine,
    DiscountSchedule,
    FinancialSettings,
    OptimismBias,
    Selection,
    ShouldCost,
    ShouldCostSettings,
    affordability,
    appraise,
    appraise_replications,
    as_optimism_bias,
    as_schedule,
    compare,
    financial_case,
    net_present_costs,
    optimism_bias_switch,
    risk_register,
    scale_lines,
    switching_value,
)
from models.kit.output_analysis import paired_difference, summarise
from models.kit.periods import by_run, split_run_keys
from models.kit.replications import EVERY_CORE, Replicator
from models.scenario import Scenario
from models.service import Service

__all__ = ["AppraisalInputs", "OptionComparison", "compare_options", "compare_service"]

SWITCHING_CATEGORIES = ("contract", "staff", "operating")
"""Cost categories whose switching values the reports show."""

BuildLines = Callable[[Mapping[str, Mapping[str, float]]], Sequence[CostLine]]


@dataclass(frozen=True)
class AppraisalInputs:
    """The scenario's appraisal settings in the form models.appraisal takes."""

    period_years: int
    schedule: DiscountSchedule
    optimism_bias: OptimismBias
    base_year: int
    financial: FinancialSettings = FinancialSettings()  # noqa: RUF009 (frozen)
    should_cost: ShouldCostSettings = ShouldCostSettings()  # noqa: RUF009 (frozen)

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> AppraisalInputs:
        """The scenario's appraisal settings (already the appraisal's types: as_* keep them)."""
        settings = scenario.appraisal
        return cls(
            period_years=settings.period_years,
            schedule=as_schedule(settings.discount_schedule),
            optimism_bias=as_optimism_bias(settings.optimism_bias_rules()),
            base_year=scenario.base_year,
            financial=settings.financial.settings(),
            should_cost=settings.should_cost.settings(),
        )


@dataclass(frozen=True)
class OptionComparison:
    """Everything an option report needs from the simulation and the appraisal."""

    results: pd.DataFrame
    """Tidy replications: ``replication, option, year, metric, value``."""
    performance: pd.DataFrame
    """Per option and metric at the performance year: ``mean, low, high, half_width, n``."""
    pv: pd.DataFrame
    """Present value of costs per replication: ``replication, option, pv``."""
    costs: pd.DataFrame
    """Per option: ``pv_mean, low, high, diff_mean, diff_low, diff_high, prob_cheaper``."""
    appraisal: Appraisal
    """Deterministic appraisal at the mean volumes (cash flows for charts)."""
    mean_by_run: dict[str, dict[str, float]]
    """Mean of every metric over the replications, by run key (``"in_house@1"``)."""
    lines: tuple[CostLine, ...]
    """The cost lines of every option at the mean volumes (behind ``appraisal``)."""
    inputs: AppraisalInputs
    baseline: str
    performance_year: float
    config: Any = None
    """The service's section (for its risk register), when compared as a declared service."""
    service: Service | None = None

    @property
    def preferred(self) -> str:
        """The option the reports recommend: the lowest mean present value of costs over the
        replications (after optimism bias, transfers left out)."""
        return str(self.costs.loc[self.costs["pv_mean"].idxmin(), "option"])

    # ------------------------------------------------------------------ the cases

    def financial_case(self) -> pd.DataFrame:
        """Nominal cash by option, line and year, transfers and VAT included (at the mean
        volumes; :func:`models.appraisal.financial_case`)."""
        return financial_case(
            self.lines,
            self.inputs.period_years,
            self.inputs.financial,
            optimism_bias=self.inputs.optimism_bias,
            base_year=self.inputs.base_year,
        )

    def affordability(self) -> pd.DataFrame:
        """Each option's nominal cash a year against business as usual's."""
        return affordability(self.financial_case(), self.baseline)

    def optimism_bias_derivation(self) -> pd.DataFrame:
        """The mitigation calculation of every group of lines."""
        return self.inputs.optimism_bias.derivation()

    def uplift_by_option(self) -> pd.DataFrame:
        """Per option: present value before optimism bias, the uplift and its share."""
        table = self.appraisal.present_values(self.baseline)
        table["uplift_share"] = table["optimism_bias"] / table["pv_before_ob"]
        return table

    def rests_on(self) -> tuple[list[str], list[str], float]:
        """The ranking with and without optimism bias and the scale of optimism bias at which
        the first place changes (:func:`models.appraisal.optimism_bias_switch`)."""
        return optimism_bias_switch(
            self.lines,
            period_years=self.inputs.period_years,
            schedule=self.inputs.schedule,
            optimism_bias=self.inputs.optimism_bias,
        )

    def risk_register(self) -> pd.DataFrame:
        """The section's risks under every option, with the force's and the contractor's
        shares (empty without a section)."""
        if self.config is None:
            return pd.DataFrame()
        risks = [spec.risk(name) for name, spec in self.config.risks.items()]
        options = {o: self.config.options[o].part_providers() for o in self.appraisal.options}
        today = self.config.options[self.baseline].part_providers()
        return risk_register(options, risks, today)

    def should_costs(self) -> list[ShouldCost]:
        """The should-cost of every contract of every option, at the mean volumes."""
        if self.service is None or self.service.should_cost is None or self.config is None:
            return []
        out: list[ShouldCost] = []
        for option in self.appraisal.options:
            volumes = self.service.yearly_volumes(
                self.mean_by_run, option, self.config, self.inputs.period_years
            )
            found = self.service.should_cost(self.config, option, volumes, self.inputs.should_cost)
            out.extend(replace(sc, option=option) for sc in found)
        return out

    def sensitivity(self, categories: Sequence[str] = SWITCHING_CATEGORIES) -> pd.DataFrame:
        """Per option other than the baseline, at the mean volumes: the PV difference from the
        baseline as stated and with no optimism bias, and the switching value of each of its
        main cost categories (the factor on that category's lines at which the option would
        cost the same as the baseline; below 0: no factor would)."""
        settings = {
            "period_years": self.inputs.period_years,
            "schedule": self.inputs.schedule,
        }
        stated = net_present_costs(self.lines, optimism_bias=self.inputs.optimism_bias, **settings)
        bare = net_present_costs(self.lines, optimism_bias=None, **settings)
        rows = []
        for option in stated:
            if option == self.baseline:
                continue
            row: dict[str, Any] = {
                "option": option,
                "difference": stated[option] - stated[self.baseline],
                "difference_without_optimism_bias": bare[option] - bare[self.baseline],
            }
            for category in categories:
                selection = Selection(category=Category(category), options=(option,))
                try:
                    row[category] = switching_value(
                        self.lines,
                        option,
                        selection,
                        baseline=self.baseline,
                        optimism_bias=self.inputs.optimism_bias,
                        **settings,
                    )
                except ValueError:
                    row[category] = float("nan")
            rows.append(row)
        return pd.DataFrame(rows)

    def at_should_cost(self) -> pd.DataFrame:
        """Per option, at the mean volumes: the present value as appraised and with every
        contract priced at its should-cost instead (its charges, the line named as the contract,
        scaled by should-cost / price),
        and each one's difference from business as usual (repriced alike): would the ranking
        survive prices that cover the work?"""
        lines = list(self.lines)
        for cost in self.should_costs():
            selection = Selection(line=cost.contract, options=(cost.option,))
            priced = any(selection.matches(line) for line in lines)
            if priced and math.isfinite(cost.ratio) and cost.ratio > 0:
                lines = scale_lines(lines, selection, 1.0 / cost.ratio)
        settings = {
            "period_years": self.inputs.period_years,
            "schedule": self.inputs.schedule,
            "optimism_bias": self.inputs.optimism_bias,
        }
        stated = net_present_costs(self.lines, **settings)
        repriced = net_present_costs(lines, **settings)
        rows = [
            {
                "option": option,
                "pv": stated[option],
                "difference": stated[option] - stated[self.baseline],
                "pv_at_should_cost": repriced[option],
                "difference_at_should_cost": repriced[option] - repriced[self.baseline],
            }
            for option in stated
        ]
        return pd.DataFrame(rows)

    def difference(self, metric: str, option: str) -> Any:
        """Paired interval of ``option`` minus the baseline on a performance metric."""
        at_year = self.results[self.results["year"] == self.performance_year]
        return paired_difference(at_year, metric, option, self.baseline)


def compare_options(
    simulate: Callable[[Any, Any], Mapping[str, float]],
    runs: Mapping[str, Any],
    build_lines: BuildLines,
    inputs: AppraisalInputs,
    *,
    replications: int,
    seed: int,
    runner: Replicator = EVERY_CORE,
    baseline: str,
    performance_year: float = 1,
    description: str = "",
    config: Any = None,
    service: Service | None = None,
) -> OptionComparison:
    """Run every option at every simulated demand year (by ``runner``, with a progress bar
    labelled ``description``) and compare them (see module notes)."""
    raw = runner.run(
        simulate,
        runs,
        replications=replications,
        seed=seed,
        description=description,
        progress=True,
    )
    results = split_run_keys(raw)
    at_year = results[results["year"] == performance_year].drop(columns="year")
    performance = summarise(at_year)
    pv = appraise_replications(
        build_lines,
        raw,
        period_years=inputs.period_years,
        schedule=inputs.schedule,
        optimism_bias=inputs.optimism_bias,
    )
    costs = compare(pv, baseline=baseline)
    means = raw.groupby(["option", "metric"], sort=False)["value"].mean().reset_index()
    mean_by_run = by_run(means)
    lines = tuple(build_lines(mean_by_run))
    appraisal = appraise(
        lines,
        inputs.period_years,
        inputs.schedule,
        inputs.optimism_bias,
        base_year=inputs.base_year,
    )
    return OptionComparison(
        results=results,
        performance=performance,
        pv=pv,
        costs=costs,
        appraisal=appraisal,
        mean_by_run=mean_by_run,
        lines=lines,
        inputs=inputs,
        baseline=baseline,
        performance_year=performance_year,
        config=config,
        service=service,
    )


def compare_service(
    service: Service,
    scenario: Scenario,
    *,
    replications: int,
    seed: int | None = None,
    runner: Replicator = EVERY_CORE,
    options: Sequence[str] | None = None,
    levels: int = 2,
    performance_year: float = 1,
    description: str = "",
    **overrides: Any,
) -> OptionComparison:
    """Every option (or ``options``) of ``service`` on ``scenario``, compared with the
    section's business-as-usual option; ``seed`` defaults to the scenario's and ``overrides``
    (``warmup_days``...) go to the service's runs; ``runner`` runs the replications."""
    config = service.section(scenario)
    if config is None:
        raise ValueError(f"the scenario has no {service.name} section")
    inputs = AppraisalInputs.from_scenario(scenario)
    runs = service.appraisal_runs(
        config, inputs.period_years, options=options, levels=levels, **overrides
    )
    return compare_options(
        service.simulate,
        runs,
        service.build_lines(config, inputs.period_years, options),
        inputs,
        replications=replications,
        seed=scenario.seed if seed is None else seed,
        runner=runner,
        baseline=service.business_as_usual(config),
        performance_year=performance_year,
        description=description,
        config=config,
        service=service,
    )
