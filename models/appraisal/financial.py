"""The financial case: the force's cash by year, in nominal prices, for affordability.

Beside the economic case (real prices, discounted, no transfers: :mod:`models.appraisal.results`)
a business case shows what each option costs the organisation in cash, year by year (the
financial case of the five-case model, Green Book 2018 ch. 3, "The Five Case Model"). Here every
line counts, transfers included (service credits, redundancy payments, statutory charges:
Green Book 2018 para 6.9 keeps redundancy in "the financial costs to the public sector"), real
values are inflated to cash at a stated general inflation rate, and VAT is added to contractor
charges unless the force recovers it (police bodies recover VAT on contracted services under
section 33 of the VAT Act 1994, so by default it is recovered and changes nothing). The
residual value of assets is an economic valuation, not cash, and is left out; a disposal receipt
is cash and stays. The priced risks the force retains (``risk`` lines: expected values) stay
in the cash as the provision for them; optimism bias shows as a contingency beside the cash.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.appraisal.cost_lines import Category, CostLine, Provider
from models.appraisal.optimism_bias import OptimismBiasLike, as_optimism_bias

__all__ = ["FinancialSettings", "affordability", "cash_by_year", "financial_case"]


@dataclass(frozen=True)
class FinancialSettings:
    """What turns real costs into the force's cash: general inflation a year (a GDP-deflator
    assumption), the VAT rate, and whether the force recovers VAT on contracted services."""

    inflation: float = 0.02
    vat_rate: float = 0.20
    vat_recovered: bool = True

    def __post_init__(self) -> None:
        if not math.isfinite(self.inflation) or not -0.1 < self.inflation < 0.5:
            raise ValueError(f"inflation must be a fraction a year (got {self.inflation})")
        if not 0.0 <= self.vat_rate < 1.0:
            raise ValueError(f"vat_rate must be a fraction (got {self.vat_rate})")


def financial_case(
    lines: Sequence[CostLine],
    period_years: int,
    settings: FinancialSettings = FinancialSettings(),
    *,
    optimism_bias: OptimismBiasLike = None,
    base_year: int | None = None,
) -> pd.DataFrame:
    """Tidy nominal cash flows: one row per option, line and year, columns ``option, line,
    category, provider, transfer, year, calendar_year`` (with a base year), ``real`` (base-year
    prices), ``vat`` (irrecoverable VAT, real), ``cash`` (nominal, VAT included) and
    ``contingency`` (the line's optimism bias, nominal)."""
    bias = as_optimism_bias(optimism_bias)
    kept = [line for line in lines if line.category is not Category.RESIDUAL_VALUE]
    if not kept:
        raise ValueError("no cost lines for the financial case")
    years = np.arange(period_years + 1)
    inflator = (1.0 + settings.inflation) ** years
    frames = []
    for line in kept:
        real = line.array(period_years)
        vat_share = (
            settings.vat_rate
            if line.provider is Provider.CONTRACTOR and not settings.vat_recovered
            else 0.0
        )
        vat = real * vat_share
        frame = {
            "option": line.option,
            "line": line.name,
            "category": line.category.value,
            "provider": str(line.provider),
            "transfer": line.transfer,
            "year": years,
            "real": real,
            "vat": vat,
            "cash": (real + vat) * inflator,
            "contingency": real * bias.uplift(line) * inflator,
        }
        if base_year is not None:
            frame["calendar_year"] = years + base_year
        frames.append(pd.DataFrame(frame))
    return pd.concat(frames, ignore_index=True)


def cash_by_year(case: pd.DataFrame, *, with_contingency: bool = False) -> pd.DataFrame:
    """Options x years: nominal cash (and the contingency, if asked)."""
    values = case["cash"] + (case["contingency"] if with_contingency else 0.0)
    table = case.assign(total=values).pivot_table(
        index="option", columns="year", values="total", aggfunc="sum", sort=False
    )
    return table.reindex(list(dict.fromkeys(case["option"])))


def affordability(case: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Each option's cash against business as usual, a year: options x years of the extra cash
    (positive: the option needs more than today's budget), with ``total`` and ``peak`` columns."""
    cash = cash_by_year(case)
    if baseline not in cash.index:
        raise ValueError(f"baseline {baseline!r} not among the options {list(cash.index)}")
    extra = cash - cash.loc[baseline]
    extra["total"] = extra.sum(axis=1)
    extra["peak"] = extra.drop(columns="total").max(axis=1)
    return extra
