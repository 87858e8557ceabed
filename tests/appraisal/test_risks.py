"""The risk register: each risk's expected value (likelihood x triangular mean), the share a
contract transfers, and risks that arise under one provider only."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from models.appraisal import Category, Provider, Risk, appraise, risk_lines, risk_register
from models.costing import ImpactSpec, RiskSpec, as_provider, option_lines
from tests.appraisal.lines import PERIOD, annuity, outsourcing_bias

FORCE = {"storage": Provider.FORCE, "recovery": Provider.FORCE}
CONTRACTED = {"storage": Provider.CONTRACTOR, "recovery": Provider.CONTRACTOR}
MIXED = {"storage": Provider.FORCE, "recovery": Provider.CONTRACTOR}

FLOOD = Risk(
    "pound flood",
    likelihood=0.1,
    impact=(100_000, 200_000, 600_000),
    part="storage",
    transferred_share=0.75,
)
"""A tenth a year of a loss of 100k-600k (most likely 200k); a contractor bears 75 %."""
FAILURE = Risk(
    "contractor failure",
    likelihood=0.05,
    impact=(0, 300_000, 900_000),
    part="recovery",
    arises_under=frozenset({Provider.CONTRACTOR}),
)
"""Only a contractor can fail: 5 % a year of 0-900k (most likely 300k), all the force's."""


def _values(lines, name: str) -> tuple[float, ...]:
    (line,) = [ln for ln in lines if ln.name == f"risk: {name}"]
    return line.values


def test_expected_value_is_likelihood_times_the_triangular_mean() -> None:
    # triangular mean (100k + 200k + 600k) / 3 = 300k; x 0.1 = 30k a year
    assert FLOOD.mean_impact == pytest.approx(300_000)
    assert FLOOD.expected_value == pytest.approx(30_000)


def test_the_force_bears_the_whole_risk_of_what_it_provides() -> None:
    lines = risk_lines("in_house", [FLOOD], FORCE, PERIOD)
    (line,) = lines
    assert line.category is Category.RISK and line.provider is Provider.FORCE
    assert line.values == pytest.approx((0.0,) + (30_000.0,) * PERIOD)
    assert outsourcing_bias(0.0, capital=True).percent(line) == 0.0  # never uplifted
    pv = appraise(lines, PERIOD, optimism_bias=outsourcing_bias(0.0)).pv("in_house")
    assert pv == pytest.approx(annuity(30_000))


def test_a_contractor_takes_the_share_its_contract_transfers() -> None:
    # retained (1 - 0.75) x 30k = 7.5k a year
    lines = risk_lines("outsourced", [FLOOD], CONTRACTED, PERIOD)
    assert _values(lines, "pound flood")[1] == pytest.approx(7_500)
    # the option's name plays no part: the same providers, the same retained cost
    assert risk_lines("anything", [FLOOD], CONTRACTED, PERIOD)[0].values == lines[0].values


def test_a_risk_that_arises_only_under_a_contractor() -> None:
    # 0.05 x (0 + 300k + 900k) / 3 = 0.05 x 400k = 20k a year, where recovery is contracted
    assert risk_lines("in_house", [FAILURE], FORCE, PERIOD) == []
    (line,) = risk_lines("mixed", [FAILURE], MIXED, PERIOD)
    assert line.values[1] == pytest.approx(20_000)
    # a risk of a part the option does not have never arises
    assert risk_lines("other", [FLOOD], {"recovery": Provider.FORCE}, PERIOD) == []


def test_a_risk_of_changing_provider_arises_only_where_an_option_changes_it() -> None:
    # bringing recovery in house when today it is contracted (business as usual MIXED):
    # 0.3 x (0 + 100k + 200k) / 3 = 30k, once, in year 1
    insourcing = Risk(
        "TUPE claims on insourcing",
        0.3,
        (0, 100_000, 200_000),
        part="recovery",
        arises_under=frozenset({Provider.FORCE}),
        on_change=True,
        per_year=False,
    )
    (line,) = risk_lines("in_house", [insourcing], FORCE, PERIOD, today=MIXED)
    assert line.values[1] == pytest.approx(30_000)
    assert risk_lines("mixed", [insourcing], MIXED, PERIOD, today=MIXED) == []
    assert risk_lines("outsourced", [insourcing], CONTRACTED, PERIOD, today=MIXED) == []
    # had recovery been in house today, keeping it there would change nothing
    assert risk_lines("in_house", [insourcing], FORCE, PERIOD, today=FORCE) == []
    table = risk_register({"in_house": FORCE, "mixed": MIXED}, [insourcing], today=MIXED)
    assert table.set_index("option")["bearer"].to_dict() == {
        "in_house": "force",
        "mixed": "does not arise",
    }


def test_a_one_off_risk_falls_in_its_year() -> None:
    # half a chance of 0-120k (most likely 60k) at go-live in year 1: 0.5 x 60k = 30k, once
    go_live = Risk("go-live", 0.5, (0, 60_000, 120_000), per_year=False, year=1)
    (line,) = risk_lines("mixed", [go_live], MIXED, PERIOD)
    assert {y: v for y, v in enumerate(line.values) if v} == {1: pytest.approx(30_000)}
    late = Risk("late", 0.5, (0, 1, 2), per_year=False, year=PERIOD + 1)
    with pytest.raises(ValueError, match="outside"):
        risk_lines("mixed", [late], MIXED, PERIOD)


def test_a_risk_of_the_whole_service_transfers_only_when_all_of_it_is_contracted() -> None:
    strike = Risk("strike", 0.2, (50_000, 50_000, 50_000), transferred_share=1.0)
    # 0.2 x 50k = 10k a year: borne by the force unless every part is contracted out
    assert risk_lines("mixed", [strike], MIXED, PERIOD)[0].values[1] == pytest.approx(10_000)
    assert risk_lines("outsourced", [strike], CONTRACTED, PERIOD)[0].values[1] == 0.0


def test_the_register_table() -> None:
    options = {"in_house": FORCE, "outsourced": CONTRACTED, "mixed": MIXED}
    table = risk_register(options, [FLOOD, FAILURE]).set_index(["risk", "option"])
    assert len(table) == 2 * 3
    flood = table.loc["pound flood"]
    assert flood.loc["in_house", "bearer"] == "force"
    assert flood.loc["outsourced", "bearer"] == "shared (contractor 75%)"
    # outsourced: expected 30k, of which the contractor bears 22.5k and the force 7.5k
    assert flood.loc["outsourced", ["expected", "transferred", "retained"]].tolist() == (
        pytest.approx([30_000, 22_500, 7_500])
    )
    assert flood.loc["mixed", "retained"] == pytest.approx(30_000)  # storage in house
    failure = table.loc["contractor failure"]
    assert failure.loc["in_house", "bearer"] == "does not arise"
    assert failure.loc["in_house", "expected"] == 0.0
    assert failure.loc["mixed", ["arises", "bearer", "retained"]].tolist() == [
        True,
        "force",
        pytest.approx(20_000),
    ]
    assert list(flood.loc["in_house", ["low", "likely", "high"]]) == [100_000, 200_000, 600_000]


def test_bad_risks_are_refused() -> None:
    with pytest.raises(ValueError, match="low <= likely <= high"):
        Risk("r", 0.1, (10, 5, 20))
    with pytest.raises(ValueError, match="likelihood must be in"):
        Risk("r", 1.5, (0, 1, 2))
    with pytest.raises(ValueError, match="transferred_share"):
        Risk("r", 0.5, (0, 1, 2), transferred_share=-0.1)


def test_a_section_s_risks_reach_every_option_through_its_providers() -> None:
    spec = RiskSpec(
        part="storage",
        likelihood=0.1,
        impact=ImpactSpec(low=100_000, likely=200_000, high=600_000),
        transferred_share=0.75,
    )

    def option(provider: str) -> SimpleNamespace:
        return SimpleNamespace(
            client_function=None,
            transition={},
            parts=lambda: {"storage": SimpleNamespace(provider=provider)},
            part_providers=lambda: {"storage": as_provider(provider)},
        )

    config = SimpleNamespace(
        options={"a": option("in_house"), "b": option("contractor")},
        existing_assets={},
        risks={"pound flood": spec},
        business_as_usual="a",
    )
    assert spec.risk("pound flood") == FLOOD
    (own,) = option_lines(config, "a", PERIOD)
    (contracted,) = option_lines(config, "b", PERIOD)
    assert (own.values[1], contracted.values[1]) == (pytest.approx(30_000), pytest.approx(7_500))
