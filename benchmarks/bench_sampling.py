"""Per-sample cost of drawing random durations, measured side by side in one run.

Compares ``random.expovariate`` (the pure-Python baseline), numpy's ``Generator.exponential()``
called once per sample, our block sampler (``models.kit.distributions``) and, if installed,
``sim_tools.distributions.Exponential.sample()``. Prints nanoseconds per sample and the ratio to
``random.expovariate``; the goal is our sampler within about 1.5x of it.

Run: ``python benchmarks/bench_sampling.py`` (about 5 seconds).
"""

from __future__ import annotations

import random
import sys
import timeit
from collections.abc import Callable

import numpy as np

from models.kit.distributions import Exponential, Lognormal, Triangular

SAMPLES = 200_000
ROUNDS = 5
GOAL = 1.5


def contenders() -> dict[str, tuple[str, dict[str, object]]]:
    """Name -> (statement timed once per sample, its namespace)."""
    mean = 2.0
    py = random.Random(1)
    rng = np.random.default_rng(1)
    ours = Exponential(mean=mean).build(np.random.default_rng(1))
    cases: dict[str, tuple[str, dict[str, object]]] = {
        "random.expovariate": (
            "expovariate(rate)",
            {"expovariate": py.expovariate, "rate": 1 / mean},
        ),
        "numpy rng.exponential() one at a time": (
            "rng.exponential(mean)",
            {"rng": rng, "mean": mean},
        ),
        "our block sampler .sample()": ("s.sample()", {"s": ours}),
    }
    try:
        from sim_tools.distributions import Exponential as SimToolsExponential
    except ImportError:
        pass
    else:
        dist = SimToolsExponential(mean, random_seed=1)
        cases["sim-tools Exponential.sample()"] = ("d.sample()", {"d": dist})
    lognormal = Lognormal(mean=mean, sd=1.0)
    cases["random.lognormvariate"] = (
        "lognormvariate(mu, sigma)",
        {"lognormvariate": py.lognormvariate, "mu": lognormal.mu, "sigma": lognormal.sigma},
    )
    cases["our block sampler, lognormal"] = ("s.sample()", {"s": lognormal.build(rng)})
    cases["random.triangular"] = ("triangular(1.0, 4.0, 1.5)", {"triangular": py.triangular})
    triangular = Triangular(low=1.0, mode=1.5, high=4.0)
    cases["our block sampler, triangular"] = ("s.sample()", {"s": triangular.build(rng)})
    return cases


def measure(cases: dict[str, tuple[str, dict[str, object]]]) -> dict[str, float]:
    """Best-of-rounds nanoseconds per sample; rounds interleave contenders to share noise."""
    timers: dict[str, Callable[[int], float]] = {
        name: timeit.Timer(stmt, globals=namespace).timeit
        for name, (stmt, namespace) in cases.items()
    }
    best = dict.fromkeys(timers, float("inf"))
    for _ in range(ROUNDS):
        for name, run in timers.items():
            best[name] = min(best[name], run(SAMPLES) / SAMPLES * 1e9)
    return best


def main() -> None:
    """Measure and print the table."""
    cases = contenders()
    results = measure(cases)
    baseline = results["random.expovariate"]
    width = max(map(len, results))
    python = sys.version.split()[0]
    print(f"per-sample cost, best of {ROUNDS} rounds of {SAMPLES:,} samples")
    print(f"(Python {python}, numpy {np.__version__}; includes timeit's loop overhead)")
    print(f"{'':{width}}  {'ns/sample':>10}  {'x expovariate':>13}")
    for name, ns in results.items():
        print(f"{name:{width}}  {ns:10.1f}  {ns / baseline:13.2f}")
    if "sim-tools Exponential.sample()" not in results:
        print("(sim-tools not installed: its Exponential.sample() was not measured)")
    ratio = results["our block sampler .sample()"] / baseline
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"goal: our sampler within {GOAL}x of random.expovariate -> {ratio:.2f}x, {verdict}")


if __name__ == "__main__":
    main()
