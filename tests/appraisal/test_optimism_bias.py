"""Optimism bias: the bound of a project type less the mitigation claimed, on every option's
lines by provider and category (never by option name), applied once, with values before and
after visible."""

from __future__ import annotations

import pytest

from models.appraisal import (
    PROJECT_TYPES,
    Category,
    ContributoryFactor,
    CostLine,
    OptimismBias,
    Provider,
    Risk,
    UpliftGroup,
    activity_line,
    appraise,
    asset_lines,
    discount_factors,
    income_line,
    net_present_costs,
    one_off_line,
    risk_lines,
    staff_line,
    uniform,
)
from tests.appraisal.lines import (
    PERIOD,
    SERVICE_COSTS,
    annuity,
    capital_group,
    outsourced_contract,
    outsourcing_bias,
)

# --------------------------------------------------------------------------- the mitigation


def _two_factor_group(**changes) -> UpliftGroup:
    """The outsourcing bound, two contributory factors: shares 0.7 / 0.3, mitigated 0.5 / 0.2."""
    terms = {
        "name": "service_costs",
        "project_type": "outsourcing",
        "categories": frozenset(SERVICE_COSTS),
        "factors": (
            ContributoryFactor("inadequacy_of_the_business_case", 0.7, 0.5, "engagement", "E"),
            ContributoryFactor("poor_contract_structure", 0.3, 0.2, "draft terms", "D"),
        ),
    }
    return UpliftGroup(**(terms | changes))


def test_bounds_are_the_supplementary_guidance_table() -> None:
    # HM Treasury supplementary guidance (2003), Table 1: upper / lower bounds in percent
    bounds = {name: (p.upper, p.lower) for name, p in PROJECT_TYPES.items()}
    assert bounds["outsourcing"] == (41.0, 0.0)
    assert bounds["standard_buildings"] == (24.0, 2.0)
    assert bounds["equipment_development"] == (200.0, 10.0)


def test_uplift_is_the_bound_less_share_times_mitigation() -> None:
    group = _two_factor_group()
    # mitigation factor: 0.7 x 0.5 + 0.3 x 0.2 = 0.35 + 0.06 = 0.41
    assert group.mitigation == pytest.approx(0.41)
    # uplift: 41 x (1 - 0.35 - 0.06) = 41 x 0.59 = 24.19 %
    assert group.percent == pytest.approx(24.19)
    line = outsourced_contract(fixed_fee=100_000)[0]
    assert OptimismBias((group,)).uplift(line) == pytest.approx(0.2419)


def test_uplift_never_falls_below_the_lower_bound() -> None:
    # standard buildings 24 %, lower bound 2 %: 24 x (1 - 0.95) = 1.2 %, floored at 2 %
    group = capital_group(ContributoryFactor("all_factors", 1.0, 0.95))
    assert group.percent == pytest.approx(2.0)
    # a factor left out of the shares is unmitigated: 24 x (1 - 0.5 x 0.5) = 18 %
    half = capital_group(ContributoryFactor("design", 0.5, 0.5))
    assert half.percent == pytest.approx(18.0)


def test_derivation_table_has_one_row_per_factor() -> None:
    capital = capital_group()
    table = OptimismBias((_two_factor_group(), capital)).derivation()
    assert list(table.columns) == [
        "group",
        "project_type",
        "upper",
        "lower",
        "factor",
        "share",
        "mitigation",
        "reduction",
        "reason",
        "grade",
        "uplift",
    ]
    rows = table.set_index("factor")
    business_case = rows.loc["inadequacy_of_the_business_case"]
    # reduction in points of the bound: 0.7 x 0.5 x 41 = 14.35; 0.3 x 0.2 x 41 = 2.46
    assert business_case["reduction"] == pytest.approx(14.35)
    assert rows.loc["poor_contract_structure", "reduction"] == pytest.approx(2.46)
    assert business_case[["group", "project_type", "upper", "lower"]].tolist() == [
        "service_costs",
        "outsourcing",
        41.0,
        0.0,
    ]
    assert (business_case["reason"], business_case["grade"]) == ("engagement", "E")
    # 41 - 14.35 - 2.46 = 24.19, on both rows of the group
    service = table[table["group"] == "service_costs"]
    assert service["uplift"].tolist() == pytest.approx([24.19, 24.19])
    assert 41.0 - service["reduction"].sum() == pytest.approx(24.19)
    # a group with no factors broken down: one row, nothing mitigated, the upper bound
    (capital_row,) = table[table["group"] == "capital"].itertuples()
    assert (capital_row.factor, capital_row.reduction, capital_row.uplift) == (
        "(not broken down)",
        0.0,
        24.0,
    )


def test_derivation_with_the_risk_register_in_its_place_shows_no_uplift() -> None:
    bias = OptimismBias((_two_factor_group(),), replaced_by_risk_register=True)
    assert bias.derivation()["uplift"].tolist() == [0.0, 0.0]


# --------------------------------------------------------------------------- which lines


def _same_lines(option: str) -> list[CostLine]:
    """Force-provided premises and client team, the same in any option."""
    return [
        activity_line(option, "premises", unit_cost=50, volume=1_000, period_years=PERIOD),
        staff_line(option, "client team", fte=2, salary=30_000, period_years=PERIOD),
    ]


def test_two_options_with_an_identical_line_get_the_identical_uplift() -> None:
    charges, credits = outsourced_contract(fixed_fee=400_000, credit_per_breach=1_000, breaches=5)
    lines = [*_same_lines("in_house"), *_same_lines("outsourced"), charges, credits]
    flows = appraise(lines, PERIOD, optimism_bias=outsourcing_bias(0.4)).cash_flows
    uplift = flows.groupby(["option", "line"])["optimism_bias"].sum()
    for name in ("premises", "client team"):
        assert uplift["in_house", name] == uplift["outsourced", name] != 0.0
    # premises 50 x 1,000 = 50,000 a year, uplift 41 x (1 - 0.4) = 24.6 %, ten years
    assert uplift["in_house", "premises"] == pytest.approx(0.246 * 50_000 * PERIOD)
    assert uplift["outsourced", "contract"] == pytest.approx(0.246 * 400_000 * PERIOD)
    assert ("outsourced", "contract service credits") not in uplift  # a transfer: left out


def test_the_option_name_plays_no_part() -> None:
    charges, _ = outsourced_contract(fixed_fee=400_000)
    lines = [*_same_lines("in_house"), *_same_lines("outsourced"), charges]
    renamed = {"in_house": "today", "outsourced": "tomorrow"}
    moved = [CostLine(renamed[ln.option], ln.name, ln.category, ln.values) for ln in lines]
    bias = outsourcing_bias(0.4, capital=True)
    before = net_present_costs(lines, PERIOD, optimism_bias=bias)
    after = net_present_costs(moved, PERIOD, optimism_bias=bias)
    assert {renamed[o]: pv for o, pv in before.items()} == after


def test_a_group_can_follow_the_provider() -> None:
    bias = outsourcing_bias(0.0, providers=(Provider.CONTRACTOR,))
    charges, _ = outsourced_contract(fixed_fee=100_000)
    own = staff_line("in_house", "staff", fte=1, salary=20_000, period_years=PERIOD)
    transferred = staff_line(
        "outsourced",
        "TUPE staff",
        fte=1,
        salary=20_000,
        period_years=PERIOD,
        provider=Provider.CONTRACTOR,
    )
    assert bias.percent(charges) == pytest.approx(41.0)
    assert bias.percent(transferred) == pytest.approx(41.0)
    assert bias.percent(own) == 0.0


def test_the_first_group_that_matches_a_line_sets_its_uplift() -> None:
    contractor = UpliftGroup(
        "contractor",
        "outsourcing",
        frozenset({Category.CONTRACT}),
        frozenset({Provider.CONTRACTOR}),
    )
    everything = UpliftGroup("everything", "standard_buildings", frozenset({Category.CONTRACT}))
    charges, _ = outsourced_contract(fixed_fee=100_000)
    assert OptimismBias((contractor, everything)).group(charges) is contractor
    assert OptimismBias((everything, contractor)).percent(charges) == pytest.approx(24.0)


def test_no_uplift_on_receipts_transfers_upper_bounds_and_priced_risks() -> None:
    bias = uniform(30.0)
    charges, credits = outsourced_contract(fixed_fee=1_000, credit_per_breach=10, breaches=2)
    _, residual = asset_lines(
        "in_house", "truck", unit_cost=70_000, life_years=7, period_years=PERIOD
    )
    (risk,) = risk_lines("in_house", [Risk("fire", 0.1, (0, 1_000, 2_000))], {}, PERIOD)
    untouched = [
        credits,
        residual,
        income_line("in_house", "charges", charge=150, volume=10, period_years=PERIOD),
        one_off_line("mixed", "redundancy", {1: 2_670_000}, period_years=PERIOD, transfer=True),
        one_off_line("mixed", "TUPE", {1: 500_000}, period_years=PERIOD, upper_bound=True),
        risk,
    ]
    assert bias.percent(charges) == pytest.approx(30.0)
    for line in untouched:
        assert bias.percent(line) == 0.0, line.name
        assert bias.group(line) is None, line.name


def test_a_risk_register_in_its_place_gives_no_uplift() -> None:
    bias = OptimismBias((_two_factor_group(),), replaced_by_risk_register=True)
    charges, _ = outsourced_contract(fixed_fee=400_000)
    assert bias.percent(charges) == 0.0
    result = appraise([charges], PERIOD, optimism_bias=bias)
    assert result.present_values().loc["outsourced", "optimism_bias"] == 0.0


# --------------------------------------------------------------------------- applied once


def _lines() -> list[CostLine]:
    charges, credits = outsourced_contract(fixed_fee=400_000, credit_per_breach=1_000, breaches=10)
    return [
        activity_line("in_house", "fuel", unit_cost=10, volume=10_000, period_years=PERIOD),
        activity_line("outsourced", "fuel", unit_cost=10, volume=10_000, period_years=PERIOD),
        charges,
        credits,
        income_line("outsourced", "charges", charge=150, volume=1_000, period_years=PERIOD),
    ]


def test_present_value_by_hand_with_the_uplift() -> None:
    result = appraise(_lines(), PERIOD, "green_book", outsourcing_bias(0.5))
    # uplift 41 x (1 - 0.5) = 20.5 % on fuel and contract; income untouched; the 10k of
    # credits a transfer, left out: outsourced 100k x 1.205 + 400k x 1.205 - 150k a year;
    # in house 100k x 1.205
    expected = annuity(100_000 * 1.205 + 400_000 * 1.205 - 150_000)
    assert result.pv("outsourced") == pytest.approx(expected, rel=1e-12)
    assert result.pv("in_house") == pytest.approx(annuity(100_000 * 1.205), rel=1e-12)


def test_values_before_and_after_uplift_both_visible() -> None:
    result = appraise(_lines(), PERIOD, optimism_bias=outsourcing_bias(0.5))
    table = result.present_values("in_house")
    before = annuity(100_000 + 400_000 - 150_000)  # the credits are a transfer
    assert table.loc["outsourced", "pv_before_ob"] == pytest.approx(before, rel=1e-12)
    # 20.5 % of the 500k a year uplifted
    assert table.loc["outsourced", "optimism_bias"] == pytest.approx(annuity(102_500), rel=1e-12)
    flows = result.cash_flows
    assert (flows["total"] == flows["value"] + flows["optimism_bias"]).all()
    assert set(flows["provider"]) == {"force", "contractor"}


def test_reaggregation_never_applies_the_uplift_twice() -> None:
    bias = outsourcing_bias(0.5)
    result = appraise(_lines(), PERIOD, optimism_bias=bias)
    pv = result.pv("outsourced")
    assert result.present_values().loc["outsourced", "pv"] == pytest.approx(pv)
    assert result.by_category().loc["outsourced"].sum() == pytest.approx(pv)
    assert (result.by_year(discounted=True).loc["outsourced"]).sum() == pytest.approx(pv)
    by_year = result.by_year().loc["outsourced"].to_numpy()
    assert by_year @ discount_factors(PERIOD) == pytest.approx(pv)
    assert net_present_costs(_lines(), PERIOD, optimism_bias=bias)["outsourced"] == (
        pytest.approx(pv)
    )


def test_uniform_and_scaled_multiply_the_uplift() -> None:
    charges, _ = outsourced_contract(fixed_fee=1_000)
    assert uniform(20.0).percent(charges) == pytest.approx(20.0)
    assert uniform(20.0).scaled(0.5).percent(charges) == pytest.approx(10.0)
    assert outsourcing_bias(0.5).scaled(2.0).percent(charges) == pytest.approx(41.0)
    assert uniform(20.0, ["staff"]).percent(charges) == 0.0
    assert uniform(20.0, []).percent(charges) == 0.0


# --------------------------------------------------------------------------- refused


def test_bad_groups_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown project type 'rockets'"):
        UpliftGroup("g", "rockets", frozenset({Category.CAPITAL}))
    for category in ("income", "service_credit", "residual_value", "disposal", "risk"):
        with pytest.raises(ValueError, match="never uplifted"):
            UpliftGroup("g", "outsourcing", frozenset({Category(category)}))
    with pytest.raises(ValueError, match=r"add up to 1\.2, more than 1"):
        _two_factor_group(
            factors=(ContributoryFactor("a", 0.7), ContributoryFactor("b", 0.5)),
        )
    with pytest.raises(ValueError, match="mitigation must be in"):
        ContributoryFactor("a", 0.5, 1.5)
    with pytest.raises(ValueError, match="named twice: g"):
        group = _two_factor_group(name="g")
        OptimismBias((group, group))
    with pytest.raises(ValueError, match="scale"):
        OptimismBias(scale=-1.0)
