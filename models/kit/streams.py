"""Named random-number streams for common random numbers.

Every random activity in a model (arrivals, job durations, breakdowns, ...) draws from its own
named stream. The stream for a name depends only on ``(seed, replication, name)``::

    SeedSequence(entropy=seed, spawn_key=(replication, stable_key(name)))
    Generator(PCG64(...))

so

* the same seed, replication and name give identical numbers in any process, on any machine,
  whatever the order in which streams are created (``stable_key`` is a SHA-256 digest, not
  Python's salted ``hash``);
* adding a new stream to a model never changes the numbers of the existing ones;
* options compared within one replication see the same arrivals and durations (common random
  numbers), while each replication has its own independent family of streams.
"""

from __future__ import annotations

import hashlib

import numpy as np

from models.kit.numbers import whole_number

__all__ = ["Streams", "stable_key", "stream_seed"]


def stable_key(name: str) -> int:
    """Stable 64-bit integer for a stream name (first 8 bytes of its SHA-256 digest).

    Unlike ``hash(name)`` this is the same in every Python process.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"stream name must be a non-empty string, got {name!r}")
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")


def _non_negative_int(label: str, value: int) -> int:
    """Return ``value`` as an ``int`` if it is a whole number >= 0, else raise ValueError."""
    return whole_number(label, value, minimum=0)


def stream_seed(seed: int, replication: int, name: str) -> np.random.SeedSequence:
    """The ``SeedSequence`` behind stream ``name`` of ``replication`` under ``seed``."""
    return np.random.SeedSequence(
        entropy=_non_negative_int("seed", seed),
        spawn_key=(_non_negative_int("replication", replication), stable_key(name)),
    )


class Streams:
    """Named random streams for one replication (common random numbers across options).

    Parameters
    ----------
    seed
        Experiment seed (whole number >= 0).
    replication
        Replication number (whole number >= 0); each has an independent family of streams.

    Examples
    --------
    >>> streams = Streams(seed=2012, replication=3)
    >>> rng = streams["recovery.arrivals"]
    >>> rng is streams.generator("recovery.arrivals")
    True
    """

    __slots__ = ("_generators", "_replication", "_seed")

    def __init__(self, seed: int, replication: int = 0) -> None:
        self._seed = _non_negative_int("seed", seed)
        self._replication = _non_negative_int("replication", replication)
        self._generators: dict[str, np.random.Generator] = {}

    @property
    def seed(self) -> int:
        """Experiment seed."""
        return self._seed

    @property
    def replication(self) -> int:
        """Replication number."""
        return self._replication

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the streams created so far, in creation order."""
        return tuple(self._generators)

    def generator(self, name: str) -> np.random.Generator:
        """The generator for stream ``name`` (created on first use, then cached)."""
        rng = self._generators.get(name)
        if rng is None:
            ss = stream_seed(self._seed, self._replication, name)
            rng = np.random.Generator(np.random.PCG64(ss))
            self._generators[name] = rng
        return rng

    def __getitem__(self, name: str) -> np.random.Generator:
        """Alias of :meth:`generator`."""
        return self.generator(name)

    def __repr__(self) -> str:
        return f"Streams(seed={self._seed}, replication={self._replication})"
