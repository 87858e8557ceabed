"""The seeded samples of an uncertainty study, drawn with SALib.

- The **cost layer** is a Saltelli design of scrambled Sobol' points (SALib ``sample.sobol``,
  first and total order only): ``N (D + 2)`` rows for ``D`` cost inputs, with ``N`` the
  smallest base that gives at least the scenario's ``samples``. Its blocks of ``D + 2`` rows
  (one base point, its partner and the ``D`` mixtures) are what the Sobol' estimators of
  Saltelli et al. (2010) and Jansen (1999) need.
- The **operational layer** is a Morris design (SALib ``sample.morris``: ``r`` trajectories of
  ``k + 1`` points on a ``p``-level grid, chosen from four times as many candidates for spread,
  Campolongo, Cariboni and Saltelli 2007), each point simulated.

Both draw in the unit hypercube; :meth:`models.uncertainty.ranges.UncertainInput.ppf` maps a
column to its input's values. The seed of each design derives from the scenario's seed, the
service and the layer (:func:`design_seed`), so designs are reproducible and independent.
"""

from __future__ import annotations

import math
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models.uncertainty.ranges import UncertainInput

__all__ = ["Design", "cost_design", "design_seed", "operational_design", "problem"]

CANDIDATES_PER_TRAJECTORY = 4
"""Morris candidates drawn for each trajectory kept (the kept ones are the most spread)."""


@dataclass(frozen=True)
class Design:
    """Points in the unit hypercube, one column per input, and the inputs' values there."""

    inputs: tuple[UncertainInput, ...]
    unit: np.ndarray
    """``(points, inputs)`` quantiles in [0, 1]."""
    base: int
    """Saltelli base sample size ``N`` (cost layer) or trajectories ``r`` (operational)."""

    @property
    def values(self) -> np.ndarray:
        """``(points, inputs)`` values of the inputs (factors for relative ranges)."""
        if not self.inputs:
            return np.zeros((len(self.unit), 0))
        return np.column_stack([i.ppf(self.unit[:, j]) for j, i in enumerate(self.inputs)])

    @property
    def block(self) -> int:
        """Rows of one Saltelli block (``D + 2``); 1 for an operational design."""
        return len(self.inputs) + 2


def design_seed(seed: int, service: str, layer: str) -> int:
    """A seed for one design, derived from the scenario's seed, the service and the layer."""
    entropy = [seed % 2**63, zlib.crc32(service.encode()), zlib.crc32(layer.encode())]
    return int(np.random.SeedSequence(entropy).generate_state(1, dtype=np.uint32)[0])


def problem(inputs: Sequence[UncertainInput]) -> dict[str, object]:
    """The SALib problem of ``inputs``, in unit space (values come from each input's ppf)."""
    return {
        "num_vars": len(inputs),
        "names": [i.name for i in inputs],
        "bounds": [[0.0, 1.0]] * len(inputs),
    }


def cost_design(inputs: Sequence[UncertainInput], samples: int, seed: int) -> Design:
    """The Saltelli design of the cost inputs in at most ``samples`` rows (at least one block
    of N = 2). Without cost inputs: ``samples`` empty rows (each pairs with simulated volumes)."""
    from SALib.sample import sobol

    chosen = tuple(inputs)
    if not chosen:
        return Design((), np.zeros((samples, 0)), samples)
    base = max(2, math.ceil(samples / (len(chosen) + 2)))
    with warnings.catch_warnings():
        # SALib warns when N is not a power of two (the Sobol' sequence's balance holds for
        # powers of two); the scrambled points stay a valid, unbiased design, and the sample
        # size the scenario asks for matters more here than the last digit of convergence.
        warnings.filterwarnings("ignore", category=UserWarning)
        unit = sobol.sample(
            problem(chosen), base, calc_second_order=False, scramble=True, seed=seed
        )
    return Design(chosen, np.asarray(unit, dtype=float), base)


def operational_design(
    inputs: Sequence[UncertainInput], trajectories: int, levels: int, seed: int
) -> Design:
    """The Morris design of the operational inputs; without any, the single stated point
    (its unit row is empty)."""
    from SALib.sample import morris

    chosen = tuple(inputs)
    if not chosen:
        return Design((), np.zeros((1, 0)), 0)
    unit = morris.sample(
        problem(chosen),
        CANDIDATES_PER_TRAJECTORY * trajectories,
        num_levels=levels,
        optimal_trajectories=trajectories,
        local_optimization=True,
        seed=seed,
    )
    return Design(chosen, np.asarray(unit, dtype=float), trajectories)
