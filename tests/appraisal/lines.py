"""Cost lines, optimism-bias rules and options the appraisal tests build again and again."""

from __future__ import annotations

from types import SimpleNamespace
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
from models.costing import as_provider

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
        groups.append(capital_group())
    return OptimismBias(tuple(groups))


def capital_group(*factors: ContributoryFactor) -> UpliftGroup:
    """The standard-buildings bound (24 %) on capital, mitigated by ``factors`` (none: the
    whole bound)."""
    return UpliftGroup(
        "capital", "standard_buildings", frozenset({Category.CAPITAL}), factors=factors
    )


def one_part_option(provider: str, **part: Any) -> SimpleNamespace:
    """An option whose one part, ``recovery``, is provided ``in_house`` or by a ``contractor``
    (what :func:`models.costing.option_lines` reads of an option); the part holds ``part``
    too (its ``contract``, say)."""
    recovery = SimpleNamespace(provider=provider, **part)
    return SimpleNamespace(
        client_function=None,
        transition={},
        parts=lambda: {"recovery": recovery},
        part_providers=lambda: {"recovery": as_provider(provider)},
    )
