"""The assumptions register reads grades and sources from the scenario files' comments."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from models.assumptions import comment_grades, describe_range, estimates_without_range, register
from models.registry import SERVICES
from models.scenario import DEFAULT_SCENARIO, load_scenario, load_sources
from models.uncertainty.ranges import UncertainInput, resolve
from workbook import display, sections

YAML = """\
# Grades: [S] a published figure  [D] derived  [E] an estimate
service:
  demand:
    annual: 36000          # [S/D] "over 36,000 a year" (PCD 747)
    # [E] relative requests by hour of day
    profile: [1, 2, 3]
    share: 0.74            # [S, one force] returned to owner (MQT 2015/2632)
  staff: {salary: 22000, on_costs: 0.27}   # [S]/[E] band E; on-costs estimated
  target_hours: 1.0        # local standard, see [S] ACPO later in the text
  quoted: "a # not a comment"   # [E] estimate after a quoted hash
"""


def _grades(tmp_path: Path) -> dict[str, tuple[str, str]]:
    path = tmp_path / "s.yaml"
    path.write_text(YAML)
    return comment_grades(path)


def test_reads_grades_of_every_form(tmp_path: Path) -> None:
    grades = _grades(tmp_path)
    assert grades["service.demand.annual"] == ("S/D", '"over 36,000 a year" (PCD 747)')
    assert grades["service.demand.profile"] == ("E", "relative requests by hour of day")
    assert grades["service.demand.share"] == ("S", "returned to owner (MQT 2015/2632) (one force)")
    assert grades["service.staff"] == ("S/E", "band E; on-costs estimated")
    assert grades["service.quoted"] == ("E", "estimate after a quoted hash")


def test_a_grade_later_in_a_comment_or_a_legend_grades_nothing(tmp_path: Path) -> None:
    grades = _grades(tmp_path)
    assert "service.target_hours" not in grades
    assert "service" not in grades


def test_register_lists_leaves_with_inherited_grades_and_flags_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(YAML)
    data = {
        "service": {
            "demand": {"annual": 36000, "profile": [1, 2, 3], "share": 0.74},
            "staff": {"salary": 22000, "on_costs": 0.27},
            "target_hours": 1.0,
            "quoted": "a # not a comment",
        }
    }
    table = register(data, "service", [path]).set_index("key")
    assert table.loc["service.staff.salary", "grade"] == "S/E"
    assert table.loc["service.staff.salary", "unit"] == "£ a year"
    assert table.loc["service.target_hours", "grade"] == "not stated"
    assert table.loc["service.target_hours", "unit"] == "hours"
    assert table.loc["service.demand.profile", "value"] == [1, 2, 3]


def test_sources_register_takes_precedence(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(YAML)
    entry = SimpleNamespace(grade="S", source="Green Book", unit="years")
    data = {"service": {"target_hours": 1.0}}
    row = register(data, "service", [path], {"service.target_hours": entry}).iloc[0]
    assert (row["grade"], row["source"], row["unit"]) == ("S", "Green Book", "years")


def test_baseline_recovery_inputs_are_nearly_all_graded() -> None:
    scenario = load_scenario(DEFAULT_SCENARIO)
    table = register(scenario.model_dump(mode="json"), "recovery", scenario.chain, load_sources())
    assert len(table) > 100
    published = table[table["grade"].str.contains("S")]["key"]
    assert "recovery.charges.removal" in set(published)
    assert (table["grade"] == "not stated").mean() < 0.15


# --------------------------------------------------------------------------- ranges

RANGED_YAML = """\
service:
  demand:
    annual: 36000          # [S/D] "over 36,000 a year" (PCD 747)
    growth: 0.01           # [E] a guess
    # [E] relative requests by hour of day
    profile: [1, 2, 3]
    share: 0.74            # [S, one force] returned to owner
  staff: {salary: 22000, on_costs: 0.27}   # [S]/[E] band E; on-costs estimated
  target_hours: 1.0
  trucks:                  # [E] rosters
    - {start: 7, capacity: 5}
    - {start: 15, capacity: 4}
  method: towing           # [E] text takes no range
  waived: true             # [E] nor does a switch
"""
RANGED_DATA = {
    "service": {
        "demand": {"annual": 36000, "growth": 0.01, "profile": [1, 2, 3], "share": 0.74},
        "staff": {"salary": 22000, "on_costs": 0.27},
        "target_hours": 1.0,
        "trucks": [{"start": 7, "capacity": 5}, {"start": 15, "capacity": 4}],
        "method": "towing",
        "waived": True,
    }
}


def _input(name: str, *keys: tuple[str, ...], stated: tuple[float, ...], **range_: Any) -> Any:
    """An uncertain input as :func:`models.uncertainty.ranges.resolve` makes them: of the
    leaves at ``keys`` or, without them, of the one leaf whose dotted path is ``name``."""
    relative = range_.get("relative", False)
    low, high = range_["low"], range_["high"]
    return UncertainInput(
        name=name,
        keys=keys or (tuple(name.split(".")),),
        stated=stated,
        integer=tuple(isinstance(v, int) for v in stated),
        low=low,
        mode=range_.get("mode", 1.0 if relative else stated[0]),
        high=high,
        relative=relative,
        distribution=range_.get("distribution", "triangular"),
        reason=f"[E] reason for {name}",
        layer="operational",
    )


RANGED_INPUTS = (
    _input("service.demand.growth", stated=(0.01,), low=-0.02, high=0.03),
    _input("service.staff.salary", stated=(22000,), low=0.9, high=1.2, relative=True),
    _input("service.trucks.1.capacity", stated=(4,), low=3, high=6, distribution="uniform"),
    _input("service.demand.profile.2", stated=(3,), low=2, high=5),
)


def _ranged_table(tmp_path: Path, inputs: Any = RANGED_INPUTS) -> pd.DataFrame:
    path = tmp_path / "s.yaml"
    path.write_text(RANGED_YAML)
    return register(RANGED_DATA, "service", [path], inputs=inputs)


def test_register_shows_each_range_beside_its_input_with_list_keys_mapped(tmp_path) -> None:
    table = _ranged_table(tmp_path).set_index("key")
    assert table.loc["service.demand.growth", "range"] == "-0.02 to 0.03 (most likely 0.01)"
    assert (
        table.loc["service.demand.growth", "range_reason"] == "[E] reason for service.demand.growth"
    )
    assert table.loc["service.staff.salary", "range"] == "x0.9 to x1.2 (most likely x1)"
    # a list of mappings is indexed: the range lands on its entry, not on its neighbours
    assert table.loc["service.trucks[1].capacity", "range"] == "3 to 6 (most likely 4), uniform"
    assert table.loc["service.trucks[0].capacity", "range"] == ""
    assert table.loc["service.trucks[1].start", "range"] == ""
    # a list of numbers stays whole: a range on any entry covers it
    assert table.loc["service.demand.profile", "range"] == "2 to 5 (most likely 3)"
    assert table.loc["service.staff.on_costs", ["range", "range_reason"]].tolist() == ["", ""]
    assert table.loc["service.trucks[1].capacity", "path"] == ("service", "trucks", "1", "capacity")
    bare = register(RANGED_DATA, "service", [tmp_path / "s.yaml"])
    assert set(bare["range"]) == {""} and list(bare.columns) == list(table.reset_index().columns)


def test_a_relative_range_does_not_cover_an_input_stated_as_zero(tmp_path) -> None:
    data = {"service": {"growth": {"a": 0.0, "b": 0.01}}}
    path = tmp_path / "z.yaml"
    path.write_text("service:\n  growth: {a: 0.0, b: 0.01}   # [E] indexation\n")
    keys = (("service", "growth", "a"), ("service", "growth", "b"))
    both = _input("service.growth.*", *keys, stated=(0.0, 0.01), low=0, high=2, relative=True)
    table = register(data, "service", [path], inputs=(both,)).set_index("key")
    assert table.loc["service.growth.b", "range"] == "x0 to x2 (most likely x1)"
    assert table.loc["service.growth.a", "range"] == ""  # x2 of nothing is nothing
    missing = estimates_without_range(table.reset_index(), {})
    assert missing.no_range == ("service.growth.a",)


def test_describe_range_writes_thousands_and_factors() -> None:
    (pounds,) = [
        one
        for one in resolve(load_scenario(DEFAULT_SCENARIO))
        if one.name == "recovery.options.*.storage.costs.fixed_per_year"
    ]
    assert describe_range(pounds) == "1,800,000 to 3,500,000 (most likely 2,500,000)"
    small = _input("x.y", ("x", "y"), stated=(0.27,), low=0.25, high=0.3)
    assert describe_range(small) == "0.25 to 0.3 (most likely 0.27)"


def test_estimates_without_a_range_are_split_into_held_and_missing(tmp_path) -> None:
    table = _ranged_table(tmp_path)
    fixed = {"service.trucks": "the option's design", "service.*": "everything else"}
    held_first = estimates_without_range(table, {"service.trucks": "the option's design"})
    assert held_first.held_fixed == (
        ("service.trucks[0].start", "service.trucks", "the option's design"),
        ("service.trucks[0].capacity", "service.trucks", "the option's design"),
        ("service.trucks[1].start", "service.trucks", "the option's design"),
    )
    # estimates (E in the grade, or none) that are numbers; published, ranged, text and
    # switches are not listed
    assert held_first.no_range == ("service.staff.on_costs", "service.target_hours")
    assert len(held_first) == 5
    # the first pattern written wins; a pattern holds every input below the key it matches
    everything = estimates_without_range(table, fixed)
    assert everything.no_range == ()
    reasons = {key: reason for key, _, reason in everything.held_fixed}
    assert reasons["service.trucks[1].start"] == "the option's design"
    assert reasons["service.target_hours"] == "everything else"
    # an entry pattern holds a list of numbers kept whole
    unranged = _ranged_table(tmp_path, inputs=RANGED_INPUTS[:3])
    profile = estimates_without_range(unranged, {"service.demand.profile.*": "a shape"})
    assert ("service.demand.profile", "service.demand.profile.*", "a shape") in profile.held_fixed
    assert "service.demand.profile" not in profile.no_range


def test_every_baseline_estimate_is_ranged_held_or_listed_and_every_pattern_holds_one() -> None:
    scenario = load_scenario(DEFAULT_SCENARIO)
    data, inputs = scenario.model_dump(mode="json"), resolve(scenario)
    patterns_used: set[str] = set()
    for section in ("appraisal", *SERVICES.names):
        table = register(data, section, scenario.chain, load_sources(), inputs=inputs)
        missing = estimates_without_range(table, scenario.uncertainty.fixed)
        held = {key for key, _, _ in missing.held_fixed}
        assert not held & set(missing.no_range)
        assert not (held | set(missing.no_range)) & set(table.loc[table["range"] != "", "key"])
        # every pattern matches some input, whatever its grade: none is a typo
        as_estimates = table.assign(grade="E", range="")
        held_any = estimates_without_range(as_estimates, scenario.uncertainty.fixed).held_fixed
        patterns_used |= {pattern for _, pattern, _ in held_any}
        estimates = table[table["grade"].str.contains("E") | (table["grade"] == "not stated")]
        numeric = estimates[estimates["value"].map(lambda v: not isinstance(v, str | bool))]
        # most estimates carry a range or are held on purpose; the rest are listed
        assert len(missing.no_range) < 0.25 * len(numeric), section
    assert patterns_used == set(scenario.uncertainty.fixed)


def test_the_report_shows_ranges_and_lists_the_estimates_without_one(tmp_path, monkeypatch) -> None:
    shutil.copy(DEFAULT_SCENARIO, tmp_path / "baseline.yaml")
    child = tmp_path / "child.yaml"
    child.write_text(
        'extends: baseline.yaml\nuncertainty:\n  fixed:\n    recovery.standard: "<b>policy</b>"\n'
    )
    scenario = load_scenario(child)
    shown: list[str] = []
    monkeypatch.setattr(
        display, "display_all", lambda *items: shown.extend(i.markup for i in items)
    )
    sections.assumptions(SimpleNamespace(scenario=scenario, service=SERVICES["recovery"]))
    markup = "\n".join(shown)
    assert "<th>Range</th>" in markup and "<th>Why this range</th>" in markup
    assert "33,000 to 40,000 (most likely 36,000)" in markup
    assert "x0.7 to x1.4 (most likely x1)" in markup
    data, inputs = scenario.model_dump(mode="json"), resolve(scenario)
    found = pd.concat(
        [
            register(data, name, scenario.chain, load_sources(), inputs=inputs)
            for name in ("appraisal", "recovery")
        ]
    )
    missing = estimates_without_range(found, scenario.uncertainty.fixed)
    assert (
        f"Estimates without a range: {len(missing)}. {len(missing.held_fixed)} are held" in markup
    )
    assert "Estimates held at their value" in markup and "Estimates with no range yet" in markup
    assert "&lt;b&gt;policy&lt;/b&gt;" in markup and "<b>policy" not in markup
    assert "options.(any).recovery.trucks" in markup  # where a pattern holds them
