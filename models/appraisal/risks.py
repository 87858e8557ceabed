"""The risk register: priced risks, who bears each under an option, and the client's expected cost.

Risk costs are "the costs of risks materialising, avoiding risks, sharing risks and mitigating
risks, estimated on an expected likelihood basis" (Green Book 2018 para 2.16; Annex A5 on risk
registers and the expected value of a risk). Each risk arises in one part of a service (or the
whole service) and only under the providers it names (a contractor failing at go-live needs a
contractor); its expected cost is its likelihood times the mean of its impact range (low, most
likely, high: the triangular mean). When a contractor provides the part, it bears
``transferred_share`` of the impact, so the force's expected cost falls by what the contract
transfers, whatever the option is called; the contractor prices that share into its bid (the
risk premium of :mod:`models.appraisal.should_cost`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.appraisal.cost_lines import Category, CostLine, Provider

__all__ = ["Risk", "risk_lines", "risk_register"]


@dataclass(frozen=True)
class Risk:
    """One priced risk.

    ``likelihood`` is a probability a year (``per_year``) or of happening once, in ``year``;
    ``impact`` is ``(low, most likely, high)`` in pounds at base-year prices."""

    name: str
    likelihood: float
    impact: tuple[float, float, float]
    part: str | None = None
    """The part of the service it arises in (``None``: the whole service)."""
    arises_under: frozenset[Provider] = frozenset()
    """Providers of that part under which it can arise (empty: any)."""
    per_year: bool = True
    year: int = 1
    transferred_share: float = 0.0
    """Share of the impact a contractor bears when it provides the part."""
    on_change: bool = False
    """It arises only where an option changes who provides the part (a transfer's risks)."""
    description: str = ""
    grade: str = "E"

    def __post_init__(self) -> None:
        low, likely, high = (float(v) for v in self.impact)
        if not (0.0 <= low <= likely <= high and math.isfinite(high)):
            raise ValueError(f"risk {self.name!r}: impact must be 0 <= low <= likely <= high")
        for label, value in (
            ("likelihood", self.likelihood),
            ("transferred_share", self.transferred_share),
        ):
            if not math.isfinite(value) or not 0.0 <= value <= 1.0:
                raise ValueError(f"risk {self.name!r}: {label} must be in [0, 1] (got {value})")
        object.__setattr__(self, "impact", (low, likely, high))
        object.__setattr__(self, "arises_under", frozenset(Provider(p) for p in self.arises_under))

    @property
    def mean_impact(self) -> float:
        """The mean of a triangular distribution on the impact range."""
        return math.fsum(self.impact) / 3.0

    @property
    def expected_value(self) -> float:
        """Likelihood x mean impact: a year (``per_year``) or once."""
        return self.likelihood * self.mean_impact

    def provider(self, providers: Mapping[str, Provider]) -> Provider | None:
        """Who provides the risk's part under an option (``None``: the option has no such
        part); for a risk of the whole service, the contractor if it provides every part, else
        the force."""
        if self.part is None:
            every = set(providers.values())
            return Provider.CONTRACTOR if every == {Provider.CONTRACTOR} else Provider.FORCE
        return providers.get(self.part)

    def arises(
        self, providers: Mapping[str, Provider], today: Mapping[str, Provider] | None = None
    ) -> bool:
        """Whether it can arise under an option: the option has its part, provided by one of
        the providers it arises under, and (``on_change``) by another provider than ``today``'s,
        business as usual's."""
        provider = self.provider(providers)
        if provider is None or (self.arises_under and provider not in self.arises_under):
            return False
        return not (self.on_change and today is not None and self.provider(today) == provider)

    def retained_share(self, providers: Mapping[str, Provider]) -> float:
        """The share of the impact the force bears under an option."""
        contracted = self.provider(providers) is Provider.CONTRACTOR
        return 1.0 - self.transferred_share if contracted else 1.0


def _values(risk: Risk, amount: float, period_years: int) -> tuple[float, ...]:
    values = np.zeros(period_years + 1)
    if risk.per_year:
        values[1:] = amount
    elif 0 <= risk.year <= period_years:
        values[risk.year] = amount
    else:
        raise ValueError(f"risk {risk.name!r}: year {risk.year} outside 0 .. {period_years}")
    return tuple(values.tolist())


def risk_lines(
    option: str,
    risks: Iterable[Risk],
    providers: Mapping[str, Provider],
    period_years: int,
    today: Mapping[str, Provider] | None = None,
) -> list[CostLine]:
    """One ``risk`` line per risk that arises under ``option``: the expected cost the force
    retains, every operating year or in the risk's year. Risk lines are never uplifted for
    optimism bias (they replace it for what they price)."""
    lines = []
    for risk in risks:
        if not risk.arises(providers, today):
            continue
        retained = risk.expected_value * risk.retained_share(providers)
        lines.append(
            CostLine(
                option,
                f"risk: {risk.name}",
                Category.RISK,
                _values(risk, retained, period_years),
                risk.description,
                Provider.FORCE,
            )
        )
    return lines


def risk_register(
    options: Mapping[str, Mapping[str, Provider]],
    risks: Iterable[Risk],
    today: Mapping[str, Provider] | None = None,
) -> pd.DataFrame:
    """The register: one row per risk and option (``today``: business as usual's providers,
    for risks that arise only on a change), ``risk, option, arises, bearer, likelihood,
    per_year, low, likely, high, expected`` (the whole expected cost), ``transferred`` (what
    the contractor bears) and ``retained`` (what the force bears), each a year or once."""
    rows = []
    for risk in tuple(risks):
        for option, providers in options.items():
            arises = risk.arises(providers, today)
            retained_share = risk.retained_share(providers) if arises else 0.0
            expected = risk.expected_value if arises else 0.0
            if not arises:
                bearer = "does not arise"
            elif retained_share == 1.0:
                bearer = "force"
            elif retained_share == 0.0:
                bearer = "contractor"
            else:
                bearer = f"shared (contractor {1 - retained_share:.0%})"
            rows.append(
                {
                    "risk": risk.name,
                    "option": option,
                    "arises": arises,
                    "bearer": bearer,
                    "likelihood": risk.likelihood,
                    "per_year": risk.per_year,
                    "low": risk.impact[0],
                    "likely": risk.impact[1],
                    "high": risk.impact[2],
                    "expected": expected,
                    "transferred": expected * (1.0 - retained_share),
                    "retained": expected * retained_share,
                    "grade": risk.grade,
                }
            )
    return pd.DataFrame(rows)
