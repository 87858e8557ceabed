"""Optimism bias: an uplift on every option's costs, by project type, less the mitigation claimed.

The Green Book asks for explicit adjustments for optimism bias at the outset of an appraisal,
on the costs of every option, reduced as the appraisal develops and specific risks are costed
(Green Book 2018 paras 5.43-5.46; 2003 paras 5.61-5.63 and Annex 4; supplementary guidance
*Optimism bias*, HM Treasury 2003). The supplementary guidance gives, for each generic project
type, an upper bound (the uplift at the start, Table 1) and the contributory factors behind it,
each with its share of the bound (the Mott MacDonald study, 2002). The uplift of a line is

    upper bound x (1 - sum over factors of share x mitigation),

never below the type's lower bound, where ``mitigation`` (0-1) is how far the scenario claims
each factor is managed, with a reason and a grade (the guidance's "mitigation factor").

Which project type a line belongs to follows who provides it (the force or a contractor) and its
cost category, never the option's name: two options with the same line get the same uplift.
Receipts and transfers are never uplifted; nor is a figure already stated as an upper bound, nor
a priced risk (the risk register replaces optimism bias for what it prices). When the scenario
says the risk register has replaced optimism bias (a mature case), every uplift is zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from models.appraisal.cost_lines import CREDIT_CATEGORIES, Category, CostLine, Provider

__all__ = [
    "NO_OPTIMISM_BIAS",
    "PROJECT_TYPES",
    "ContributoryFactor",
    "OptimismBias",
    "OptimismBiasLike",
    "ProjectType",
    "UpliftGroup",
    "as_optimism_bias",
    "uniform",
]


@dataclass(frozen=True)
class ProjectType:
    """A generic project type of the supplementary guidance (Table 1): its bounds in percent,
    on capital (works) costs or on operating costs."""

    name: str
    upper: float
    lower: float
    applies_to: str
    """``capital`` or ``operating`` costs."""


#: HM Treasury, *Supplementary Green Book guidance: optimism bias* (2003), Table 1 (after Mott
#: MacDonald, *Review of large public procurement in the UK*, 2002): capital-expenditure bounds
#: for works and equipment, operating-cost bounds for outsourcing. Grade S in
#: ``data/evidence/facts.md`` ("Appraisal method").
PROJECT_TYPES: dict[str, ProjectType] = {
    p.name: p
    for p in (
        ProjectType("standard_buildings", 24.0, 2.0, "capital"),
        ProjectType("non_standard_buildings", 51.0, 4.0, "capital"),
        ProjectType("standard_civil_engineering", 44.0, 3.0, "capital"),
        ProjectType("non_standard_civil_engineering", 66.0, 6.0, "capital"),
        ProjectType("equipment_development", 200.0, 10.0, "capital"),
        ProjectType("outsourcing", 41.0, 0.0, "operating"),
    )
}


@dataclass(frozen=True)
class ContributoryFactor:
    """One contributory factor of a project type's bound: its share of the bound, and how far
    the scenario claims it is mitigated (0 none, 1 wholly), with the reason and its grade."""

    name: str
    share: float
    mitigation: float = 0.0
    reason: str = ""
    grade: str = "E"

    def __post_init__(self) -> None:
        for label, value in (("share", self.share), ("mitigation", self.mitigation)):
            if not math.isfinite(value) or not 0.0 <= value <= 1.0:
                raise ValueError(f"{self.name}: {label} must be in [0, 1] (got {value})")


@dataclass(frozen=True)
class UpliftGroup:
    """The lines of one kind (by provider and category) and the project type whose bound and
    contributory factors set their uplift.

    ``providers`` and ``categories`` select lines (empty: any). The factors' shares add up to
    at most 1; the rest of the bound, if any, is unmitigated."""

    name: str
    project_type: str
    categories: frozenset[Category]
    providers: frozenset[Provider] = frozenset()
    factors: tuple[ContributoryFactor, ...] = ()

    def __post_init__(self) -> None:
        if self.project_type not in PROJECT_TYPES:
            known = ", ".join(PROJECT_TYPES)
            raise ValueError(f"{self.name}: unknown project type {self.project_type!r} ({known})")
        categories = frozenset(Category(c) for c in self.categories)
        if categories & CREDIT_CATEGORIES or Category.RISK in categories:
            raise ValueError(f"{self.name}: receipts and priced risks are never uplifted")
        object.__setattr__(self, "categories", categories)
        object.__setattr__(self, "providers", frozenset(Provider(p) for p in self.providers))
        object.__setattr__(self, "factors", tuple(self.factors))
        total = math.fsum(f.share for f in self.factors)
        if total > 1.0 + 1e-9:
            raise ValueError(f"{self.name}: factor shares add up to {total:g}, more than 1")

    @property
    def bound(self) -> ProjectType:
        return PROJECT_TYPES[self.project_type]

    @property
    def mitigation(self) -> float:
        """The mitigation factor: the share of the bound the claimed mitigation removes."""
        return math.fsum(f.share * f.mitigation for f in self.factors)

    @property
    def percent(self) -> float:
        """The uplift: upper bound x (1 - mitigation factor), at least the lower bound."""
        bound = self.bound
        return max(bound.lower, bound.upper * (1.0 - self.mitigation))

    def matches(self, line: CostLine) -> bool:
        """Whether ``line`` is of one of the group's categories and providers (empty: any)."""
        return (not self.categories or line.category in self.categories) and (
            not self.providers or line.provider in self.providers
        )


@dataclass(frozen=True)
class OptimismBias:
    """The uplift of every line, from the first group that matches it (none: no uplift).

    ``replaced_by_risk_register``: the case has matured and its priced risks replace optimism
    bias (Green Book 2018 para 5.44), so no line is uplifted; ``scale`` multiplies every uplift
    (used to find the optimism bias at which a ranking switches)."""

    groups: tuple[UpliftGroup, ...] = ()
    replaced_by_risk_register: bool = False
    scale: float = 1.0

    def __post_init__(self) -> None:
        groups = tuple(self.groups)
        names = [g.name for g in groups]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"optimism-bias groups named twice: {', '.join(twice)}")
        if not math.isfinite(self.scale) or self.scale < 0:
            raise ValueError(f"scale must be >= 0 (got {self.scale})")
        object.__setattr__(self, "groups", groups)

    def group(self, line: CostLine) -> UpliftGroup | None:
        """The group whose uplift applies to ``line`` (``None``: not uplifted)."""
        if (
            line.category in CREDIT_CATEGORIES
            or line.category is Category.RISK
            or line.transfer
            or line.upper_bound
        ):
            return None
        return next((g for g in self.groups if g.matches(line)), None)

    def percent(self, line: CostLine) -> float:
        """Uplift of ``line`` in percent."""
        if self.replaced_by_risk_register:
            return 0.0
        group = self.group(line)
        return 0.0 if group is None else group.percent * self.scale

    def uplift(self, line: CostLine) -> float:
        """Uplift of ``line`` as a fraction (20 % -> 0.2)."""
        return self.percent(line) / 100.0

    def scaled(self, scale: float) -> OptimismBias:
        """The same rules with every uplift multiplied by ``scale`` (on top of any scale they
        already carry, as :func:`uniform`'s do)."""
        return OptimismBias(self.groups, self.replaced_by_risk_register, self.scale * scale)

    def derivation(self) -> pd.DataFrame:
        """The mitigation calculation of every group, one row per contributory factor:
        ``group, project_type, upper, lower, factor, share, mitigation, reduction`` (share x
        mitigation x upper, in points), ``reason, grade`` and the group's ``uplift``."""
        rows = []
        for g in self.groups:
            bound = g.bound
            factors = g.factors or (ContributoryFactor("(not broken down)", 1.0),)
            uplift = 0.0 if self.replaced_by_risk_register else g.percent * self.scale
            for f in factors:
                rows.append(
                    {
                        "group": g.name,
                        "project_type": g.project_type,
                        "upper": bound.upper,
                        "lower": bound.lower,
                        "factor": f.name,
                        "share": f.share,
                        "mitigation": f.mitigation,
                        "reduction": f.share * f.mitigation * bound.upper,
                        "reason": f.reason,
                        "grade": f.grade,
                        "uplift": uplift,
                    }
                )
        return pd.DataFrame(rows)


NO_OPTIMISM_BIAS = OptimismBias()

OptimismBiasLike = OptimismBias | None


def as_optimism_bias(setting: OptimismBiasLike) -> OptimismBias:
    """``None`` -> no uplift."""
    return NO_OPTIMISM_BIAS if setting is None else setting


def uniform(percent: float, categories: Iterable[Category | str] | None = None) -> OptimismBias:
    """One flat uplift on every line of ``categories`` (default: every cost category), whoever
    provides it: for tests and what-ifs, as an unmitigated outsourcing-type bound would be."""
    chosen = frozenset(
        Category(c)
        for c in (categories if categories is not None else Category)
        if Category(c) not in CREDIT_CATEGORIES and Category(c) is not Category.RISK
    )
    if not chosen:  # no category to uplift (an empty group would match every line)
        return NO_OPTIMISM_BIAS
    group = UpliftGroup("flat", "outsourcing", chosen)
    return OptimismBias((group,), scale=percent / group.percent if group.percent else 0.0)
