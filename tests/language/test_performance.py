"""Run time of one replication: about a second or less for the quick period, a few seconds
for the full one (measured with the slowest option; the bounds leave room for a busy
machine)."""

from __future__ import annotations

import time

from models.kit.streams import Streams
from models.language import SERVICE

QUICK_SECONDS = 1.5
FULL_SECONDS = 5.0


def _slowest(config, **overrides) -> float:
    """Seconds of the slowest option's simulate, best of two runs."""
    times = []
    for option in config.options:
        run = SERVICE.run_class(config, option, 1.0, **overrides)
        best = float("inf")
        for replication in range(2):
            start = time.perf_counter()
            SERVICE.simulate(run, Streams(1, replication))
            best = min(best, time.perf_counter() - start)
        times.append(best)
    return max(times)


def test_a_quick_run_takes_about_a_second_or_less(config) -> None:
    seconds = _slowest(config, **SERVICE.quick)
    assert seconds < QUICK_SECONDS, f"{seconds:.2f} s"


def test_a_full_run_takes_a_few_seconds(config) -> None:
    assert config.period.window_days == 28
    seconds = _slowest(config)
    assert seconds < FULL_SECONDS, f"{seconds:.2f} s"
