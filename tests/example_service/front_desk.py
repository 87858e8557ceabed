"""A fourth, small service plugged in through the registry alone: a front desk (M/M/c).

Visitors arrive in a Poisson stream and wait for one of ``clerks`` clerks (exponential service).
In house, the force pays the clerks and consumables per visitor; outsourced, a fee per visitor
less credits for visitors who waited beyond the target. It shows what a service must declare.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal

import simpy
from pydantic import BaseModel, Field

from models.appraisal import CostLine, activity_line, contract_lines
from models.costing import DAYS_PER_YEAR, OptionBase, StaffSpec, Volumes, staff_cost_line, volume
from models.kit.checks import Expected, analytic_check
from models.kit.queueing import mmc
from models.kit.runs import HOURS_PER_DAY, ServiceRun
from models.kit.streams import Streams
from models.section import STRICT, Name, ServiceSection
from models.service import KeyMetric, Service, UnitCost


class _Model(BaseModel):
    model_config = STRICT


class PeriodSpec(_Model):
    warmup_days: Annotated[float, Field(ge=0)] = 1.0
    window_days: Annotated[float, Field(gt=0)] = 14.0


class DeskOption(OptionBase):
    provider: Literal["in_house", "contractor"]
    clerks: Annotated[int, Field(ge=1)]
    pay: StaffSpec = StaffSpec(salary=22_000.0, on_costs=0.25)
    cost_per_visitor: float = 0.5
    price_per_visitor: float = 6.0
    credit_per_late_visitor: float = 2.0

    def parts(self) -> dict[str, Any]:
        return {"desk": self}


_OPTIONS = {
    "in_house": DeskOption(label="In house", provider="in_house", clerks=2),
    "outsourced": DeskOption(label="Outsourced", provider="contractor", clerks=2),
}


class FrontDeskConfig(ServiceSection, _Model):
    """The ``front_desk:`` section."""

    visitors_per_hour: Annotated[float, Field(ge=0)] = 6.0
    service_minutes: Annotated[float, Field(gt=0)] = 12.0
    growth_per_year: float = 0.02
    target_wait_minutes: float = 10.0
    within_target: float = 0.8
    period: PeriodSpec = PeriodSpec()
    options: dict[Name, DeskOption] = _OPTIONS

    @property
    def demand_growth(self) -> float:
        return self.growth_per_year


@dataclass(frozen=True)
class DeskRun(ServiceRun[FrontDeskConfig, DeskOption]):
    service: ClassVar[str] = "front desk"


def _visitor(env: simpy.Environment, desk: simpy.Resource, hold: float, waits: list) -> Generator:
    arrived = env.now
    with desk.request() as turn:
        yield turn
        waits.append((arrived, env.now - arrived))
        yield env.timeout(hold)


def _source(env: simpy.Environment, run: DeskRun, streams: Streams, waits: list) -> Generator:
    config, desk = run.config, simpy.Resource(env, capacity=run.spec.clerks)
    rate = config.visitors_per_hour * config.demand_factor(run.year)
    arrivals, holds = streams["arrivals"], streams["service"]
    while rate > 0:
        yield env.timeout(arrivals.exponential(1.0 / rate))
        hold = holds.exponential(config.service_minutes / 60.0)
        env.process(_visitor(env, desk, hold, waits))


def simulate(run: DeskRun, streams: Streams) -> dict[str, float]:
    """Visitors a year, mean wait (minutes) and the share served within the target."""
    env, waits = simpy.Environment(), []
    env.process(_source(env, run, streams, waits))
    env.run(until=run.warmup_hours + run.window_hours)
    seen = [60.0 * w for t, w in waits if t >= run.warmup_hours]
    scale = DAYS_PER_YEAR * HOURS_PER_DAY / run.window_hours
    late = sum(w > run.config.target_wait_minutes for w in seen)
    out = {"visitors_per_year": len(seen) * scale, "late_visitors_per_year": late * scale}
    if seen:
        out["wait_mean_minutes"] = sum(seen) / len(seen)
        out["within_target_share"] = 1.0 - late / len(seen)
    return out


def volume_metrics(config: FrontDeskConfig, option: str) -> tuple[str, ...]:
    return ("visitors_per_year", "late_visitors_per_year")


def cost_lines(
    config: FrontDeskConfig, option: str, volumes: Volumes, period_years: int
) -> list[CostLine]:
    """In house: clerks and consumables; outsourced: the contract and its credits."""
    spec, n = config.options[option], period_years
    visitors = volume(volumes, "visitors_per_year")
    if spec.provider == "in_house":
        return [
            staff_cost_line(option, "clerks", fte=1.4 * spec.clerks, pay=spec.pay, period_years=n),
            activity_line(
                option, "consumables", unit_cost=spec.cost_per_visitor, volume=visitors,
                period_years=n,
            ),
        ]  # fmt: skip
    return list(
        contract_lines(
            option, "desk contract", unit_prices={"visitors": spec.price_per_visitor},
            volumes={"visitors": visitors}, credit_per_breach=spec.credit_per_late_visitor,
            breaches=volume(volumes, "late_visitors_per_year"), period_years=n,
        )
    )  # fmt: skip


def _verification_run() -> DeskRun:
    return DeskRun(
        FrontDeskConfig(period=PeriodSpec(warmup_days=2.0, window_days=60.0)), "in_house"
    )


@analytic_check(simulate, _verification_run, replications=10, tolerance=0.1)
def check_erlang_c(run: DeskRun) -> Expected:
    """The mean wait against Erlang C (M/M/2)."""
    theory = mmc(run.config.visitors_per_hour, 60.0 / run.config.service_minutes, 2)
    return Expected("M/M/2", "front desk, two clerks", "wait_mean_minutes", 60.0 * theory.mean_wait)


def _target(config: Any) -> float:
    return config.within_target


FRONT_DESK = Service(
    name="front_desk",
    title="Front desk",
    config_type=FrontDeskConfig,
    run_class=DeskRun,
    simulate=simulate,
    trace=simulate,
    volume_metrics=volume_metrics,
    cost_lines=cost_lines,
    checks=(check_erlang_c,),
    key_metrics=(
        KeyMetric("within_target_share", "Seen within target", "share", "higher", _target),
        KeyMetric("wait_mean_minutes", "Wait, mean", "minutes", "lower"),
    ),
    unit_cost=UnitCost("cost per visitor", "visitors_per_year"),
    interpolation_metrics=("visitors_per_year",),
    quick={"warmup_days": 0.5, "window_days": 3.0},
)
