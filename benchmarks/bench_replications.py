"""Speed-up of run_replications with 2 worker processes over 1, on the same work.

Runs 8 replications of an M/M/c queue (SimPy) with jobs=1 and with jobs=2, alternately, twice
each, in this one run (wall clock, pool start-up included); checks the results are identical and
prints the best time of each and the speed-up. Goal: >= 1.8x on 2 free cores. Taking the best of
alternated runs damps interference from other work on a shared machine.

    python benchmarks/bench_replications.py
"""

from __future__ import annotations

import os
import time
from collections.abc import Generator, Mapping
from typing import Any

import pandas as pd
import simpy

from models.kit.replications import run_replications
from models.kit.statistics import Tally
from models.kit.streams import Streams

REPLICATIONS = 8
SEED = 2013
OPTIONS = {"mmc": {"servers": 4, "arrival_rate": 3.4, "service_mean": 1.0, "hours": 16_000.0}}
GOAL = 1.8
REPEATS = 2


def mmc(option: Mapping[str, Any], streams: Streams) -> dict[str, float]:
    """M/M/c queue: returns the mean wait and the share of waits under 15 minutes."""
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=option["servers"])
    arrivals, services = streams["arrivals"], streams["service"]
    waits = Tally(thresholds=(0.25,))
    mean_gap = 1.0 / option["arrival_rate"]

    def customer() -> Generator[simpy.Event, Any, None]:
        arrived = env.now
        with servers.request() as req:
            yield req
            waits.add(env.now - arrived)
            yield env.timeout(services.exponential(option["service_mean"]))

    def source() -> Generator[simpy.Event, Any, None]:
        while True:
            yield env.timeout(arrivals.exponential(mean_gap))
            env.process(customer())

    env.process(source())
    env.run(until=option["hours"])
    return {"mean_wait": waits.mean, "within_15_min": waits.share_at_most(0.25)}


def timed(jobs: int) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    frame = run_replications(
        mmc, OPTIONS, replications=REPLICATIONS, seed=SEED, jobs=jobs, progress=False
    )
    return time.perf_counter() - start, frame


def main() -> int:
    load = os.getloadavg()[0]
    times: dict[int, list[float]] = {1: [], 2: []}
    frames: dict[int, pd.DataFrame] = {}
    for _ in range(REPEATS):
        for jobs in (1, 2):
            elapsed, frames[jobs] = timed(jobs)
            times[jobs].append(elapsed)
    pd.testing.assert_frame_equal(frames[1], frames[2])
    serial, parallel = min(times[1]), min(times[2])
    print(f"run_replications: {REPLICATIONS} replications of an M/M/4 queue (SimPy)")
    print(f"  cores available : {os.cpu_count()} (1-min load average before: {load:.2f};")
    print("                    other work on the machine lowers the speed-up)")
    for jobs, best in ((1, serial), (2, parallel)):
        runs = ", ".join(f"{t:.2f}" for t in times[jobs])
        print(f"  jobs={jobs}          : {best:6.2f} s  (best of {runs})")
    print(
        f"  speed-up        : {serial / parallel:6.2f}x (goal >= {GOAL}x)  results identical: yes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
