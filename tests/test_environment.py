"""The conda environment and pyproject.toml must install the same packages at the same minimums."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _parse(requirement: str) -> tuple[str, str]:
    match = REQUIREMENT.match(requirement)
    assert match, f"unreadable requirement {requirement!r}"
    name, spec = match.groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


PIP_ONLY = frozenset({"prim", "axe-playwright-python"})
"""Requirements with no conda-forge package: ``pip install -e .[dev]`` in the environment file
installs them from pyproject.toml."""


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    return {k: v for k, v in (_parse(r) for r in requirements) if k not in PIP_ONLY}


def _conda() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    entries = [d for d in env["dependencies"] if isinstance(d, str)]
    parsed = dict(_parse(d) for d in entries)
    parsed.pop("pip", None)
    parsed.pop("python", None)
    return parsed


def test_conda_and_pyproject_list_the_same_packages_and_minimums() -> None:
    assert _conda() == _pyproject()


def test_conda_pip_section_installs_the_project_with_dev_extra() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_sections == [["-e .[dev]"]]


def test_python_minimum_matches() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert f"python{project['requires-python']}" in env["dependencies"]
