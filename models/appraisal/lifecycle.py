"""The contract lifecycle inside the appraisal period: re-lets, re-procurement, mobilisation, exit.

A contract is let for a term and its extensions (for example 3 + 2 years); an appraisal longer
than that must price what happens at its end: the contract is re-procured (a procurement cost
in the year before it ends), and with some probability it passes to another provider, which
costs a mobilisation (the newcomer) and an exit (handing the service over). The expected cost of
each re-let is procurement + change probability x (mobilisation + exit), a priced risk in the
Green Book's sense (2018 para 2.16, expected likelihood basis). Contract-price indexation above
general inflation is a real price effect and lives on the contract's charges as their real
growth (Green Book 2003 ch. 5, "Adjustments to values of costs and benefits": relative price
changes are stated separately; :mod:`models.appraisal.cost_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.appraisal.cost_lines import Category, CostLine, Provider

__all__ = ["ContractLifecycle", "lifecycle_lines"]


@dataclass(frozen=True)
class ContractLifecycle:
    """A contract's term and what each re-let costs.

    ``let_year`` is the appraisal year the current contract started (0 for a contract let at
    the decision point, negative for one already running, such as business as usual's)."""

    term_years: int
    extension_years: int = 0
    let_year: int = 0
    procurement_cost: float = 0.0
    mobilisation_cost: float = 0.0
    exit_cost: float = 0.0
    change_probability: float = 0.0
    """The chance that a re-let passes the service to another provider."""

    def __post_init__(self) -> None:
        if self.term_years < 1 or self.extension_years < 0:
            raise ValueError("a contract needs a term of at least a year and extensions >= 0")
        if not 0.0 <= self.change_probability <= 1.0:
            raise ValueError("change_probability must be in [0, 1]")
        costs = (self.procurement_cost, self.mobilisation_cost, self.exit_cost)
        if min(costs) < 0:
            raise ValueError("lifecycle costs must be >= 0")

    @property
    def length(self) -> int:
        """Years from one let to the next: term plus extensions."""
        return self.term_years + self.extension_years

    def relet_years(self, period_years: int) -> tuple[int, ...]:
        """Years in ``0 .. period_years - 1`` in which a new contract starts (one starting in
        the final year would serve no year of the appraisal); a re-let in year 0 was procured
        before the decision point, so only its change of provider is still to come."""
        years = []
        year = self.let_year + self.length
        while year < period_years:
            if year >= 0:
                years.append(year)
            year += self.length
        return tuple(years)

    @property
    def expected_change_cost(self) -> float:
        """Expected cost of a change of provider at a re-let."""
        return self.change_probability * (self.mobilisation_cost + self.exit_cost)


def lifecycle_lines(
    option: str, name: str, lifecycle: ContractLifecycle, period_years: int, note: str = ""
) -> list[CostLine]:
    """The re-let costs of a contract over years ``0 .. period_years``: re-procurement in the
    year before each re-let (``relet``, provided by the force) and the expected cost of a
    change of provider in the re-let year (``risk``)."""
    procurement = np.zeros(period_years + 1)
    change = np.zeros(period_years + 1)
    for year in lifecycle.relet_years(period_years):
        if year >= 1:
            procurement[year - 1] += lifecycle.procurement_cost
        change[year] += lifecycle.expected_change_cost
    lines = []
    if procurement.any():
        lines.append(
            CostLine(
                option,
                f"{name} re-procurement",
                Category.RELET,
                tuple(procurement.tolist()),
                note,
                Provider.FORCE,
            )
        )
    if change.any():
        lines.append(
            CostLine(
                option,
                f"{name} change of provider at re-let",
                Category.RISK,
                tuple(change.tolist()),
                note or "change probability x (mobilisation + exit)",
                Provider.FORCE,
            )
        )
    return lines
