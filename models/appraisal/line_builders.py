"""Builders of the usual cost lines: staff, activity, assets, contracts, client team, income.

Each returns :class:`~models.appraisal.cost_lines.CostLine` values for years ``0 .. period_years``
in real base-year prices; recurring lines fall in the operating years ``1 .. N`` by default
(``first_year=1``), up-front costs in year 0. Receipts (service credits, residual values,
income) are separate negative lines so that optimism bias never uplifts them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypedDict, Unpack

import numpy as np

from models.appraisal.cost_lines import Category, CostLine, Provider, growth_index, per_year

__all__ = [
    "Recurring",
    "activity_line",
    "asset_lines",
    "client_function_line",
    "contract_lines",
    "disposal_line",
    "income_line",
    "one_off_line",
    "staff_cost_per_fte",
    "staff_line",
]


class Recurring(TypedDict, total=False):
    """When a recurring line falls and how it grows (:meth:`CostLine.annual`): years
    ``first_year`` (default 1) ``.. last_year`` (default ``N``), real ``growth`` a year (default
    0) and a ``note``."""

    first_year: int
    last_year: int | None
    growth: float
    note: str
    provider: Provider | None
    transfer: bool


def _at_least_zero(label: str, value: float) -> None:
    if value < 0:
        raise ValueError(f"{label} must be >= 0 (got {value})")


def _fraction(label: str, value: float, what: str, *, one: bool = False) -> None:
    """Refuse ``value`` outside ``[0, 1)`` (``[0, 1]`` with ``one``)."""
    if not (0.0 <= value <= 1.0 if one else 0.0 <= value < 1.0):
        raise ValueError(f"{label} must be {what} (got {value})")


def staff_cost_per_fte(salary: float, shift_allowance: float = 0.0, on_costs: float = 0.0) -> float:
    """Employer's cost of one full-time equivalent a year.

    ``salary * (1 + shift_allowance) * (1 + on_costs)``: allowances (e.g. 0.125, 0.15 or 0.20 on
    the MPS scale) are paid on salary; employer on-costs (national insurance, pension, typically
    0.25-0.30) are charged on pay including allowances. All as fractions.
    """
    for label, share in (("shift_allowance", shift_allowance), ("on_costs", on_costs)):
        _fraction(label, share, "a fraction in [0, 1), e.g. 0.15")
    _at_least_zero("salary", salary)
    return salary * (1.0 + shift_allowance) * (1.0 + on_costs)


def staff_line(
    option: str,
    name: str,
    *,
    fte: float | Sequence[float],
    salary: float,
    shift_allowance: float = 0.0,
    on_costs: float = 0.0,
    period_years: int,
    **recurring: Unpack[Recurring],
) -> CostLine:
    """Staff cost: ``fte * staff_cost_per_fte(salary, shift_allowance, on_costs)`` a year.

    ``fte`` is one figure or one per year (e.g. from the simulated roster); ``growth`` is real pay
    growth.
    """
    per_fte = staff_cost_per_fte(salary, shift_allowance, on_costs)
    amount = per_year(fte, period_years, "fte") * per_fte
    return CostLine.annual(
        option,
        name,
        Category.STAFF,
        amount,
        period_years=period_years,
        **recurring,
    )


def activity_line(
    option: str,
    name: str,
    *,
    unit_cost: float,
    volume: float | Sequence[float],
    period_years: int,
    category: Category | str = Category.OPERATING,
    **recurring: Unpack[Recurring],
) -> CostLine:
    """Running cost per unit of activity: ``unit_cost * volume`` a year.

    ``volume`` is the annual activity (tows, jobs, meals), e.g. a simulated replication's count
    scaled to a year; one figure or one per year.
    """
    amount = unit_cost * per_year(volume, period_years, "volume")
    return CostLine.annual(
        option,
        name,
        category,
        amount,
        period_years=period_years,
        **recurring,
    )


def _purchases(
    price: np.ndarray, first: int, life_years: int, period_years: int
) -> tuple[np.ndarray, int | None]:
    """Purchases in years ``first, first + life, ...`` before the final year, and the last."""
    bought = np.zeros(period_years + 1)
    last = None
    year = first
    while year < period_years:
        bought[year] = price[year]
        last = year
        year += life_years
    return bought, last


def asset_lines(
    option: str,
    name: str,
    *,
    unit_cost: float,
    life_years: int,
    period_years: int,
    units: float = 1.0,
    purchase_year: int = 0,
    growth: float = 0.0,
    note: str = "",
    held: float = 0.0,
    remaining_life_years: int | None = None,
) -> tuple[CostLine, CostLine]:
    """Capital purchases with replacement, and the residual value at the end of the period.

    Convention: an asset bought in year ``y`` serves years ``y + 1 .. y + life_years`` and is
    replaced in year ``y + life_years``, as long as that is before the final year ``N =
    period_years`` (nothing is bought in the final year only to be credited back). The last asset
    bought, in year ``p``, still has ``p + life_years - N`` years of service left; its residual
    value, straight-line, is ``price * (p + life_years - N) / life_years``, credited in year ``N``
    as a receipt (Green Book 2003 ch. 5: the residual value of assets at the end of the
    appraisal period counts as a benefit). Example: bought in year 0 with a 7-year life over 10
    years -> replaced in year 7, residual 4/7 of the price credited in year 10.

    Existing assets: ``held`` of the ``units`` are already the force's, with
    ``remaining_life_years`` of service left (default: a whole life). They are not bought again
    in year 0: the option keeps them and replaces them as they fall due, in year
    ``remaining_life_years`` and every ``life_years`` after (Green Book: assets already held are
    valued at their opportunity cost, not bought new; an option that gives them up takes their
    disposal value instead, :func:`disposal_line`). Only the units beyond ``held`` are bought in
    ``purchase_year``.

    The price in year ``y`` is ``unit_cost * (1 + growth) ** y`` a unit (real price change); the
    residual value is a share of the price actually paid (of a unit's price in year ``N`` for a
    held unit never replaced). Returns ``(purchases, residual)``: a ``capital`` line and a
    ``residual_value`` line, kept apart because optimism bias uplifts capital spending but not
    the credit.
    """
    if life_years < 1:
        raise ValueError(f"life_years must be >= 1 (got {life_years})")
    if not 0 <= purchase_year < period_years:
        raise ValueError(
            f"purchase_year must be in 0 .. period_years - 1 (got {purchase_year}, "
            f"period {period_years})"
        )
    remaining = life_years if remaining_life_years is None else remaining_life_years
    if not 0 <= remaining <= life_years or held < 0:
        raise ValueError(
            f"{option}/{name}: held assets need held >= 0 and 0 <= remaining life <= life "
            f"(got {held}, {remaining}, {life_years})"
        )
    kept = min(float(held), float(units))
    price = unit_cost * growth_index(period_years, growth)
    purchases = np.zeros(period_years + 1)
    residual = np.zeros(period_years + 1)
    for cohort, first in ((units - kept, purchase_year), (kept, remaining)):
        if cohort <= 0:
            continue
        bought, last = _purchases(price * cohort, first, life_years, period_years)
        purchases += bought
        if last is not None:
            left = last + life_years - period_years
            if left > 0:
                residual[period_years] -= price[last] * cohort * left / life_years
        elif first > period_years:
            residual[period_years] -= (
                price[period_years] * cohort * (first - period_years) / life_years
            )
    return (
        CostLine(option, name, Category.CAPITAL, tuple(purchases.tolist()), note),
        CostLine(
            option,
            f"{name} residual value",
            Category.RESIDUAL_VALUE,
            tuple(residual.tolist()),
            note,
        ),
    )


def disposal_line(
    option: str,
    name: str,
    *,
    units: float,
    value_per_unit: float,
    period_years: int,
    year: int = 1,
    note: str = "",
) -> CostLine:
    """The receipt from selling assets the force holds and an option gives up (a contractor
    brings its own): ``units * value_per_unit`` in ``year``, their opportunity cost (what they
    would fetch), a ``disposal`` receipt."""
    _at_least_zero("units", units)
    _at_least_zero("value_per_unit", value_per_unit)
    return one_off_line(
        option,
        f"{name} disposal",
        {year: -units * value_per_unit},
        period_years=period_years,
        category=Category.DISPOSAL,
        note=note,
    )


def contract_lines(
    option: str,
    name: str,
    *,
    period_years: int,
    fixed_fee: float = 0.0,
    unit_prices: Mapping[str, float] | None = None,
    volumes: Mapping[str, float | Sequence[float]] | None = None,
    credit_per_breach: float = 0.0,
    breaches: float | Sequence[float] = 0.0,
    credit_cap: float | None = None,
    **recurring: Unpack[Recurring],
) -> tuple[CostLine, CostLine]:
    """Contract charges and the service credits that reduce them.

    Charges a year: ``fixed_fee + sum(unit_prices[k] * volumes[k])`` (volumes from the simulation,
    one figure or one per year, keyed like ``unit_prices``). Service credits a year:
    ``credit_per_breach * breaches`` (simulated breaches of the service levels), capped at
    ``credit_cap`` times that year's charges when given (contracts usually cap credits at a share
    of the monthly charge). ``growth`` is the real indexation of fee, prices and credits.
    Returns ``(charges, credits)``: a ``contract`` line and a negative ``service_credit`` line, so
    optimism bias can uplift the charges without uplifting the credits.
    """
    unit_prices = dict(unit_prices or {})
    volumes = dict(volumes or {})
    if set(unit_prices) != set(volumes):
        raise ValueError(
            f"{option}/{name}: unit_prices and volumes need the same keys "
            f"(prices {sorted(unit_prices)}, volumes {sorted(volumes)})"
        )
    _at_least_zero("credit_per_breach", credit_per_breach)
    if credit_cap is not None:
        _fraction("credit_cap", credit_cap, "a fraction of the charges", one=True)
    charges = np.full(period_years + 1, float(fixed_fee))
    for key, price in unit_prices.items():
        charges = charges + price * per_year(volumes[key], period_years, f"volume {key!r}")
    credits = credit_per_breach * per_year(breaches, period_years, "breaches")
    if credit_cap is not None:
        credits = np.minimum(credits, credit_cap * np.maximum(charges, 0.0))
    common = {"period_years": period_years, **recurring}
    return (
        CostLine.annual(option, name, Category.CONTRACT, charges, **common),
        CostLine.annual(
            option, f"{name} service credits", Category.SERVICE_CREDIT, -credits, **common
        ),
    )


def client_function_line(
    option: str,
    *,
    annual_cost: float,
    period_years: int,
    name: str = "client function",
    **recurring: Unpack[Recurring],
) -> CostLine:
    """The retained client (contract management) team kept when a service is outsourced."""
    return CostLine.annual(
        option,
        name,
        Category.CLIENT_FUNCTION,
        annual_cost,
        period_years=period_years,
        **recurring,
    )


def one_off_line(
    option: str,
    name: str,
    amounts: Mapping[int, float],
    *,
    period_years: int,
    category: Category | str = Category.TRANSITION,
    growth: float = 0.0,
    note: str = "",
    provider: Provider | None = None,
    transfer: bool = False,
    upper_bound: bool = False,
) -> CostLine:
    """One-off costs in given years, e.g. ``{0: procurement, 1: mobilisation}``, TUPE or
    redundancy costs, exit costs at the end of a contract (``transfer``: a payment between
    parties, such as redundancy, Green Book 2018 para 6.9; ``upper_bound``: a figure already
    stated as an upper bound, which optimism bias does not raise again)."""
    values = np.zeros(period_years + 1)
    for year, amount in amounts.items():
        if not 0 <= year <= period_years:
            raise ValueError(
                f"{option}/{name}: year {year} is outside the appraisal years 0 .. {period_years}"
            )
        values[year] += amount
    values *= growth_index(period_years, growth)
    return CostLine(
        option,
        name,
        Category(category),
        tuple(values.tolist()),
        note,
        provider,
        transfer,
        upper_bound,
    )


def income_line(
    option: str,
    name: str,
    *,
    charge: float,
    volume: float | Sequence[float],
    period_years: int,
    **recurring: Unpack[Recurring],
) -> CostLine:
    """Income (e.g. statutory removal and storage charges): ``-charge * volume`` a year.

    Statutory charges are fixed in cash between revisions, so in real terms ``growth`` is usually
    minus the expected inflation rate.
    """
    if charge < 0:
        raise ValueError(f"charge must be >= 0; income is stored as a negative cost (got {charge})")
    amount = -charge * per_year(volume, period_years, "volume")
    return CostLine.annual(
        option,
        name,
        Category.INCOME,
        amount,
        period_years=period_years,
        **recurring,
    )
