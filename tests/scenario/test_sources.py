"""The register of assumptions (data/sources.yaml) agrees with the baseline it documents."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from models.scenario import GRADE_MEANINGS, ScenarioError, load_scenario, load_sources

BASELINE = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "baseline.yaml"


def test_register_matches_the_baseline_values() -> None:
    sources = load_sources()
    baseline = load_scenario(BASELINE)
    assert sources
    for key, source in sources.items():
        assert baseline.setting(key) == source.value, key


def _appraisal_keys(appraisal: dict[str, Any]) -> set[str]:
    """The appraisal settings a reader must be able to trace: the period and discount, whether
    the risk register replaces optimism bias, each group's project type, each factor's claimed
    mitigation and (where the bound is apportioned among factors) its share, and every
    financial and should-cost setting."""
    keys = {
        "appraisal.period_years",
        "appraisal.discount",
        "appraisal.optimism_bias.replaced_by_risk_register",
    }
    for name, group in appraisal["optimism_bias"]["groups"].items():
        prefix = f"appraisal.optimism_bias.groups.{name}"
        keys.add(f"{prefix}.project_type")
        factors = group["factors"]
        for factor, setting in factors.items():
            keys.add(f"{prefix}.factors.{factor}.mitigation")
            if len(factors) > 1 or setting["share"] != 1.0:
                keys.add(f"{prefix}.factors.{factor}.share")
    for section in ("financial", "should_cost"):
        keys |= {f"appraisal.{section}.{key}" for key in appraisal[section]}
    return keys


def test_every_appraisal_default_has_a_graded_source() -> None:
    sources = load_sources()
    appraisal = load_scenario(BASELINE).model_dump()["appraisal"]
    keys = _appraisal_keys(appraisal)
    assert {
        "appraisal.optimism_bias.groups.service_costs.factors.inadequacy_of_the_business_case"
        ".mitigation",
        "appraisal.financial.vat_recovered",
        "appraisal.should_cost.margin",
    } <= keys
    assert not keys - sources.keys(), sorted(keys - sources.keys())
    for key in keys:
        source = sources[key]
        assert source.grade in GRADE_MEANINGS
        assert source.grade_meaning == GRADE_MEANINGS[source.grade]
        if source.grade == "E":
            assert "estimate" in source.source.lower(), key
        else:
            assert "estimate" not in source.source.lower(), key


def _inline_grades(text: str, section: str = "appraisal") -> dict[str, str]:
    """Dotted key -> grade of every ``key: value  # [G] ...`` line of one top-level section of
    a scenario file (keys found by their indentation)."""
    grades: dict[str, str] = {}
    stack: list[tuple[int, str]] = []
    for line in text.splitlines():
        found = re.match(r"^( *)([a-z_][a-z0-9_]*):(.*)$", line)
        if not found:
            continue
        indent, key, rest = len(found[1]), found[2], found[3]
        if indent == 0 and stack and stack[0][1] == section:
            break  # the next top-level section
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, key))
        grade = re.search(r"#\s*\[([SDE])\]", rest)
        if grade and stack[0][1] == section:
            grades[".".join(name for _, name in stack)] = grade[1]
    return grades


def test_the_grade_in_the_baseline_is_the_grade_in_the_register() -> None:
    sources = load_sources()
    grades = _inline_grades(BASELINE.read_text(encoding="utf-8"))
    assert "appraisal.financial.vat_recovered" in grades
    for key, grade in grades.items():
        assert key in sources, f"{key} is graded [{grade}] in the baseline but not registered"
        assert sources[key].grade == grade, key


def test_register_problems_are_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "assumptions:\n"
        "  appraisal.period_years:\n"
        "    value: 10\n"
        "    unit: years\n"
        "    grade: X\n"
        "    sorce: Green Book\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as info:
        load_sources(path)
    assert info.value.problems == [
        f"{path}: assumptions.appraisal.period_years.grade: must be 'S', 'D' or 'E' (got 'X')",
        f"{path}: assumptions.appraisal.period_years.source: is required",
        f"{path}: assumptions.appraisal.period_years.sorce: unknown key (did you mean 'source'?)",
    ]
