"""Discounting: the HM Treasury Green Book schedule of real discount rates, and present values.

Costs are discounted to year 0 (the base year, the decision point), one sum a year with the
factor for that year (end-of-year convention). The schedule is defined once, here, as
:data:`GREEN_BOOK`; a scenario's ``discount: green_book`` setting resolves to that very object.

References: HM Treasury, *The Green Book* (2003, updated 2011: the edition in force in 2012-13)
ch. 5 "Discounting" and Annex 6 Table 6.1; the 2018 and 2022 editions (Annex A6) keep the same
schedule.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

__all__ = [
    "GREEN_BOOK",
    "DiscountSchedule",
    "DiscountStep",
    "ScheduleLike",
    "as_schedule",
    "discount_factors",
    "present_value",
]


class DiscountStep(NamedTuple):
    """From ``from_year`` (year 0 = the base year) on, discount at ``rate`` a year (real)."""

    from_year: int
    rate: float


@dataclass(frozen=True)
class DiscountSchedule:
    """Real discount rates by year: ``steps`` are ``(from_year, rate)`` pairs, rates as fractions.

    The rate of a step applies to every year from ``from_year`` up to the next step. The rate for
    year ``t`` discounts from year ``t - 1`` to year ``t``; year 0 is never discounted, so the
    first step must start at year 0 or 1. Steps are given as pairs and kept as
    :class:`DiscountStep`; iterating a schedule yields its steps.
    """

    steps: tuple[DiscountStep, ...]

    def __post_init__(self) -> None:
        steps = tuple(DiscountStep(int(year), float(rate)) for year, rate in self.steps)
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

    def __iter__(self) -> Iterator[DiscountStep]:
        return iter(self.steps)

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
#: 1.5 % 201-300, 1.0 % after (Green Book 2003, Annex 6 Table 6.1; 2018 and 2022 editions,
#: Annex A6). Grade S in ``data/sources.yaml``. The workbook's only copy of the table: the
#: scenario setting ``discount: green_book`` resolves to this object.
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
    return _factors(last_year, as_schedule(schedule))


@functools.lru_cache(maxsize=256)
def _factors(last_year: int, schedule: DiscountSchedule) -> np.ndarray:
    """:func:`discount_factors`, computed once per period and schedule (every replication and
    uncertainty sample asks for the same ones); read-only, since it is shared."""
    rates = schedule.rates(last_year)
    factors = np.ones(last_year + 1)
    factors[1:] = 1.0 / np.cumprod(1.0 + rates[1:])
    factors.flags.writeable = False
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
