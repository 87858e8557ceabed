"""The portfolio appraised: the services together, and each bundle as one more option.

The services of a scenario are simulated apart, each on its own common random numbers; their
replication ``r`` are independent draws, so the sum over services of replication ``r`` is one
replication of the whole portfolio. On those sums this module compares, paired by replication
(:func:`models.appraisal.compare`):

- **business as usual**: every service as it is delivered today;
- **the preferred combination**: every service under its own preferred option (the lowest mean
  present value of costs, :attr:`models.comparison.OptionComparison.preferred`);
- **each bundle**: its services under the bundle (:mod:`models.portfolio.bundles`), priced from
  the same replication's simulated volumes, and every other service under its preferred option.

Present values are real, discounted at the scenario's schedule and after optimism bias by who
provides each line (Green Book 2018 paras 5.61-5.64 and A6.1 on discounting); transfers stay out
(para 6.7). A bundle's break-even discount is the discount at which it would cost the same as
the preferred combination: the bundle's present value is linear in its discount, so two
pricings give it exactly (a switching value, para 5.76).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from models.appraisal import CostLine, compare, net_present_costs
from models.comparison import AppraisalInputs, OptionComparison
from models.kit.periods import run_key
from models.portfolio.bundles import bundle_lines, client_functions, shared_client_function

__all__ = ["BUSINESS_AS_USUAL", "PREFERRED", "Portfolio", "ServiceCase", "appraise_portfolio"]

BUSINESS_AS_USUAL = "business_as_usual"
PREFERRED = "preferred"
BUNDLE_PREFIX = "bundle:"


@dataclass(frozen=True)
class ServiceCase:
    """One service of the portfolio: its name and its options compared."""

    name: str
    comparison: OptionComparison

    @property
    def preferred(self) -> str:
        return self.comparison.preferred

    @property
    def baseline(self) -> str:
        return self.comparison.baseline


@dataclass(frozen=True)
class Bundle:
    """What the appraisal needs of a bundle (the scenario's ``portfolio.bundles.<name>``)."""

    name: str
    label: str
    options: Mapping[str, str]
    discount: float
    client_function_cost: float
    client_function_growth: float = 0.0

    @classmethod
    def from_settings(cls, name: str, settings: Any) -> Bundle:
        return cls(
            name=name,
            label=settings.label,
            options=dict(settings.options),
            discount=settings.discount,
            client_function_cost=settings.client_function.annual_cost,
            client_function_growth=settings.client_function.real_growth,
        )

    @property
    def key(self) -> str:
        return BUNDLE_PREFIX + self.name


@dataclass(frozen=True)
class Portfolio:
    """The portfolio's options compared on the replications every service has."""

    cases: tuple[ServiceCase, ...]
    bundles: tuple[Bundle, ...]
    pv: pd.DataFrame
    """``replication, option, pv`` for business as usual, the preferred combination and each
    bundle (the bundle key is ``bundle:<name>``)."""
    costs: pd.DataFrame
    """:func:`models.appraisal.compare` of ``pv`` against business as usual."""
    against_preferred: pd.DataFrame
    """The same, against the preferred combination (is a bundle worth it?)."""
    breakeven: dict[str, float] = field(default_factory=dict)
    """Bundle key -> the discount at which it costs the same as the preferred combination
    (NaN when its present value does not depend on the discount)."""

    @property
    def replications(self) -> int:
        return int(self.costs["n"].iloc[0])

    @property
    def preferred(self) -> str:
        """The portfolio option with the lowest mean present value."""
        return str(self.costs.loc[self.costs["pv_mean"].idxmin(), "option"])

    def members(self, option: str) -> dict[str, str]:
        """Service -> the option it is delivered under in portfolio ``option``."""
        if option == BUSINESS_AS_USUAL:
            return {case.name: case.baseline for case in self.cases}
        chosen = {case.name: case.preferred for case in self.cases}
        return chosen | dict(self.bundle(option).options) if self.is_bundle(option) else chosen

    def is_bundle(self, option: str) -> bool:
        return any(bundle.key == option for bundle in self.bundles)

    def bundle(self, option: str) -> Bundle:
        """The bundle whose key is ``option``."""
        (found,) = [bundle for bundle in self.bundles if bundle.key == option]
        return found


def appraise_portfolio(cases: Sequence[ServiceCase], bundles: Sequence[Bundle] = ()) -> Portfolio:
    """Business as usual, the preferred combination and every bundle, per replication."""
    if not cases:
        raise ValueError("a portfolio needs at least one service")
    by_name = {case.name: case for case in cases}
    for bundle in bundles:
        missing = [s for s in bundle.options if s not in by_name]
        if missing:
            raise ValueError(f"bundle {bundle.name}: no comparison of {', '.join(missing)}")
    wide = {case.name: _wide(case.comparison.pv) for case in cases}
    common = sorted(set.intersection(*(set(frame.index) for frame in wide.values())))
    if not common:
        raise ValueError("the services share no replication")
    bau = sum(wide[c.name].loc[common, c.baseline].to_numpy() for c in cases)
    chosen = {c.name: wide[c.name].loc[common, c.preferred].to_numpy() for c in cases}
    preferred = sum(chosen.values())
    columns: dict[str, np.ndarray] = {BUSINESS_AS_USUAL: bau, PREFERRED: preferred}
    breakeven: dict[str, float] = {}
    inputs = cases[0].comparison.inputs
    for bundle in bundles:
        members = _members(bundle, by_name, common)
        others = sum(v for s, v in chosen.items() if s not in bundle.options)
        stated = others + _bundle_pv(bundle, members, inputs, bundle.discount)
        columns[bundle.key] = stated
        breakeven[bundle.key] = _breakeven(bundle, members, inputs, others, stated, preferred)
    pv = pd.DataFrame(
        [
            (replication, option, float(values[i]))
            for option, values in columns.items()
            for i, replication in enumerate(common)
        ],
        columns=["replication", "option", "pv"],
    )
    return Portfolio(
        cases=tuple(cases),
        bundles=tuple(bundles),
        pv=pv,
        costs=compare(pv, baseline=BUSINESS_AS_USUAL),
        against_preferred=compare(pv, baseline=PREFERRED),
        breakeven=breakeven,
    )


def _wide(pv: pd.DataFrame) -> pd.DataFrame:
    return pv.pivot(index="replication", columns="option", values="pv")


Members = list[dict[str, list[CostLine]]]
"""Per replication, each bundled service's own cost lines of its bundled option."""


def _members(
    bundle: Bundle, cases: Mapping[str, ServiceCase], replications: Sequence[int]
) -> Members:
    """Each replication's own lines of every bundled service, built once: the discount only
    scales them."""
    built = {}
    for service, option in bundle.options.items():
        comparison = cases[service].comparison
        build = comparison.service.build_lines(
            comparison.config, comparison.inputs.period_years, [option]
        )
        runs = _runs_by_replication(comparison, option)
        built[service] = [build(runs[replication]) for replication in replications]
    return [{s: built[s][i] for s in built} for i in range(len(replications))]


def _bundle_pv(
    bundle: Bundle, members: Members, inputs: AppraisalInputs, discount: float
) -> np.ndarray:
    """Present value of the bundled services, per replication, at ``discount``."""
    out = np.zeros(len(members))
    for i, own in enumerate(members):
        lines, dropped = [], []
        for service, service_lines in own.items():
            dropped += client_functions(service_lines)
            lines += bundle_lines(service_lines, bundle.key, service=service, discount=discount)
        lines.append(
            shared_client_function(
                bundle.key,
                dropped,
                annual_cost=bundle.client_function_cost,
                real_growth=bundle.client_function_growth,
                period_years=inputs.period_years,
            )
        )
        out[i] = net_present_costs(
            lines, inputs.period_years, inputs.schedule, inputs.optimism_bias
        )[bundle.key]
    return out


def _breakeven(
    bundle: Bundle,
    members: Members,
    inputs: AppraisalInputs,
    others: np.ndarray | float,
    stated: np.ndarray,
    preferred: np.ndarray,
) -> float:
    """The discount at which the bundle's mean present value equals the preferred
    combination's (linear in the discount: found from two pricings)."""
    probe = bundle.discount if bundle.discount > 0 else 0.1
    at_zero = others + _bundle_pv(bundle, members, inputs, 0.0)
    at_probe = (
        stated if bundle.discount > 0 else others + _bundle_pv(bundle, members, inputs, probe)
    )
    slope = float(np.mean(at_zero - at_probe)) / probe
    if slope <= 0:
        return float("nan")
    return float(np.mean(at_zero - preferred)) / slope


def _runs_by_replication(
    comparison: OptionComparison, option: str
) -> dict[int, dict[str, dict[str, float]]]:
    """``{replication: {run key: {metric: value}}}`` of ``option``'s simulated runs."""
    rows = comparison.results[comparison.results["option"] == option]
    out: dict[int, dict[str, dict[str, float]]] = {}
    for (replication, year), group in rows.groupby(["replication", "year"], sort=True):
        runs = out.setdefault(int(replication), {})
        runs[run_key(option, float(year))] = dict(
            zip(group["metric"], group["value"].astype(float), strict=True)
        )
    return out
