"""Cost lines and optimism-bias rules the appraisal tests build again and again."""

from __future__ import annotations

from typing import Any

from models.appraisal import (
    Category,
    ContributoryFactor,
    CostLine,
    OptimismBias,
    Provider,
    UpliftGroup,
    contract_lines,
    present_value,
)

PERIOD = 10
"""Operating years of the test appraisals."""

SERVICE_COSTS = (
    Category.STAFF,
    Category.OPERATING,
    Category.CONTRACT,
    Category.CLIENT_FUNCTION,
    Category.TRANSITION,
    Category.RELET,
)
"""The categories of the scenario's ``service_costs`` group."""


def outsourced_contract(**terms: Any) -> tuple[CostLine, CostLine]:
    """:func:`models.appraisal.contract_lines` of the ``outsourced`` option's ``contract``
    over :data:`PERIOD` years: its charges and its service credits."""
    return contract_lines("outsourced", "contract", period_years=PERIOD, **terms)


def annuity(amount: float) -> float:
    """Present value of ``amount`` a year in years 1 .. :data:`PERIOD` (Green Book rate)."""
    return present_value([amount] * PERIOD, first_year=1)


def outsourcing_bias(
    mitigation: float = 0.0, *, providers: tuple[Provider, ...] = (), capital: bool = False
) -> OptimismBias:
    """The outsourcing bound (41 %) on the service costs, its one factor (inadequacy of the
    business case, the whole bound) mitigated by ``mitigation``; with ``capital``, the
    standard-buildings bound (24 %, unmitigated) on capital."""
    groups = [
        UpliftGroup(
            "service_costs",
            "outsourcing",
            frozenset(SERVICE_COSTS),
            frozenset(providers),
            (ContributoryFactor("inadequacy_of_the_business_case", 1.0, mitigation),),
        )
    ]
    if capital:
        groups.append(UpliftGroup("capital", "standard_buildings", frozenset({Category.CAPITAL})))
    return OptimismBias(tuple(groups))
