"""One study on a Dask LocalCluster of 2 workers against 1, and on the local process pool of 2.

The study is a real one: the recovery service's appraisal runs (every option at every simulated
demand year) on the baseline scenario, with its full representative period, for REPLICATIONS
replications (about 40 s of work on one core). It runs, in this one process and one after
another, on ``open_engine("local:1")``, ``open_engine("local:2")`` and the process pool of 2
(``jobs=2``), timing each run of ``run_replications`` once its cluster is up (wall clock),
ROUNDS times in turn, and prints (from each engine's best round: other work on a shared
machine only ever slows a round down):

- the time of each and the speed-up of 2 workers over 1 (goal: at least 1.8x on 2 cores);
- the scheduling overhead: the share of the workers' time not spent computing tasks (from
  Dask's task stream: what the workers measured as compute), and the same per task. On 1 worker
  it is the cost of scheduling, sending and gathering; on 2 it also holds any worker idle at
  the end (load imbalance). Goal: under 5 % of the work;
- whether the three results are bit-identical (the exit status is 1 if they are not).

    python benchmarks/bench_dask.py
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from typing import Any

import pandas as pd
from distributed import get_task_stream

from models.kit.engine import open_engine
from models.kit.replications import CHUNKS_PER_WORKER, Replicator
from models.registry import SERVICES
from models.scenario import DEFAULT_SCENARIO, load_scenario

REPLICATIONS = 6
ROUNDS = 2
SPEED_UP_GOAL = 1.8
OVERHEAD_GOAL = 0.05


@dataclass(frozen=True)
class Timed:
    """One run of the study on one engine."""

    label: str
    seconds: float
    frame: pd.DataFrame
    workers: int
    compute_s: float | None = None
    """Seconds the workers spent computing tasks (Dask only)."""
    tasks: int | None = None

    @property
    def overhead_share(self) -> float | None:
        """Share of the workers' time (wall x workers) not spent computing."""
        if self.compute_s is None:
            return None
        return 1.0 - self.compute_s / (self.seconds * self.workers)

    @property
    def overhead_per_task_ms(self) -> float | None:
        if self.compute_s is None or not self.tasks:
            return None
        return 1000 * (self.seconds * self.workers - self.compute_s) / self.tasks


def study() -> dict[str, Any]:
    """The recovery appraisal runs of the baseline scenario (full period), as the arguments of
    :meth:`Replicator.run`."""
    scenario = load_scenario(DEFAULT_SCENARIO)
    service = SERVICES["recovery"]
    config = service.section(scenario)
    runs = service.appraisal_runs(config, scenario.appraisal.period_years)
    return {"simulate": service.simulate, "options": runs, "seed": scenario.seed}


def on_dask(spec: str, work: dict[str, Any]) -> Timed:
    """The study on ``spec``'s cluster, with the workers' compute time from the task stream."""
    with open_engine(spec, None) as engine:
        with get_task_stream(client=engine.client) as stream:
            start = time.perf_counter()
            frame = engine.replicator().run(**work, replications=REPLICATIONS)
            seconds = time.perf_counter() - start
        compute = sum(
            part["stop"] - part["start"]
            for task in stream.data
            for part in task.get("startstops", ())
            if part.get("action") == "compute"
        )
        return Timed(engine.label, seconds, frame, engine.workers, compute, len(stream.data))


def on_pool(jobs: int, work: dict[str, Any]) -> Timed:
    """The study on run_replications' own process pool (pool start-up included)."""
    start = time.perf_counter()
    frame = Replicator(jobs=jobs).run(**work, replications=REPLICATIONS)
    return Timed(f"local process pool of {jobs}", time.perf_counter() - start, frame, jobs)


def identical(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    except AssertionError:
        return False
    return True


def main() -> int:
    load = os.getloadavg()[0]
    work = study()
    print(
        f"recovery appraisal runs on the baseline scenario: {len(work['options'])} runs x "
        f"{REPLICATIONS} "
        f"replications, full period; {os.cpu_count()} cores (1-min load average before: "
        f"{load:.2f}; other work on the machine lowers the speed-up)",
        flush=True,
    )
    rounds: dict[str, list[Timed]] = {"local:1": [], "local:2": [], "pool": []}
    for _ in range(ROUNDS):
        for kind, done in rounds.items():
            done.append(on_pool(2, work) if kind == "pool" else on_dask(kind, work))
    best = {kind: min(done, key=lambda t: t.seconds) for kind, done in rounds.items()}
    for kind, timed in best.items():
        times = ", ".join(f"{t.seconds:.1f}" for t in rounds[kind])
        line = f"  {timed.label:<32} {timed.seconds:7.2f} s (best of {times})"
        if timed.overhead_share is not None:
            line += (
                f"\n  {'':<32} {timed.tasks} tasks; not computing {timed.overhead_share:.2%} of "
                f"the workers' time, {timed.overhead_per_task_ms:.0f} ms a task"
            )
        print(line)
    one, two = best["local:1"], best["local:2"]
    ratio = one.seconds / two.seconds
    verdict = "ok" if ratio >= SPEED_UP_GOAL else "BELOW GOAL"
    print(f"  speed-up, 2 workers over 1  : {ratio:6.2f}x (goal >= {SPEED_UP_GOAL}x: {verdict})")
    share = one.overhead_share or 0.0
    verdict = "ok" if share < OVERHEAD_GOAL else "ABOVE GOAL"
    print(
        f"  scheduling overhead, 1 worker: {share:6.2%} of the work (goal < {OVERHEAD_GOAL:.0%}: "
        f"{verdict}); batching: {CHUNKS_PER_WORKER} chunks of consecutive replications a worker"
    )
    frames = [timed.frame for kind in rounds.values() for timed in kind]
    same = all(identical(frames[0], frame) for frame in frames[1:])
    answer = "yes" if same else "NO"
    print(f"  results bit-identical (every round of LocalCluster 1, 2 and pool 2): {answer}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
