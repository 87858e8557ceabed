"""The shipped scenarios, extends, hashing and the Scenario API."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from models.appraisal import FinancialSettings, Provider, ShouldCostSettings
from models.scenario import (
    OptimismBiasSettings,
    Scenario,
    ScenarioError,
    green_book_discount_rates,
    load_scenario,
    scenario_paths,
    scenario_sha256,
)
from tests.appraisal.lines import SERVICE_COSTS
from workbook.validate import main

SCENARIOS = Path(__file__).resolve().parents[2] / "data" / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted key -> value for every non-mapping entry."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(flatten(value, dotted))
        else:
            out[dotted] = value
    return out


def test_shipped_scenarios_validate(capsys: pytest.CaptureFixture[str]) -> None:
    paths = scenario_paths()
    assert {p.name for p in paths} >= {"baseline.yaml", "growth.yaml"}
    for path in paths:
        scenario = load_scenario(path)
        assert scenario.slug == path.stem
        assert scenario.source == path.resolve()
        assert scenario.chain[0] == path.resolve()
    assert main([str(p) for p in paths]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [f"{p}: ok ({load_scenario(p).name})" for p in paths]


def test_baseline_is_business_as_usual_with_green_book_defaults() -> None:
    scenario = load_scenario(BASELINE)
    assert "business as usual" in scenario.name.lower()
    assert scenario.base_year == 2013
    assert scenario.chain == (BASELINE.resolve(),)
    assert scenario.appraisal.discount == "green_book"
    assert scenario.appraisal.discount_schedule == green_book_discount_rates()
    bias = scenario.appraisal.optimism_bias
    assert not bias.replaced_by_risk_register
    assert {name: g.project_type for name, g in bias.groups.items()} == {
        "service_costs": "outsourcing",
        "capital": "standard_buildings",
    }
    # the file claims mitigation, so it is not the unmitigated default
    assert bias != OptimismBiasSettings()
    assert scenario.appraisal.financial.settings() == FinancialSettings(0.02, 0.20, True)
    assert scenario.appraisal.should_cost.settings() == ShouldCostSettings(0.10, 0.07, 0.08, 0.10)
    assert scenario.run.quick_horizon_hours == 24 * scenario.run.quick_horizon_days


def test_green_book_schedule_is_the_published_table() -> None:
    table = [(s.from_year, s.rate) for s in green_book_discount_rates()]
    # HM Treasury Green Book: 3.5 % years 0-30, 3.0 % 31-75, 2.5 % 76-125, 2.0 % 126-200,
    # 1.5 % 201-300, 1.0 % after.
    assert table == [(0, 0.035), (31, 0.03), (76, 0.025), (126, 0.02), (201, 0.015), (301, 0.01)]


def test_growth_overrides_only_what_it_says() -> None:
    growth_file = SCENARIOS / "growth.yaml"
    raw = yaml.safe_load(growth_file.read_text(encoding="utf-8"))
    assert raw.pop("extends") == "baseline.yaml"
    stated = flatten(raw)

    base = flatten(load_scenario(BASELINE).model_dump())
    growth = load_scenario(growth_file)
    grown = flatten(growth.model_dump())

    assert grown.keys() == base.keys()
    changed = {key for key in base if base[key] != grown[key]}
    assert changed == set(stated)
    assert {key: grown[key] for key in stated} == stated
    assert growth.chain == (growth_file.resolve(), BASELINE.resolve())


def test_extends_merges_mappings_and_replaces_lists(write, baseline_mapping) -> None:
    parent = baseline_mapping
    parent["appraisal"]["discount"] = [
        {"from_year": 0, "rate": 0.04},
        {"from_year": 5, "rate": 0.03},
        {"from_year": 9, "rate": 0.02},
    ]
    groups = parent["appraisal"]["optimism_bias"]["groups"]
    groups["service_costs"]["factors"]["inadequacy_of_the_business_case"]["mitigation"] = 0.5
    parent_file = write("parent.yaml", parent)
    child = write(
        "sub/child.yaml",
        "extends: ../parent.yaml\n"
        "appraisal:\n"
        "  discount: [{from_year: 0, rate: 0.01}]\n"
        "  optimism_bias: {groups: {capital: {factors: {all_factors: {mitigation: 0.25}}}}}\n",
    )
    with pytest.raises(ScenarioError, match="extends: must name a file in the scenario's own"):
        load_scenario(child)  # the parent is outside the child's folder: named explicitly below
    scenario = load_scenario(child, roots=[parent_file.parent])
    assert [(s.from_year, s.rate) for s in scenario.appraisal.discount_schedule] == [(0, 0.01)]
    groups = scenario.appraisal.optimism_bias.groups
    assert groups["capital"].factors["all_factors"].mitigation == 0.25
    assert groups["capital"].factors["all_factors"].reason  # the rest of the factor kept
    # inherited from the parent, not reset to the default
    assert groups["service_costs"].factors["inadequacy_of_the_business_case"].mitigation == 0.5
    assert groups["service_costs"].project_type == "outsourcing"
    assert scenario.chain == (child.resolve(), parent_file.resolve())


def test_extends_cycle_is_one_problem(write, baseline_mapping) -> None:
    write("a.yaml", {"extends": "b.yaml", **baseline_mapping})
    b = write("b.yaml", {"extends": "a.yaml", "name": "B"})
    with pytest.raises(ScenarioError) as info:
        load_scenario(b)
    (line,) = info.value.problems
    assert ": extends: cycle:" in line
    assert "a.yaml" in line and "b.yaml" in line

    itself = write("self.yaml", "extends: self.yaml\nname: me\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(itself)
    assert info.value.problems == [f"{itself}: extends: cycle: {itself} -> {itself}"]


def test_extends_missing_parent_is_reported_against_the_child(write) -> None:
    child = write("child.yaml", "extends: nowhere.yaml\nname: x\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    assert info.value.problems == [f"{child}: extends: file not found (got 'nowhere.yaml')"]


def test_problem_in_parent_names_the_users_file_and_the_chain(write, baseline_mapping) -> None:
    baseline_mapping["run"]["warmup_days"] = -1
    write("parent.yaml", baseline_mapping)
    child = write("child.yaml", "extends: parent.yaml\nseed: 7\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    assert info.value.problems == [
        f"{child}: run.warmup_days: must be at least 0 (got -1) "
        "(in parent.yaml, which child.yaml extends)"
    ]


def test_sha256_ignores_layout_and_location_but_not_values(tmp_path, write) -> None:
    base_hash = scenario_sha256(BASELINE)
    assert len(base_hash) == 64 and int(base_hash, 16) >= 0

    # Same content elsewhere, without comments and in another key order: same hash.
    data = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    reordered = dict(reversed(list(data.items())))
    assert scenario_sha256(write("copy.yaml", reordered)) == base_hash

    # The child's hash covers what it inherits: change a parent value, the child's hash changes.
    shutil.copy(BASELINE, tmp_path / "baseline.yaml")
    shutil.copy(SCENARIOS / "growth.yaml", tmp_path / "growth.yaml")
    assert scenario_sha256(tmp_path / "growth.yaml") == scenario_sha256(SCENARIOS / "growth.yaml")
    data["seed"] += 1
    write("baseline.yaml", data)
    assert scenario_sha256(tmp_path / "growth.yaml") != scenario_sha256(SCENARIOS / "growth.yaml")
    assert scenario_sha256(tmp_path / "baseline.yaml") != base_hash


def test_sha256_refuses_an_invalid_scenario(write) -> None:
    with pytest.raises(ScenarioError):
        scenario_sha256(write("bad.yaml", "name: only a name\n"))


def test_scenario_is_frozen_and_reloads_equal() -> None:
    scenario = load_scenario(BASELINE)
    with pytest.raises(ValidationError):
        scenario.seed = 1  # type: ignore[misc]
    assert scenario == load_scenario(BASELINE)
    assert "source" not in scenario.model_dump() and "chain" not in scenario.model_dump()


def test_optimism_bias_becomes_the_appraisal_s_rules() -> None:
    rules = load_scenario(BASELINE).appraisal.optimism_bias_rules()
    assert [g.name for g in rules.groups] == ["service_costs", "capital"]
    service, capital = rules.groups
    assert service.categories == set(SERVICE_COSTS)
    assert service.providers == frozenset()  # whoever provides them
    # 41 x (1 - 1.0 x 0.4) = 24.6 %; capital unmitigated at the upper bound, 24 %
    assert service.percent == pytest.approx(24.6)
    assert capital.percent == pytest.approx(24.0)
    (factor,) = service.factors
    assert (factor.name, factor.share, factor.mitigation, factor.grade) == (
        "inadequacy_of_the_business_case",
        1.0,
        0.4,
        "E",
    )
    assert factor.reason
    table = rules.derivation()
    assert table["uplift"].tolist() == pytest.approx([24.6, 24.0])


def test_default_groups_are_the_unmitigated_bounds_on_every_provider() -> None:
    rules = OptimismBiasSettings().rules()
    assert {g.name: g.percent for g in rules.groups} == {"service_costs": 41.0, "capital": 24.0}
    assert all(not g.providers for g in rules.groups)


def test_project_types_and_providers_as_a_file_states_them() -> None:
    settings = OptimismBiasSettings.model_validate(
        {
            "replaced_by_risk_register": True,
            "groups": {
                "contractor": {
                    "project_type": "outsourcing",
                    "categories": ["contract", "staff"],
                    "providers": ["contractor"],
                    "factors": {
                        "a": {"share": 0.7, "mitigation": 0.5},
                        "b": {"share": 0.3, "mitigation": 0.2, "grade": "D"},
                    },
                },
                "force": {
                    "project_type": "non_standard_buildings",
                    "categories": ["staff"],
                    "providers": ["force"],
                },
            },
        }
    )
    rules = settings.rules()
    contractor, force = rules.groups
    assert contractor.providers == {Provider.CONTRACTOR}
    assert contractor.percent == pytest.approx(24.19)  # 41 x (1 - 0.35 - 0.06)
    assert force.percent == pytest.approx(51.0)
    assert rules.replaced_by_risk_register


def test_setting_reads_a_dotted_key() -> None:
    scenario = load_scenario(BASELINE)
    key = "appraisal.optimism_bias.groups.service_costs.factors.inadequacy_of_the_business_case"
    assert scenario.setting(f"{key}.mitigation") == 0.4
    assert scenario.setting("appraisal.financial.vat_recovered") is True
    assert scenario.setting("appraisal.should_cost.margin") == 0.07
    assert scenario.setting("run.replications") == scenario.run.replications
    with pytest.raises(KeyError):
        scenario.setting("run.nothing")


def test_slug_is_a_safe_folder_name(write, baseline_mapping) -> None:
    scenario = load_scenario(write("my option (v2).yaml", baseline_mapping))
    assert scenario.slug == "my-option-v2"


def test_error_str_is_first_problem_and_a_count(write, baseline_mapping) -> None:
    baseline_mapping["seed"] = -1
    baseline_mapping["base_year"] = 1066
    with pytest.raises(ScenarioError) as info:
        load_scenario(write("two.yaml", baseline_mapping))
    first, second = info.value.problems
    assert str(info.value) == f"{first} (and 1 more)"
    assert ": seed: " in first and ": base_year: " in second


def test_constructed_scenario_needs_source_and_chain(baseline_mapping) -> None:
    with pytest.raises(ValidationError):
        Scenario.model_validate(baseline_mapping)
