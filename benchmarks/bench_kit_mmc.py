"""The kit's M/M/c model against a bare SimPy M/M/c serving the same customers.

Both run the same queue (three servers, utilisation 0.9, the same number of customers); the
kit's version is :class:`models.verification.MMcCase` (named streams, block samplers, the
arrival process, a :class:`~models.kit.roster.RosteredResource` with its time-weighted statistics
and wait tally), the bare one is the textbook SimPy loop with ``random.expovariate`` and a
``simpy.Resource``. They are timed alternately, best of several rounds, in this one run, and the
ratio printed. Goal: the kit within 1.25x of bare SimPy's time.

    python benchmarks/bench_kit_mmc.py
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Generator
from typing import Any

import simpy

from models.kit.streams import Streams
from models.verification import MMcCase

HOURS = 20_000.0
ROUNDS = 5
GOAL = 1.25
CASE = MMcCase("mmc_90", arrival_rate=2.7, service_rate=1.0, servers=3, horizon=HOURS, warmup=0.0)


def bare_simpy(seed: int) -> float:
    """Textbook SimPy M/M/c: returns the mean wait."""
    rng = random.Random(seed)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=CASE.servers)
    waits = [0.0, 0]

    def customer() -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        with servers.request() as req:
            yield req
            waits[0] += env.now - arrived
            waits[1] += 1
            yield env.timeout(rng.expovariate(CASE.service_rate))

    def source() -> Generator[simpy.Event, Any, None]:
        while True:
            yield env.timeout(rng.expovariate(CASE.arrival_rate))
            env.process(customer())

    env.process(source())
    env.run(until=HOURS)
    return waits[0] / waits[1]


def kit(seed: int) -> float:
    """The kit's M/M/c: returns the mean wait."""
    return CASE.simulate(Streams(seed, 0))["mean_wait"]


def best_time(run: Callable[[int], float], seed: int) -> float:
    start = time.perf_counter()
    run(seed)
    return time.perf_counter() - start


def main() -> None:
    """Time both alternately and print the ratio."""
    bare, ours = [], []
    for round_ in range(ROUNDS):
        bare.append(best_time(bare_simpy, round_))
        ours.append(best_time(kit, round_))
    customers = CASE.arrival_rate * HOURS
    ratio = min(ours) / min(bare)
    print(
        f"M/M/{CASE.servers} at utilisation {CASE.utilisation:.2f}, "
        f"about {customers:,.0f} customers"
    )
    print(f"  bare SimPy   {min(bare):7.3f} s  ({1e6 * min(bare) / customers:5.1f} µs/customer)")
    print(f"  kit          {min(ours):7.3f} s  ({1e6 * min(ours) / customers:5.1f} µs/customer)")
    verdict = "met" if ratio <= GOAL else "NOT met"
    print(f"  kit / bare SimPy = {ratio:.2f}x (goal <= {GOAL}x: {verdict})")


if __name__ == "__main__":
    main()
