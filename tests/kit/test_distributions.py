"""Distribution specs (validation at the edge) and block samplers (speed without bias)."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel, ValidationError

from models.kit.distributions import (
    MAX_VALUE,
    BlockSampler,
    DistributionSpec,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Sampler,
    Triangular,
    Uniform,
    parse_distribution,
    sampler,
)

N = 200_000

SPECS: list[dict[str, Any]] = [
    {"kind": "exponential", "mean": 2.5},
    {"kind": "lognormal", "mean": 3.0, "sd": 2.0},
    {"kind": "lognormal", "mean": 0.5, "sd": 1.5},  # heavy skew
    {"kind": "gamma", "mean": 4.0, "sd": 1.0},
    {"kind": "gamma", "mean": 1.0, "sd": 2.0},  # shape < 1
    {"kind": "triangular", "low": 1.0, "mode": 1.5, "high": 4.0},
    {"kind": "triangular", "low": 0, "mode": 0, "high": 2},  # mode at the bound
    {"kind": "uniform", "low": 0.25, "high": 0.75},
    {"kind": "empirical", "values": [1, 2, 3, 8]},
    {"kind": "empirical", "values": [0.5, 1.0, 6.0], "weights": [5, 3, 2]},
]


def rng(seed: int = 1) -> np.random.Generator:
    return np.random.default_rng(seed)


def analytic_sd(spec: Any) -> float:
    """Standard deviation from first principles (independent of the spec's own ``sd``)."""
    match spec:
        case Exponential():
            return spec.mean
        case Lognormal() | Gamma():
            return spec.sd
        case Triangular(low=a, mode=c, high=b):
            return math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
        case Uniform(low=a, high=b):
            return (b - a) / math.sqrt(12)
        case Empirical():
            w = np.ones(len(spec.values)) if spec.weights is None else np.array(spec.weights)
            p, v = w / w.sum(), np.array(spec.values)
            return float(np.sqrt(p @ (v - p @ v) ** 2))
    raise AssertionError(spec)


@pytest.mark.parametrize("data", SPECS, ids=lambda d: d["kind"])
def test_sample_mean_and_sd_match_the_analytic_values(data: dict[str, Any]) -> None:
    spec = parse_distribution(data)
    x = np.array(spec.build(rng()).take(N))
    sd = analytic_sd(spec)
    assert spec.sd == pytest.approx(sd)
    assert abs(x.mean() - spec.mean) < 4 * sd / math.sqrt(N)
    assert x.std() == pytest.approx(sd, rel=0.03)
    assert x.min() >= 0


def test_analytic_means_are_the_textbook_formulas() -> None:
    assert Triangular(low=1, mode=2, high=6).mean == pytest.approx(3.0)
    assert Uniform(low=2, high=4).mean == pytest.approx(3.0)
    assert Empirical(values=[1, 4], weights=[3, 1]).mean == pytest.approx(1.75)
    assert Fixed(value=0.75).mean == 0.75


def test_lognormal_and_gamma_parameters_reproduce_the_stated_mean_and_sd() -> None:
    ln = Lognormal(mean=3.0, sd=2.0)
    assert math.exp(ln.mu + ln.sigma**2 / 2) == pytest.approx(3.0)
    variance = (math.exp(ln.sigma**2) - 1) * math.exp(2 * ln.mu + ln.sigma**2)
    assert math.sqrt(variance) == pytest.approx(2.0)
    g = Gamma(mean=3.0, sd=2.0)
    assert g.shape * g.scale == pytest.approx(3.0)
    assert math.sqrt(g.shape) * g.scale == pytest.approx(2.0)


@pytest.mark.parametrize("kind", ["lognormal", "gamma"])
def test_zero_sd_gives_the_mean_every_time(kind: str) -> None:
    s = sampler({"kind": kind, "mean": 1.25, "sd": 0}, rng())
    assert set(s.take(100)) == {1.25}


def test_fixed_always_returns_its_value_and_uses_no_random_numbers() -> None:
    generator = rng()
    state = generator.bit_generator.state
    s = sampler({"kind": "fixed", "value": 2}, generator)
    assert [s.sample() for _ in range(5)] == [2.0] * 5
    assert generator.bit_generator.state == state


def test_empirical_frequencies_follow_weights_and_zero_weight_is_never_drawn() -> None:
    spec = Empirical(values=[10, 20, 30, 40], weights=[0, 1, 3, 0])
    x = np.array(spec.build(rng()).take(N))
    assert set(np.unique(x)) == {20.0, 30.0}
    share = float(np.mean(x == 30.0))
    assert abs(share - 0.75) < 4 * math.sqrt(0.75 * 0.25 / N)


@pytest.mark.parametrize("data", SPECS, ids=lambda d: d["kind"])
def test_same_generator_seed_gives_identical_sequences(data: dict[str, Any]) -> None:
    a = sampler(data, rng(7))
    b = sampler(parse_distribution(data), rng(7))
    assert [a.sample() for _ in range(3000)] == [b.sample() for _ in range(3000)]
    c = sampler(data, rng(8))
    assert a.take(100) != c.take(100)


@pytest.mark.parametrize("data", SPECS, ids=lambda d: d["kind"])
@pytest.mark.parametrize("block_size", [1, 7, 1024])
def test_block_size_never_changes_the_sequence(data: dict[str, Any], block_size: int) -> None:
    """A sampler hands out exactly what one long numpy call on the same generator returns."""
    spec = parse_distribution(data)
    one_call = spec.draw(rng(3), 2500).tolist()
    assert spec.build(rng(3), block_size=block_size).take(2500) == one_call


def test_samples_are_python_floats_and_samplers_meet_the_protocol() -> None:
    for data in [*SPECS, {"kind": "fixed", "value": 1}]:
        s = sampler(data, rng())
        assert isinstance(s, Sampler)
        assert type(s.sample()) is float
        assert s.mean == pytest.approx(parse_distribution(data).mean)


def test_block_sampler_wraps_any_numpy_draw() -> None:
    generator = rng(5)
    s = BlockSampler(lambda n: generator.poisson(3.0, n).astype(float), mean=3.0, block_size=10)
    assert s.take(25) == rng(5).poisson(3.0, 25).astype(float).tolist()
    with pytest.raises(ValueError, match="block_size"):
        BlockSampler(lambda n: np.zeros(n), mean=0.0, block_size=0)


INVALID: list[tuple[dict[str, Any], str]] = [
    ({"kind": "weibull", "mean": 1}, "does not match any of the expected tags"),
    ({"mean": 1}, "Unable to extract tag"),
    ({"kind": "exponential", "mean": 1, "sd": 1}, "Extra inputs are not permitted"),
    ({"kind": "exponential", "mena": 1}, "Extra inputs are not permitted"),
    ({"kind": "exponential"}, "Field required"),
    ({"kind": "exponential", "mean": 0}, "greater than 0"),
    ({"kind": "exponential", "mean": -2}, "greater than 0"),
    ({"kind": "exponential", "mean": float("inf")}, "finite number"),
    ({"kind": "exponential", "mean": float("nan")}, "finite number"),
    ({"kind": "exponential", "mean": 1e12}, "implausibly large"),
    ({"kind": "exponential", "mean": True}, "not true/false"),
    ({"kind": "exponential", "mean": "soon"}, "valid number"),
    ({"kind": "lognormal", "mean": 2, "sd": -1}, "greater than or equal to 0"),
    ({"kind": "lognormal", "mean": 0, "sd": 1}, "greater than 0"),
    ({"kind": "gamma", "mean": 2}, "Field required"),
    ({"kind": "gamma", "mean": 2, "sd": float("-inf")}, "finite number"),
    ({"kind": "triangular", "low": 1, "mode": 5, "high": 4}, "mode (5) must lie between"),
    ({"kind": "triangular", "low": 2, "mode": 1, "high": 4}, "mode (1) must lie between"),
    ({"kind": "triangular", "low": 3, "mode": 3, "high": 3}, "low (3) must be less than high"),
    ({"kind": "triangular", "low": -1, "mode": 0, "high": 1}, "greater than or equal to 0"),
    ({"kind": "uniform", "low": 4, "high": 2}, "low (4) must be less than high (2)"),
    ({"kind": "uniform", "low": 2, "high": 2}, "must be less than high"),
    ({"kind": "fixed", "value": -1}, "greater than or equal to 0"),
    ({"kind": "empirical", "values": []}, "at least 1 item"),
    ({"kind": "empirical", "values": [1, float("nan")]}, "finite number"),
    ({"kind": "empirical", "values": [1, 2], "weights": [1]}, "weights has 1 entries"),
    ({"kind": "empirical", "values": [1, 2], "weights": [1, -1]}, "greater than or equal to 0"),
    ({"kind": "empirical", "values": [1, 2], "weights": [0, 0]}, "must not all be zero"),
]


@pytest.mark.parametrize(("data", "message"), INVALID, ids=[str(d) for d, _ in INVALID])
def test_invalid_specs_are_refused_with_a_clear_message(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(message)):
        parse_distribution(data)


def test_specs_nest_in_scenario_models_and_errors_name_the_field() -> None:
    class Activity(BaseModel):
        duration: DistributionSpec

    ok = Activity.model_validate({"duration": {"kind": "gamma", "mean": 2, "sd": 1}})
    assert isinstance(ok.duration, Gamma)
    with pytest.raises(ValidationError) as info:
        Activity.model_validate({"duration": {"kind": "gamma", "mean": 2, "sd": -1}})
    assert info.value.errors()[0]["loc"] == ("duration", "gamma", "sd")


def test_specs_are_immutable() -> None:
    spec = Exponential(mean=1.0)
    with pytest.raises(ValidationError):
        spec.mean = 2.0  # type: ignore[misc]


def test_values_at_the_size_limit_are_accepted() -> None:
    assert Fixed(value=MAX_VALUE).mean == MAX_VALUE
