"""Notebooks are committed without outputs or execution counts, and each has a parameters cell."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from models.registry import SERVICES

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a code cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a code cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_one_parameters_cell_with_the_runner_parameters(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: expected one cell tagged 'parameters'"
    source = tagged[0].source
    for name in ("scenario", "replications", "quick", "jobs", "dask"):
        assert f"{name} =" in source, f"{path.name}: parameters cell does not set {name}"


SERVICE_NOTEBOOKS = [path for path in NOTEBOOKS if path.stem in SERVICES.names]
MAX_CODE_LINES = 110
PARAMETERS = (
    'scenario = "../data/scenarios/baseline.yaml"\nreplications = None\nquick = False\njobs = None'
    "\ndask = None"
)


def _code_cells(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [cell.source for cell in nb.cells if cell.cell_type == "code"]


def test_every_service_has_a_notebook() -> None:
    assert [path.stem for path in SERVICE_NOTEBOOKS] == sorted(SERVICES.names)


@pytest.mark.parametrize("path", SERVICE_NOTEBOOKS, ids=lambda p: p.name)
def test_service_notebook_is_thin(path: Path) -> None:
    lines = sum(len(source.splitlines()) for source in _code_cells(path))
    assert lines <= MAX_CODE_LINES, f"{path.name}: {lines} code lines (at most {MAX_CODE_LINES})"


@pytest.mark.parametrize("path", SERVICE_NOTEBOOKS, ids=lambda p: p.name)
def test_service_notebook_leaves_the_run_policy_to_the_context(path: Path) -> None:
    cells = _code_cells(path)
    assert cells[0] == PARAMETERS, f"{path.name}: the parameters cell is not the runner's five"
    assert (
        f'ReportContext.from_parameters(scenario, replications, quick, jobs, "{path.stem}", '
        "dask=dask)" in (cells[1])
    )
    source = "\n".join(cells)
    for banned in ("in_house", "BASELINE", "quick_horizon_days", "warmup_days", "sc.run"):
        assert banned not in source, f"{path.name}: names {banned!r} (the context's to decide)"


def test_service_notebooks_read_alike() -> None:
    shapes = {
        path.stem: [cell.cell_type for cell in nbformat.read(path, as_version=4).cells]
        for path in SERVICE_NOTEBOOKS
    }
    assert len({tuple(shape) for shape in shapes.values()}) == 1, shapes
