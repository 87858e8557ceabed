"""Distributions: validated specs for scenario files, and fast samplers for the models.

A scenario states a distribution as a small mapping, e.g. ``{kind: lognormal, mean: 2.5, sd: 1.2}``
(times in hours). :data:`DistributionSpec` validates it (unknown keys, non-finite or absurd
numbers, impossible parameters are refused with a message naming the field), and
``spec.build(rng)`` returns a :class:`BlockSampler` whose ``sample()`` returns a Python float.

All distributions here describe non-negative quantities (durations, counts): negative values
are refused at the edge. lognormal and gamma are stated by their mean and standard deviation,
the figures a service manager can give, and converted internally.

Why not ``sim-tools``
---------------------
``sim_tools.distributions`` (Monks, PyPI ``sim-tools``) was reviewed. Its classes wrap a numpy
``Generator`` and call it once per ``sample()``, e.g. ``self.rng.exponential(self.mean)``. Each
such call pays numpy's per-call overhead (0.4-1 µs, several times ``random.expovariate``); a
model run draws millions of samples, so this would dominate the run time, whereas a block
sampler costs less than ``random.expovariate`` (see ``benchmarks/bench_sampling.py``). It also
has no declarative, validated spec for scenario files and does not check most parameters (e.g.
a lognormal with mean <= 0). Its parameterisations were adopted where they fit: lognormal from
mean and sd via the underlying normal's moments, gamma from mean and variance.
So we do not depend on it.

Block sampling
--------------
A sampler draws ``block_size`` values at once from numpy and hands them out one by one from a
Python list (through a C-level iterator, so a call costs less than ``random.expovariate``).
The values are exactly those of one long numpy call on the same generator: the block size
never changes the numbers. Give each random activity its own stream
(:class:`models.kit.streams.Streams`) and sampler, so that options see the same values
(common random numbers) however differently they consume them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from itertools import chain, islice, repeat
from typing import Annotated, Any, Literal, Protocol, runtime_checkable

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)

__all__ = [
    "DEFAULT_BLOCK_SIZE",
    "MAX_VALUE",
    "BlockSampler",
    "DistributionSpec",
    "Empirical",
    "Exponential",
    "Fixed",
    "Gamma",
    "Lognormal",
    "Sampler",
    "SpecBase",
    "Triangular",
    "Uniform",
    "parse_distribution",
    "sampler",
]

DEFAULT_BLOCK_SIZE = 1024
"""Values drawn from numpy per refill of a sampler's buffer."""

MAX_VALUE = 1e9
"""Largest number accepted in a spec (1e9 hours is over 100,000 years: a units mistake)."""


# --------------------------------------------------------------------------- samplers


@runtime_checkable
class Sampler(Protocol):
    """Anything that returns one sample per call and knows its analytic mean."""

    mean: float

    def sample(self) -> float:
        """One sample, as a Python float."""
        ...


class BlockSampler:
    """Hands out values drawn from numpy in blocks.

    Parameters
    ----------
    draw
        ``draw(n)`` returns a numpy array of the next ``n`` values (e.g.
        ``lambda n: rng.exponential(2.0, n)``).
    mean
        Analytic mean of the distribution.
    block_size
        Values drawn per refill. Does not change the sequence, only speed and memory.

    Notes
    -----
    ``sample`` is the ``__next__`` of an endless C iterator over the blocks, so a call costs
    little more than a list index. A sampler is not picklable: build it where it is used, from
    a stream.
    """

    __slots__ = ("_values", "block_size", "mean", "sample")

    mean: float
    block_size: int
    sample: Callable[[], float]

    def __init__(
        self,
        draw: Callable[[int], np.ndarray],
        mean: float,
        block_size: int = DEFAULT_BLOCK_SIZE,
    ) -> None:
        if block_size < 1:
            raise ValueError(f"block_size must be >= 1, got {block_size}")
        self.mean = float(mean)
        self.block_size = int(block_size)
        blocks: Iterator[list[float]] = iter(lambda: draw(self.block_size).tolist(), None)
        self._values: Iterator[float] = chain.from_iterable(blocks)
        self.sample = self._values.__next__

    @classmethod
    def constant(cls, value: float) -> BlockSampler:
        """A sampler that always returns ``value`` and uses no random numbers."""
        obj = cls.__new__(cls)
        obj.mean = float(value)
        obj.block_size = 1
        obj._values = repeat(float(value))
        obj.sample = obj._values.__next__
        return obj

    def take(self, n: int) -> list[float]:
        """The next ``n`` samples (the same values ``n`` calls of ``sample()`` would give)."""
        return list(islice(self._values, n))

    def __iter__(self) -> Iterator[float]:
        return self._values

    def __repr__(self) -> str:
        return f"BlockSampler(mean={self.mean!r}, block_size={self.block_size})"


# --------------------------------------------------------------------------- validated numbers


def _refuse_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true/false")
    return value


def _not_absurd(value: float) -> float:
    if abs(value) > MAX_VALUE:
        raise ValueError(f"{value:g} is implausibly large (limit {MAX_VALUE:g}); check the units")
    return value


Number = Annotated[
    float,
    BeforeValidator(_refuse_bool),
    Field(allow_inf_nan=False),
    AfterValidator(_not_absurd),
]
"""A finite float of plausible size (never a bool)."""

PositiveNumber = Annotated[Number, Field(gt=0)]
NonNegativeNumber = Annotated[Number, Field(ge=0)]


class SpecBase(BaseModel):
    """Base of the distribution specs: immutable, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def build(self, rng: np.random.Generator, block_size: int = DEFAULT_BLOCK_SIZE) -> BlockSampler:
        """A fast sampler drawing from ``rng``."""
        raise NotImplementedError

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` values as a numpy array (the same values ``build(rng)`` would hand out)."""
        raise NotImplementedError


# --------------------------------------------------------------------------- specs


class Exponential(SpecBase):
    """Exponential with the given ``mean`` (memoryless: e.g. time between independent calls)."""

    kind: Literal["exponential"] = "exponential"
    mean: PositiveNumber

    @property
    def sd(self) -> float:
        """Analytic standard deviation (equal to the mean)."""
        return self.mean

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.exponential(self.mean, n)

    def build(self, rng: np.random.Generator, block_size: int = DEFAULT_BLOCK_SIZE) -> BlockSampler:
        scale = self.mean
        return BlockSampler(lambda n: rng.exponential(scale, n), self.mean, block_size)


class Lognormal(SpecBase):
    """Lognormal stated by its own ``mean`` and ``sd`` (right-skewed task durations)."""

    kind: Literal["lognormal"] = "lognormal"
    mean: PositiveNumber
    sd: NonNegativeNumber

    @property
    def mu(self) -> float:
        """Mean of the underlying normal: ``log(mean) - sigma**2 / 2``."""
        return math.log(self.mean) - 0.5 * self.sigma**2

    @property
    def sigma(self) -> float:
        """Standard deviation of the underlying normal: ``sqrt(log(1 + (sd/mean)**2))``."""
        return math.sqrt(math.log1p((self.sd / self.mean) ** 2))

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.sd == 0:
            return np.full(n, self.mean)
        return rng.lognormal(self.mu, self.sigma, n)

    def build(self, rng: np.random.Generator, block_size: int = DEFAULT_BLOCK_SIZE) -> BlockSampler:
        if self.sd == 0:
            return BlockSampler.constant(self.mean)
        mu, sigma = self.mu, self.sigma
        return BlockSampler(lambda n: rng.lognormal(mu, sigma, n), self.mean, block_size)


class Gamma(SpecBase):
    """Gamma stated by its ``mean`` and ``sd`` (shape ``(mean/sd)**2``, scale ``sd**2/mean``)."""

    kind: Literal["gamma"] = "gamma"
    mean: PositiveNumber
    sd: NonNegativeNumber

    @property
    def shape(self) -> float:
        """Shape parameter k."""
        return (self.mean / self.sd) ** 2

    @property
    def scale(self) -> float:
        """Scale parameter theta."""
        return self.sd**2 / self.mean

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        if self.sd == 0:
            return np.full(n, self.mean)
        return rng.gamma(self.shape, self.scale, n)

    def build(self, rng: np.random.Generator, block_size: int = DEFAULT_BLOCK_SIZE) -> BlockSampler:
        if self.sd == 0:
            return BlockSampler.constant(self.mean)
        shape, scale = self.shape, self.scale
        return BlockSampler(lambda n: rng.gamma(shape, scale, n), self.mean, block_size)


class Triangular(SpecBase):
    """Triangular on ``[low, high]`` peaking at ``mode`` (three-point estimates)."""

    kind: Literal["triangular"] = "triangular"
    low: NonNegativeNumber
    mode: NonNegativeNumber
    high: NonNegativeNumber

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be less than high ({self.high:g})")
        if not self.low <= self.mode <= self.high:
            raise ValueError(
                f"mode ({self.mode:g}) must lie between low ({self.low:g}) and high ({self.high:g})"
            )
        return self

    @property
    def mean(self) -> float:
        """Analytic mean ``(low + mode + high) / 3``."""
        return (self.low + self.mode + self.high) / 3

    @property
    def sd(self) -> float:
        """Analytic standard deviation."""
        a, c, b = self.low, self.mode, self.high
        return math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.triangular(self.low, self.mode, self.high, n)

    def build(self, rng: np.random.Generator, block_size: int = DEFAULT_BLOCK_SIZE) -> BlockSampler:
        low, mode, high = self.low, self.mode, self.high
        return BlockSampler(lambda n: rng.triangular(low, mode, high, n), self.mean, block_size)


class Uniform(SpecBase):
    """Uniform on ``[low, high)``."""

    kind: Literal["uniform"] = "uniform"
    low: NonNegativeNumber
    high: NonNegativeNumber

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be less than high ({self.high:g})")
        return self

    @property
    def mean(self) -> float:
        """Analytic mean ``(low + high) / 2``."""
        return (self.low + self.high) / 2

    @property
    def sd(self) -> float:
        """Analytic standard deviation ``(high - low) / sqrt(12)``."""
        return (self.high - self.low) / math.sqrt(12)

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, n)

    def build(self, rng: np.random.Generator, block_size: int = DEFAULT_BLOCK_SIZE) -> BlockSampler:
        low, high = self.low, self.high
        return BlockSampler(lambda n: rng.uniform(low, high, n), self.mean, block_size)


class Fixed(SpecBase):
    """Always ``value`` (deterministic times; uses no random numbers)."""

    kind: Literal["fixed"] = "fixed"
    value: NonNegativeNumber

    @property
    def mean(self) -> float:
        """The value itself."""
        return self.value

    @property
    def sd(self) -> float:
        """Zero."""
        return 0.0

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value)

    def build(self, rng: np.random.Generator, block_size: int = DEFAULT_BLOCK_SIZE) -> BlockSampler:
        return BlockSampler.constant(self.value)


class Empirical(SpecBase):
    """Resample observed ``values`` (with optional relative ``weights``, default equal)."""

    kind: Literal["empirical"] = "empirical"
    values: Annotated[list[NonNegativeNumber], Field(min_length=1)]
    weights: list[NonNegativeNumber] | None = None

    @model_validator(mode="after")
    def _weights_match(self) -> Empirical:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError(
                    f"weights has {len(self.weights)} entries but values has {len(self.values)}"
                )
            if not sum(self.weights) > 0:
                raise ValueError("weights must not all be zero")
        return self

    @property
    def probabilities(self) -> np.ndarray:
        """Probability of each value (weights normalised to sum to one)."""
        w = np.ones(len(self.values)) if self.weights is None else np.asarray(self.weights)
        return w / w.sum()

    @property
    def mean(self) -> float:
        """Weighted mean of the values."""
        return float(np.dot(self.probabilities, self.values))

    @property
    def sd(self) -> float:
        """Standard deviation of the (weighted) resampling distribution."""
        v = np.asarray(self.values)
        return float(math.sqrt(np.dot(self.probabilities, (v - self.mean) ** 2)))

    def _picker(self, rng: np.random.Generator) -> Callable[[int], np.ndarray]:
        """``pick(n)``: n values chosen by inverting the cumulative probabilities at uniforms."""
        values = np.asarray(self.values, dtype=float)
        cumulative = np.cumsum(self.probabilities)
        cumulative[-1] = 1.0  # guard against rounding: every uniform in [0, 1) maps to a value

        def pick(n: int) -> np.ndarray:
            return values[np.searchsorted(cumulative, rng.random(n), side="right")]

        return pick

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self._picker(rng)(n)

    def build(self, rng: np.random.Generator, block_size: int = DEFAULT_BLOCK_SIZE) -> BlockSampler:
        return BlockSampler(self._picker(rng), self.mean, block_size)


DistributionSpec = Annotated[
    Exponential | Lognormal | Gamma | Triangular | Uniform | Fixed | Empirical,
    Field(discriminator="kind"),
]
"""Any distribution spec, chosen by its ``kind`` key."""

_ADAPTER: TypeAdapter[Any] = TypeAdapter(DistributionSpec)


def parse_distribution(data: Mapping[str, Any] | SpecBase) -> SpecBase:
    """Validate a mapping such as ``{"kind": "exponential", "mean": 2}`` into a spec.

    Raises ``pydantic.ValidationError`` naming the faulty field.
    """
    if isinstance(data, SpecBase):
        return data
    return _ADAPTER.validate_python(data)


def sampler(
    spec: Mapping[str, Any] | SpecBase,
    rng: np.random.Generator,
    block_size: int = DEFAULT_BLOCK_SIZE,
) -> BlockSampler:
    """A fast sampler for ``spec`` (a spec or a mapping to validate) drawing from ``rng``."""
    return parse_distribution(spec).build(rng, block_size)
