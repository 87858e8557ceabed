"""Re-pricing stored volumes, for every service of the registry on the default scenario's
ranges: the block memo gives exactly the numbers of a full re-pricing of every row."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from models.comparison import compare_service
from models.kit.replications import IN_PROCESS
from models.registry import SERVICES
from models.scenario import load_scenario
from models.service import Service
from models.uncertainty.design import cost_design
from models.uncertainty.ranges import inputs_of, resolve
from models.uncertainty.study import CostRows, Pricing
from tests.support import BASELINE


@pytest.fixture(scope="module")
def scenario() -> Any:
    return load_scenario(BASELINE)


@pytest.mark.parametrize("service", list(SERVICES), ids=lambda s: s.name)
def test_the_block_memo_prices_exactly_as_a_full_repricing(service: Service, scenario: Any) -> None:
    config = service.section(scenario)
    costs = [i for i in inputs_of(resolve(scenario), service.name) if i.layer == "cost"]
    assert len(costs) >= 5, "the default scenario gives this service's costs ranges"
    base = compare_service(service, scenario, replications=2, runner=IN_PROCESS, **service.quick)
    period = base.inputs.period_years
    volumes = {
        o: service.yearly_volumes(base.mean_by_run, o, config, period) for o in config.options
    }
    design = cost_design(costs, 64 * (len(costs) + 2), seed=4)
    pricing = Pricing.of(service, scenario, design.inputs)
    rows = design.values[: 2 * design.block]
    pairs = np.zeros(len(rows), dtype=int)
    memoised = CostRows(pricing, [config], [volumes], rows, pairs, design.block).present_values()
    full = np.array([pricing.present_values(config, row, volumes) for row in rows])
    assert np.array_equal(memoised, full)
    assert len(np.unique(full[:, 0])) > 3  # the rows do move the costs
