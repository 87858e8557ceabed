"""The uncertainty study's two layers, timed against their goals, per service of the registry.

- **Cost layer**: 4,096 parameter samples re-priced over stored simulated volumes, on the local
  process pool of every core: at most 10 s per service (issue 11). Printed beside the time of
  one sample priced in this process, so the ratio shows what the pool buys.
- **Operational layer**: the scenario's default study for one service (its Morris design at
  the representative periods of a full report): its size and time, against the full report's
  budget (``bench_reports.BUDGET_S``, 120 s).

    python benchmarks/bench_uncertainty.py [--operational SERVICE] [--no-operational]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

from models.comparison import compare_service
from models.kit.replications import Replicator
from models.registry import SERVICES
from models.scenario import DEFAULT_SCENARIO, load_scenario
from models.uncertainty.design import cost_design, design_seed
from models.uncertainty.ranges import inputs_of, resolve
from models.uncertainty.study import CostRows, Pricing, replication_runs, run_study

COST_SAMPLES = 4096
COST_GOAL_S = 10.0
REPORT_BUDGET_S = 120.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--operational", default="recovery")
    parser.add_argument("--no-operational", action="store_true")
    args = parser.parse_args(argv)
    scenario = load_scenario(DEFAULT_SCENARIO)
    jobs = os.cpu_count() or 1
    print(f"Cost layer: {COST_SAMPLES:,} samples over stored volumes, {jobs} worker(s)")
    failed = False
    for service in SERVICES:
        failed |= not _cost_layer(service, scenario, jobs)
    if not args.no_operational:
        failed |= not _operational(SERVICES[args.operational], scenario, jobs)
    return 1 if failed else 0


def _cost_layer(service, scenario, jobs: int) -> bool:
    config = service.section(scenario)
    base = compare_service(
        service, scenario, replications=2, runner=Replicator(jobs=jobs), **service.quick
    )
    period = base.inputs.period_years
    volumes = [
        {o: service.yearly_volumes(base.mean_by_run, o, config, period) for o in config.options}
    ]
    inputs = [i for i in inputs_of(resolve(scenario), service.name) if i.layer == "cost"]
    design = cost_design(inputs, COST_SAMPLES, design_seed(scenario.seed, service.name, "cost"))
    pricing = Pricing.of(service, scenario, design.inputs)
    rows, points = design.values, np.zeros(len(design.unit), dtype=int)
    work = CostRows(pricing, [config], volumes, rows, points, design.block)
    started = time.process_time()
    serial = work.batches(256)[0].present_values()
    per_row = (time.process_time() - started) / 256
    started = time.perf_counter()
    pv = work.priced(Replicator(jobs=jobs))
    took = time.perf_counter() - started
    assert pv.shape == (len(rows), len(config.options)) and np.array_equal(pv[:256], serial)
    ok = took <= COST_GOAL_S
    print(
        f"  {service.name:<10} {len(inputs):>3} cost inputs, {len(rows):>5} samples: "
        f"{took:6.2f} s on the pool (goal <= {COST_GOAL_S:.0f} s: {'ok' if ok else 'MISSED'}); "
        f"{per_row * 1e3:5.2f} ms of CPU a sample in one process, {per_row * len(rows):6.2f} s "
        f"serial: pool speed-up x{per_row * len(rows) / took:.2f}"
    )
    return ok


def _operational(service, scenario, jobs: int) -> bool:
    settings = scenario.uncertainty
    replications = scenario.run.replications
    started = time.perf_counter()
    base = compare_service(
        service, scenario, replications=replications, runner=Replicator(jobs=jobs)
    )
    compared = time.perf_counter() - started
    started = time.perf_counter()
    study = run_study(
        service,
        scenario,
        replication_runs(base.results),
        replications=settings.replications,
        runner=Replicator(jobs=jobs),
    )
    took = time.perf_counter() - started
    points = len(study.operational.unit)
    ok = took <= REPORT_BUDGET_S
    print(
        f"Operational layer, {service.name}: {len(study.operational.inputs)} operational inputs, "
        f"{points} Morris points x {settings.replications} replication(s) = "
        f"{study.simulated_runs} option runs at the full periods, plus {len(study.pv):,} cost "
        f"samples: {took:.1f} s on {jobs} worker(s) (the full report's budget "
        f"{REPORT_BUDGET_S:.0f} s: {'ok' if ok else 'MISSED'}); the comparison itself, "
        f"{replications} replications: {compared:.1f} s"
    )
    return ok


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    raise SystemExit(main())
