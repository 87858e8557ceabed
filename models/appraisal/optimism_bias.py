"""Optimism bias: uplifts on cost estimates, by cost category and option.

The one optimism-bias type of the workbook. A scenario states its uplifts (percent per category,
validated by :mod:`models.scenario`) and turns them into an :class:`OptimismBias` here, through
:func:`as_optimism_bias`; :func:`models.appraisal.appraise` applies the uplift to the un-uplifted
line values every time, so summing its output cannot apply it twice.

References: HM Treasury, *The Green Book* (2003 paras 5.61-5.62; 2018 and 2022 editions, Annex
A5); *Supplementary Green Book guidance: optimism bias* (HM Treasury, 2003, after the Mott
MacDonald study), Table 1: upper bounds at the start of an appraisal, reduced only with
evidence that the risks are managed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from models.appraisal.cost_lines import CREDIT_CATEGORIES, Category

__all__ = [
    "NO_OPTIMISM_BIAS",
    "OptimismBias",
    "OptimismBiasLike",
    "UpliftRule",
    "as_optimism_bias",
]


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
