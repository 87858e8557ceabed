"""The appraisal section's optimism bias, financial and should-cost settings, and the service
sections' business as usual, held assets and risks: good files load, each bad value is one
line naming its key (the style of ``test_bad_input``)."""

from __future__ import annotations

from typing import Any

import pytest

from models.appraisal import FinancialSettings, ShouldCostSettings
from models.registry import SERVICES
from models.scenario import load_scenario
from tests.scenario.problems import assert_one_problem, problems_of

GROUPS = "appraisal.optimism_bias.groups"
FACTOR = f"{GROUPS}.service_costs.factors.inadequacy_of_the_business_case"


@pytest.fixture
def appraisal_only(baseline_mapping) -> dict[str, Any]:
    """The baseline without its service sections (they are optional): the appraisal alone."""
    for name in SERVICES.names:
        baseline_mapping.pop(name, None)
    return baseline_mapping


@pytest.fixture
def one_service(baseline_mapping, service_name) -> dict[str, Any]:
    """The baseline with one service's section only."""
    for name in SERVICES.names:
        if name != service_name:
            baseline_mapping.pop(name, None)
    return baseline_mapping


def _at(mapping: dict[str, Any], dotted: str) -> tuple[dict[str, Any], str]:
    """The mapping holding the last key of ``dotted``, and that key."""
    *parents, last = dotted.split(".")
    for key in parents:
        mapping = mapping[key]
    return mapping, last


def _set(mapping: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    holder, key = _at(mapping, dotted)
    holder[key] = value
    return mapping


def test_a_stated_financial_and_should_cost_section_loads(write, appraisal_only) -> None:
    appraisal = appraisal_only["appraisal"]
    appraisal["financial"] = {"inflation": 0.025, "vat_recovered": False}
    appraisal["should_cost"] = {"margin": 0.05}
    settings = load_scenario(write("stated.yaml", appraisal_only)).appraisal
    # what the file leaves out takes the defaults
    assert settings.financial.settings() == FinancialSettings(0.025, 0.20, False)
    assert settings.should_cost.settings() == ShouldCostSettings(margin=0.05)


def test_groups_by_provider_may_share_a_category(write, appraisal_only) -> None:
    groups = appraisal_only["appraisal"]["optimism_bias"]["groups"]
    groups["service_costs"]["providers"] = ["force"]
    groups["contractor_costs"] = {
        "project_type": "outsourcing",
        "categories": ["staff", "operating", "contract", "client_function", "transition"],
        "providers": ["contractor"],
        "factors": {
            "inadequacy_of_the_business_case": {"share": 0.7, "mitigation": 0.5},
            "poor_contract_structure": {"share": 0.3, "mitigation": 0.2, "grade": "D"},
        },
    }
    rules = load_scenario(write("split.yaml", appraisal_only)).appraisal.optimism_bias_rules()
    percent = {g.name: g.percent for g in rules.groups}
    # force 41 x (1 - 0.4) = 24.6; contractor 41 x (1 - 0.35 - 0.06) = 24.19; capital 24
    assert percent == pytest.approx(
        {"service_costs": 24.6, "contractor_costs": 24.19, "capital": 24.0}
    )
    derivation = rules.derivation()
    assert len(derivation) == 4  # one row per factor


BAD_VALUES = [
    (f"{FACTOR}.mitigation", 1.5, "must be at most 1.0 (got 1.5)"),
    (f"{FACTOR}.share", -0.1, "must be at least 0.0 (got -0.1)"),
    (f"{FACTOR}.mitigation", "40%", "must be a number (got '40%')"),
    (f"{FACTOR}.grade", "X", "must be 'S', 'D' or 'E' (got 'X')"),
    (f"{GROUPS}.service_costs.project_type", "rockets", "must be 'standard_buildings', "),
    (f"{GROUPS}.capital.categories", [], "must have at least 1 entry"),
    ("appraisal.optimism_bias.replaced_by_risk_register", "yes", "must be true or false"),
    ("appraisal.financial.inflation", 2.0, "must be at most 0.2 (got 2.0)"),
    ("appraisal.financial.vat_rate", 20, "must be less than 1"),
    ("appraisal.financial.vat_recovered", 1, "must be true or false (got 1)"),
    ("appraisal.should_cost.margin", 7.0, "must be less than 1.0 (got 7.0)"),
    ("appraisal.should_cost.tolerance", 0.0, "must be more than 0.0 (got 0.0)"),
    ("appraisal.should_cost.overhead", "10%", "must be a number (got '10%')"),
]


@pytest.mark.parametrize(("key", "value", "message"), BAD_VALUES)
def test_a_bad_appraisal_value_is_one_line_naming_its_key(
    write, appraisal_only, key, value, message
) -> None:
    path = write("bad.yaml", _set(appraisal_only, key, value))
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: {key}: "), line
    assert message in line, line


def test_a_category_that_is_never_uplifted_is_refused(write, appraisal_only) -> None:
    _set(appraisal_only, f"{GROUPS}.capital.categories", ["capital", "service_credit"])
    path = write("credit.yaml", appraisal_only)
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: {GROUPS}.capital.categories[1]: must be 'staff', ")
    assert "(got 'service_credit')" in line


def test_an_unknown_provider_is_refused(write, appraisal_only) -> None:
    _set(appraisal_only, f"{GROUPS}.capital.providers", ["force", "police"])
    path = write("police.yaml", appraisal_only)
    assert problems_of(path) == [
        f"{path}: {GROUPS}.capital.providers[1]: must be 'force' or 'contractor' (got 'police')"
    ]


def test_a_misspelt_factor_key_suggests_the_key(write, appraisal_only) -> None:
    holder, _ = _at(appraisal_only, f"{FACTOR}.mitigation")
    holder["mitigaton"] = holder.pop("mitigation")
    (line,) = problems_of(write("typo.yaml", appraisal_only))
    assert line.endswith(f"{FACTOR}.mitigaton: unknown key (did you mean 'mitigation'?)")


def test_factor_shares_above_the_whole_bound_are_refused(
    write, appraisal_only, run_validate
) -> None:
    factors = _at(appraisal_only, FACTOR)[0]
    factors["poor_contract_structure"] = {"share": 0.3, "mitigation": 0.2}
    path = write("shares.yaml", appraisal_only)
    assert_one_problem(
        path,
        f"{GROUPS}.service_costs",
        run_validate,
        "the factors' shares add up to 1.3, more than the whole bound (1)",
    )


def test_two_groups_covering_the_same_category_and_provider_are_refused(
    write, appraisal_only, run_validate
) -> None:
    groups = appraisal_only["appraisal"]["optimism_bias"]["groups"]
    groups["contractor_charges"] = {
        "project_type": "outsourcing",
        "categories": ["contract"],
        "providers": ["contractor"],
    }
    path = write("overlap.yaml", appraisal_only)
    assert_one_problem(
        path,
        "appraisal.optimism_bias",
        run_validate,
        "contract lines provided by the contractor are in two groups "
        "(service_costs and contractor_charges)",
    )


# --------------------------------------------------------------------------- service sections


@pytest.fixture(params=SERVICES.names)
def service_name(request: pytest.FixtureRequest) -> str:
    return request.param


def _business_as_usual(section: dict[str, Any]) -> str:
    return section.get("business_as_usual", "in_house")


def test_business_as_usual_with_transition_costs_is_refused(
    write, one_service, run_validate, service_name
) -> None:
    section = one_service[service_name]
    today = _business_as_usual(section)
    section["options"][today]["transition"] = {"procurement": {"year": 0, "amount": 250_000}}
    path = write("bau.yaml", one_service)
    line = assert_one_problem(
        path,
        f"{service_name}.options.{today}.transition",
        run_validate,
        "the business-as-usual option is how the service runs today, so it has no transition "
        "costs (it lists procurement)",
    )
    assert "{" not in line  # nothing of the section is echoed


def test_business_as_usual_must_be_an_option(write, one_service, service_name) -> None:
    one_service[service_name]["business_as_usual"] = "nowhere"
    path = write("nowhere.yaml", one_service)
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: {service_name}.business_as_usual: ") or line.startswith(
        f"{path}: {service_name}: "
    )
    assert "business_as_usual 'nowhere' is not an option" in line


def test_a_risk_naming_a_part_no_option_has_is_refused(
    write, one_service, run_validate, service_name
) -> None:
    risks = one_service[service_name].setdefault("risks", {})
    risks["meteor strike"] = {
        "part": "observatory",
        "likelihood": 0.01,
        "impact": {"low": 1_000, "likely": 2_000, "high": 5_000},
    }
    path = write("risk.yaml", one_service)
    assert_one_problem(
        path,
        f"{service_name}.risks.meteor strike.part",
        run_validate,
        "no part 'observatory' in the options (parts: ",
    )


def test_held_assets_of_a_part_no_option_has_are_refused(write, one_service, service_name) -> None:
    held = one_service[service_name].setdefault("existing_assets", {})
    held["telescopes"] = {"part": "observatory", "units": 2, "remaining_life_years": 3}
    path = write("held.yaml", one_service)
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: {service_name}.existing_assets.telescopes.part: ")
    assert "no part 'observatory' in the options" in line


def test_a_bad_risk_value_names_its_key(write, one_service, service_name) -> None:
    risks = one_service[service_name].setdefault("risks", {})
    risks["flood"] = {"likelihood": 1.5, "impact": {"low": 1, "likely": 2, "high": 3}}
    path = write("likely.yaml", one_service)
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: {service_name}.risks.flood.likelihood: "), line
    assert "1.5" in line
