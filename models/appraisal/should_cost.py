"""Should-cost: what a contract ought to cost, built bottom-up from the simulated workload.

The Cabinet Office *Sourcing Playbook* asks for a should-cost model on complex outsourcing: an
estimate of what the service would cost a contractor to run, built from the same workload, so
that a bid can be judged plausible, cheap (below cost: a risk of failure or of claims later) or
rich. A service supplies the elements (labour hours by grade on the terms transferred under
TUPE, vehicles and equipment at an annual capital charge, premises, running costs per unit of
simulated activity); this module adds the contractor's overhead, the premium for the risks the
contract transfers (:mod:`models.appraisal.risks`), mobilisation spread over the term, and a
margin, and sets the total beside the price the scenario assumes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

__all__ = [
    "CostElement",
    "ShouldCost",
    "ShouldCostSettings",
    "annual_capital_charge",
    "should_cost",
]


@dataclass(frozen=True)
class ShouldCostSettings:
    """A contractor's mark-ups (fractions): overhead on direct cost, margin on cost, the cost
    of capital that turns assets into an annual charge, and the band within which a price is
    plausible (a price more than ``tolerance`` below the should-cost is cheap, above it rich)."""

    overhead: float = 0.10
    margin: float = 0.07
    capital_rate: float = 0.08
    tolerance: float = 0.10

    def __post_init__(self) -> None:
        for name in ("overhead", "margin", "capital_rate", "tolerance"):
            value = getattr(self, name)
            if not math.isfinite(value) or not 0.0 <= value < 1.0:
                raise ValueError(f"should-cost {name} must be a fraction in [0, 1) (got {value})")


@dataclass(frozen=True)
class CostElement:
    """One element of the contractor's direct cost a year, with how it was built."""

    name: str
    annual: float
    basis: str = ""


def annual_capital_charge(price: float, life_years: int, rate: float) -> float:
    """The equivalent annual cost of an asset: ``price x r / (1 - (1 + r) ** -life)``."""
    if life_years < 1:
        raise ValueError("life_years must be >= 1")
    if rate == 0:
        return price / life_years
    return price * rate / (1.0 - (1.0 + rate) ** -life_years)


@dataclass(frozen=True)
class ShouldCost:
    """The should-cost of one contract a year, beside its assumed price."""

    contract: str
    elements: tuple[CostElement, ...]
    overhead: float
    risk_premium: float
    mobilisation: float
    margin: float
    price: float
    option: str = ""
    """The option whose contract it is (set by the comparison)."""
    income_kept: float = 0.0
    """Income the contractor keeps (takings), netted off after the mark-ups."""

    @property
    def direct(self) -> float:
        return math.fsum(e.annual for e in self.elements)

    @property
    def total(self) -> float:
        cost = self.direct + self.overhead + self.risk_premium + self.mobilisation + self.margin
        return cost - self.income_kept

    @property
    def ratio(self) -> float:
        """Assumed price / should-cost (NaN when the should-cost is zero)."""
        return self.price / self.total if self.total > 0 else math.nan

    def verdict(self, tolerance: float) -> str:
        """``cheap``, ``plausible`` or ``rich``."""
        if math.isnan(self.ratio):
            return "not assessed"
        if self.ratio < 1.0 - tolerance:
            return "cheap"
        if self.ratio > 1.0 + tolerance:
            return "rich"
        return "plausible"

    def table(self) -> pd.DataFrame:
        """The build-up, element by element, then the mark-ups, the total and the price."""
        rows = [(e.name, e.annual, e.basis) for e in self.elements]
        rows += [
            ("Direct cost", self.direct, "sum of the elements"),
            ("Overhead", self.overhead, "share of direct cost"),
            ("Risk premium", self.risk_premium, "expected cost of the risks transferred"),
            ("Mobilisation", self.mobilisation, "spread over the contract's length"),
            ("Margin", self.margin, "share of cost"),
            *(
                [("Income the contractor keeps", -self.income_kept, "netted off the cost")]
                if self.income_kept
                else []
            ),
            ("Should-cost", self.total, ""),
            ("Assumed contract price", self.price, "the scenario's terms at simulated volumes"),
        ]
        return pd.DataFrame(rows, columns=["item", "per_year", "basis"])


def should_cost(
    contract: str,
    elements: Iterable[CostElement],
    price: float,
    settings: ShouldCostSettings,
    *,
    transferred_risk: float = 0.0,
    mobilisation: float = 0.0,
    length_years: int = 5,
) -> ShouldCost:
    """The should-cost of ``contract`` a year: direct cost, overhead on it, the expected cost
    of the risks transferred to the contractor a year, mobilisation spread over
    ``length_years``, and the margin on all of that."""
    chosen = tuple(elements)
    direct = math.fsum(e.annual for e in chosen)
    overhead = direct * settings.overhead
    spread = mobilisation / max(length_years, 1)
    margin = (direct + overhead + transferred_risk + spread) * settings.margin
    return ShouldCost(contract, chosen, overhead, transferred_risk, spread, margin, price)
