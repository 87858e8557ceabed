"""run_replications: tidy output, common random numbers, identical results for any jobs."""

from __future__ import annotations

import math
from collections.abc import Generator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pytest
import simpy

from models.kit.cache import ResultCache
from models.kit.engine import open_engine
from models.kit.replications import (
    EVERY_CORE,
    IN_PROCESS,
    ReplicationError,
    Replicator,
    run_replications,
)
from models.kit.streams import Streams

OPTIONS = {"outsourced": {"servers": 3}, "in_house": {"servers": 2}}  # deliberately not sorted


def queue_model(option: Mapping[str, Any], streams: Streams) -> dict[str, float]:
    """M/M/c queue for 100 h: arrivals 1.5/h, service mean 1 h (module level: picklable)."""
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=option["servers"])
    arrival_rng, service_rng = streams["arrivals"], streams["service"]
    waits: list[float] = []
    arrivals = 0

    def customer(service: float) -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        with servers.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(service)

    def source() -> Generator[simpy.Event, Any, None]:
        nonlocal arrivals
        while True:
            yield env.timeout(arrival_rng.exponential(1 / 1.5))
            arrivals += 1
            env.process(customer(service_rng.exponential(1.0)))

    env.process(source())
    env.run(until=100.0)
    return {
        "mean_wait": float(np.mean(waits)),
        "arrivals": float(arrivals),
        "servers": float(option["servers"]),
    }


def returns(value: object) -> Any:
    """A model returning ``{"bad": value}`` from option 'b' only (for validation tests)."""

    def simulate(option: str, streams: Streams) -> Mapping[str, object]:
        return {"fine": 1.0, "bad": value} if option == "b" else {"fine": 1.0}

    return simulate


def failing_model(option: str, streams: Streams) -> dict[str, float]:
    if streams.replication == 2 and option == "b":
        raise ZeroDivisionError("no crews")
    return {"x": 1.0}


def test_results_identical_for_one_and_two_jobs() -> None:
    serial = run_replications(queue_model, OPTIONS, replications=6, seed=42, jobs=1, progress=False)
    parallel = run_replications(
        queue_model, OPTIONS, replications=6, seed=42, jobs=2, progress=False
    )
    pd.testing.assert_frame_equal(serial, parallel)
    with ThreadPoolExecutor(max_workers=3) as executor:
        external = run_replications(
            queue_model, OPTIONS, replications=6, seed=42, executor=executor, progress=False
        )
    pd.testing.assert_frame_equal(serial, external)


def test_a_replicator_runs_what_run_replications_runs_on_its_engine_and_cache(
    tmp_path: Any,
) -> None:
    """``Replicator.run`` is ``run_replications`` with the replicator's jobs, executor and
    cache: the same frame bit for bit, its runs stored in (then found in) the cache."""
    plain = run_replications(queue_model, OPTIONS, replications=4, seed=7, jobs=1, progress=False)
    assert (IN_PROCESS.jobs, EVERY_CORE.jobs) == (1, None)
    pd.testing.assert_frame_equal(
        plain, IN_PROCESS.run(queue_model, OPTIONS, replications=4, seed=7)
    )
    cache = ResultCache(tmp_path)
    with open_engine(None, 2) as engine:
        runner = engine.replicator(cache)
        assert (runner.jobs, runner.executor, runner.cache) == (2, None, cache)
        stored = runner.run(queue_model, OPTIONS, replications=4, seed=7)
    found = Replicator(jobs=1, cache=cache).run(
        queue_model, OPTIONS, replications=4, seed=7, option_names=["in_house"]
    )
    pd.testing.assert_frame_equal(plain, stored)
    pd.testing.assert_frame_equal(
        plain[plain["option"] == "in_house"].reset_index(drop=True), found
    )
    assert (cache.misses, cache.hits) == (8, 4)
    with ThreadPoolExecutor(max_workers=2) as executor:
        external = Replicator(executor=executor).run(queue_model, OPTIONS, replications=4, seed=7)
    pd.testing.assert_frame_equal(plain, external)


def test_tidy_frame_sorted_by_replication_option_order_and_metric() -> None:
    frame = run_replications(queue_model, OPTIONS, replications=3, seed=1, jobs=1, progress=False)
    assert list(frame.columns) == ["replication", "option", "metric", "value"]
    assert frame["replication"].dtype == np.int64 and frame["value"].dtype == np.float64
    assert len(frame) == 3 * 2 * 3
    keys = list(zip(frame["replication"], frame["option"], frame["metric"], strict=True))
    assert keys[:6] == [
        (0, "outsourced", "arrivals"),
        (0, "outsourced", "mean_wait"),
        (0, "outsourced", "servers"),
        (0, "in_house", "arrivals"),
        (0, "in_house", "mean_wait"),
        (0, "in_house", "servers"),
    ]
    assert list(frame["replication"].unique()) == [0, 1, 2]


def test_options_share_random_numbers_within_a_replication() -> None:
    frame = run_replications(queue_model, OPTIONS, replications=4, seed=7, jobs=1, progress=False)
    arrivals = frame[frame["metric"] == "arrivals"].pivot(
        index="replication", columns="option", values="value"
    )
    # the same customers arrive under both options (common random numbers) ...
    assert (arrivals["outsourced"] == arrivals["in_house"]).all()
    # ... but each replication has its own
    assert arrivals["in_house"].nunique() > 1
    waits = frame[frame["metric"] == "mean_wait"].pivot(
        index="replication", columns="option", values="value"
    )
    assert (waits["outsourced"] <= waits["in_house"]).all()  # 3 servers never wait longer


def test_seed_determines_the_results() -> None:
    def run(seed: int) -> pd.DataFrame:
        return run_replications(
            queue_model, OPTIONS, replications=2, seed=seed, progress=False, jobs=1
        )

    pd.testing.assert_frame_equal(run(5), run(5))
    assert not run(5)["value"].equals(run(6)["value"])


def test_option_names_select_and_order_options() -> None:
    frame = run_replications(
        queue_model,
        OPTIONS,
        replications=1,
        seed=1,
        jobs=1,
        progress=False,
        option_names=["in_house"],
    )
    assert set(frame["option"]) == {"in_house"}
    with pytest.raises(ValueError, match=r"unknown option name\(s\) \['mixed'\]"):
        run_replications(
            queue_model, OPTIONS, replications=1, seed=1, progress=False, option_names=["mixed"]
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"replications": 0}, "replications must be a whole number >= 1"),
        ({"replications": 2.5}, "replications must be a whole number >= 1"),
        ({"seed": -1}, "seed must be a whole number >= 0"),
        ({"jobs": 0}, "jobs must be a whole number >= 1"),
    ],
)
def test_invalid_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    arguments: dict[str, Any] = {"replications": 2, "seed": 1, "jobs": 1, "progress": False}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        run_replications(queue_model, OPTIONS, **arguments)


def test_empty_options_are_refused() -> None:
    with pytest.raises(ValueError, match="non-empty mapping"):
        run_replications(queue_model, {}, replications=1, seed=1, progress=False)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_metric_names_option_replication_and_metric(value: float) -> None:
    with pytest.raises(ValueError, match=r"metric 'bad' is not finite.*option 'b', replication 0"):
        run_replications(
            returns(value), {"a": "a", "b": "b"}, replications=2, seed=1, jobs=1, progress=False
        )


@pytest.mark.parametrize("value", ["12", None, [1.0], True])
def test_non_numeric_metric_is_refused(value: object) -> None:
    with pytest.raises(TypeError, match=r"metric 'bad' is not a number.*option 'b', replication 0"):
        run_replications(
            returns(value), {"a": "a", "b": "b"}, replications=1, seed=1, jobs=1, progress=False
        )


def test_numpy_numbers_are_accepted() -> None:
    frame = run_replications(
        returns(np.float32(2.5)), {"b": "b"}, replications=1, seed=1, jobs=1, progress=False
    )
    assert frame.loc[frame["metric"] == "bad", "value"].item() == 2.5


@pytest.mark.parametrize("jobs", [1, 2])
def test_model_failure_names_option_and_replication(jobs: int) -> None:
    with pytest.raises(ReplicationError, match=r"option 'b', replication 2: ZeroDivisionError"):
        run_replications(
            failing_model, {"a": "a", "b": "b"}, replications=4, seed=1, jobs=jobs, progress=False
        )


def test_unpicklable_model_with_processes_gets_a_clear_error() -> None:
    with pytest.raises(TypeError, match="cannot be sent to worker processes"):
        run_replications(returns(1.0), {"b": "b"}, replications=4, seed=1, jobs=2, progress=False)


def test_progress_bar_goes_to_stderr_and_can_be_disabled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run_replications(failing_model, {"a": "a"}, replications=3, seed=1, jobs=1, description="fleet")
    captured = capsys.readouterr()
    assert "fleet" in captured.err and captured.out == ""
    run_replications(failing_model, {"a": "a"}, replications=3, seed=1, jobs=1, progress=False)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
