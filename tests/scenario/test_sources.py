"""The register of assumptions (data/sources.yaml) agrees with the baseline it documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.scenario import GRADE_MEANINGS, ScenarioError, load_scenario, load_sources

BASELINE = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "baseline.yaml"


def test_register_matches_the_baseline_values() -> None:
    sources = load_sources()
    baseline = load_scenario(BASELINE)
    assert sources
    for key, source in sources.items():
        assert baseline.setting(key) == source.value, key


def test_every_appraisal_default_has_a_graded_source() -> None:
    sources = load_sources()
    appraisal = load_scenario(BASELINE).model_dump()["appraisal"]
    keys = {"appraisal.period_years", "appraisal.discount"} | {
        f"appraisal.optimism_bias.{category}" for category in appraisal["optimism_bias"]
    }
    assert keys <= sources.keys()
    for key in keys:
        source = sources[key]
        assert source.grade in GRADE_MEANINGS
        assert source.grade_meaning == GRADE_MEANINGS[source.grade]
        if source.grade == "E":
            assert "estimate" in source.source.lower(), key
        else:
            assert "estimate" not in source.source.lower(), key


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
