"""Ranges on the uncertain inputs (``uncertainty.ranges``): what a pattern matches, what the
loader refuses (one line naming ``uncertainty.ranges.<pattern>``), absolute and relative ranges,
the layer of each input, and :func:`models.uncertainty.ranges.replaced`; and the shipped
baseline's own ranges (their budget, their reasons, inherited by the growth scenario)."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from models.registry import SERVICES
from models.scenario import DEFAULT_SCENARIO, load_scenario
from models.uncertainty.ranges import (
    UncertainInput,
    layer_of,
    numeric_leaves,
    replaced,
    resolve,
    set_values,
)
from tests.scenario.conftest import BASELINE, SCENARIOS
from tests.scenario.problems import assert_one_problem, problems_of

SCENARIO = load_scenario(DEFAULT_SCENARIO)
INPUTS = resolve(SCENARIO)
OPERATIONAL_PER_SERVICE = 5
"""The study's budget: every operational range costs a whole re-simulation budget."""


@pytest.fixture
def child(tmp_path: Path) -> Callable[[str], Path]:
    """Write a scenario that extends a copy of the baseline and adds ``ranges`` (YAML lines
    below ``uncertainty: ranges:``, indented four spaces)."""
    shutil.copy(BASELINE, tmp_path / "baseline.yaml")

    def _write(ranges: str, name: str = "child.yaml") -> Path:
        path = tmp_path / name
        path.write_text(
            f"extends: baseline.yaml\nname: ranges test\nuncertainty:\n  ranges:\n{ranges}",
            encoding="utf-8",
        )
        return path

    return _write


def _named(inputs: tuple[UncertainInput, ...], name: str) -> UncertainInput:
    (found,) = [one for one in inputs if one.name == name]
    return found


def _revalidated(section: Any, updates: dict[tuple[str, ...], Any]) -> Any:
    """``section`` with ``updates`` set in its dump and validated again (the slow, sure way)."""
    data = set_values(copy.deepcopy(section.model_dump(mode="python")), updates)
    return type(section).model_validate(data)


# --------------------------------------------------------------------------- what matches


def test_a_star_matches_every_option_part_of_a_name_and_an_entry_of_a_list(child) -> None:
    path = child(
        "    recovery.options.*.storage.costs.cost_per_disposal:\n"
        "      {low: 30, high: 60, reason: one price under both options}\n"
        "    'recovery.risks.TUPE*.transferred_share':\n"
        "      {low: 0.0, high: 0.3, reason: both TUPE risks}\n"
        "    recovery.demand.hour_of_day.3:\n"
        "      {low: 0.2, high: 0.5, reason: one hour of the profile}\n"
        "    'catering.options.in_house.custody.*.emergency_*':\n"
        "      {low: 0.9, high: 1.1, relative: true, reason: emergency meals}\n"
    )
    inputs = resolve(load_scenario(path))
    disposal = _named(inputs, "recovery.options.*.storage.costs.cost_per_disposal")
    assert disposal.keys == (
        ("recovery", "options", "in_house", "storage", "costs", "cost_per_disposal"),
        ("recovery", "options", "mixed", "storage", "costs", "cost_per_disposal"),
    )
    assert (disposal.stated, disposal.mode, disposal.layer) == ((40.0, 40.0), 40.0, "cost")
    tupe = _named(inputs, "recovery.risks.TUPE*.transferred_share")
    assert [key[2] for key in tupe.keys] == [
        "TUPE claims at transfer of pound staff",
        "TUPE claims on bringing recovery in-house",
    ]
    assert tupe.stated == (0.0, 0.0) and tupe.mode == 0.0
    hour = _named(inputs, "recovery.demand.hour_of_day.3")
    assert hour.keys == (("recovery", "demand", "hour_of_day", "3"),)
    assert (hour.stated, hour.layer) == ((0.35,), "operational")
    # a pattern that reaches one input the simulation reads is operational as a whole
    mixed = _named(inputs, "catering.options.in_house.custody.*.emergency_*")
    assert [key[4:] for key in mixed.keys] == [
        ("stock", "emergency_hours"),  # when meals are bought in: the simulation reads it
        ("costs", "emergency_cost_per_meal"),  # what they cost: only the cost lines do
    ]
    assert {layer_of(SCENARIO, key) for key in mixed.keys} == {"cost", "operational"}
    assert mixed.layer == "operational"
    # the child's ranges come on top of the baseline's, which it inherits
    assert {one.name for one in INPUTS} < {one.name for one in inputs}


def test_the_layer_of_a_cost_key_an_appraisal_key_and_a_demand_key() -> None:
    cost = ("recovery", "options", "in_house", "storage", "costs", "fixed_per_year")
    fleet_cost = ("fleet", "vehicles", "vans", "replacement", "unit_cost")  # fleet's own key
    assert layer_of(SCENARIO, cost) == layer_of(SCENARIO, fleet_cost) == "cost"
    assert layer_of(SCENARIO, ("appraisal", "financial", "inflation")) == "cost"
    assert layer_of(SCENARIO, ("recovery", "demand", "annual_vehicles")) == "operational"
    assert layer_of(SCENARIO, ("fleet", "vehicles", "vans", "count")) == "operational"
    assert _named(INPUTS, "appraisal.financial.inflation").layer == "cost"
    assert _named(INPUTS, "recovery.demand.annual_vehicles").layer == "operational"
    assert _named(INPUTS, "recovery.options.*.storage.costs.fixed_per_year").layer == "cost"


# --------------------------------------------------------------------------- what is refused

REFUSED = {
    "no number": (
        "recovery.demand.nothing",
        "{low: 1, high: 2, reason: a typo}",
        "matches no number of the scenario",
    ),
    "two sections": (
        "*.options.*.client_function.annual_cost",
        "{low: 0.9, high: 1.1, relative: true, reason: every client team}",
        "matches inputs of more than one section",
    ),
    "different values, absolute": (
        "recovery.risks.*.likelihood",
        "{low: 0.01, high: 0.3, reason: every likelihood}",
        "matches inputs of different stated values (0.02 to 0.25): give them a relative range",
    ),
    "stated value outside": (
        "recovery.demand.growth_per_year",
        "{low: 0.02, high: 0.05, reason: faster growth}",
        "the stated value 0.01 lies outside the range 0.02 to 0.05",
    ),
    "a run setting": (
        "run.replications",
        "{low: 2, high: 30, reason: not an input}",
        "names a run setting, not an input of the appraisal",
    ),
    "low above high": (
        "recovery.charges.disposal",
        "{low: 80, high: 20, reason: reversed}",
        "low (80.0) must be below high (20.0)",
    ),
    "mode outside": (
        "recovery.charges.disposal",
        "{low: 20, high: 80, mode: 90, reason: mode beyond}",
        "mode (90.0) must lie between low and high",
    ),
    "negative factor": (
        "recovery.charges.disposal",
        "{low: -0.5, high: 1.5, relative: true, reason: below zero}",
        "a relative range's low must be >= 0",
    ),
    "no reason": ("recovery.charges.disposal", "{low: 20, high: 80}", "reason"),
    "one input, two ranges": (
        "recovery.risks.TUPE*.impact.high",
        "{low: 0.5, high: 1.5, relative: true, reason: drawn twice}",
        "which the range recovery.risks.*.impact.* matches too",
    ),
}


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_a_bad_range_is_one_line_naming_its_pattern(child, case: str) -> None:
    pattern, body, fragment = REFUSED[case]
    path = child(f"    '{pattern}': {body}\n")
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: uncertainty.ranges.{pattern}"), line
    assert fragment in line, line
    assert "\n" not in line


def test_the_command_refuses_a_bad_range_with_the_same_line(child, run_validate) -> None:
    path = child("    recovery.demand.nothing: {low: 1, high: 2, reason: a typo}\n")
    assert_one_problem(
        path, "uncertainty.ranges.recovery.demand.nothing", run_validate, "matches no number"
    )


@pytest.mark.parametrize(
    ("pattern", "body", "end", "refused"),
    [
        (
            "recovery.risks.recovery*.likelihood",
            "{low: 0.01, high: 1.5, reason: beyond certainty}",
            "high",
            "recovery.risks.recovery operator fails.likelihood would be refused: Input should "
            "be less than or equal to 1",
        ),
        (
            "recovery.demand.categories.*.share",
            "{low: 0.9, high: 1.1, relative: true, reason: every share at once}",
            "low",
            "recovery.demand would be refused: Value error, category shares must add up to 1",
        ),
        (
            "fleet.jobs.*.parts_delay_hours.mean",
            "{low: 0.0, high: 1.2, relative: true, reason: down to nothing}",
            "low",
            # the input is named by its path, which may hold the distribution's kind
            "would be refused: Input should be greater than 0",
        ),
    ],
)
def test_a_range_invalid_at_one_end_is_refused_naming_the_end_and_the_input(
    child, pattern: str, body: str, end: str, refused: str
) -> None:
    path = child(f"    '{pattern}': {body}\n")
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: uncertainty.ranges.{pattern}.{end}: at this end of the range")
    assert refused in line, line
    assert f", {pattern.split('.')[0]}." in line  # names the input it would break


# --------------------------------------------------------------------------- values and draws


def test_an_absolute_range_sets_every_input_a_relative_one_scales_each() -> None:
    pounds = _named(INPUTS, "recovery.options.*.storage.costs.fixed_per_year")
    assert not pounds.relative and pounds.stated_value == 2_500_000
    assert set(pounds.values_at(3_000_000).values()) == {3_000_000.0}
    client = _named(INPUTS, "recovery.options.*.client_function.annual_cost")
    assert client.relative and client.stated_value == 1.0
    assert list(client.values_at(1.2).values()) == pytest.approx([420_000.0, 300_000.0])
    life = _named(INPUTS, "recovery.options.*.recovery.costs.trucks.life_years")
    (years,) = life.values_at(7.6).values()
    assert years == 8 and isinstance(years, int)  # a whole number stays whole
    for one in (pounds, client, life):
        low, high = one.ppf(np.array([0.0, 1.0]))
        assert (low, high) == pytest.approx((one.low, one.high))
        split = (one.mode - one.low) / (one.high - one.low)
        assert one.ppf(split) == pytest.approx(one.mode)  # the most likely value
        draws = one.ppf(np.linspace(0, 1, 101))
        assert np.all(np.diff(draws) >= 0) and one.low <= draws.min() <= draws.max() <= one.high


@pytest.mark.parametrize("section", ["appraisal", *SERVICES.names])
def test_replaced_changes_only_the_targeted_inputs_and_equals_a_revalidated_section(
    section: str,
) -> None:
    part = getattr(SCENARIO, section)
    own = [one for one in INPUTS if one.section == section]
    assert own, f"the baseline gives {section} no range"
    for end in ("low", "high"):
        updates = {
            key[1:]: value for one in own for key, value in one.values_at(getattr(one, end)).items()
        }
        fast = replaced(part, updates)
        assert fast.model_dump() == _revalidated(part, updates).model_dump()
        before = dict(numeric_leaves(part))
        after = dict(numeric_leaves(fast))
        assert before.keys() == after.keys()
        moved = {path for path in before if before[path] != after[path]}
        assert moved and moved <= set(updates)
        assert all(after[path] == value for path, value in updates.items())


def test_replaced_copies_only_the_branches_on_the_way() -> None:
    recovery = SCENARIO.recovery
    changed = replaced(recovery, {("demand", "annual_vehicles"): 30_000.0})
    assert changed.demand.annual_vehicles == 30_000.0
    assert recovery.demand.annual_vehicles == 36_000.0  # the original is untouched
    assert changed.options is recovery.options and changed.charges is recovery.charges
    assert changed.demand.categories is recovery.demand.categories


# --------------------------------------------------------------------------- the shipped ranges


@pytest.mark.parametrize("service", SERVICES.names)
def test_the_baseline_ranges_keep_to_the_study_budget(service: str) -> None:
    own = [one for one in INPUTS if one.section == service]
    operational = [one.name for one in own if one.layer == "operational"]
    cost = [one.name for one in own if one.layer == "cost"]
    assert 1 <= len(operational) <= OPERATIONAL_PER_SERVICE, operational
    assert 10 <= len(cost) <= 32, cost


def test_every_baseline_range_gives_a_graded_reason_and_holds_its_stated_value() -> None:
    for one in INPUTS:
        assert one.reason.startswith(("[S", "[D", "[E")), one.name
        assert one.low <= one.mode <= one.high, one.name
        if not one.relative:
            assert one.low <= one.stated_value <= one.high, one.name
            assert one.mode == one.stated_value, one.name


def test_the_growth_scenario_inherits_the_baseline_ranges_and_stays_valid() -> None:
    growth = load_scenario(SCENARIOS / "growth.yaml")
    assert growth.appraisal.period_years != SCENARIO.appraisal.period_years
    assert [one.name for one in resolve(growth)] == [one.name for one in INPUTS]
    assert growth.uncertainty.fixed == SCENARIO.uncertainty.fixed
