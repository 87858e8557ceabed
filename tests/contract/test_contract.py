"""What every declared service must do, parametrised over the registry (and the example
service of ``tests/example_service``, registered explicitly): a service's own tests keep only
what is its own."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from models.appraisal import Category, appraise, appraise_replications, compare
from models.kit.checks import VerificationCheck
from models.kit.output_analysis import Interval
from models.kit.periods import NET_COST, run_key
from models.kit.replications import IN_PROCESS, run_replications
from models.kit.streams import Streams
from models.registry import SERVICES
from models.scenario import DEFAULT_SCENARIO, load_scenario
from models.service import Service
from tests.example_service.front_desk import FRONT_DESK
from tests.support import crn_half_widths, first_replication

REGISTRY = SERVICES.with_service(FRONT_DESK)
SCENARIO = load_scenario(DEFAULT_SCENARIO)
N = 10


def _section(service: Service) -> Any:
    """The default scenario's section, or the example's defaults (it has no section there)."""
    config = service.section(SCENARIO)
    return service.config_type() if config is None else config


@pytest.fixture(params=REGISTRY.names)
def service(request: pytest.FixtureRequest) -> Service:
    return REGISTRY[request.param]


@pytest.fixture
def config(service: Service) -> Any:
    return _section(service)


def _quick(service: Service, config: Any, option: str, **changes: Any) -> Any:
    return service.run_class(config, option, 1.0, **{**service.quick, **changes})


def _variant(service: Service, config: Any, **changes: Any) -> Any:
    return service.config_type.model_validate({**config.model_dump(), **changes})


def test_the_registry_refuses_a_service_twice_and_names_what_it_has() -> None:
    with pytest.raises(ValueError, match="named twice"):
        REGISTRY.with_service(FRONT_DESK)
    with pytest.raises(KeyError, match="no service 'kitchen'"):
        REGISTRY["kitchen"]
    assert FRONT_DESK.name not in SERVICES  # with_service made a new registry


def test_business_as_usual_is_the_sections_and_must_name_an_option(service, config) -> None:
    """The comparison's reference is the option the section names; any option may be named
    (once it carries no transition costs), and a name that is no option is refused."""
    today = service.business_as_usual(config)
    assert today == config.business_as_usual and today in config.options
    other = next(name for name in config.options if name != today)
    data = config.model_dump()
    for spec in data["options"].values():
        spec["transition"] = {}
    moved = service.config_type.model_validate({**data, "business_as_usual": other})
    assert service.business_as_usual(moved) == other
    with pytest.raises(ValidationError, match="business_as_usual 'nowhere' is not an option"):
        _variant(service, config, business_as_usual="nowhere")


def test_unknown_key_is_refused(service, config) -> None:
    with pytest.raises(ValidationError, match="no_such_key"):
        _variant(service, config, no_such_key=1)


def test_options_are_compositions_of_providers(config) -> None:
    for spec in config.options.values():
        parts = list(spec.providers())
        assert parts and all(part.provider in ("in_house", "contractor") for part in parts)
        assert spec.outsources_anything == any(p.provider == "contractor" for p in parts)


def test_run_refuses_an_unknown_option(service, config) -> None:
    with pytest.raises(ValueError, match="option 'insourced'"):
        service.run_class(config, "insourced")


def test_same_seed_same_results_and_replications_differ(service, config) -> None:
    run = _quick(service, config, service.business_as_usual(config))
    first = service.simulate(run, Streams(42, 0))
    assert service.simulate(run, Streams(42, 0)) == first
    assert service.simulate(run, Streams(42, 1)) != first


def test_results_identical_with_one_or_two_worker_processes(service, config) -> None:
    runs = service.performance_runs(config, **service.quick)
    one = run_replications(service.simulate, runs, replications=2, seed=9, jobs=1, progress=False)
    two = run_replications(service.simulate, runs, replications=2, seed=9, jobs=2, progress=False)
    pd.testing.assert_frame_equal(one, two)


def test_key_and_volume_metrics_are_simulated(service, config) -> None:
    for option in config.options:
        metrics = service.simulate(_quick(service, config, option), Streams(3))
        assert all(math.isfinite(v) for v in metrics.values())
        assert {m.name for m in service.key_metrics} <= set(metrics), option
        if not service.unobserved_is_zero:
            assert set(service.volume_metrics(config, option)) <= set(metrics), option


def test_a_copied_option_needs_no_code_and_sees_the_same_demand(service, config) -> None:
    bau = service.business_as_usual(config)
    options = {**config.model_dump()["options"], "copy": config.options[bau].model_dump()}
    changed = _variant(service, config, options=options)
    same = [service.simulate(_quick(service, changed, o), Streams(5)) for o in (bau, "copy")]
    assert same[0] == same[1]


def test_appraisal_runs_cover_every_option_at_every_demand_year(service, config) -> None:
    years = service.demand_years(config, N)
    assert years == ((1,) if config.demand_growth == 0 else (1, N))
    runs = service.appraisal_runs(config, N, **service.quick)
    assert list(runs) == [run_key(o, y) for o in config.options for y in years]


def test_cost_lines_of_every_option_from_one_replication(service, config) -> None:
    names = service.all_volume_metrics(config, config.options)
    runs = {run_key(o, y): dict.fromkeys(names, 1000.0) for o in config.options for y in (1, N)}
    lines = service.build_lines(config, N)(runs)
    assert {line.option for line in lines} == set(config.options)
    assert all(len(line.values) == N + 1 for line in lines)
    bau = service.business_as_usual(config)
    volumes = service.yearly_volumes(runs, bau, config, N)
    assert all(series[0] == 0 and np.all(series[1:] == 1000.0) for series in volumes.values())
    unit = service.unit_cost([ln for ln in lines if ln.option == bau], volumes, N)
    assert math.isfinite(unit) and unit > 0
    assert service.annual_net_cost(config, bau, dict.fromkeys(names, 1000.0)) > 0


def test_key_metrics_say_how_they_are_judged(service, config) -> None:
    for metric in service.key_metrics:
        assert metric.label and metric.unit and metric.direction in ("higher", "lower")
        target = metric.standard(config)
        assert target is None or metric.meets(config, target)


def test_appraisal_of_simulated_replications(service, config) -> None:
    """Simulated volumes -> cost lines per replication -> present values and a comparison; each
    replication's lines appraise to the PV that ``appraise`` gives them."""
    runs = service.appraisal_runs(config, N, **service.quick)
    results = run_replications(
        service.simulate, runs, replications=2, seed=4, jobs=1, progress=False
    )
    pvs = appraise_replications(service.build_lines(config, N), results, period_years=N)
    table = compare(pvs, service.business_as_usual(config)).set_index("option")
    assert list(table.index) == list(config.options)
    assert (table["pv_mean"] > 0).all()
    appraisal = appraise(service.build_lines(config, N)(first_replication(results)), N)
    pv0 = pvs[pvs["replication"] == 0].set_index("option")["pv"]
    for option in config.options:
        assert appraisal.pv(option) == pytest.approx(pv0[option])


def test_trace_is_the_same_run_as_simulate(service, config) -> None:
    """The series for charts come from the very run ``simulate`` measures, for every option."""
    for option in config.options:
        run = _quick(service, config, option)
        traced = service.trace(run, Streams(4))
        metrics = traced if isinstance(traced, dict) else traced.metrics
        assert metrics == service.simulate(run, Streams(4)), option


def test_verify_gives_one_row_per_check_and_the_checks_can_fail(service) -> None:
    """Each row is a check that passes or fails on its own figures, and a wrong analytic value
    (outside the simulated interval) is detected."""
    table = service.verify(replications=2, runner=IN_PROCESS)
    assert len(table) and table["check"].map(bool).all()
    assert {"analytic", "simulated", "low", "high", "passed"} <= set(table.columns)
    for row in table.itertuples():
        interval = Interval(row.simulated, row.low, row.high, 0.0, row.replications, 0.95)
        check = VerificationCheck(
            row.check, row.description, row.metric, row.analytic, interval, row.tolerance
        )
        assert check.passed == row.passed, row.check
        wrong = replace(check, analytic=row.high + abs(row.high - row.low) + abs(row.simulated))
        assert not wrong.passed, row.check


def test_service_credits_only_reduce_the_contractors_charges(service, config) -> None:
    """Credits are negative, and only an option that outsources something earns them."""
    for option, spec in config.options.items():
        volumes = dict.fromkeys(service.volume_metrics(config, option), 1000.0)
        credits = [
            line
            for line in service.cost_lines(config, option, volumes, N)
            if line.category is Category.SERVICE_CREDIT
        ]
        assert all(v <= 0 for line in credits for v in line.values), option
        assert spec.outsources_anything or not credits, option


def test_interpolation_check_on_a_short_run(service, config) -> None:
    """The year furthest from the simulated ones, for the metrics asked and the net cost."""
    metric = service.interpolation_metrics[0]
    table = service.interpolation_check(
        config,
        N,
        replications=2,
        seed=5,
        options=[service.business_as_usual(config)],
        metrics=[metric],
        **service.quick,
    )
    assert list(table["metric"]) == [metric, NET_COST]
    simulated = service.demand_years(config, N)
    furthest = max(range(1, N + 1), key=lambda y: (min(abs(y - s) for s in simulated), -y))
    assert set(table["year"]) == {furthest}
    assert table[["difference", "low", "high", "relative_difference"]].notna().all().all()


def test_common_random_numbers_narrow_the_comparison(service, config) -> None:
    """The paired difference interval is narrower with common than with independent streams,
    for the metrics the interpolation check follows."""
    bau = service.business_as_usual(config)
    other = next(name for name in config.options if name != bau)
    widths = crn_half_widths(
        service.simulate,
        {name: _quick(service, config, name) for name in (bau, other)},
        bau,
        other,
        service.interpolation_metrics,
    )
    narrower = [metric for metric, (paired, unpaired) in widths.items() if paired < unpaired]
    assert narrower, widths
