"""Switching values and one-at-a-time sensitivity (Green Book 2003 ch. 5 "Assessing uncertainty").

A :class:`Selection` picks cost lines by name and/or category; scaling them by a factor and
re-appraising shows how far an estimate may move before the ranking against the baseline
changes (the switching value) and how much a +/- change moves each difference.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from models.appraisal.cost_lines import Category, CostLine
from models.appraisal.discounting import GREEN_BOOK, ScheduleLike, as_schedule
from models.appraisal.optimism_bias import OptimismBiasLike, as_optimism_bias
from models.appraisal.results import net_present_costs

__all__ = ["Selection", "optimism_bias_switch", "scale_lines", "sensitivity", "switching_value"]


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
    baseline: str,
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
    baseline: str,
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


def optimism_bias_switch(
    lines: Sequence[CostLine],
    *,
    period_years: int,
    schedule: ScheduleLike = GREEN_BOOK,
    optimism_bias: OptimismBiasLike = None,
) -> tuple[list[str], list[str], float]:
    """What the ranking rests on: the options cheapest first with the scenario's optimism bias
    and without it, and the scale of that optimism bias (1 = as derived, 0 = none) at which the
    first place changes hands, ``inf`` if no scale does.

    The present value of each option is linear in the scale ``k``: ``B + k U`` (``B`` before
    uplift, ``U`` the uplift), so each rival's crossing point is exact."""
    schedule = as_schedule(schedule)
    bias = as_optimism_bias(optimism_bias)
    before = net_present_costs(lines, period_years, schedule, bias.scaled(0.0))
    after = net_present_costs(lines, period_years, schedule, bias)
    uplift = {option: after[option] - before[option] for option in after}
    with_bias = sorted(after, key=after.__getitem__)
    without = sorted(before, key=before.__getitem__)
    first = with_bias[0]
    switch = math.inf
    for rival in with_bias[1:]:
        slope = uplift[first] - uplift[rival]
        if slope > 0:
            switch = min(switch, max(0.0, (before[rival] - before[first]) / slope))
    if without[0] != first:
        # Cheapest only with the uplift: below some scale the rival that leads without it wins.
        crossings = [
            (before[first] - before[rival]) / (uplift[rival] - uplift[first])
            for rival in with_bias[1:]
            if uplift[rival] > uplift[first]
        ]
        switch = max(crossings) if crossings else math.nan
    return with_bias, without, switch
