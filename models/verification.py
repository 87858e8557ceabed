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
the analytic value (about 95 % for a sound model and long enough runs); :func:`verdict` says
what the comparison can and cannot show against a tolerance.

Run lengths are chosen by the precision they buy (:func:`standard_cases`): each case knows the
variance constant of its noisiest figure (:meth:`QueueCase.variance_hours`), which sets the
run length needed for a given relative half-width (:func:`planned_run_length`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

import numpy as np
import pandas as pd
import simpy
from scipy import stats

from models.kit.arrivals import arrivals, stationary_arrival_times
from models.kit.distributions import Exponential, Lognormal
from models.kit.output_analysis import confidence_interval, proportion_interval
from models.kit.queueing import erlang_b, machine_repair, mg_infinity, mmc
from models.kit.roster import Roster, RosteredResource
from models.kit.statistics import TimeWeighted
from models.kit.streams import Streams

__all__ = [
    "REPLICATIONS",
    "TARGET_HALF_WIDTH",
    "TOLERANCE",
    "InfiniteServerCase",
    "LossCase",
    "MMcCase",
    "MachineRepairCase",
    "QueueCase",
    "Verdict",
    "birth_death_variance",
    "compare",
    "coverage",
    "planned_half_width",
    "planned_run_length",
    "simulate_case",
    "standard_cases",
    "verdict",
]

TOLERANCE = 0.03
"""The error the kit is held to (relative to the exact value), as in the automated tests."""
TARGET_HALF_WIDTH = 0.025
"""Planned relative 95 % half-width of each case's noisiest figure in the full report: below the
tolerance, with a margin for the sampling error of the estimated standard deviation."""
REPLICATIONS = 50
"""Replications of the full report, which the run lengths of :func:`standard_cases` assume."""
MIN_RUN_HOURS = 1_000.0
"""Shortest run per replication (hours) of the full report, whatever the precision allows."""


class QueueCase(Protocol):
    """A verification case: a simulated queue and its analytic counterpart."""

    name: str
    kind: str
    warmup: float
    horizon: float

    def simulate(self, streams: Streams) -> dict[str, float]: ...

    def analytic(self) -> dict[str, float]: ...

    def describe(self) -> str: ...

    def variance_hours(self) -> float:
        """Relative variance constant of the noisiest figure, in hours.

        ``lim T · Var(figure over a run of T hours) / figure²``: a run of ``T`` hours has a
        relative standard error of about ``√(V / T)``.
        """
        ...


def birth_death_variance(
    births: Sequence[float], deaths: Sequence[float], values: Sequence[float]
) -> tuple[float, float]:
    """Stationary mean and variance constant of the time average of ``values[state]``.

    A birth-death chain on states ``0..N`` moves up from ``n`` at rate ``births[n]``
    (``n < N``) and down at rate ``deaths[n]`` (``n > 0``; ``deaths[0]`` is ignored). Its time
    average over ``T`` hours has variance ``σ² / T`` for large ``T``, where (a reversible
    chain's Poisson equation solved in closed form)
    ``σ² = 2 Σ_{n<N} F_n² / (π_n births[n])`` with ``F_n = Σ_{k≤n} π_k (f_k − mean)``.
    ``F_n`` is summed from whichever end is nearer, so that tail states whose probabilities
    underflow do not swamp the sum with rounding error.
    """
    up = np.asarray(births, dtype=float)
    down = np.asarray(deaths, dtype=float)
    f = np.asarray(values, dtype=float)
    if not (len(up) + 1 == len(down) == len(f)) or np.any(up <= 0) or np.any(down[1:] <= 0):
        raise ValueError("need N positive birth rates and N + 1 death rates and values")
    log_p = np.concatenate([[0.0], np.cumsum(np.log(up) - np.log(down[1:]))])
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    mean = float(p @ f)
    weighted = p * (f - mean)
    head = np.cumsum(weighted)[:-1]
    tail = -np.cumsum(weighted[::-1])[::-1][1:]
    use_tail = np.arange(len(head)) >= int(np.argmax(p))
    partial = np.where(use_tail, tail, head)
    keep = p[:-1] > 0
    variance = 2.0 * float(np.sum(partial[keep] ** 2 / (p[:-1][keep] * up[keep])))
    return mean, variance


def planned_run_length(
    variance_hours: float, target: float, replications: int, level: float = 0.95
) -> float:
    """Hours per replication for a relative half-width of ``target`` over ``replications``.

    ``T = (t · √V / target)² / R``, with ``t`` the Student quantile for ``R − 1`` degrees of
    freedom and ``V`` the relative variance constant (:meth:`QueueCase.variance_hours`).
    """
    if replications < 2 or target <= 0 or variance_hours < 0:
        raise ValueError("need at least 2 replications, a positive target, variance >= 0")
    t = float(stats.t.ppf(0.5 + level / 2, replications - 1))
    return (t / target) ** 2 * variance_hours / replications


def planned_half_width(case: QueueCase, replications: int, level: float = 0.95) -> float:
    """Relative 95 % half-width that ``case``'s noisiest figure should reach (NaN below 2)."""
    if replications < 2 or case.horizon <= 0:
        return math.nan
    t = float(stats.t.ppf(0.5 + level / 2, replications - 1))
    return t * math.sqrt(case.variance_hours() / (case.horizon * replications))


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


def _served(
    env: simpy.Environment, servers: RosteredResource, service: Any
) -> Generator[simpy.Event, Any, None]:
    """A customer: waits for a server, then holds it for one service time."""
    with servers.request() as req:
        yield req
        yield env.timeout(service.sample())


def _run_arrivals(
    env: simpy.Environment,
    rate: float,
    streams: Streams,
    arrive: Callable[[float], Any],
    end: float,
) -> None:
    """Poisson arrivals at ``rate`` (stream ``arrivals``) handed to ``arrive``, run to ``end``."""
    times = stationary_arrival_times(rate, streams["arrivals"])
    env.process(arrivals(env, times, arrive, until=end))
    env.run(until=end)


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

    @property
    def relaxation_time(self) -> float:
        """Hours for the queue to settle: 1 / (c μ (1 − √ρ)²) (Morse's relaxation time)."""
        return 1.0 / (self.servers * self.service_rate * (1.0 - math.sqrt(self.utilisation)) ** 2)

    def variance_hours(self) -> float:
        """Exact, for the time-average queue (the mean wait's relative noise is about the same)."""
        c, rho = self.servers, self.utilisation
        if rho >= 1:
            return math.inf
        top = c + math.ceil(math.log(1e-15) / math.log(rho)) if rho > 0 else c + 1
        states = np.arange(top + 1)
        _, variance = birth_death_variance(
            np.full(top, self.arrival_rate),
            self.service_rate * np.minimum(states, c),
            np.maximum(states - c, 0),
        )
        return variance / self.analytic()["mean_queue"] ** 2

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

        _run_arrivals(
            env,
            self.arrival_rate,
            streams,
            lambda _t: env.process(_served(env, servers, service)),
            end,
        )
        waits = servers.wait_tally
        return {
            "mean_wait": waits.mean,
            "prob_wait": 1.0 - waits.share_at_most(0.0),
            "mean_queue": servers.mean_queue(end),
            "utilisation": servers.utilisation(end),
        }


@dataclass(frozen=True)
class LossCase(MMcCase):
    """M/M/c/c (Erlang loss): the M/M/c with no room to wait; an arrival that finds every
    server busy is lost."""

    kind: str = "M/M/c/c"

    def describe(self) -> str:
        load = self.arrival_rate / self.service_rate
        return f"M/M/{self.servers}/{self.servers}, offered load {load:.1f}"

    def analytic(self) -> dict[str, float]:
        return {"blocking": erlang_b(self.servers, self.arrival_rate / self.service_rate)}

    def variance_hours(self) -> float:
        """Approximate: the time-average share of time full (exact, from the chain) plus the
        Poisson noise of counting arrivals, ``B / λ``; pilot runs measured about 3.4 h."""
        c = self.servers
        states = np.arange(c + 1)
        blocking, variance = birth_death_variance(
            np.full(c, self.arrival_rate), self.service_rate * states, states == c
        )
        return (variance + blocking / self.arrival_rate) / blocking**2

    def simulate(self, streams: Streams) -> dict[str, float]:
        env = simpy.Environment()
        servers = RosteredResource(env, Roster.constant(self.servers), "servers", self.warmup)
        service = Exponential(mean=1.0 / self.service_rate).build(streams["service"])
        end = self.warmup + self.horizon
        counts = {"offered": 0, "lost": 0}

        def arrive(now: float) -> None:
            if now >= self.warmup:
                counts["offered"] += 1
            if servers.count >= servers.capacity:
                if now >= self.warmup:
                    counts["lost"] += 1
                return
            env.process(_served(env, servers, service))

        _run_arrivals(env, self.arrival_rate, streams, arrive, end)
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

    def variance_hours(self) -> float:
        """Exact: the occupancy's variance constant is λ E[S²], so relative (1 + cv²) / λ."""
        return (1.0 + (self.sd_stay / self.mean_stay) ** 2) / self.arrival_rate

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

        _run_arrivals(env, self.arrival_rate, streams, lambda _t: env.process(visit()), end)
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

    def variance_hours(self) -> float:
        """Exact, for the time-average number down (noisier, relatively, than availability)."""
        states = np.arange(self.machines + 1)
        mean, variance = birth_death_variance(
            self.failure_rate * (self.machines - states[:-1]),
            self.repair_rate * np.minimum(states, self.repairers),
            states,
        )
        return variance / mean**2

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


def _round_up(hours: float, step: float) -> float:
    return step * math.ceil(hours / step - 1e-9)


def _planned(case: QueueCase) -> float:
    """Run length (hours, a multiple of 500) that buys the target precision, at least the floor."""
    needed = planned_run_length(case.variance_hours(), TARGET_HALF_WIDTH, REPLICATIONS)
    return max(MIN_RUN_HOURS, _round_up(needed, 500.0))


def standard_cases(scale: float = 1.0) -> list[QueueCase]:
    """The cases of the verification report; ``scale`` multiplies every run length and warm-up.

    Times are in hours. The M/M/c cases keep three servers with a one-hour mean service and
    raise the arrival rate from ρ = 0.3 to 0.9. At ``scale=1`` each case's run per replication
    is the length that, over :data:`REPLICATIONS` replications, brings the 95 % half-width of
    its noisiest figure to :data:`TARGET_HALF_WIDTH` of the exact value
    (:func:`planned_run_length`, from the case's variance constant), rounded up to 500 hours
    and at least :data:`MIN_RUN_HOURS`. Each warm-up is ten relaxation times, rounded up to 50
    hours: 1 / (c μ (1 − √ρ)²) for M/M/c, the mean service time for the loss system, the mean
    stay for M/G/∞ and the mean failure-and-repair cycle for machine repair.

    Utilisation 0.95 is left out: its variance constant is about three times that of 0.9, so
    resolving a 3 % error there would cost more than the whole of the rest of the report.
    """
    cases: list[QueueCase] = []
    for rho in (0.3, 0.5, 0.7, 0.8, 0.9):
        probe = MMcCase("probe", 3 * rho, 1.0, 3, horizon=1.0, warmup=0.0)
        warmup = _round_up(10 * probe.relaxation_time, 50.0)
        cases.append(
            MMcCase(
                name=f"mmc_{round(rho * 100)}",
                arrival_rate=3 * rho,
                service_rate=1.0,
                servers=3,
                horizon=_planned(probe) * scale,
                warmup=warmup * scale,
            )
        )
    others: list[tuple[QueueCase, float]] = [
        (LossCase("loss", 8.0, 1.0, 10, 1.0, 0.0), 10 * 1.0),
        (InfiniteServerCase("pound", 4.0, 72.0, 60.0, 1.0, 0.0), 10 * 72.0),
        (MachineRepairCase("repair", 40, 0.02, 0.25, 3, 1.0, 0.0), 10 * (1 / 0.02 + 1 / 0.25)),
    ]
    for probe, settle in others:
        warmup = _round_up(settle, 50.0)
        cases.append(replace(probe, horizon=_planned(probe) * scale, warmup=warmup * scale))
    return cases


def compare(results: pd.DataFrame, cases: Sequence[QueueCase], level: float = 0.95) -> pd.DataFrame:
    """Simulated mean and interval beside the analytic value, per case and metric.

    ``results`` is :func:`~models.kit.replications.run_replications` output with one option per
    case (option = case name). ``relative_half_width`` is the interval's half-width as a share of
    the exact value (NaN, like the bounds, from a single replication).
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
                    "relative_half_width": (ci.high - ci.low) / 2 / abs(exact) if exact else np.nan,
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


@dataclass(frozen=True)
class Verdict:
    """What a comparison table can and cannot show against a tolerance (see :func:`verdict`)."""

    outcome: str
    """``"reproduces"``, ``"unresolved"`` (no departure shown, too wide) or ``"departs"``."""
    sentence: str
    """The conclusion's opening sentence, written from the figures."""
    figures: int
    covered: int
    largest_error: float
    largest_error_figure: str
    largest_half_width: float
    largest_half_width_figure: str
    departing: tuple[str, ...]
    """Figures whose exact value lies outside the interval and whose error exceeds the tolerance."""
    unresolved: tuple[str, ...]
    """Figures whose interval is too wide (or undefined) to show an error of the tolerance."""
    missed: tuple[str, ...]
    """Figures whose interval misses the exact value, with an error within the tolerance."""


def _figure(row: pd.Series) -> str:
    return f"{row['model']}, {str(row['metric']).replace('_', ' ')}"


def _largest(table: pd.DataFrame, column: str) -> tuple[float, str]:
    values = table[column].abs()
    if values.notna().any():
        where = values.idxmax()
        return float(values[where]), _figure(table.loc[where])
    return math.nan, _figure(table.iloc[0])


def _listing(names: Sequence[str], limit: int = 3) -> str:
    shown = "; ".join(names[:limit])
    return shown + (f"; and {len(names) - limit} more" if len(names) > limit else "")


def verdict(table: pd.DataFrame, tolerance: float = TOLERANCE) -> Verdict:
    """Say what :func:`compare` output shows about the kit, held to ``tolerance``.

    Each figure is one of:

    - *departs*: the exact value lies outside its 95 % interval and the error exceeds the
      tolerance (a significant error larger than the kit is held to);
    - *unresolved*: the interval's half-width exceeds the tolerance (or is undefined, from a
      single replication), so the run cannot show whether the error is within it (every
      figure whose error exceeds the tolerance while its interval covers the exact value is
      one of these);
    - *resolved*: otherwise; its error is within the tolerance and its interval narrow enough
      to show an error of the tolerance. It may still miss the exact value by less than the
      tolerance (*missed*), as about one 95 % interval in twenty does by chance; more misses
      than a binomial count of one in twenty explains are said to be small errors.

    The kit *reproduces queueing theory within the tolerance* only when every figure is
    resolved; any departing figure makes it *depart*; otherwise the runs are *unresolved*, and
    the sentence says so rather than claim a departure.
    """
    if table.empty:
        raise ValueError("no figures to judge")
    error = table["relative_error"].abs()
    half = table["relative_half_width"]
    covered = table["covered"].astype(bool)
    departing = ~covered & (error > tolerance)
    unresolved = ~departing & ~(half <= tolerance)  # NaN half-widths are unresolved
    missed = ~covered & ~departing & ~unresolved
    names = [_figure(row) for _, row in table.iterrows()]

    def pick(mask: pd.Series) -> tuple[str, ...]:
        return tuple(name for name, chosen in zip(names, mask, strict=True) if chosen)

    worst_error, worst_error_figure = _largest(table, "relative_error")
    widest, widest_figure = _largest(table, "relative_half_width")
    n, tol = len(table), f"{tolerance:.0%}"

    if departing.any():
        listed = [
            f"{_figure(row)} ({row['relative_error']:+.1%})"
            for _, row in table[departing].iterrows()
        ]
        outcome = "departs"
        sentence = (
            f"The simulation kit departs from queueing theory in {int(departing.sum())} of {n} "
            f"figures, whose exact values lie outside the 95 % intervals with errors above {tol}: "
            f"{_listing(listed)}. These should be examined before the kit's results are used."
        )
    elif unresolved.any():
        outcome = "unresolved"
        k = int(unresolved.sum())
        width = f"as wide as ±{widest:.1%}" if not math.isnan(widest) else "undefined"
        sentence = (
            f"These runs cannot resolve a {tol} error in {k} of {n} figures: their 95 % intervals "
            f"({width}; widest: {widest_figure}) are too wide to tell an error of {tol} from "
            f"noise. They show no departure from queueing theory (no figure is significantly "
            f"more than {tol} from its exact value), but longer runs are needed to verify the "
            f"kit to {tol}."
        )
    else:
        outcome = "reproduces"
        sentence = (
            f"The simulation kit reproduces queueing theory within {tol}: every simulated figure "
            f"lies within {worst_error:.1%} of its exact value, and every 95 % interval is narrow "
            f"enough (at most ±{widest:.1%}) to show an error of {tol}."
        )
    if missed.any():
        k = int(missed.sum())
        chance = k <= stats.binom.ppf(0.95, n, 0.05)
        sentence += (
            f" {k} of the {n} intervals {'misses' if k == 1 else 'miss'} the exact value, each "
            f"by an error under {tol}"
            + (
                ", as about one 95 % interval in twenty does by chance."
                if chance
                else (
                    ": more than the one in twenty that chance alone would explain, so "
                    f"{'that figure' if k == 1 else 'those figures'} may carry small errors, "
                    f"within the {tol} tolerance."
                )
            )
        )
    return Verdict(
        outcome=outcome,
        sentence=sentence,
        figures=n,
        covered=int(covered.sum()),
        largest_error=worst_error,
        largest_error_figure=worst_error_figure,
        largest_half_width=widest,
        largest_half_width_figure=widest_figure,
        departing=pick(departing),
        unresolved=pick(unresolved),
        missed=pick(missed),
    )
