"""A bundle's cost lines: one contractor taking several services for one discounted contract.

For each bundled service the lines are that service's chosen option's own, with two changes
and nothing else:

- every contract charge the contractor provides (category ``contract``) is reduced by the
  bundle ``discount``: the economies of scope a contractor offers for the larger contract;
  service credits, which follow the charges and are transfers (Green Book 2018 para 6.7), are
  kept as they are and stay out of the economic case;
- each service's own client function (the force's contract-management team) is dropped; one
  shared client function (:func:`shared_client_function`) manages the bundle instead, in the
  years any of the dropped ones ran.

Transition, relet, risk and asset lines stay each service's own, so a bundle is never credited
with savings the scenario does not state. Optimism bias then applies to the bundle's lines by
who provides them, like any option's (Green Book 2018 paras 5.61-5.64): a bundle is appraised as
an option, not adjusted afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from models.appraisal import Category, CostLine, Provider

__all__ = ["bundle_lines", "client_functions", "shared_client_function"]


def bundle_lines(
    lines: Sequence[CostLine], option: str, *, service: str, discount: float
) -> list[CostLine]:
    """One service's lines of its bundled option, moved to ``option`` and named
    ``"<service>: <line>"`` (two services may both have a ``redundancy`` line), with the
    contractor's charges discounted and its own client function left out (module notes)."""
    if not 0 <= discount < 1:
        raise ValueError(f"a bundle discount is a share in [0, 1) (got {discount})")
    out = []
    for line in lines:
        if line.category is Category.CLIENT_FUNCTION:
            continue
        kept = line.scaled(1.0 - discount) if _discounted(line) else line
        out.append(replace(kept, option=option, name=f"{service}: {line.name}"))
    return out


def shared_client_function(
    option: str,
    dropped: Sequence[CostLine],
    *,
    annual_cost: float,
    real_growth: float = 0.0,
    period_years: int,
) -> CostLine:
    """The bundle's one client team: ``annual_cost`` a year (real, growing at ``real_growth``
    from the base year) in every year any of the ``dropped`` client functions ran."""
    active = np.zeros(period_years + 1, dtype=bool)
    for line in dropped:
        values = np.asarray(line.values[: period_years + 1])
        active[: values.size] |= values != 0
    years = np.arange(period_years + 1)
    values = np.where(active, annual_cost * (1.0 + real_growth) ** years, 0.0)
    return CostLine(
        option,
        "shared client function",
        Category.CLIENT_FUNCTION,
        tuple(values.tolist()),
        note="one contract-management team for the bundle, in place of each service's own",
        provider=Provider.FORCE,
    )


def client_functions(lines: Sequence[CostLine]) -> list[CostLine]:
    """The client-function lines among ``lines`` (what a bundle replaces)."""
    return [line for line in lines if line.category is Category.CLIENT_FUNCTION]


def _discounted(line: CostLine) -> bool:
    return line.category is Category.CONTRACT and line.provider is Provider.CONTRACTOR
