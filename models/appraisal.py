"""HM Treasury Green Book costing shared by every service (vehicle recovery, fleet, catering).

Options are costed as cash flows of *cost lines* (staff, running costs, contract charges, assets,
transition, client function, income) over an appraisal period, uplifted for optimism bias and
discounted at the Green Book rate to a present value of costs (net present cost, NPC). The option
with the lowest NPC is cheapest; differences are reported against the baseline ("business as
usual", here ``in_house``), which the Green Book shortlist always keeps.

Conventions
-----------
Prices
    Real terms: constant prices of the scenario's base year, general inflation removed (Green Book
    2003 ch. 5, "Adjustments to values of costs and benefits"). A relative price change (e.g. pay
    above inflation, statutory charges frozen in cash so falling in real terms) is a real
    ``growth`` rate per line, compounded from the base year: the value in year ``t`` is
    ``base value * (1 + growth) ** t``.
Timeline
    Year 0 is the base year, the decision point. An appraisal of ``period_years = N`` covers years
    ``0 .. N`` (N + 1 columns): up-front costs (procurement, mobilisation, first asset purchase)
    fall in year 0, which is undiscounted; running costs fall in the N operating years ``1 .. N``
    by default (``first_year=1``). Each year's flow is discounted as one sum with the factor for
    that year (end-of-year convention).
Sign
    Positive = cost, negative = receipt. ``income``, ``service_credit`` and ``residual_value``
    lines are receipts and must not be positive.
Optimism bias
    Never stored on a line. :func:`appraise` computes the uplift from the un-uplifted line values
    every time, so summing or re-aggregating its output cannot apply it twice; both the value
    before uplift and the uplift amount stay visible as separate columns.

References: HM Treasury, *The Green Book: appraisal and evaluation in central government* (2003,
updated 2011: the edition in force in 2012-13; the 2018 and 2022 editions keep the same
discount schedule); *Supplementary Green Book guidance: optimism bias* (2003, Mott MacDonald
study).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
import pandas as pd

from models.kit.output_analysis import confidence_interval

__all__ = [
    "GREEN_BOOK",
    "NO_OPTIMISM_BIAS",
    "Appraisal",
    "Category",
    "CostLine",
    "DiscountSchedule",
    "OptimismBias",
    "Selection",
    "UpliftRule",
    "activity_line",
    "annual_profile",
    "appraise",
    "appraise_replications",
    "as_optimism_bias",
    "as_schedule",
    "asset_lines",
    "client_function_line",
    "compare",
    "contract_lines",
    "discount_factors",
    "income_line",
    "net_present_costs",
    "one_off_line",
    "present_value",
    "scale_lines",
    "sensitivity",
    "staff_cost_per_fte",
    "staff_line",
    "switching_value",
]

DEFAULT_BASELINE = "in_house"


# --------------------------------------------------------------------------------------------
# Discounting
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiscountSchedule:
    """Real discount rates by year: ``steps`` are ``(from_year, rate)`` pairs, rates as fractions.

    The rate of a step applies to every year from ``from_year`` up to the next step. The rate for
    year ``t`` discounts from year ``t - 1`` to year ``t``; year 0 is never discounted, so the
    first step must start at year 0 or 1.
    """

    steps: tuple[tuple[int, float], ...]

    def __post_init__(self) -> None:
        steps = tuple((int(year), float(rate)) for year, rate in self.steps)
        if not steps:
            raise ValueError("a discount schedule needs at least one (from_year, rate) step")
        if steps[0][0] not in (0, 1):
            raise ValueError(f"the first step must start at year 0 or 1 (got {steps[0][0]})")
        years = [year for year, _ in steps]
        if any(b <= a for a, b in itertools.pairwise(years)):
            raise ValueError(f"step years must be strictly increasing (got {years})")
        for year, rate in steps:
            if not math.isfinite(rate) or not -0.5 < rate < 0.5:
                raise ValueError(
                    f"discount rate from year {year} must be a fraction such as 0.035 for "
                    f"3.5 % (got {rate})"
                )
        object.__setattr__(self, "steps", steps)

    @classmethod
    def constant(cls, rate: float) -> DiscountSchedule:
        """One rate for every year."""
        return cls(((0, rate),))

    @classmethod
    def from_steps(
        cls, steps: Iterable[tuple[int, float] | Mapping[str, float]]
    ) -> DiscountSchedule:
        """Build from ``(from_year, rate)`` pairs or ``{from_year, rate}`` mappings (scenario)."""
        pairs = []
        for step in steps:
            if isinstance(step, Mapping):
                pairs.append((int(step["from_year"]), float(step["rate"])))
            else:
                year, rate = step
                pairs.append((int(year), float(rate)))
        return cls(tuple(pairs))

    def rate(self, year: int) -> float:
        """Rate that discounts year ``year`` back to year ``year - 1``."""
        current = self.steps[0][1]
        for from_year, rate in self.steps:
            if year < from_year:
                break
            current = rate
        return current

    def rates(self, last_year: int) -> np.ndarray:
        """Rates for years ``0 .. last_year`` (the year-0 entry is never used)."""
        years = np.arange(last_year + 1)
        starts = np.array([year for year, _ in self.steps])
        values = np.array([rate for _, rate in self.steps])
        index = np.searchsorted(starts, years, side="right") - 1
        return values[np.clip(index, 0, None)]


#: HM Treasury schedule: 3.5 % years 0-30, 3.0 % 31-75, 2.5 % 76-125, 2.0 % 126-200,
#: 1.5 % 201-300, 1.0 % after (Green Book 2003, Annex 6 Table 6.1; 2018 edition Annex A6).
GREEN_BOOK = DiscountSchedule(
    ((0, 0.035), (31, 0.030), (76, 0.025), (126, 0.020), (201, 0.015), (301, 0.010))
)

ScheduleLike = DiscountSchedule | str | float | Iterable[tuple[int, float] | Mapping[str, float]]


def as_schedule(setting: ScheduleLike) -> DiscountSchedule:
    """Turn a scenario setting into a schedule.

    Accepts ``"green_book"``, a :class:`DiscountSchedule`, one constant rate (fraction), or a list
    of ``(from_year, rate)`` pairs / ``{from_year, rate}`` mappings.
    """
    if isinstance(setting, DiscountSchedule):
        return setting
    if isinstance(setting, str):
        if setting.strip().lower().replace("-", "_").replace(" ", "_") == "green_book":
            return GREEN_BOOK
        raise ValueError(f"unknown discount schedule {setting!r} (expected 'green_book')")
    if isinstance(setting, int | float):
        return DiscountSchedule.constant(float(setting))
    return DiscountSchedule.from_steps(setting)


def discount_factors(last_year: int, schedule: ScheduleLike = GREEN_BOOK) -> np.ndarray:
    """Discount factors for years ``0 .. last_year`` (array of ``last_year + 1``; index = year).

    The factor for year ``t`` is ``prod over k = 1..t of 1 / (1 + r_k)`` with ``r_k`` the rate in
    force in year ``k``, so after a step change the factor continues from where the earlier rate
    left it: the lower long-term rates apply to the years beyond 30, not to the whole period
    (Green Book 2003 ch. 5 "Discounting" and Annex 6 Table 6.1; 2018 edition Annex A6). Year 0
    has factor 1.
    """
    if last_year < 0:
        raise ValueError(f"last_year must be >= 0 (got {last_year})")
    rates = as_schedule(schedule).rates(last_year)
    factors = np.ones(last_year + 1)
    factors[1:] = 1.0 / np.cumprod(1.0 + rates[1:])
    return factors


def present_value(
    cash_flows: Sequence[float] | np.ndarray,
    schedule: ScheduleLike = GREEN_BOOK,
    *,
    first_year: int = 0,
) -> float:
    """Present value (year 0) of ``cash_flows[i]`` falling in year ``first_year + i``."""
    flows = np.asarray(cash_flows, dtype=float)
    if flows.ndim != 1:
        raise ValueError("cash_flows must be one-dimensional")
    if first_year < 0:
        raise ValueError(f"first_year must be >= 0 (got {first_year})")
    if flows.size == 0:
        return 0.0
    factors = discount_factors(first_year + flows.size - 1, schedule)[first_year:]
    return float(flows @ factors)


# --------------------------------------------------------------------------------------------
# Cost lines
# --------------------------------------------------------------------------------------------


class Category(StrEnum):
    """What a cost line is; decides optimism bias and how lines are grouped in reports."""

    STAFF = "staff"
    OPERATING = "operating"
    CONTRACT = "contract"
    CAPITAL = "capital"
    TRANSITION = "transition"
    CLIENT_FUNCTION = "client_function"
    INCOME = "income"
    SERVICE_CREDIT = "service_credit"
    RESIDUAL_VALUE = "residual_value"


#: Receipts (negative costs): never positive and never uplifted for optimism bias.
CREDIT_CATEGORIES = frozenset({Category.INCOME, Category.SERVICE_CREDIT, Category.RESIDUAL_VALUE})


@dataclass(frozen=True)
class CostLine:
    """One line of an option's costs: real-terms values for years ``0, 1, 2, ...``.

    ``values[t]`` is the cost in year ``t`` at base-year prices (positive = cost, negative =
    receipt); years beyond ``len(values)`` are zero. ``note`` carries the source or assumption for
    reports. Build lines with the helpers below (:func:`staff_line`, :func:`asset_lines`, ...) or
    :meth:`annual`.
    """

    option: str
    name: str
    category: Category
    values: tuple[float, ...]
    note: str = ""

    def __post_init__(self) -> None:
        if not self.option or not self.name:
            raise ValueError("a cost line needs an option and a name")
        try:
            category = Category(self.category)
        except ValueError:
            known = ", ".join(c.value for c in Category)
            raise ValueError(
                f"{self.option}/{self.name}: unknown category {self.category!r} ({known})"
            ) from None
        values = tuple(float(v) for v in np.asarray(self.values, dtype=float).ravel())
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"{self.option}/{self.name}: values must be finite")
        if category in CREDIT_CATEGORIES and any(v > 0 for v in values):
            raise ValueError(
                f"{self.option}/{self.name}: {category.value} is a receipt, so its values must be "
                "negative (or zero)"
            )
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "values", values)

    @classmethod
    def annual(
        cls,
        option: str,
        name: str,
        category: Category | str,
        amount: float | Sequence[float],
        *,
        period_years: int,
        first_year: int = 1,
        last_year: int | None = None,
        growth: float = 0.0,
        note: str = "",
    ) -> CostLine:
        """A recurring line: ``amount`` a year in years ``first_year .. last_year`` (see
        :func:`annual_profile`)."""
        values = annual_profile(
            amount,
            period_years=period_years,
            first_year=first_year,
            last_year=last_year,
            growth=growth,
        )
        return cls(option, name, Category(category), values, note)

    @property
    def last_year(self) -> int:
        """Last year with a value (``-1`` for an empty line)."""
        return len(self.values) - 1

    def array(self, last_year: int) -> np.ndarray:
        """Values for years ``0 .. last_year``, zero-padded; error if the line runs past it."""
        values = np.asarray(self.values, dtype=float)
        if values.size > last_year + 1 and np.any(values[last_year + 1 :] != 0.0):
            raise ValueError(
                f"{self.option}/{self.name}: has costs after year {last_year}, the end of the "
                "appraisal period"
            )
        out = np.zeros(last_year + 1)
        n = min(values.size, last_year + 1)
        out[:n] = values[:n]
        return out

    def scaled(self, factor: float) -> CostLine:
        """The same line with every value multiplied by ``factor``."""
        return replace(self, values=tuple(v * factor for v in self.values))


def _years_active(period_years: int, first_year: int, last_year: int | None) -> np.ndarray:
    """Mask of years ``0 .. period_years`` between first_year and last_year inclusive."""
    if period_years < 1:
        raise ValueError(f"period_years must be >= 1 (got {period_years})")
    last = period_years if last_year is None else last_year
    if not 0 <= first_year <= last <= period_years:
        raise ValueError(
            f"years must satisfy 0 <= first_year <= last_year <= period_years "
            f"(got {first_year}, {last}, {period_years})"
        )
    years = np.arange(period_years + 1)
    return (years >= first_year) & (years <= last)


def _per_year(quantity: float | Sequence[float], period_years: int, what: str) -> np.ndarray:
    """A scalar repeated, or a sequence indexed by year ``0 .. period_years``."""
    array = np.asarray(quantity, dtype=float)
    if array.ndim == 0:
        return np.full(period_years + 1, float(array))
    if array.shape != (period_years + 1,):
        raise ValueError(
            f"{what} per year must have period_years + 1 = {period_years + 1} values, one per "
            f"year 0 .. {period_years} (got {array.shape[0]})"
        )
    return array


def _growth_index(period_years: int, growth: float) -> np.ndarray:
    """Real price index ``(1 + growth) ** t`` for years 0 .. period_years (base year = 1)."""
    if growth <= -1.0:
        raise ValueError(f"growth must be > -1 (got {growth})")
    return (1.0 + growth) ** np.arange(period_years + 1)


def annual_profile(
    amount: float | Sequence[float],
    *,
    period_years: int,
    first_year: int = 1,
    last_year: int | None = None,
    growth: float = 0.0,
) -> tuple[float, ...]:
    """Values for years ``0 .. period_years``: ``amount * (1 + growth) ** t`` in the active years.

    ``amount`` is a base-year price, either one value for every year or a sequence indexed by year
    (``period_years + 1`` values). ``growth`` is the real (relative) price change a year,
    compounded from the base year (year 0), whether or not the line is active then.
    """
    active = _years_active(period_years, first_year, last_year)
    values = _per_year(amount, period_years, "amount") * _growth_index(period_years, growth)
    return tuple(np.where(active, values, 0.0).tolist())


def staff_cost_per_fte(salary: float, shift_allowance: float = 0.0, on_costs: float = 0.0) -> float:
    """Employer's cost of one full-time equivalent a year.

    ``salary * (1 + shift_allowance) * (1 + on_costs)``: allowances (e.g. 0.125, 0.15 or 0.20 on
    the MPS scale) are paid on salary; employer on-costs (national insurance, pension, typically
    0.25-0.30) are charged on pay including allowances. All as fractions.
    """
    for label, share in (("shift_allowance", shift_allowance), ("on_costs", on_costs)):
        if not 0.0 <= share < 1.0:
            raise ValueError(f"{label} must be a fraction in [0, 1), e.g. 0.15 (got {share})")
    if salary < 0:
        raise ValueError(f"salary must be >= 0 (got {salary})")
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
    first_year: int = 1,
    last_year: int | None = None,
    growth: float = 0.0,
    note: str = "",
) -> CostLine:
    """Staff cost: ``fte * staff_cost_per_fte(salary, shift_allowance, on_costs)`` a year.

    ``fte`` is one figure or one per year (e.g. from the simulated roster); ``growth`` is real pay
    growth.
    """
    per_fte = staff_cost_per_fte(salary, shift_allowance, on_costs)
    amount = _per_year(fte, period_years, "fte") * per_fte
    return CostLine.annual(
        option,
        name,
        Category.STAFF,
        amount,
        period_years=period_years,
        first_year=first_year,
        last_year=last_year,
        growth=growth,
        note=note,
    )


def activity_line(
    option: str,
    name: str,
    *,
    unit_cost: float,
    volume: float | Sequence[float],
    period_years: int,
    category: Category | str = Category.OPERATING,
    first_year: int = 1,
    last_year: int | None = None,
    growth: float = 0.0,
    note: str = "",
) -> CostLine:
    """Running cost per unit of activity: ``unit_cost * volume`` a year.

    ``volume`` is the annual activity (tows, jobs, meals), e.g. a simulated replication's count
    scaled to a year; one figure or one per year.
    """
    amount = unit_cost * _per_year(volume, period_years, "volume")
    return CostLine.annual(
        option,
        name,
        category,
        amount,
        period_years=period_years,
        first_year=first_year,
        last_year=last_year,
        growth=growth,
        note=note,
    )


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

    The price in year ``y`` is ``unit_cost * units * (1 + growth) ** y`` (real price change); the
    residual value is a share of the price actually paid. Returns ``(purchases, residual)``: a
    ``capital`` line and a ``residual_value`` line, kept apart because optimism bias uplifts
    capital spending but not the credit.
    """
    if life_years < 1:
        raise ValueError(f"life_years must be >= 1 (got {life_years})")
    if not 0 <= purchase_year < period_years:
        raise ValueError(
            f"purchase_year must be in 0 .. period_years - 1 (got {purchase_year}, "
            f"period {period_years})"
        )
    price = unit_cost * units * _growth_index(period_years, growth)
    purchases = np.zeros(period_years + 1)
    year = purchase_year
    while year < period_years:
        purchases[year] = price[year]
        last_purchase = year
        year += life_years
    remaining = last_purchase + life_years - period_years
    residual = np.zeros(period_years + 1)
    if remaining > 0:
        residual[period_years] = -price[last_purchase] * remaining / life_years
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
    first_year: int = 1,
    last_year: int | None = None,
    growth: float = 0.0,
    note: str = "",
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
    if credit_per_breach < 0:
        raise ValueError(f"credit_per_breach must be >= 0 (got {credit_per_breach})")
    if credit_cap is not None and not 0.0 <= credit_cap <= 1.0:
        raise ValueError(f"credit_cap must be a fraction of the charges (got {credit_cap})")
    charges = np.full(period_years + 1, float(fixed_fee))
    for key, price in unit_prices.items():
        charges = charges + price * _per_year(volumes[key], period_years, f"volume {key!r}")
    credits = credit_per_breach * _per_year(breaches, period_years, "breaches")
    if credit_cap is not None:
        credits = np.minimum(credits, credit_cap * np.maximum(charges, 0.0))
    common = {
        "period_years": period_years,
        "first_year": first_year,
        "last_year": last_year,
        "growth": growth,
        "note": note,
    }
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
    first_year: int = 1,
    last_year: int | None = None,
    growth: float = 0.0,
    note: str = "",
) -> CostLine:
    """The retained client (contract management) team kept when a service is outsourced."""
    return CostLine.annual(
        option,
        name,
        Category.CLIENT_FUNCTION,
        annual_cost,
        period_years=period_years,
        first_year=first_year,
        last_year=last_year,
        growth=growth,
        note=note,
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
) -> CostLine:
    """One-off costs in given years, e.g. ``{0: procurement, 1: mobilisation}``, TUPE or
    redundancy costs, exit costs at the end of a contract."""
    values = np.zeros(period_years + 1)
    for year, amount in amounts.items():
        if not 0 <= year <= period_years:
            raise ValueError(
                f"{option}/{name}: year {year} is outside the appraisal years 0 .. {period_years}"
            )
        values[year] += amount
    values *= _growth_index(period_years, growth)
    return CostLine(option, name, Category(category), tuple(values.tolist()), note)


def income_line(
    option: str,
    name: str,
    *,
    charge: float,
    volume: float | Sequence[float],
    period_years: int,
    first_year: int = 1,
    last_year: int | None = None,
    growth: float = 0.0,
    note: str = "",
) -> CostLine:
    """Income (e.g. statutory removal and storage charges): ``-charge * volume`` a year.

    Statutory charges are fixed in cash between revisions, so in real terms ``growth`` is usually
    minus the expected inflation rate.
    """
    if charge < 0:
        raise ValueError(f"charge must be >= 0; income is stored as a negative cost (got {charge})")
    amount = -charge * _per_year(volume, period_years, "volume")
    return CostLine.annual(
        option,
        name,
        Category.INCOME,
        amount,
        period_years=period_years,
        first_year=first_year,
        last_year=last_year,
        growth=growth,
        note=note,
    )


# --------------------------------------------------------------------------------------------
# Optimism bias
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpliftRule:
    """Optimism bias uplift (percent) for one category, for one option or (``None``) all."""

    category: Category
    percent: float
    option: str | None = None

    def __post_init__(self) -> None:
        category = Category(self.category)
        if category in CREDIT_CATEGORIES:
            raise ValueError(f"optimism bias never applies to {category.value} (a receipt)")
        if not math.isfinite(self.percent) or not 0.0 <= self.percent <= 200.0:
            raise ValueError(
                f"optimism bias for {category.value} must be 0-200 % (got {self.percent})"
            )
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "percent", float(self.percent))


@dataclass(frozen=True)
class OptimismBias:
    """Optimism bias uplifts by cost category and option (Green Book 2003 paras 5.61-5.62;
    2018 edition Annex A5).

    A rule for one option overrides a rule for all options in the same category. The
    supplementary guidance (Table 1) gives upper and lower bounds: outsourcing projects, operating
    costs 0-41 %; capital costs for standard buildings 2-24 %, non-standard buildings 4-51 %,
    equipment and development 10-200 %. For an outsourced option the guidance's "operating costs"
    usually cover both its ``operating`` and ``contract`` lines: give a rule for each.
    Receipts (income, service credits, residual values) are never uplifted.
    """

    rules: tuple[UpliftRule, ...] = ()

    def __post_init__(self) -> None:
        rules = tuple(self.rules)
        keys = [(rule.option, rule.category) for rule in rules]
        duplicates = {key for key in keys if keys.count(key) > 1}
        if duplicates:
            raise ValueError(f"optimism bias given twice for {sorted(map(str, duplicates))}")
        object.__setattr__(self, "rules", rules)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str | tuple[str | None, str], float]) -> OptimismBias:
        """Build from percent by key, as in a scenario.

        A key is a category (``"capital"``: every option), ``"<option>_<category>"``
        (``"outsourced_operating"``, ``"in_house_staff"``) or an ``(option, category)`` tuple.
        """
        rules = []
        for key, percent in mapping.items():
            option, category = key if isinstance(key, tuple) else _parse_uplift_key(key)
            rules.append(UpliftRule(Category(category), float(percent), option))
        return cls(tuple(rules))

    def percent(self, option: str, category: Category | str) -> float:
        """Uplift in percent for a line of ``option`` in ``category`` (0 when no rule)."""
        category = Category(category)
        general = 0.0
        for rule in self.rules:
            if rule.category is category:
                if rule.option == option:
                    return rule.percent
                if rule.option is None:
                    general = rule.percent
        return general

    def uplift(self, option: str, category: Category | str) -> float:
        """Uplift as a fraction (20 % -> 0.2)."""
        return self.percent(option, category) / 100.0


NO_OPTIMISM_BIAS = OptimismBias()


def _parse_uplift_key(key: str) -> tuple[str | None, Category]:
    """``"capital"`` -> (None, capital); ``"outsourced_operating"`` -> ("outsourced", operating)."""
    for category in sorted(Category, key=lambda c: len(c.value), reverse=True):
        if key == category.value:
            return None, category
        suffix = "_" + category.value
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)], category
    known = ", ".join(c.value for c in Category if c not in CREDIT_CATEGORIES)
    raise ValueError(
        f"optimism bias key {key!r} is not '<category>' or '<option>_<category>' ({known})"
    )


def as_optimism_bias(
    setting: OptimismBias | Mapping[str | tuple[str | None, str], float] | None,
) -> OptimismBias:
    """``None`` -> no uplift; a mapping -> :meth:`OptimismBias.from_mapping`."""
    if setting is None:
        return NO_OPTIMISM_BIAS
    if isinstance(setting, OptimismBias):
        return setting
    return OptimismBias.from_mapping(setting)


OptimismBiasLike = OptimismBias | Mapping[str | tuple[str | None, str], float] | None


# --------------------------------------------------------------------------------------------
# Appraisal
# --------------------------------------------------------------------------------------------


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
    values = np.vstack([line.array(period_years) for line in lines])
    uplifts = np.array(
        [
            0.0
            if line.category in CREDIT_CATEGORIES
            else optimism_bias.uplift(line.option, line.category)
            for line in lines
        ]
    )
    return values, uplifts


def net_present_costs(
    lines: Sequence[CostLine],
    period_years: int,
    schedule: ScheduleLike = GREEN_BOOK,
    optimism_bias: OptimismBiasLike = None,
) -> dict[str, float]:
    """Present value of costs (after optimism bias) per option: the fast path of ``appraise``."""
    options = _check_lines(lines)
    values, uplifts = _arrays(lines, period_years, as_optimism_bias(optimism_bias))
    per_line = (values * discount_factors(period_years, schedule)).sum(axis=1) * (1.0 + uplifts)
    totals = dict.fromkeys(options, 0.0)
    for line, pv in zip(lines, per_line, strict=True):
        totals[line.option] += float(pv)
    return totals


@dataclass(frozen=True, eq=False)
class Appraisal:
    """Result of :func:`appraise`.

    ``cash_flows`` is tidy, one row per option, line and year ``0 .. period_years``, columns:
    ``option, line, category, year, calendar_year`` (when a base year is given), ``value`` (real
    cost before optimism bias), ``optimism_bias`` (the uplift amount), ``total`` (value + uplift),
    ``discount_factor`` and ``discounted`` (total x factor). The present value of costs of an
    option is the sum of its ``discounted`` column.
    """

    cash_flows: pd.DataFrame
    options: tuple[str, ...]
    period_years: int
    schedule: DiscountSchedule
    optimism_bias: OptimismBias
    base_year: int | None = None

    def present_values(self, baseline: str | None = DEFAULT_BASELINE) -> pd.DataFrame:
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
        ).reindex(list(self.options))
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


def compare(
    pv_frame: pd.DataFrame, baseline: str = DEFAULT_BASELINE, level: float = 0.95
) -> pd.DataFrame:
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


# --------------------------------------------------------------------------------------------
# Switching values and sensitivity (Green Book 2003 ch. 5 "Assessing uncertainty")
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Which lines a factor scales: by line name and/or category, in some options (None = all)."""

    line: str | None = None
    category: Category | None = None
    options: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.line is None and self.category is None:
            raise ValueError("a selection needs a line name or a category")
        if self.category is not None:
            object.__setattr__(self, "category", Category(self.category))
        if self.options is not None:
            object.__setattr__(self, "options", tuple(self.options))

    @classmethod
    def parse(cls, text: str, options: Iterable[str] | None = None) -> Selection:
        """A category name selects that category; anything else is a line name."""
        if text in {c.value for c in Category}:
            return cls(category=Category(text), options=None if options is None else tuple(options))
        return cls(line=text, options=None if options is None else tuple(options))

    @property
    def label(self) -> str:
        """Short text for tables."""
        what = self.line if self.line is not None else str(self.category)
        return what if self.options is None else f"{what} ({', '.join(self.options)})"

    def matches(self, line: CostLine) -> bool:
        """True if ``line`` is selected."""
        return (
            (self.line is None or line.name == self.line)
            and (self.category is None or line.category is self.category)
            and (self.options is None or line.option in self.options)
        )


def scale_lines(lines: Sequence[CostLine], selection: Selection, factor: float) -> list[CostLine]:
    """Lines with the selected ones multiplied by ``factor``; error if nothing is selected."""
    if not any(selection.matches(line) for line in lines):
        raise ValueError(f"no cost line matches {selection.label!r}")
    return [line.scaled(factor) if selection.matches(line) else line for line in lines]


def switching_value(
    lines: Sequence[CostLine],
    option: str,
    selection: Selection | str,
    *,
    period_years: int,
    baseline: str = DEFAULT_BASELINE,
    schedule: ScheduleLike = GREEN_BOOK,
    optimism_bias: OptimismBiasLike = None,
) -> float:
    """Factor on the selected lines at which ``option`` costs exactly as much as ``baseline``.

    A string selects a line name or category of ``option`` only; pass a :class:`Selection` to
    scale lines of several options at once (e.g. staff pay in both). PV is linear in the factor,
    so the switching value is exact: ``k = 1 - D / S`` where ``D`` is the option's PV minus the
    baseline's and ``S`` is the part of ``D`` carried by the selected lines. A factor below 0
    means no non-negative value of the variable changes the ranking. Errors if the selected lines
    do not move the difference.
    """
    if isinstance(selection, str):
        selection = Selection.parse(selection, options=(option,))
    schedule = as_schedule(schedule)
    optimism_bias = as_optimism_bias(optimism_bias)
    pvs = net_present_costs(lines, period_years, schedule, optimism_bias)
    for name in (option, baseline):
        if name not in pvs:
            raise ValueError(f"no option {name!r} among {list(pvs)}")
    difference = pvs[option] - pvs[baseline]
    selected = [line for line in lines if selection.matches(line)]
    if not selected:
        raise ValueError(f"no cost line matches {selection.label!r}")
    selected_pvs = net_present_costs(selected, period_years, schedule, optimism_bias)
    slope = selected_pvs.get(option, 0.0) - selected_pvs.get(baseline, 0.0)
    if abs(slope) <= 1e-12 * max(1.0, abs(pvs[option]), abs(pvs[baseline])):
        raise ValueError(
            f"scaling {selection.label!r} does not change {option} minus {baseline}: "
            "no switching value"
        )
    return 1.0 - difference / slope


def sensitivity(
    lines: Sequence[CostLine],
    variables: Iterable[Selection | str],
    *,
    period_years: int,
    change: float = 0.10,
    baseline: str = DEFAULT_BASELINE,
    schedule: ScheduleLike = GREEN_BOOK,
    optimism_bias: OptimismBiasLike = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity: each variable scaled by ``1 - change`` and ``1 + change``.

    A string variable is a category or line name, scaled in every option where it appears.
    Returns one row per variable, factor and option: ``variable, factor, option, pv, difference``
    (pv - baseline pv) and ``difference_change`` (against the central case).
    """
    if not 0.0 < change < 1.0:
        raise ValueError(f"change must be a fraction in (0, 1) (got {change})")
    schedule = as_schedule(schedule)
    optimism_bias = as_optimism_bias(optimism_bias)
    central = net_present_costs(lines, period_years, schedule, optimism_bias)
    if baseline not in central:
        raise ValueError(f"baseline {baseline!r} not among the options {list(central)}")
    central_diff = {option: pv - central[baseline] for option, pv in central.items()}
    rows = []
    for variable in variables:
        selection = Selection.parse(variable) if isinstance(variable, str) else variable
        for factor in (1.0 - change, 1.0 + change):
            scaled = scale_lines(lines, selection, factor)
            pvs = net_present_costs(scaled, period_years, schedule, optimism_bias)
            for option, pv in pvs.items():
                difference = pv - pvs[baseline]
                rows.append(
                    (
                        selection.label,
                        factor,
                        option,
                        pv,
                        difference,
                        difference - central_diff[option],
                    )
                )
    return pd.DataFrame(
        rows,
        columns=["variable", "factor", "option", "pv", "difference", "difference_change"],
    )
