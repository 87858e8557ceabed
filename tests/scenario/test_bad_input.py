"""Every kind of bad scenario file gives one clear line per problem, never a traceback.

Each case checks the library (``load_scenario`` raises ScenarioError with exactly one line per
problem, naming the file as given and the dotted key) and the command (``python -m
workbook.validate`` exits non-zero and prints those same lines on stderr, nothing else).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from models.scenario import load_scenario
from tests.scenario.problems import assert_one_problem, problems_of


def test_unknown_key_suggests_the_nearest(write, baseline_mapping, run_validate) -> None:
    baseline_mapping["run"]["replicatons"] = baseline_mapping["run"]["replications"]
    path = write("typo.yaml", baseline_mapping)
    line = assert_one_problem(path, "run.replicatons", run_validate)
    assert line.endswith("unknown key (did you mean 'replications'?)")


def test_unknown_key_without_a_near_miss_lists_the_keys(write, baseline_mapping) -> None:
    baseline_mapping["appraisal"]["zzz"] = 1
    (line,) = problems_of(write("odd.yaml", baseline_mapping))
    assert line.endswith(
        "appraisal.zzz: unknown key (expected one of: period_years, discount, optimism_bias, "
        "financial, should_cost)"
    )


def test_text_where_a_number_is_expected(write, baseline_mapping, run_validate) -> None:
    baseline_mapping["appraisal"]["period_years"] = "10"
    path = write("text.yaml", baseline_mapping)
    line = assert_one_problem(path, "appraisal.period_years", run_validate)
    assert line.endswith("must be a whole number, not text (got '10')")


def test_bool_is_not_a_number(write, baseline_mapping) -> None:
    path = write("bool.yaml", baseline_mapping | {"seed": True})
    assert problems_of(path) == [f"{path}: seed: must be a whole number (got True)"]


def test_negative_value_is_out_of_range(write, baseline_mapping, run_validate) -> None:
    baseline_mapping["run"]["replications"] = -3
    path = write("negative.yaml", baseline_mapping)
    line = assert_one_problem(path, "run.replications", run_validate)
    assert line == f"{path}: run.replications: must be at least 2 (got -3)"


def test_discount_rate_above_range_in_a_schedule(write, baseline_mapping) -> None:
    baseline_mapping["appraisal"]["discount"] = [
        {"from_year": 0, "rate": 0.035},
        {"from_year": 31, "rate": 3.0},
    ]
    path = write("percent.yaml", baseline_mapping)
    assert problems_of(path) == [
        f"{path}: appraisal.discount[1].rate: must be at most 0.2 (got 3.0)"
    ]


def test_discount_years_must_ascend(write, baseline_mapping) -> None:
    baseline_mapping["appraisal"]["discount"] = [
        {"from_year": 0, "rate": 0.035},
        {"from_year": 31, "rate": 0.03},
        {"from_year": 20, "rate": 0.025},
    ]
    (line,) = problems_of(write("order.yaml", baseline_mapping))
    assert ": appraisal.discount: from_year must increase step by step (20 follows 31)" in line


def test_loader_fields_cannot_be_set_by_the_file(write, baseline_mapping, run_validate) -> None:
    path = write("source.yaml", baseline_mapping | {"source": "/etc/passwd"})
    line = assert_one_problem(path, "source", run_validate)
    assert line == f"{path}: source: is set by the loader: remove it"


def test_missing_section(write, baseline_mapping, run_validate) -> None:
    del baseline_mapping["appraisal"]
    path = write("nosection.yaml", baseline_mapping)
    line = assert_one_problem(path, "appraisal", run_validate)
    assert line == f"{path}: appraisal: is required"


def test_empty_file(write, run_validate) -> None:
    path = write("empty.yaml", "# only a comment\n")
    line = assert_one_problem(path, None, run_validate)
    assert line == f"{path}: file is empty (expected a mapping of settings)"


def test_broken_yaml_names_the_line(write, run_validate) -> None:
    path = write("broken.yaml", "name: x\nrun:\n  replications: 2\n   quick: 3\nseed: 1\n")
    line = assert_one_problem(path, None, run_validate, "YAML syntax error")
    assert line.startswith(f"{path}: line 4, column ")


def test_python_object_tag_is_refused_and_nothing_runs(
    tmp_path, write, baseline_mapping, run_validate
) -> None:
    marker = tmp_path / "constructed"
    yaml_text = write("base.yaml", baseline_mapping).read_text(encoding="utf-8")
    yaml_text += f'description: !!python/object/apply:os.system ["touch {marker}"]\n'
    path = write("evil.yaml", yaml_text.replace("description:", "old_description:", 1))
    line = assert_one_problem(
        path, "description", run_validate, "YAML tag !!python/object/apply:os.system"
    )
    assert "not allowed" in line
    assert not marker.exists()


def test_any_non_plain_tag_is_refused(write) -> None:
    path = write("tag.yaml", "name: !!python/name:os.getcwd ''\n")
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: name: YAML tag !!python/name:os.getcwd is not allowed")


@pytest.mark.parametrize(
    ("key", "text", "message"),
    [
        ("run.replications", "1000000000000000000000000000000", "must be at most 10000"),
        ("seed", "1" + "0" * 30, "must be at most 9223372036854775807"),
        ("appraisal.financial.inflation", "1.0e+400", "must be a finite number"),
        ("run.quick_horizon_days", "9" * 5000, "number has more than 100 characters (line"),
    ],
)
def test_very_large_number_is_refused(write, run_validate, key, text, message) -> None:
    lines = {
        "seed": "seed: 1",
        "run.replications": "  replications: 20",
        "run.quick_horizon_days": "  quick_horizon_days: 14",
        "appraisal.financial.inflation": "    inflation: 0.02",
    }
    original = (Path(__file__).parents[2] / "data/scenarios/baseline.yaml").read_text("utf-8")
    original = original.replace("seed: 20130308", "seed: 1")
    old = lines[key]
    assert old in original
    path = write("big.yaml", original.replace(old, old.split(":")[0] + ": " + text))
    line = assert_one_problem(path, key, run_validate, message)
    assert len(line) < 200  # the 5000-digit value is not echoed


def test_top_level_must_be_a_mapping(write, run_validate) -> None:
    path = write("list.yaml", "- name: a\n- name: b\n")
    line = assert_one_problem(path, "top level", run_validate)
    assert "must be a mapping of keys to values, not a list" in line


def test_missing_file(tmp_path, run_validate) -> None:
    path = tmp_path / "absent.yaml"
    assert_one_problem(path, None, run_validate)
    assert problems_of(path) == [f"{path}: file not found"]


def test_path_is_shown_as_given(tmp_path, write, baseline_mapping, run_validate) -> None:
    baseline_mapping["run"]["warmup_days"] = "two weeks"
    write("sub/given.yaml", baseline_mapping)
    result = run_validate("sub/given.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr
        == "sub/given.yaml: run.warmup_days: must be a whole number (got 'two weeks')\n"
    )


def test_duplicate_key(write, run_validate) -> None:
    path = write("dup.yaml", "name: a\nseed: 1\nname: b\n")
    line = assert_one_problem(path, "name", run_validate)
    assert line == f"{path}: name: duplicate key (line 3; first at line 1)"


def test_self_referencing_alias_is_refused(write) -> None:
    path = write("alias.yaml", "name: a\nrun: &r {x: *r}\n")
    (line,) = problems_of(path)
    assert line.startswith(f"{path}: run.x: an alias refers to itself")


def test_alias_bomb_is_refused_quickly(write) -> None:
    rows = ["name: bomb", 'a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefg", "bcdefgh", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    (line,) = problems_of(write("bomb.yaml", "\n".join(rows) + "\n"))
    assert "too many values" in line


def test_hostile_text_stays_plain_text(write, baseline_mapping, run_validate) -> None:
    hostile = "<script>alert('x')</script> & {{ 7*7 }} $(touch /tmp/x)"
    path = write("hostile.yaml", baseline_mapping | {"name": hostile})
    scenario = load_scenario(path)
    assert scenario.name == hostile
    assert type(scenario.name) is str
    result = run_validate(path)
    assert result.returncode == 0
    assert result.stdout == f"{path}: ok ({hostile})\n"


def test_control_characters_in_a_key_cannot_break_the_line(write, baseline_mapping) -> None:
    path = write("ctrl.yaml", baseline_mapping | {"bad\nkey\x1b[31m": 1})
    (line,) = problems_of(path)
    assert "\n" not in line and "\x1b" not in line
    assert ": bad\\nkey\\x1b[31m: unknown key" in line


def test_several_problems_one_line_each(write, baseline_mapping, run_validate) -> None:
    baseline_mapping["seed"] = "x"
    baseline_mapping["run"]["replications"] = 1
    baseline_mapping["appraisal"]["optimism_bias"]["capitl"] = 3
    del baseline_mapping["description"]
    path = write("many.yaml", baseline_mapping)
    problems = problems_of(path)
    assert [line.split(": ")[1] for line in problems] == [
        "description",
        "seed",
        "run.replications",
        "appraisal.optimism_bias.capitl",
    ]
    result = run_validate(path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == problems


def test_command_reports_good_and_bad_files_and_usage(write, baseline_mapping, run_validate):
    good = write("good.yaml", baseline_mapping)
    bad = write("bad.yaml", "name: [\n")
    result = run_validate(good, bad)
    assert result.returncode == 1
    assert result.stdout == f"{good}: ok ({baseline_mapping['name']})\n"
    assert result.stderr.startswith(f"{bad}: line ")
    assert "Traceback" not in result.stderr

    usage = run_validate()
    assert usage.returncode == 2
    assert usage.stderr.startswith("usage: workbook validate")
