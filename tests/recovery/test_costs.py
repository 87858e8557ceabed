"""Cost lines of the recovery options: fixed terms, simulated volumes, credits and income."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from models.appraisal import Category
from models.kit.replications import run_replications
from models.kit.streams import Streams
from models.recovery.config import InHouseExamination, InHouseRecovery, RecoveryConfig
from models.recovery.costs import (
    VOLUME_METRICS,
    cost_lines,
    examiner_fte,
    truck_crew_fte,
    trucks_owned,
)
from models.recovery.model import RecoveryRun, simulate
from models.recovery.service import SERVICE
from tests.support import by_name, first_replication

N = 10


def _volumes(value: float = 0.0, **overrides: float) -> dict[str, float]:
    return {**dict.fromkeys(VOLUME_METRICS, value), **overrides}


def test_staff_and_trucks_follow_the_rosters(config: RecoveryConfig) -> None:
    recovery = config.options["in_house"].recovery
    assert isinstance(recovery, InHouseRecovery)
    # per sector 8 h x 5 + 8 h x 4 + 8 h x 2 = 88 truck-hours a day, four sectors
    hours = 4 * 88 * 365
    assert truck_crew_fte(recovery) == pytest.approx(hours / 1650)
    assert trucks_owned(recovery) == 24  # 4 sectors x 5 on duty at peak x 1.2 spares
    examination = config.options["in_house"].examination
    assert isinstance(examination, InHouseExamination)
    weekly = 5 * 10 * 4 + 2 * 8 * 2
    assert examiner_fte(examination) == pytest.approx(weekly * 365 / 7 / 1650)


def test_zero_demand_gives_zero_variable_cost(
    mapping: dict[str, Any], short: Callable[..., RecoveryRun]
) -> None:
    changed = copy.deepcopy(mapping)
    changed["demand"]["annual_vehicles"] = 0
    config = RecoveryConfig.model_validate(changed)
    for option in config.options:
        metrics = simulate(short(config, option), Streams(1))
        volumes = {m: metrics[m] for m in VOLUME_METRICS}
        with_demand = cost_lines(config, option, _volumes(1000.0), N)
        without = cost_lines(config, option, volumes, N)
        for line, busy in zip(without, with_demand, strict=True):
            if line.category in (Category.INCOME, Category.SERVICE_CREDIT):
                assert not any(line.values), line.name
            elif line.category is Category.OPERATING and line.name.endswith(
                ("running costs", "handling", "storage", "disposals", "consumables")
            ):
                assert not any(line.values), line.name
                assert any(busy.values), line.name  # the line does carry volume costs
        # contract charges fall to the standing charge alone
        spec = config.options[option]
        for line in without:
            if line.category is Category.CONTRACT:
                part = line.name.split()[0]
                fee = getattr(spec, part).costs.standing_charge_per_year
                assert line.values[1:] == (fee,) * N, line.name


def test_contract_charges_are_fee_plus_prices_times_simulated_volumes(
    config: RecoveryConfig,
) -> None:
    jobs = {"urgent": 30_000, "routine": 4_000}
    volumes = _volumes(
        **{f"jobs_{category}_per_year": float(n) for category, n in jobs.items()},
        service_credits_per_year=500.0,
        vehicle_days_per_year=600_000.0,
        overflow_vehicle_days_per_year=1_000.0,
        disposed_per_year=9_000.0,
        exams_per_year=2_000.0,
    )
    lines = by_name(cost_lines(config, "outsourced", volumes, N))
    terms = config.options["outsourced"]
    recovery = terms.recovery.costs
    expected = recovery.standing_charge_per_year + sum(
        recovery.price_per_job[category] * n for category, n in jobs.items()
    )
    assert lines["recovery contract"].values[0] == 0  # nothing in the decision year
    assert lines["recovery contract"].values[1] == pytest.approx(expected)
    credits = lines["recovery contract service credits"].values[1]
    assert credits == pytest.approx(-min(recovery.credit_per_breach * 500, 0.1 * expected))
    storage = terms.storage.costs
    assert lines["storage contract"].values[5] == pytest.approx(
        storage.standing_charge_per_year
        + storage.price_per_vehicle_day * 600_000
        + storage.overflow_price_per_vehicle_day * 1_000
        + storage.price_per_disposal * 9_000
    )
    assert lines["examination contract"].values[1] == pytest.approx(
        terms.examination.costs.standing_charge_per_year
        + terms.examination.costs.price_per_exam * 2_000
    )
    # the client function and transition costs are the lines every option has (Service.lines)
    assert "client function" not in lines
    every = by_name(SERVICE.lines(config, "outsourced", volumes, N))
    assert every["client function"].values[1] == terms.client_function.annual_cost
    assert every["procurement"].values[0] == terms.transition["procurement"].amount


def test_income_is_the_statutory_charges_actually_paid(config: RecoveryConfig) -> None:
    volumes = _volumes(
        paid_removals_per_year=25_000.0,
        paid_storage_days_per_year=140_000.0,
        paid_disposals_per_year=1_400.0,
    )
    lines = by_name(cost_lines(config, "in_house", volumes, N))
    charges = config.charges
    growth = 1 + charges.real_growth
    assert lines["removal charges"].values[1] == pytest.approx(-150 * 25_000 * growth)
    assert lines["storage charges"].values[2] == pytest.approx(-20 * 140_000 * growth**2)
    assert lines["disposal charges"].values[1] == pytest.approx(-50 * 1_400 * growth)


def test_each_breach_earns_a_30_pound_credit(config: RecoveryConfig) -> None:
    calm = by_name(cost_lines(config, "mixed", _volumes(1000.0, service_credits_per_year=0), N))
    late = by_name(cost_lines(config, "mixed", _volumes(1000.0, service_credits_per_year=50), N))
    assert not any(calm["recovery contract service credits"].values)
    assert late["recovery contract service credits"].values[1] == pytest.approx(-30 * 50)


def test_cost_per_vehicle_recovered_is_plausible(config: RecoveryConfig) -> None:
    """Replication 0 of simulated volumes: between £50 and £1,000 per vehicle recovered (the
    appraisal of replications itself is a contract test)."""
    runs = SERVICE.appraisal_runs(config, N, warmup_days=7, window_days=14)
    volumes = run_replications(simulate, runs, replications=1, seed=4, jobs=1, progress=False)
    by_run = first_replication(volumes)
    lines = SERVICE.build_lines(config, N)(by_run)
    for option in config.options:
        jobs = np.array([0.0] + [by_run[f"{option}@1"]["jobs_per_year"]] * N)
        per_vehicle = SERVICE.unit_cost(
            [ln for ln in lines if ln.option == option], {"jobs_per_year": jobs}, N
        )
        assert 50 < per_vehicle < 1000
