"""Every service of the registry: model cost per unit of work against its bare SimPy loop, and
peak memory against the horizon.

1. Speed, side by side in one run: the full model (the service's ``simulate``, default
   scenario, the option its reference names) and a bare SimPy process of the same events with
   the cheapest plain ``random`` draws and no statistics (``bare_<service>.py``). Prints
   microseconds per unit of work and the ratio (goal: within about 2x of the bare process).
2. Memory: peak traced memory (``tracemalloc``) of one replication over a short and a long
   horizon (1 and 10 years; catering 13 and 130 weeks). Statistics are streamed, so the peak
   should not grow with the horizon (goal: the long peak within 1.5x of the short one).

Then the ratios of every service side by side.

Run: ``python benchmarks/bench_services.py`` (several minutes; ``--quick`` for shorter memory
horizons, ``--only recovery`` for one service; ``--rounds``, ``--speed-days`` and
``--memory-days`` for a smoke run).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from models.registry import SERVICES

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script: common is a sibling
from common import bench_service, print_ratios


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter memory horizons")
    parser.add_argument("--only", action="append", choices=SERVICES.names, help="one service")
    parser.add_argument("--rounds", type=int, default=3, help="speed rounds (best kept)")
    parser.add_argument("--speed-days", type=int, help="simulated days of each speed round")
    parser.add_argument(
        "--memory-days", type=float, nargs=2, metavar=("SHORT", "LONG"), help="memory horizons"
    )
    args = parser.parse_args(argv)
    ratios = {
        service.name: bench_service(
            service,
            quick=args.quick,
            rounds=args.rounds,
            speed_days=args.speed_days,
            memory_days=None if args.memory_days is None else tuple(args.memory_days),
        )
        for service in SERVICES
        if args.only is None or service.name in args.only
    }
    print_ratios(ratios)


if __name__ == "__main__":
    main()
