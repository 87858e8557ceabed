"""Textbook queues built from the simulation kit, to verify it against queueing theory.

Each case is a small model assembled exactly as the service models assemble theirs (named
streams, block samplers, arrival processes, :class:`~models.kit.roster.RosteredResource`,
streaming statistics, :func:`~models.kit.replications.run_replications`), configured down to a
queue whose answer is known in closed form:

- :class:`MMcCase`: M/M/c, waits against Erlang C;
- :class:`LossCase`: M/M/c/c, blocking against Erlang B;
- :class:`InfiniteServerCase`: M/G/∞ with lognormal stays, occupancy against λ·E[S];
- :class:`MachineRepairCase`: N machines, c repairers, availability against the finite-source
  machine-repair model.

Every case returns a flat ``{metric: value}`` for one replication (:meth:`simulate`) and the
analytic values of the same metrics (:meth:`analytic`). :func:`compare` sets the mean over
replications and its 95 % interval beside the analytic value; :func:`coverage` splits the
replications into independent experiments and counts how often each experiment's interval covers
the analytic value (about 95 % for a sound model and long enough runs).
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
import simpy

from models.kit.arrivals import arrivals, stationary_arrival_times
from models.kit.distributions import Exponential, Lognormal
from models.kit.output_analysis import confidence_interval, proportion_interval
from models.kit.queueing import erlang_b, machine_repair, mg_infinity, mmc
from models.kit.roster import Roster, RosteredResource
from models.kit.statistics import TimeWeighted
from models.kit.streams import Streams

__all__ = [
    "InfiniteServerCase",
    "LossCase",
    "MMcCase",
    "MachineRepairCase",
    "QueueCase",
    "compare",
    "coverage",
    "simulate_case",
    "standard_cases",
]


class QueueCase(Protocol):
    """A verification case: a simulated queue and its analytic counterpart."""

    name: str
    kind: str
    warmup: float
    horizon: float

    def simulate(self, streams: Streams) -> dict[str, float]: ...

    def analytic(self) -> dict[str, float]: ...

    def describe(self) -> str: ...


def simulate_case(case: QueueCase, streams: Streams) -> dict[str, float]:
    """One replication of ``case`` (top-level, so worker processes can run it)."""
    return case.simulate(streams)


def _reset_at(env: simpy.Environment, when: float, *levels: TimeWeighted) -> None:
    """Restart time-weighted statistics at the end of the warm-up."""

    def reset() -> Generator[simpy.Event, Any, None]:
        yield env.timeout(when)
        for level in levels:
            level.reset(env.now)

    env.process(reset())


@dataclass(frozen=True)
class MMcCase:
    """M/M/c: Poisson arrivals, exponential service, ``servers`` identical servers, FIFO."""

    name: str
    arrival_rate: float
    service_rate: float
    servers: int
    horizon: float
    warmup: float
    kind: str = "M/M/c"

    @property
    def utilisation(self) -> float:
        """Offered load per server, ρ = λ / (c μ)."""
        return self.arrival_rate / (self.servers * self.service_rate)

    def describe(self) -> str:
        return f"M/M/{self.servers}, ρ = {self.utilisation:.2f}"

    def analytic(self) -> dict[str, float]:
        queue = mmc(self.arrival_rate, self.service_rate, self.servers)
        return {
            "mean_wait": queue.mean_wait,
            "prob_wait": queue.prob_wait,
            "mean_queue": queue.mean_queue,
            "utilisation": queue.utilisation,
        }

    def simulate(self, streams: Streams) -> dict[str, float]:
        env = simpy.Environment()
        servers = RosteredResource(
            env, Roster.constant(self.servers), "servers", self.warmup, wait_thresholds=(0.0,)
        )
        service = Exponential(mean=1.0 / self.service_rate).build(streams["service"])
        end = self.warmup + self.horizon

        def customer() -> Generator[simpy.Event, Any, None]:
            with servers.request() as req:
                yield req
                yield env.timeout(service.sample())

        times = stationary_arrival_times(self.arrival_rate, streams["arrivals"])
        env.process(arrivals(env, times, lambda _t: env.process(customer()), until=end))
        env.run(until=end)
        waits = servers.wait_tally
        return {
            "mean_wait": waits.mean,
            "prob_wait": 1.0 - waits.share_at_most(0.0),
            "mean_queue": servers.mean_queue(end),
            "utilisation": servers.utilisation(end),
        }


@dataclass(frozen=True)
class LossCase:
    """M/M/c/c (Erlang loss): an arrival that finds every server busy is lost."""

    name: str
    arrival_rate: float
    service_rate: float
    servers: int
    horizon: float
    warmup: float
    kind: str = "M/M/c/c"

    def describe(self) -> str:
        load = self.arrival_rate / self.service_rate
        return f"M/M/{self.servers}/{self.servers}, offered load {load:.1f}"

    def analytic(self) -> dict[str, float]:
        return {"blocking": erlang_b(self.servers, self.arrival_rate / self.service_rate)}

    def simulate(self, streams: Streams) -> dict[str, float]:
        env = simpy.Environment()
        servers = RosteredResource(env, Roster.constant(self.servers), "servers", self.warmup)
        service = Exponential(mean=1.0 / self.service_rate).build(streams["service"])
        end = self.warmup + self.horizon
        counts = {"offered": 0, "lost": 0}

        def customer() -> Generator[simpy.Event, Any, None]:
            with servers.request() as req:
                yield req
                yield env.timeout(service.sample())

        def arrive(now: float) -> None:
            if now >= self.warmup:
                counts["offered"] += 1
            if servers.count >= servers.capacity:
                if now >= self.warmup:
                    counts["lost"] += 1
                return
            env.process(customer())

        times = stationary_arrival_times(self.arrival_rate, streams["arrivals"])
        env.process(arrivals(env, times, arrive, until=end))
        env.run(until=end)
        return {"blocking": counts["lost"] / max(counts["offered"], 1)}


@dataclass(frozen=True)
class InfiniteServerCase:
    """M/G/∞: Poisson arrivals, lognormal stays, no limit on space (a pound with no cap)."""

    name: str
    arrival_rate: float
    mean_stay: float
    sd_stay: float
    horizon: float
    warmup: float
    kind: str = "M/G/∞"

    def describe(self) -> str:
        return f"M/G/∞, lognormal stay (mean {self.mean_stay:g}, sd {self.sd_stay:g})"

    def analytic(self) -> dict[str, float]:
        return {"mean_occupancy": mg_infinity(self.arrival_rate, self.mean_stay).mean}

    def simulate(self, streams: Streams) -> dict[str, float]:
        env = simpy.Environment()
        stay = Lognormal(mean=self.mean_stay, sd=self.sd_stay).build(streams["stay"])
        occupancy = TimeWeighted(env, 0.0)
        _reset_at(env, self.warmup, occupancy)
        end = self.warmup + self.horizon

        def visit() -> Generator[simpy.Event, Any, None]:
            occupancy.add(env.now, 1.0)
            yield env.timeout(stay.sample())
            occupancy.add(env.now, -1.0)

        times = stationary_arrival_times(self.arrival_rate, streams["arrivals"])
        env.process(arrivals(env, times, lambda _t: env.process(visit()), until=end))
        env.run(until=end)
        return {"mean_occupancy": occupancy.mean(end)}


@dataclass(frozen=True)
class MachineRepairCase:
    """Finite-source machine repair: ``machines`` units fail, ``repairers`` mend them."""

    name: str
    machines: int
    failure_rate: float
    repair_rate: float
    repairers: int
    horizon: float
    warmup: float
    kind: str = "machine repair"

    def describe(self) -> str:
        return (
            f"{self.machines} machines, {self.repairers} repairers, "
            f"failure/repair rate ratio {self.failure_rate / self.repair_rate:.2f}"
        )

    def analytic(self) -> dict[str, float]:
        model = machine_repair(self.machines, self.failure_rate, self.repair_rate, self.repairers)
        return {"availability": model.availability, "mean_down": model.mean_down}

    def simulate(self, streams: Streams) -> dict[str, float]:
        env = simpy.Environment()
        repairers = RosteredResource(env, Roster.constant(self.repairers), "repairers", self.warmup)
        up_time = Exponential(mean=1.0 / self.failure_rate).build(streams["failure"])
        repair = Exponential(mean=1.0 / self.repair_rate).build(streams["repair"])
        down = TimeWeighted(env, 0.0)
        _reset_at(env, self.warmup, down)
        end = self.warmup + self.horizon

        def machine() -> Generator[simpy.Event, Any, None]:
            while True:
                yield env.timeout(up_time.sample())
                down.add(env.now, 1.0)
                with repairers.request() as req:
                    yield req
                    yield env.timeout(repair.sample())
                down.add(env.now, -1.0)

        for _ in range(self.machines):
            env.process(machine())
        env.run(until=end)
        mean_down = down.mean(end)
        return {"availability": 1.0 - mean_down / self.machines, "mean_down": mean_down}


def standard_cases(scale: float = 1.0) -> list[QueueCase]:
    """The cases of the verification report; ``scale`` multiplies every run length.

    Times are in hours. The M/M/c cases keep three servers with a one-hour mean service and
    raise the arrival rate; heavier traffic needs longer runs and warm-ups (the relaxation time
    of M/M/c grows like 1 / (1 - √ρ)²), so run length grows with ρ.
    """
    cases: list[QueueCase] = []
    for rho, hours in ((0.3, 2_000), (0.5, 2_000), (0.7, 4_000), (0.8, 6_000), (0.9, 12_000),
                       (0.95, 24_000)):  # fmt: skip
        cases.append(
            MMcCase(
                name=f"mmc_{round(rho * 100)}",
                arrival_rate=3 * rho,
                service_rate=1.0,
                servers=3,
                horizon=hours * scale,
                warmup=hours * scale / 10,
            )
        )
    cases.append(LossCase("loss", 8.0, 1.0, 10, 2_000 * scale, 100 * scale))
    cases.append(InfiniteServerCase("pound", 4.0, 72.0, 60.0, 4_000 * scale, 1_000 * scale))
    cases.append(MachineRepairCase("repair", 40, 0.02, 0.25, 3, 10_000 * scale, 500 * scale))
    return cases


def compare(results: pd.DataFrame, cases: Sequence[QueueCase], level: float = 0.95) -> pd.DataFrame:
    """Simulated mean and interval beside the analytic value, per case and metric.

    ``results`` is :func:`~models.kit.replications.run_replications` output with one option per
    case (option = case name).
    """
    rows = []
    for case in cases:
        mine = results[results["option"] == case.name]
        for metric, exact in case.analytic().items():
            values = mine.loc[mine["metric"] == metric, "value"].to_numpy()
            ci = confidence_interval(values, level)
            rows.append(
                {
                    "case": case.name,
                    "model": case.describe(),
                    "metric": metric,
                    "analytic": exact,
                    "mean": ci.mean,
                    "low": ci.low,
                    "high": ci.high,
                    "relative_error": (ci.mean - exact) / exact if exact else np.nan,
                    "covered": bool(ci.low <= exact <= ci.high),
                    "replications": ci.n,
                }
            )
    return pd.DataFrame(rows)


def coverage(
    results: pd.DataFrame, cases: Sequence[QueueCase], group: int, level: float = 0.95
) -> pd.DataFrame:
    """How often an experiment of ``group`` replications has an interval covering the truth.

    The replications are split into consecutive, non-overlapping experiments of ``group``
    replications each (independent, since every replication has its own streams); fewer
    replications than ``group`` make one experiment of them all. Each share comes with its
    exact binomial interval, since a handful of experiments measures coverage only roughly.
    """
    rows = []
    for case in cases:
        mine = results[results["option"] == case.name]
        for metric, exact in case.analytic().items():
            values = mine.loc[mine["metric"] == metric].sort_values("replication")["value"]
            values = values.to_numpy()
            size = max(2, min(group, len(values)))
            experiments = len(values) // size
            hits = 0
            for k in range(experiments):
                ci = confidence_interval(values[k * size : (k + 1) * size], level)
                hits += ci.low <= exact <= ci.high
            share = proportion_interval(hits, experiments, level) if experiments else None
            rows.append(
                {
                    "case": case.name,
                    "metric": metric,
                    "group": size,
                    "experiments": experiments,
                    "covered": hits,
                    "coverage": share.mean if share else np.nan,
                    "coverage_low": share.low if share else np.nan,
                    "coverage_high": share.high if share else np.nan,
                }
            )
    return pd.DataFrame(rows)
