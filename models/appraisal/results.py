"""Present values of costs per option: one appraisal, one per replication, and the comparison.

This is the economic case: each option's lines are uplifted for optimism bias (computed from
the un-uplifted values every time) and discounted to a present value of costs (net present cost,
NPC); transfers between parties (service credits, redundancy payments, statutory charges) use
no resources and are left out (Green Book 2018 paras 6.7-6.9), to appear in the financial case
(:mod:`models.appraisal.financial`). The option with the lowest NPC is cheapest; differences are
reported against the baseline, the service's business as usual, which the Green Book shortlist
always keeps. With simulated volumes, one appraisal per replication gives paired differences on
common random numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.appraisal.cost_lines import CostLine
from models.appraisal.discounting import (
    GREEN_BOOK,
    DiscountSchedule,
    ScheduleLike,
    as_schedule,
    discount_factors,
)
from models.appraisal.optimism_bias import OptimismBias, OptimismBiasLike, as_optimism_bias
from models.kit.output_analysis import confidence_interval

__all__ = [
    "Appraisal",
    "ReplicationVolumes",
    "appraise",
    "appraise_replications",
    "compare",
    "economic_lines",
    "net_present_costs",
]


def economic_lines(lines: Sequence[CostLine]) -> list[CostLine]:
    """The lines of the economic case: every line but the transfers."""
    return [line for line in lines if not line.transfer]


def _check_lines(lines: Sequence[CostLine]) -> tuple[str, ...]:
    """Options in order of first appearance; error on an empty list or a duplicated line."""
    if not lines:
        raise ValueError("no cost lines to appraise")
    seen: set[tuple[str, str]] = set()
    options: dict[str, None] = {}
    for line in lines:
        key = (line.option, line.name)
        if key in seen:
            raise ValueError(f"cost line {line.name!r} appears twice for option {line.option!r}")
        seen.add(key)
        options[line.option] = None
    return tuple(options)


def _arrays(
    lines: Sequence[CostLine], period_years: int, optimism_bias: OptimismBias
) -> tuple[np.ndarray, np.ndarray]:
    """(values, uplift fractions): a lines x years matrix before uplift, and one uplift per line."""
    if not lines:  # every line a transfer: nothing in the economic case
        return np.zeros((0, period_years + 1)), np.zeros(0)
    values = np.vstack([line.array(period_years) for line in lines])
    uplifts = np.array([optimism_bias.uplift(line) for line in lines])
    return values, uplifts


def net_present_costs(
    lines: Sequence[CostLine],
    period_years: int,
    schedule: ScheduleLike = GREEN_BOOK,
    optimism_bias: OptimismBiasLike = None,
) -> dict[str, float]:
    """Present value of costs (after optimism bias) per option, transfers left out: the fast
    path of ``appraise``."""
    options = _check_lines(lines)
    lines = economic_lines(lines)
    values, uplifts = _arrays(lines, period_years, as_optimism_bias(optimism_bias))
    per_line = (values * discount_factors(period_years, schedule)).sum(axis=1) * (1.0 + uplifts)
    totals = dict.fromkeys(options, 0.0)
    for line, pv in zip(lines, per_line, strict=True):
        totals[line.option] += float(pv)
    return totals


@dataclass(frozen=True, eq=False)
class Appraisal:
    """Result of :func:`appraise`.

    ``cash_flows`` is tidy, one row per option, line (transfers left out) and year ``0 ..
    period_years``, columns: ``option, line, category, provider, year, calendar_year`` (when a
    base year is given), ``value`` (real cost before optimism bias), ``optimism_bias`` (the
    uplift amount), ``total`` (value + uplift), ``discount_factor`` and ``discounted`` (total x
    factor). The present value of costs of an
    option is the sum of its ``discounted`` column.
    """

    cash_flows: pd.DataFrame
    options: tuple[str, ...]
    period_years: int
    schedule: DiscountSchedule
    optimism_bias: OptimismBias
    base_year: int | None = None

    def present_values(self, baseline: str | None = None) -> pd.DataFrame:
        """Per option: ``pv_before_ob``, ``optimism_bias``, ``pv`` and (with a baseline among the
        options) ``difference`` = pv - baseline pv (negative: cheaper than the baseline)."""
        frame = self.cash_flows.assign(
            before=self.cash_flows["value"] * self.cash_flows["discount_factor"]
        )
        grouped = frame.groupby("option", sort=False)
        table = pd.DataFrame(
            {
                "pv_before_ob": grouped["before"].sum(),
                "pv": grouped["discounted"].sum(),
            }
        ).reindex(list(self.options), fill_value=0.0)  # an option of transfers only: 0
        table.insert(1, "optimism_bias", table["pv"] - table["pv_before_ob"])
        if baseline is not None and baseline in self.options:
            table["difference"] = table["pv"] - table.loc[baseline, "pv"]
        table.index.name = "option"
        return table

    def pv(self, option: str) -> float:
        """Present value of costs of one option (after optimism bias)."""
        if option not in self.options:
            raise KeyError(f"no option {option!r} (options: {', '.join(self.options)})")
        rows = self.cash_flows["option"] == option
        return float(self.cash_flows.loc[rows, "discounted"].sum())

    def by_category(self, discounted: bool = True) -> pd.DataFrame:
        """Options x categories: present values (or undiscounted real totals), after uplift."""
        column = "discounted" if discounted else "total"
        table = self.cash_flows.pivot_table(
            index="option", columns="category", values=column, aggfunc="sum", sort=False
        )
        return table.reindex(list(self.options))

    def by_year(self, discounted: bool = False) -> pd.DataFrame:
        """Options x years: real costs after uplift (or discounted), for cash-flow charts."""
        column = "discounted" if discounted else "total"
        table = self.cash_flows.pivot_table(
            index="option", columns="year", values=column, aggfunc="sum", sort=False
        )
        return table.reindex(list(self.options))


def appraise(
    lines: Sequence[CostLine],
    period_years: int,
    schedule: ScheduleLike = GREEN_BOOK,
    optimism_bias: OptimismBiasLike = None,
    *,
    base_year: int | None = None,
) -> Appraisal:
    """Cash flows and present value of costs per option, over years ``0 .. period_years``.

    Optimism bias is computed here from the un-uplifted line values, once per line (see module
    notes). ``base_year`` (the price base) adds a ``calendar_year`` column. The Green Book
    suggests 10 years for many interventions, up to 60 with significant assets (2018 para 2.14).
    """
    options = _check_lines(lines)
    lines = economic_lines(lines)
    schedule = as_schedule(schedule)
    optimism_bias = as_optimism_bias(optimism_bias)
    values, uplifts = _arrays(lines, period_years, optimism_bias)
    factors = discount_factors(period_years, schedule)
    n_years = period_years + 1
    uplift_amounts = values * uplifts[:, None]
    totals = values + uplift_amounts
    columns: dict[str, object] = {
        "option": np.repeat([line.option for line in lines], n_years),
        "line": np.repeat([line.name for line in lines], n_years),
        "category": np.repeat([line.category.value for line in lines], n_years),
        "provider": np.repeat([str(line.provider) for line in lines], n_years),
        "year": np.tile(np.arange(n_years), len(lines)),
    }
    if base_year is not None:
        columns["calendar_year"] = columns["year"] + base_year  # type: ignore[operator]
    columns |= {
        "value": values.ravel(),
        "optimism_bias": uplift_amounts.ravel(),
        "total": totals.ravel(),
        "discount_factor": np.tile(factors, len(lines)),
        "discounted": (totals * factors).ravel(),
    }
    return Appraisal(
        cash_flows=pd.DataFrame(columns),
        options=options,
        period_years=period_years,
        schedule=schedule,
        optimism_bias=optimism_bias,
        base_year=base_year,
    )


# --------------------------------------------------------------------------------------------
# Stochastic inputs: one appraisal per replication, paired comparison with the baseline
# --------------------------------------------------------------------------------------------

ReplicationVolumes = dict[str, dict[str, float]]


def appraise_replications(
    build_lines: Callable[[ReplicationVolumes], Sequence[CostLine]],
    volumes: pd.DataFrame,
    *,
    period_years: int,
    schedule: ScheduleLike = GREEN_BOOK,
    optimism_bias: OptimismBiasLike = None,
) -> pd.DataFrame:
    """Present value of costs per option for each replication of the simulation.

    ``volumes`` is the tidy output of ``models.kit.replications.run_replications`` (columns
    ``replication, option, metric, value``; annual volumes, breaches, FTE...). For each
    replication, ``build_lines`` receives ``{option: {metric: value}}`` and returns the cost lines
    of every option for that replication. Returns columns ``replication, option, pv`` (after
    optimism bias), ready for :func:`compare`.
    """
    missing = {"replication", "option", "metric", "value"} - set(volumes.columns)
    if missing:
        raise ValueError(f"volumes frame lacks columns {sorted(missing)}")
    schedule = as_schedule(schedule)
    optimism_bias = as_optimism_bias(optimism_bias)
    rows = []
    for replication, frame in volumes.groupby("replication", sort=True):
        inputs: ReplicationVolumes = {}
        for option, metric, value in frame[["option", "metric", "value"]].itertuples(index=False):
            inputs.setdefault(str(option), {})[str(metric)] = float(value)
        lines = build_lines(inputs)
        pvs = net_present_costs(lines, period_years, schedule, optimism_bias)
        rows.extend((int(replication), option, pv) for option, pv in pvs.items())  # type: ignore[arg-type]
    return pd.DataFrame(rows, columns=["replication", "option", "pv"])


def compare(pv_frame: pd.DataFrame, baseline: str, level: float = 0.95) -> pd.DataFrame:
    """Mean present value of costs per option and its difference from the baseline.

    Differences are paired by replication (common random numbers: options in one replication
    saw the same demand), which removes the shared noise. Columns: ``option, n, pv_mean, low,
    high`` (t-interval of the PV), ``diff_mean, diff_low, diff_high`` (option - baseline;
    negative = cheaper) and ``prob_cheaper``: the share of replications in which the option cost
    strictly less than the baseline (NaN for the baseline itself). Intervals are Student t
    (:func:`models.kit.output_analysis.confidence_interval`), NaN with a single replication.
    """
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1) (got {level})")
    wide = pv_frame.pivot(index="replication", columns="option", values="pv")
    options = list(dict.fromkeys(pv_frame["option"]))
    if baseline not in wide.columns:
        raise ValueError(f"baseline {baseline!r} not among the options {options}")
    if wide.isna().any().any():
        raise ValueError("every option needs a PV in every replication for a paired comparison")
    base = wide[baseline].to_numpy()
    rows = []
    for option in options:
        pv = wide[option].to_numpy()
        spread = confidence_interval(pv, level)
        if option == baseline:
            diff = (0.0, 0.0, 0.0)
            prob = math.nan
        else:
            paired = confidence_interval(pv - base, level)
            diff = (paired.mean, paired.low, paired.high)
            prob = float(np.mean(pv < base))
        rows.append((option, pv.size, spread.mean, spread.low, spread.high, *diff, prob))
    return pd.DataFrame(
        rows,
        columns=[
            "option",
            "n",
            "pv_mean",
            "low",
            "high",
            "diff_mean",
            "diff_low",
            "diff_high",
            "prob_cheaper",
        ],
    )
