"""Analytic queueing results, used to verify the simulation models and for quick sizing.

Rates are per unit time and all results are in the same unit (hours in this project). Each
function checks its inputs and raises ``ValueError`` with a plain message: servers and machines
are whole numbers >= 1, rates are finite and >= 0 (service and repair rates > 0), and an M/M/c
queue must be stable (utilisation < 1).

Stationary distributions of birth-death chains (M/M/c/K, machine repair) are computed from
log products of the birth/death ratios and normalised after subtracting the largest log, so
they do not overflow or underflow for thousands of states.

Reference: Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory* (Markovian
queues, finite-source model, M/G/infinity). Erlang B uses the standard recursion in the offered
load (no factorials).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models.kit.numbers import whole_number

__all__ = [
    "MGInfinity",
    "MMc",
    "MMcK",
    "MachineRepair",
    "birth_death_distribution",
    "erlang_b",
    "erlang_c",
    "machine_repair",
    "mg_infinity",
    "mmc",
    "mmck",
]


# --------------------------------------------------------------------------- input checks


def _poisson() -> Any:
    """``scipy.stats.poisson``, imported when first needed (scipy.stats is slow to import)."""
    from scipy.stats import poisson

    return poisson


def _count(label: str, value: int) -> int:
    """``value`` as an int if it is a whole number >= 1, else ValueError."""
    return whole_number(label, value, minimum=1)


def _rate(label: str, value: float, *, positive: bool = False) -> float:
    """``value`` as a float if finite and >= 0 (> 0 when ``positive``), else ValueError."""
    if isinstance(value, bool):
        raise ValueError(f"{label} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        bound = "> 0" if positive else ">= 0"
        raise ValueError(f"{label} must be finite and {bound}, got {value!r}")
    return number


# --------------------------------------------------------------------------- Erlang formulas


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of an M/M/c/c (Erlang loss) system.

    Uses the recursion ``B(k) = A B(k-1) / (k + A B(k-1))``, ``B(0) = 1``, which is stable for
    any number of servers (no factorials or powers).

    Parameters
    ----------
    servers
        Number of servers c >= 1.
    offered_load
        Offered load A = arrival rate / service rate (Erlangs), >= 0.
    """
    c = _count("servers", servers)
    a = _rate("offered_load", offered_load)
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang C).

    ``C = c B / (c - A (1 - B))`` with ``B = erlang_b(c, A)``. Requires ``A < c`` (stability).
    """
    c = _count("servers", servers)
    a = _rate("offered_load", offered_load)
    if a >= c:
        raise ValueError(
            f"M/M/c is unstable: offered load {a:g} must be less than the {c} servers "
            f"(utilisation {a / c:.3g} >= 1)"
        )
    b = erlang_b(c, a)
    return c * b / (c - a * (1.0 - b))


# --------------------------------------------------------------------------- M/M/c


@dataclass(frozen=True)
class MMc:
    """Steady state of an M/M/c queue (Poisson arrivals, exponential service, c servers).

    Raises ``ValueError`` unless utilisation < 1.
    """

    arrival_rate: float
    service_rate: float
    servers: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "arrival_rate", _rate("arrival_rate", self.arrival_rate))
        object.__setattr__(
            self, "service_rate", _rate("service_rate", self.service_rate, positive=True)
        )
        object.__setattr__(self, "servers", _count("servers", self.servers))
        if self.utilisation >= 1:
            raise ValueError(
                f"M/M/c is unstable: utilisation {self.utilisation:.3g} >= 1 "
                f"(arrival rate {self.arrival_rate:g}, service rate {self.service_rate:g}, "
                f"{self.servers} servers)"
            )

    @property
    def offered_load(self) -> float:
        """A = lambda / mu (Erlangs): mean number of busy servers."""
        return self.arrival_rate / self.service_rate

    @property
    def utilisation(self) -> float:
        """rho = lambda / (c mu)."""
        return self.offered_load / self.servers

    @property
    def prob_wait(self) -> float:
        """Probability an arrival has to wait (Erlang C)."""
        return erlang_c(self.servers, self.offered_load)

    @property
    def mean_wait(self) -> float:
        """Wq: mean time in queue = C / (c mu - lambda)."""
        return self.prob_wait / (self.servers * self.service_rate - self.arrival_rate)

    @property
    def mean_queue(self) -> float:
        """Lq: mean number waiting = lambda Wq."""
        return self.arrival_rate * self.mean_wait

    @property
    def mean_time_in_system(self) -> float:
        """W = Wq + 1 / mu."""
        return self.mean_wait + 1.0 / self.service_rate

    @property
    def mean_in_system(self) -> float:
        """L = lambda W = Lq + A."""
        return self.arrival_rate * self.mean_time_in_system

    def prob_wait_longer_than(self, t: float) -> float:
        """P(Wq > t) = C exp(-(c mu - lambda) t), for t >= 0 (service-level targets)."""
        t = _rate("t", t)
        return self.prob_wait * math.exp(
            -(self.servers * self.service_rate - self.arrival_rate) * t
        )


def mmc(arrival_rate: float, service_rate: float, servers: int) -> MMc:
    """Steady state of an M/M/c queue; see :class:`MMc`."""
    return MMc(arrival_rate, service_rate, servers)


# --------------------------------------------------------------------------- birth-death


def birth_death_distribution(births: Sequence[float], deaths: Sequence[float]) -> np.ndarray:
    """Stationary distribution of a finite birth-death chain on states 0..n.

    ``births[k]`` is the rate from state k to k+1 and ``deaths[k]`` the rate from k+1 to k
    (both of length n; deaths > 0). ``p[k] / p[k-1] = births[k-1] / deaths[k-1]``; the products
    are taken in logs and normalised after subtracting the largest, so no overflow. A zero
    birth rate makes every later state impossible (probability 0).
    """
    up = np.asarray(births, dtype=float)
    down = np.asarray(deaths, dtype=float)
    if up.shape != down.shape or up.ndim != 1:
        raise ValueError("births and deaths must be sequences of the same length")
    if np.any(down <= 0) or np.any(up < 0) or not np.all(np.isfinite(up) & np.isfinite(down)):
        raise ValueError("birth rates must be finite >= 0 and death rates finite > 0")
    with np.errstate(divide="ignore"):
        log_ratio = np.log(up) - np.log(down)
    log_p = np.concatenate(([0.0], np.cumsum(log_ratio)))
    p = np.exp(log_p - log_p.max())
    return p / p.sum()


@dataclass(frozen=True)
class MMcK:
    """Steady state of an M/M/c/K queue: c servers, at most K in the system (arrivals lost).

    ``distribution[n]`` is P(n in system), n = 0..K. Any arrival rate is allowed (no
    stability condition). With K = c this is the Erlang loss system.
    """

    arrival_rate: float
    service_rate: float
    servers: int
    capacity: int
    distribution: tuple[float, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lam = _rate("arrival_rate", self.arrival_rate)
        mu = _rate("service_rate", self.service_rate, positive=True)
        c = _count("servers", self.servers)
        k = _count("capacity", self.capacity)
        if k < c:
            raise ValueError(f"capacity ({k}) must be at least the number of servers ({c})")
        for name, value in (("arrival_rate", lam), ("service_rate", mu)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "servers", c)
        object.__setattr__(self, "capacity", k)
        deaths = [min(n, c) * mu for n in range(1, k + 1)]
        p = birth_death_distribution([lam] * k, deaths)
        object.__setattr__(self, "distribution", tuple(p.tolist()))

    @property
    def blocking_probability(self) -> float:
        """P(system full): share of arrivals turned away."""
        return self.distribution[-1]

    @property
    def throughput(self) -> float:
        """Rate of admitted arrivals, lambda (1 - P_K)."""
        return self.arrival_rate * (1.0 - self.blocking_probability)

    @property
    def mean_in_system(self) -> float:
        """L = sum n p_n."""
        return math.fsum(n * p for n, p in enumerate(self.distribution))

    @property
    def mean_queue(self) -> float:
        """Lq = sum (n - c)+ p_n."""
        c = self.servers
        return math.fsum((n - c) * p for n, p in enumerate(self.distribution) if n > c)

    @property
    def mean_busy(self) -> float:
        """Mean number of busy servers, L - Lq (= throughput / mu)."""
        c = self.servers
        return math.fsum(min(n, c) * p for n, p in enumerate(self.distribution))

    @property
    def utilisation(self) -> float:
        """Mean share of servers busy."""
        return self.mean_busy / self.servers

    @property
    def mean_wait(self) -> float:
        """Wq of admitted arrivals = Lq / throughput (0 when nothing arrives)."""
        return self.mean_queue / self.throughput if self.throughput > 0 else 0.0

    @property
    def mean_time_in_system(self) -> float:
        """W of admitted arrivals = L / throughput (1 / mu when nothing arrives)."""
        if self.throughput > 0:
            return self.mean_in_system / self.throughput
        return 1.0 / self.service_rate


def mmck(arrival_rate: float, service_rate: float, servers: int, capacity: int) -> MMcK:
    """Steady state of an M/M/c/K queue; see :class:`MMcK`."""
    return MMcK(arrival_rate, service_rate, servers, capacity)


# --------------------------------------------------------------------------- M/G/infinity


@dataclass(frozen=True)
class MGInfinity:
    """Number busy in an M/G/infinity system: Poisson with mean lambda E[S] (any service law).

    E.g. vehicles in a pound, meals in preparation, jobs out with a contractor.
    """

    arrival_rate: float
    mean_service: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "arrival_rate", _rate("arrival_rate", self.arrival_rate))
        object.__setattr__(self, "mean_service", _rate("mean_service", self.mean_service))

    @property
    def mean(self) -> float:
        """Mean number in system, lambda E[S]."""
        return self.arrival_rate * self.mean_service

    @property
    def variance(self) -> float:
        """Variance (equal to the mean)."""
        return self.mean

    def pmf(self, k: int) -> float:
        """P(N = k)."""
        return float(_poisson().pmf(k, self.mean))

    def cdf(self, k: int) -> float:
        """P(N <= k)."""
        return float(_poisson().cdf(k, self.mean))

    def quantile(self, q: float) -> int:
        """Smallest k with P(N <= k) >= q (e.g. spaces needed 95 % of the time)."""
        if not 0 <= q < 1:
            raise ValueError(f"q must be in [0, 1), got {q!r}")
        return int(_poisson().ppf(q, self.mean))


def mg_infinity(arrival_rate: float, mean_service: float) -> MGInfinity:
    """Number in an M/G/infinity system; see :class:`MGInfinity`."""
    return MGInfinity(arrival_rate, mean_service)


# --------------------------------------------------------------------------- machine repair


@dataclass(frozen=True)
class MachineRepair:
    """Finite-source (machine-repair) model: N units, each failing at rate lambda while up,
    repaired by R repairers at rate mu each (M/M/R//N).

    E.g. a vehicle fleet and its workshop bays. ``distribution[n]`` is P(n units down).
    """

    machines: int
    failure_rate: float
    repair_rate: float
    repairers: int
    distribution: tuple[float, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n_units = _count("machines", self.machines)
        lam = _rate("failure_rate", self.failure_rate)
        mu = _rate("repair_rate", self.repair_rate, positive=True)
        r = _count("repairers", self.repairers)
        object.__setattr__(self, "machines", n_units)
        object.__setattr__(self, "failure_rate", lam)
        object.__setattr__(self, "repair_rate", mu)
        object.__setattr__(self, "repairers", r)
        births = [(n_units - n) * lam for n in range(n_units)]
        deaths = [min(n, r) * mu for n in range(1, n_units + 1)]
        p = birth_death_distribution(births, deaths)
        object.__setattr__(self, "distribution", tuple(p.tolist()))

    @property
    def mean_down(self) -> float:
        """Mean number of units down (waiting for or in repair)."""
        return math.fsum(n * p for n, p in enumerate(self.distribution))

    @property
    def mean_up(self) -> float:
        """Mean number of units working."""
        return self.machines - self.mean_down

    @property
    def availability(self) -> float:
        """Mean share of units up, mean_up / N."""
        return self.mean_up / self.machines

    @property
    def mean_waiting_for_repair(self) -> float:
        """Mean number of failed units waiting for a repairer."""
        r = self.repairers
        return math.fsum((n - r) * p for n, p in enumerate(self.distribution) if n > r)

    @property
    def mean_repairers_busy(self) -> float:
        """Mean number of repairers at work."""
        r = self.repairers
        return math.fsum(min(n, r) * p for n, p in enumerate(self.distribution))

    @property
    def failure_throughput(self) -> float:
        """Failures (= repairs) per unit time, lambda x mean_up."""
        return self.failure_rate * self.mean_up

    @property
    def mean_wait_for_repair(self) -> float:
        """Mean time a failed unit waits for a repairer (Little's law; 0 if nothing fails)."""
        rate = self.failure_throughput
        return self.mean_waiting_for_repair / rate if rate > 0 else 0.0

    @property
    def mean_downtime(self) -> float:
        """Mean time from failure to return to service (Little's law)."""
        rate = self.failure_throughput
        return self.mean_down / rate if rate > 0 else 1.0 / self.repair_rate


def machine_repair(
    machines: int, failure_rate: float, repair_rate: float, repairers: int
) -> MachineRepair:
    """Finite-source repair model; see :class:`MachineRepair`."""
    return MachineRepair(machines, failure_rate, repair_rate, repairers)
