"""Cost lines of the catering options: fixed terms, simulated volumes, credits and takings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from models.appraisal import Category, appraise
from models.catering.config import CateringConfig, InHouseFeeding, InHouseRestaurants
from models.catering.costs import (
    cost_lines,
    event_staff_hours,
    feeding_fte,
    restaurant_fte,
    subsidy_per_cover,
    vans_owned,
    volume_metrics,
)
from models.catering.model import CateringRun, simulate
from models.catering.service import SERVICE
from models.kit.replications import run_replications
from models.kit.streams import Streams
from tests.support import by_name, first_replication, variant_of

N = 10
HOURS_TO_FTE = 365 / 7 / 1650

variant = variant_of(CateringConfig)


def _volumes(config: CateringConfig, value: float = 0.0, **overrides: float) -> dict[str, float]:
    return {**dict.fromkeys(volume_metrics(config, "in_house"), value), **overrides}


def test_staff_follow_the_rosters(config: CateringConfig) -> None:
    restaurants = config.options["in_house"].restaurants
    assert isinstance(restaurants, InHouseRestaurants)
    # weekly counter + till hours per site (see the baseline rosters):
    # large  (hot 8 + 2 + 2x5, coffee 8 + 2x3, tills 8 + 2 + 2x5) x 5 days = 54 x 5
    # medium (hot 8 + 2x2, coffee 8 + 2x1, tills 8 + 2x2) x 5 = 34 x 5
    # small  (3 x 8) x 5 = 24 x 5
    # 24/7   (hot 24 + 2x2, coffee 24 + 2, tills 24 + 2) x 7 = 80 x 7
    weekly = 3 * 54 * 5 + 5 * 34 * 5 + 5 * 24 * 5 + 1 * 80 * 7
    counter, kitchen = restaurant_fte(config, restaurants)
    assert counter == pytest.approx(weekly * HOURS_TO_FTE)
    assert kitchen == 3 * 8 + 5 * 4 + 5 * 2 + 1 * 10
    feeding = config.options["in_house"].operational_feeding
    assert isinstance(feeding, InHouseFeeding)
    cooks, drivers = feeding_fte(feeding)
    # lines: central 24 x 7 + 16 x 2; north and south 12 x 5 + 2 x 16 x 2 (two staff a line)
    assert cooks == pytest.approx(2 * (200 + 2 * 124) * HOURS_TO_FTE)
    # vans: central 24 x 7 + 16 x 2; north and south 13 x 5 + 2 x 16 x 2
    assert drivers == pytest.approx((200 + 2 * 129) * HOURS_TO_FTE)
    assert vans_owned(feeding) == 8  # weekend peak 2 per kitchen x 3 = 6, x 1.2 spares = 7.2
    # called in: NYE 6.5 h, Marathon 6, state visits 4 x 6, ceremonial 2 x 6, Carnival 2 x 12;
    # per hour 3 kitchens x (3 lines x 2 staff + 5 vans)
    assert event_staff_hours(config, feeding) == pytest.approx((6.5 + 6 + 24 + 12 + 24) * 33)


def test_service_credits_follow_late_meals(config: CateringConfig) -> None:
    """Contracted feeding: a credit per late meal, capped at 10 % of the charges."""
    terms = config.options["outsourced"].operational_feeding.costs
    meals = 50_000.0

    def credits(late: float) -> float:
        volumes = _volumes(
            config, 1.0, feeding_meals_per_year=meals, feeding_late_meals_per_year=late
        )
        lines = by_name(cost_lines(config, "outsourced", volumes, N))
        return -lines["operational feeding contract service credits"].values[1]

    index = 1 + terms.real_growth  # year 1 of the contract's real indexation
    charges = (terms.management_fee_per_year + terms.price_per_meal * meals) * index
    assert credits(0) == 0
    assert credits(1000) == pytest.approx(1000 * terms.credit_per_late_meal * index)
    assert credits(2000) == pytest.approx(2 * credits(1000))
    assert credits(1e6) == pytest.approx(0.1 * charges)  # the cap
    in_house = by_name(cost_lines(config, "in_house", _volumes(config, 1000.0), N))
    assert not any(line.category is Category.SERVICE_CREDIT for line in in_house.values())


def test_more_late_meals_from_a_larger_event_earn_more_credits(
    mapping: dict[str, Any], short: Callable[..., CateringRun]
) -> None:
    def carnival(officers: int) -> CateringConfig:
        def edit(m: dict[str, Any]) -> None:
            m["operational_feeding"]["planned"]["notting_hill_carnival"]["officers"] = officers

        return variant(mapping, edit)

    credits = []
    late = []
    for officers in (4000, 10000):
        config = carnival(officers)
        metrics = simulate(
            short(config, "outsourced", window_days=1.0, feeding_days=240), Streams(3)
        )
        volumes = {m: metrics.get(m, 0.0) for m in volume_metrics(config, "in_house")}
        lines = by_name(cost_lines(config, "outsourced", volumes, N))
        credits.append(-lines["operational feeding contract service credits"].values[1])
        late.append(metrics["feeding_late_meals_per_year"])
    assert late[1] > late[0]
    assert credits[1] > credits[0]


def test_takings_are_income_unless_the_caterer_keeps_them(
    config: CateringConfig, mapping: dict[str, Any]
) -> None:
    counters = config.restaurants.counters
    covers = {f"restaurant_covers_{c}_per_year": 100_000.0 for c in counters}
    volumes = _volumes(config, 0.0, **covers, restaurant_covers_per_year=300_000.0)
    takings = 100_000 * sum(c.spend for c in counters.values())
    in_house = by_name(cost_lines(config, "in_house", volumes, N))
    line = in_house["restaurant takings"]
    assert line.category is Category.INCOME
    assert line.values[0] == 0  # no operation in the decision year
    assert -line.values[1] == pytest.approx(takings)
    assert in_house["restaurant food"].values[1] == pytest.approx(
        100_000 * sum(c.food_cost for c in counters.values())
    )
    for option in config.options:
        lines = by_name(cost_lines(config, option, volumes, N))
        assert lines["restaurant premises"].values[1] == 14 * config.restaurants.premises_per_site
    # the default contract is a dining subsidy: the caterer keeps the takings
    outsourced = by_name(cost_lines(config, "outsourced", volumes, N))
    terms = config.options["outsourced"].restaurants.costs
    assert terms.takings_retained
    assert "restaurant takings" not in outsourced
    assert outsourced["restaurant contract"].values[1] == pytest.approx(
        (terms.management_fee_per_year + terms.price_per_cover * 300_000) * (1 + terms.real_growth)
    )

    # a cost-plus contract instead: takings credited to the force
    def cost_plus(m: dict[str, Any]) -> None:
        costs = m["options"]["outsourced"]["restaurants"]["costs"]
        costs["takings_retained"] = False
        costs["price_per_cover"] = 2.25

    changed = by_name(cost_lines(variant(mapping, cost_plus), "outsourced", volumes, N))
    assert -changed["restaurant takings"].values[1] == pytest.approx(takings)


def test_transition_and_client_function(config: CateringConfig) -> None:
    """The client function and transition are lines every option has (``Service.lines``), not
    the service's own cost lines."""
    lines = by_name(SERVICE.lines(config, "outsourced", _volumes(config, 1.0), N))
    assert lines["client function"].values[1:] == (250_000.0,) * N
    assert lines["change_funding"].values[0] == 443_000
    assert lines["redundancy"].values[1] == 2_670_000
    own = by_name(cost_lines(config, "outsourced", _volumes(config, 1.0), N))
    assert "client function" not in own and "redundancy" not in own
    in_house = by_name(SERVICE.lines(config, "in_house", _volumes(config), N))
    assert "client function" not in in_house


def test_zero_demand_leaves_only_fixed_costs(config: CateringConfig) -> None:
    for option in config.options:
        idle = by_name(cost_lines(config, option, _volumes(config, 0.0), N))
        busy = by_name(cost_lines(config, option, _volumes(config, 1000.0), N))
        for name, line in idle.items():
            if "food" in name or "takings" in name or "trips" in name or "bought in" in name:
                assert all(v == 0 for v in line.values), (option, name)
            else:
                assert line.values == busy[name].values or "contract" in name, (option, name)


def test_cost_per_meal_and_subsidy_per_cover(config: CateringConfig) -> None:
    covers = {f"restaurant_covers_{c}_per_year": 700_000.0 for c in config.restaurants.counters}
    volumes = _volumes(
        config,
        0.0,
        **covers,
        restaurant_covers_per_year=2_100_000.0,
        feeding_meals_per_year=50_000.0,
        custody_meals_per_year=450_000.0,
        meals_per_year=2_600_000.0,
    )
    for option in config.options:
        lines = SERVICE.lines(config, option, volumes, N)
        per_meal = SERVICE.unit_cost(lines, {"meals_per_year": 2_600_000.0}, N)
        assert 1.0 < per_meal < 10.0, (option, per_meal)
        subsidy = subsidy_per_cover(config, option, volumes, N)
        assert -1.0 < subsidy < 2.0, (option, subsidy)
    # contracted restaurants need less subsidy per cover than the force's, at these terms
    assert subsidy_per_cover(config, "outsourced", volumes, N) < subsidy_per_cover(
        config, "in_house", volumes, N
    )


def test_simulated_appraisal_has_staff_contract_and_income(config: CateringConfig) -> None:
    """Replication 0 of simulated volumes -> cost lines (the appraisal of replications itself
    is a contract test)."""
    runs = SERVICE.appraisal_runs(config, N, warmup_days=1, window_days=1, feeding_days=14)
    volumes = run_replications(simulate, runs, replications=1, seed=5, jobs=1, progress=False)
    appraisal = appraise(SERVICE.build_lines(config, N)(first_replication(volumes)), N)
    assert set(appraisal.by_category().columns) >= {"staff", "contract", "income"}
