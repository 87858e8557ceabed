"""The assumptions register reads grades and sources from the scenario files' comments."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from models.assumptions import comment_grades, register
from models.scenario import DEFAULT_SCENARIO, load_scenario, load_sources

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
