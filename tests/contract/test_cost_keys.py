"""The cost layer never needs re-simulation: for every service of the registry, every number
that :func:`models.uncertainty.ranges.layer_of` calls "cost" (the ``appraisal`` section, or a key
below one of the section's ``cost_keys``) is perturbed at once, and one short run of every option
gives exactly the same metrics on the same random numbers. The cost lines do move, so the
uncertainty study re-prices stored volumes for these inputs, and the result cache keeps its
entries. A control shows the check can fail: the baseline's operational ranges, set at their
high ends, do change the simulation.

When the first test fails it names a metric and the section whose ``cost_keys`` holds a key the
simulation reads: the fix is in that section's ``cost_keys`` (``models/section.py`` or the
service's ``config.py``), not here.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from models.kit.streams import Streams
from models.registry import SERVICES
from models.scenario import DEFAULT_SCENARIO, load_scenario
from models.service import Service
from models.uncertainty.ranges import layer_of, numeric_leaves, replaced, resolve

SCENARIO = load_scenario(DEFAULT_SCENARIO)
SEED = 20130308
Path = tuple[str, ...]


@pytest.fixture(params=SERVICES.names)
def service(request: pytest.FixtureRequest) -> Service:
    return SERVICES[request.param]


def _cost_leaves(service: Service) -> list[tuple[Path, float | int]]:
    """Every number of the service's baseline section that only the cost lines read, by its
    path below the section."""
    config = service.section(SCENARIO)
    return [
        (path[1:], value)
        for path, value in numeric_leaves(config, (service.name,))
        if layer_of(SCENARIO, path) == "cost"
    ]


def _moved(value: float | int, up: bool = True) -> float | int:
    """A different value of the same kind: a whole number +-1, another number x1.1 or x0.9
    (a zero becomes 0.01)."""
    if isinstance(value, int):
        return value + 1 if up else value - 1
    if value == 0:
        return 0.01
    return value * (1.1 if up else 0.9)


def _validated(config: Any, updates: dict[Path, Any]) -> Any:
    """The section with ``updates`` applied and validated again, as a scenario file would be."""
    return type(config).model_validate(replaced(config, updates).model_dump(mode="python"))


def _perturbed(config: Any, leaves: list[tuple[Path, float | int]]) -> tuple[Any, dict]:
    """The section with every cost leaf moved, and the moves kept. All at once if the section
    stays valid; otherwise leaf by leaf, up or down, keeping each move that stays valid."""
    updates = {path: _moved(value) for path, value in leaves}
    try:
        return _validated(config, updates), updates
    except ValidationError:
        pass
    kept: dict[Path, Any] = {}
    for path, value in leaves:
        for up in (True, False):
            trial = {**kept, path: _moved(value, up)}
            try:
                _validated(config, trial)
            except ValidationError:
                continue
            kept = trial
            break
    return _validated(config, kept), kept


def _metrics(service: Service, config: Any) -> dict[str, dict[str, float]]:
    """One short run of every option at year 1's demand, on the same random numbers."""
    runs = service.performance_runs(config, **service.quick)
    return {option: service.simulate(run, Streams(SEED, 0)) for option, run in runs.items()}


def test_moving_every_cost_input_leaves_every_simulated_metric_unchanged(service) -> None:
    config = service.section(SCENARIO)
    leaves = _cost_leaves(service)
    assert len(leaves) > 50, "the section has few cost inputs: is layer_of reading cost_keys?"
    changed, moves = _perturbed(config, leaves)
    assert len(moves) >= 0.95 * len(leaves), "too few cost inputs could be moved validly"
    moved = dict(numeric_leaves(changed))
    assert all(moved[path] != value for path, value in leaves if path in moves)

    # the result cache's promise: the simulation sees the same section
    assert changed.simulation_identity() == config.simulation_identity()
    before, after = _metrics(service, config), _metrics(service, changed)
    assert before.keys() == after.keys() == set(config.options)
    for option, metrics in before.items():
        assert metrics, option
        differ = {
            m: (v, after[option].get(m)) for m, v in metrics.items() if after[option].get(m) != v
        }
        assert not differ and metrics.keys() == after[option].keys(), (
            f"{service.name}.{option}: a cost input changed simulated metrics {sorted(differ)[:5]}"
            f"; a key in {type(config).__name__}.cost_keys is read by the simulation"
        )
    # ... while the cost lines do move: these inputs are re-priced, not re-simulated
    years = SCENARIO.appraisal.period_years
    for option in config.options:
        volumes = service.yearly_volumes({f"{option}@1": before[option]}, option, config, years)
        old = [line.values for line in service.lines(config, option, volumes, years)]
        new = [line.values for line in service.lines(changed, option, volumes, years)]
        assert old != new, f"{service.name}.{option}: no cost line moved"


def test_the_operational_ranges_do_change_the_simulation(service) -> None:
    """The control: the check above can fail, because inputs outside the cost layer (the
    baseline's operational ranges, at their high ends) change what is simulated."""
    config = service.section(SCENARIO)
    operational = [
        one for one in resolve(SCENARIO) if one.section == service.name and one.layer != "cost"
    ]
    assert operational
    updates = {
        key[1:]: value for one in operational for key, value in one.values_at(one.high).items()
    }
    assert any(layer_of(SCENARIO, (service.name, *path)) == "operational" for path in updates)
    changed = _validated(config, updates)
    assert changed.simulation_identity() != config.simulation_identity()
    today = service.business_as_usual(config)
    runs = service.performance_runs(config, options=[today], **service.quick)
    moved = service.performance_runs(changed, options=[today], **service.quick)
    before = service.simulate(runs[today], Streams(SEED, 0))
    after = service.simulate(moved[today], Streams(SEED, 0))
    assert any(after.get(metric) != value for metric, value in before.items())
