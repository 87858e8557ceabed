"""How the scenario tests read problems: the library's lines, and the command agreeing."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.scenario import ScenarioError, load_scenario

__all__ = ["assert_one_problem", "problems_of"]


def problems_of(path: str | Path) -> list[str]:
    """The problem lines with which ``load_scenario`` refuses ``path`` (it must refuse it)."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return info.value.problems


def assert_one_problem(path: Path, key: str | None, run_validate, *fragments: str) -> str:
    """Exactly one problem line naming the file and key; the command agrees and exits 1."""
    problems = problems_of(path)
    assert len(problems) == 1, problems
    (line,) = problems
    assert "\n" not in line
    assert line.startswith(f"{path}: ")
    if key is not None:
        assert line.startswith(f"{path}: {key}: "), line
    for fragment in fragments:
        assert fragment in line, line

    result = run_validate(path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == problems
    assert result.stdout == ""
    return line
