"""Named streams: reproducible, independent, and unaffected by other streams."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from models.kit.streams import Streams, stable_key

N = 10_000
ROOT = Path(__file__).resolve().parents[2]


def draws(streams: Streams, name: str, n: int = N) -> np.ndarray:
    return streams[name].random(n)


def test_same_seed_replication_and_name_give_identical_draws() -> None:
    a = draws(Streams(2012, 3), "recovery.arrivals")
    b = draws(Streams(2012, 3), "recovery.arrivals")
    np.testing.assert_array_equal(a, b)


def test_generator_is_cached_and_indexing_is_an_alias() -> None:
    streams = Streams(1)
    assert streams.generator("fleet.repairs") is streams["fleet.repairs"]
    assert streams.names == ("fleet.repairs",)


def test_seed_and_replication_are_read_only() -> None:
    streams = Streams(7, 2)
    assert (streams.seed, streams.replication) == (7, 2)
    with pytest.raises(AttributeError):
        streams.seed = 8  # type: ignore[misc]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ((1, 0, "arrivals"), (1, 0, "durations")),  # different names
        ((1, 0, "arrivals"), (1, 1, "arrivals")),  # different replications
        ((1, 0, "arrivals"), (2, 0, "arrivals")),  # different seeds
        ((1, 1, "arrivals"), (1, 0, "arrivals2")),  # nothing in common
    ],
)
def test_different_streams_are_different_and_uncorrelated(
    left: tuple[int, int, str], right: tuple[int, int, str]
) -> None:
    a = draws(Streams(left[0], left[1]), left[2])
    b = draws(Streams(right[0], right[1]), right[2])
    assert not np.array_equal(a, b)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.05
    # also no lag-one relation between the two sequences
    assert abs(np.corrcoef(a[1:], b[:-1])[0, 1]) < 0.05


def test_adding_or_reordering_streams_changes_no_existing_stream() -> None:
    alone = Streams(42, 5)
    reference = draws(alone, "catering.meals")

    crowded = Streams(42, 5)
    crowded["fleet.breakdowns"].random(12_345)  # another stream created and used first
    crowded["recovery.arrivals"].random(3)
    np.testing.assert_array_equal(draws(crowded, "catering.meals"), reference)

    interleaved = Streams(42, 5)
    first = interleaved["catering.meals"].random(N // 2)
    interleaved["a.new.stream"].random(100)  # created half-way through
    second = interleaved["catering.meals"].random(N - N // 2)
    np.testing.assert_array_equal(np.concatenate([first, second]), reference)


def test_stream_names_map_to_distinct_stable_keys() -> None:
    names = [f"service{i}.activity{j}" for i in range(50) for j in range(20)]
    assert len({stable_key(n) for n in names}) == len(names)
    assert stable_key("recovery.arrivals") == stable_key("recovery.arrivals")


def test_draws_are_identical_in_another_process_with_another_hash_seed() -> None:
    code = (
        "from models.kit.streams import Streams;"
        "print(repr(Streams(99, 4)['recovery.arrivals'].random(5).tolist()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == repr(Streams(99, 4)["recovery.arrivals"].random(5).tolist())


@pytest.mark.parametrize(("seed", "replication"), [(-1, 0), (0, -1), (1.5, 0), (True, 0)])
def test_invalid_seed_or_replication_is_refused(seed: object, replication: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        Streams(seed, replication)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["", None, 3])
def test_invalid_stream_name_is_refused(name: object) -> None:
    with pytest.raises(ValueError, match="stream name"):
        Streams(1)[name]  # type: ignore[index]


def test_streams_survive_pickling_for_worker_processes() -> None:
    streams = Streams(3, 1)
    streams["arrivals"].random(10)
    copy = pickle.loads(pickle.dumps(streams))
    np.testing.assert_array_equal(copy["arrivals"].random(5), streams["arrivals"].random(5))
    np.testing.assert_array_equal(copy["fresh"].random(5), Streams(3, 1)["fresh"].random(5))
