"""Catering's Green Book case: business as usual, uplift by provider and category (never by an
option's name), transfers, held assets, contract re-lets, the risk register and the should-cost
of each contract, with figures computed by hand from the default section."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from models.appraisal import (
    Category,
    FinancialSettings,
    OptimismBias,
    Provider,
    ShouldCostSettings,
    economic_lines,
    financial_case,
)
from models.catering.config import CateringConfig
from models.catering.costs import should_cost, volume_metrics
from models.catering.service import SERVICE
from models.scenario import load_scenario
from tests.support import BASELINE, by_name, variant_of

N = 10
HOURS_TO_FTE = 365 / 7 / 1650
FORCE_RETAINED = ("restaurant premises", "operational feeding kitchen premises")

variant = variant_of(CateringConfig)


@pytest.fixture(scope="module")
def optimism_bias() -> OptimismBias:
    """The default scenario's optimism-bias rules."""
    return load_scenario(BASELINE).appraisal.optimism_bias_rules()


def _volumes(config: CateringConfig) -> dict[str, float]:
    """Round figures for one operating year: 100,000 covers at each counter, 50,000 operational
    meals on 1,000 trips, 450,000 custody meals."""
    volumes = dict.fromkeys(volume_metrics(config, "in_house"), 0.0)
    volumes |= {f"restaurant_covers_{c}_per_year": 100_000.0 for c in config.restaurants.counters}
    volumes |= {
        "restaurant_covers_per_year": 300_000.0,
        "feeding_meals_per_year": 50_000.0,
        "feeding_trips_per_year": 1_000.0,
        "custody_meals_per_year": 450_000.0,
        "meals_per_year": 800_000.0,
    }
    return volumes


def _lines(config: CateringConfig, option: str) -> dict[str, Any]:
    return by_name(SERVICE.lines(config, option, _volumes(config), N))


# --------------------------------------------------------------------------- business as usual


def test_business_as_usual_is_in_house_and_has_no_transition_costs(
    config: CateringConfig, mapping: dict[str, Any]
) -> None:
    assert config.business_as_usual == "in_house"
    assert config.options["in_house"].transition == {}
    lines = _lines(config, "in_house").values()
    assert not [ln.name for ln in lines if ln.category is Category.TRANSITION]
    assert not [ln.name for ln in lines if ln.category is Category.DISPOSAL]
    # the options that change it carry theirs
    for option in ("outsourced", "mixed"):
        assert any(ln.category is Category.TRANSITION for ln in _lines(config, option).values())

    def charge_the_status_quo(m: dict[str, Any]) -> None:
        m["options"]["in_house"]["transition"] = {"procurement": {"year": 0, "amount": 1.0}}

    with pytest.raises(ValidationError, match="no transition costs"):
        variant(mapping, charge_the_status_quo)


# --------------------------------------------------------------------------- optimism bias


def test_force_retained_lines_are_one_line_with_one_uplift(
    config: CateringConfig, optimism_bias: OptimismBias
) -> None:
    """The premises are the force's whoever runs the service: the same line (category,
    provider, values) in every option, so the same uplift, 41 % x (1 - 1.0 x 0.4) = 24.6 %."""
    for name in FORCE_RETAINED:
        lines = [_lines(config, option)[name] for option in config.options]
        assert {(ln.category, ln.provider, ln.values) for ln in lines} == {
            (Category.OPERATING, Provider.FORCE, lines[0].values)
        }
        assert [optimism_bias.percent(ln) for ln in lines] == pytest.approx([24.6] * 3)
    premises = _lines(config, "outsourced")["restaurant premises"]
    assert premises.values[1] == 14 * 40_000
    assert _lines(config, "mixed")["operational feeding kitchen premises"].values[1] == 120_000


def _renamed(mapping: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    out = copy.deepcopy(mapping)
    out["options"] = {names[k]: v for k, v in out["options"].items()}
    out["business_as_usual"] = names[out["business_as_usual"]]
    return out


def test_renaming_the_options_changes_no_line_and_no_uplift(
    config: CateringConfig, mapping: dict[str, Any], optimism_bias: OptimismBias
) -> None:
    names = {"in_house": "today", "outsourced": "one_contract", "mixed": "restaurants_only"}
    renamed = CateringConfig.model_validate(_renamed(mapping, names))
    assert renamed.business_as_usual == "today"

    def signature(cfg: CateringConfig, option: str) -> set[tuple[Any, ...]]:
        return {
            (ln.name, ln.category, ln.provider, ln.values, ln.transfer, ln.upper_bound, up)
            for ln in SERVICE.lines(cfg, option, _volumes(cfg), N)
            for up in (optimism_bias.percent(ln),)
        }

    for old, new in names.items():
        assert signature(config, old) == signature(renamed, new), old


# --------------------------------------------------------------------------- transfers


@pytest.mark.parametrize(("option", "amount"), [("outsourced", 2_670_000), ("mixed", 1_500_000)])
def test_redundancy_is_a_transfer_never_uplifted(
    config: CateringConfig, optimism_bias: OptimismBias, option: str, amount: float
) -> None:
    """Redundancy "up to" £2.67m (PCD 114): a transfer (Green Book 2018 para 6.9), out of the
    economic case and in the financial one, and already an upper bound: no uplift."""
    lines = SERVICE.lines(config, option, _volumes(config), N)
    redundancy = by_name(lines)["redundancy"]
    assert redundancy.transfer and redundancy.upper_bound
    assert redundancy.values[1] == amount
    assert optimism_bias.percent(redundancy) == 0.0
    assert "redundancy" not in by_name(economic_lines(lines))
    cash = financial_case(lines, N, FinancialSettings(inflation=0.02, vat_rate=0.2))
    paid = cash[(cash["line"] == "redundancy") & (cash["year"] == 1)]["cash"]
    assert float(paid.iloc[0]) == pytest.approx(amount * 1.02)
    # the other one-offs use resources: in the economic case, uplifted
    tupe = by_name(lines)["tupe"]
    assert not tupe.transfer and optimism_bias.percent(tupe) == pytest.approx(24.6)


def test_takings_are_a_sale_kept_in_the_economic_case(config: CateringConfig) -> None:
    lines = SERVICE.lines(config, "in_house", _volumes(config), N)
    takings = by_name(economic_lines(lines))["restaurant takings"]
    assert takings.category is Category.INCOME and not takings.transfer
    assert -takings.values[1] == pytest.approx(100_000 * (3.00 + 2.50 + 1.60))
    credits = by_name(SERVICE.lines(config, "outsourced", _volumes(config), N))
    assert credits["custody contract service credits"].transfer


# --------------------------------------------------------------------------- existing assets


def test_held_assets_are_kept_in_house_and_sold_when_contracted_out(
    config: CateringConfig,
) -> None:
    """8 vans held with 3 years left (life 6, £30,000): none bought in year 0, replaced in years
    3 and 9, the last with 5/6 of its life left in year 10. 3 kitchens' kit held with 5 years
    left (life 10, £150,000): replaced in year 5, half its life left in year 10. Contracting the
    kitchens out sells them: 8 x £9,000 and 3 x £15,000 in year 1."""
    for option in ("in_house", "mixed"):
        lines = _lines(config, option)
        vans = lines["operational feeding vans"].values
        assert vans[0] == 0 and vans[3] == vans[9] == 8 * 30_000
        assert sum(vans) == 2 * 8 * 30_000
        residual = lines["operational feeding vans residual value"].values
        assert residual[10] == pytest.approx(-8 * 30_000 * 5 / 6)
        kit = lines["operational feeding kitchen equipment"].values
        assert kit[0] == 0 and kit[5] == 3 * 150_000 and sum(kit) == 3 * 150_000
        residual = lines["operational feeding kitchen equipment residual value"].values
        assert residual[10] == pytest.approx(-3 * 150_000 / 2)
        assert not [ln for ln in lines.values() if ln.category is Category.DISPOSAL]
    outsourced = _lines(config, "outsourced")
    assert "operational feeding vans" not in outsourced
    assert outsourced["operational feeding vans disposal"].values[1] == -8 * 9_000
    assert outsourced["operational feeding kitchen equipment disposal"].values[1] == -3 * 15_000


def test_existing_assets_must_be_ones_the_lines_use(mapping: dict[str, Any]) -> None:
    def unknown(m: dict[str, Any]) -> None:
        m["existing_assets"]["restaurant_tills"] = {
            "part": "restaurants",
            "units": 14,
            "remaining_life_years": 2,
        }

    with pytest.raises(ValidationError, match="not an asset the catering lines use"):
        variant(mapping, unknown)

    def wrong_part(m: dict[str, Any]) -> None:
        m["existing_assets"]["operational_feeding_vans"]["part"] = "custody"

    with pytest.raises(ValidationError, match="part must be 'operational_feeding'"):
        variant(mapping, wrong_part)


# --------------------------------------------------------------------------- contract lifecycle


def test_contracts_are_re_let_inside_the_appraisal(config: CateringConfig) -> None:
    """Let in year 1 for 3 + 2 (Elior) or 5 (ESS) years: re-let in year 6, re-procured in year
    5; the expected change of provider is 0.5 x (mobilisation + exit)."""
    lines = _lines(config, "outsourced")
    for part, procurement, change in (
        ("restaurants", 100_000, 0.5 * (150_000 + 50_000)),
        ("operational_feeding", 50_000, 0.5 * (60_000 + 25_000)),
        ("custody", 50_000, 0.5 * (40_000 + 25_000)),
    ):
        name = part.replace("_", " ")
        relet = lines[f"{name} contract re-procurement"].values
        assert relet[5] == procurement and sum(relet) == procurement
        risk = lines[f"{name} contract change of provider at re-let"]
        assert risk.category is Category.RISK
        assert risk.values[6] == pytest.approx(change) and sum(risk.values) == pytest.approx(change)
    mixed = _lines(config, "mixed")
    assert mixed["restaurants contract re-procurement"].values[5] == 120_000
    assert "operational feeding contract re-procurement" not in mixed
    # the charges are indexed 1 % a year above inflation (London Living Wage kept)
    charges = lines["custody contract"].values
    assert charges[6] / charges[1] == pytest.approx(1.01**5)


# --------------------------------------------------------------------------- risk register


def test_risks_fall_on_the_force_less_what_a_contract_transfers(config: CateringConfig) -> None:
    """Covers falling: 0.25 x (100 + 300 + 700)k / 3 = £91,667 a year, half transferred when a
    caterer keeps the takings; TUPE claims: 0.2 x (50 + 300 + 900)k / 3 = £83,333 once in year
    1, only where the restaurants are contracted; custody failures 0.1 x 380k / 3, 30 %
    transferred."""
    covers, tupe, custody = (
        "risk: covers fall faster than assumed",
        "risk: TUPE and pension claims",
        "risk: custody meals fail",
    )
    in_house, outsourced, mixed = (_lines(config, o) for o in config.options)
    assert in_house[covers].values[1:] == pytest.approx([91_666.67] * N)
    assert outsourced[covers].values[1] == pytest.approx(45_833.33)
    assert tupe not in in_house
    assert outsourced[tupe].values[1] == pytest.approx(83_333.33)
    assert sum(mixed[tupe].values) == pytest.approx(83_333.33)
    assert in_house[custody].values[1] == pytest.approx(12_666.67)
    assert outsourced[custody].values[1] == pytest.approx(12_666.67 * 0.7)
    assert mixed[custody].values[1] == pytest.approx(12_666.67)  # custody stays in-house


# --------------------------------------------------------------------------- should-cost

SETTINGS = ShouldCostSettings(overhead=0.1, margin=0.05, capital_rate=0.0, tolerance=0.1)


def _should_costs(config: CateringConfig, option: str) -> dict[str, Any]:
    return {sc.contract: sc for sc in should_cost(config, option, _volumes(config), SETTINGS)}


def _marked_up(direct: float, risk: float, mobilisation: float) -> float:
    overhead = 0.1 * direct
    return (
        direct + overhead + risk + mobilisation + 0.05 * (direct + overhead + risk + mobilisation)
    )


def test_restaurant_should_cost_by_hand(config: CateringConfig) -> None:
    """The caterer's rosters: weekly counter and till hours large (hot 8+2+2x4, coffee 8+2x2,
    tills 8+2+2x4) x 5, medium (10, 10, 10) x 5, small 24 x 5, 24/7 80 x 7 = 2,630, on band F
    pay (£17,200 + 27 %); 64 kitchen staff on band E (£21,900 + 27 %); food and running costs;
    mark-ups on that cost, then the takings it keeps netted off. Risks transferred: half the
    covers risk (£45,833) and 80 % of food safety (0.03 x 930k / 3 x 0.8 = £7,440); its
    mobilisation £150,000 over 5 years."""
    sc = _should_costs(config, "outsourced")["restaurant contract"]
    staff = 2_630 * HOURS_TO_FTE * 17_200 * 1.27 + 64 * 21_900 * 1.27
    food = 100_000 * (1.20 + 1.10 + 0.45)
    direct = staff + food + 14 * 30_000
    takings = 100_000 * (3.00 + 2.50 + 1.60)
    risk = 0.25 * 1_100_000 / 3 * 0.5 + 0.03 * 930_000 / 3 * 0.8
    assert sc.risk_premium == pytest.approx(risk)
    assert sc.mobilisation == pytest.approx(150_000 / 5)
    assert sc.total == pytest.approx(_marked_up(direct, risk, 30_000) - takings)
    assert sc.price == pytest.approx((100_000 + 0.12 * 300_000) * 1.01)
    assert sc.verdict(0.1) == "cheap"
    assert sc.table()["item"].iloc[-1] == "Assumed contract price"


def test_feeding_and_custody_should_cost_by_hand(config: CateringConfig) -> None:
    """Feeding: three kitchens each on 24/7 lines and vans plus 16 h weekend extras (200 h a
    week each), two cooks a line on band E + 12.5 % + 27 %, one driver a van (band F mid); staff
    called in (72.5 h x 33 a hour) at £25; food £2 a meal, £15 a trip; 8 vans and 3 kitchens'
    kit at price / life (capital rate 0); £85,000 running costs; £60,000 mobilisation over 5
    years. Custody: £0.95 a meal, £100,000 supply, 3 kitchens x 3 meal times x 365 rounds at
    £15; 30 % of the custody risk (£3,800); £40,000 mobilisation."""
    contracts = _should_costs(config, "outsourced")
    feeding = contracts["operational feeding contract"]
    cooks = 600 * 2 * HOURS_TO_FTE * 21_900 * 1.125 * 1.27
    drivers = 600 * HOURS_TO_FTE * 18_800 * 1.125 * 1.27
    direct = (
        cooks
        + drivers
        + 72.5 * 33 * 25
        + 50_000 * 2.0
        + 1_000 * 15
        + 8 * 30_000 / 6
        + 3 * 150_000 / 10
        + 85_000
    )
    assert feeding.direct == pytest.approx(direct)
    assert feeding.total == pytest.approx(_marked_up(direct, 0.0, 12_000))
    assert feeding.price == pytest.approx((150_000 + 11.0 * 50_000) * 1.01)
    custody = contracts["custody contract"]
    direct = 450_000 * 0.95 + 100_000 + 3 * 3 * 365 * 15
    assert custody.total == pytest.approx(_marked_up(direct, 3_800, 8_000))
    assert custody.price == pytest.approx(1.30 * 450_000 * 1.01)


def test_every_contract_has_a_should_cost_and_in_house_none(config: CateringConfig) -> None:
    assert SERVICE.should_cost is should_cost
    assert _should_costs(config, "in_house") == {}
    assert set(_should_costs(config, "outsourced")) == {
        "restaurant contract",
        "operational feeding contract",
        "custody contract",
    }
    (mixed,) = _should_costs(config, "mixed").values()
    assert mixed.contract == "restaurant contract"
    assert mixed.mobilisation == pytest.approx(150_000 / 5)  # ESS: 5 years, no extension
