"""Cost lines: one option's real-terms costs (or receipts) a year, by category.

Prices are real terms, constant prices of the scenario's base year with general inflation
removed (Green Book 2003 ch. 5, "Adjustments to values of costs and benefits"). A relative price
change is a real ``growth`` rate per line, compounded from the base year: the value in year ``t``
is ``base value * (1 + growth) ** t``. Positive values are costs, negative values receipts.
Optimism bias is never stored on a line (see :mod:`models.appraisal.optimism_bias`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

__all__ = [
    "CREDIT_CATEGORIES",
    "TRANSFER_CATEGORIES",
    "Category",
    "CostLine",
    "Provider",
    "annual_profile",
    "growth_index",
    "per_year",
]


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
    RELET = "relet"
    """Re-procuring a contract at the end of its term: a cost of running any contract."""
    DISPOSAL = "disposal"
    """The receipt from selling assets an option gives up (their opportunity cost)."""
    RISK = "risk"
    """The expected value of the priced risks the force bears (its risk register)."""


#: Receipts (negative costs): never positive and never uplifted for optimism bias.
CREDIT_CATEGORIES = frozenset(
    {Category.INCOME, Category.SERVICE_CREDIT, Category.RESIDUAL_VALUE, Category.DISPOSAL}
)

#: Categories that are always a transfer between parties, never a use of resources: a service
#: credit moves money from the contractor to the force for a service already costed (Green Book
#: 2018 paras 6.7-6.8). Other lines are transfers when built with ``transfer=True`` (redundancy,
#: para 6.9; statutory charges).
TRANSFER_CATEGORIES = frozenset({Category.SERVICE_CREDIT})


class Provider(StrEnum):
    """Who provides what a line pays for: optimism bias follows it, never an option's name."""

    FORCE = "force"
    CONTRACTOR = "contractor"


#: Who provides a line when its builder does not say: the contractor for contract charges and
#: their credits, the force for everything else (its staff, running costs, assets, client team).
_CONTRACTOR_CATEGORIES = frozenset({Category.CONTRACT, Category.SERVICE_CREDIT})


@dataclass(frozen=True)
class CostLine:
    """One line of an option's costs: real-terms values for years ``0, 1, 2, ...``.

    ``values[t]`` is the cost in year ``t`` at base-year prices (positive = cost, negative =
    receipt); years beyond ``len(values)`` are zero. ``note`` carries the source or assumption for
    reports. Build lines with :meth:`annual` or the builders of
    :mod:`models.appraisal.line_builders` (:func:`staff_line`, :func:`asset_lines`, ...).

    ``provider`` says who provides what the line pays for (the force unless the line is a
    contract charge or its credits); ``transfer`` marks a payment between parties that uses no
    resources (kept out of the economic case, in the financial case); ``upper_bound`` marks a
    figure that is already an upper bound ("up to"), which optimism bias does not raise again.
    """

    option: str
    name: str
    category: Category
    values: tuple[float, ...]
    note: str = ""
    provider: Provider | None = None
    transfer: bool = False
    upper_bound: bool = False

    def __post_init__(self) -> None:
        if not self.option or not self.name:
            raise ValueError("a cost line needs an option and a name")
        try:
            category = self.category if type(self.category) is Category else Category(self.category)
        except ValueError:
            known = ", ".join(c.value for c in Category)
            raise ValueError(
                f"{self.option}/{self.name}: unknown category {self.category!r} ({known})"
            ) from None
        array = np.asarray(self.values, dtype=float).ravel()
        if not np.isfinite(array).all():
            raise ValueError(f"{self.option}/{self.name}: values must be finite")
        values = tuple(array.tolist())
        if category in CREDIT_CATEGORIES and any(v > 0 for v in values):
            raise ValueError(
                f"{self.option}/{self.name}: {category.value} is a receipt, so its values must be "
                "negative (or zero)"
            )
        object.__setattr__(self, "category", category)
        object.__setattr__(self, "values", values)
        if self.provider is None:
            inferred = category in _CONTRACTOR_CATEGORIES
            object.__setattr__(
                self, "provider", Provider.CONTRACTOR if inferred else Provider.FORCE
            )
        elif type(self.provider) is not Provider:
            object.__setattr__(self, "provider", Provider(self.provider))
        if category in TRANSFER_CATEGORIES:
            object.__setattr__(self, "transfer", True)

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
        provider: Provider | None = None,
        transfer: bool = False,
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
        return cls(option, name, Category(category), values, note, provider, transfer)

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


def per_year(quantity: float | Sequence[float], period_years: int, what: str) -> np.ndarray:
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


def growth_index(period_years: int, growth: float) -> np.ndarray:
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
    values = per_year(amount, period_years, "amount") * growth_index(period_years, growth)
    return tuple(np.where(active, values, 0.0).tolist())
