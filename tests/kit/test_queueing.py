"""Analytic queueing results against hand-checked textbook values and each other."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from models.kit.queueing import (
    birth_death_distribution,
    erlang_b,
    erlang_c,
    machine_repair,
    mg_infinity,
    mmc,
    mmck,
)

# --------------------------------------------------------------------------- Erlang B / C


def test_erlang_b_textbook_values() -> None:
    assert erlang_b(5, 3.0) == pytest.approx(0.1101, abs=5e-5)
    assert erlang_b(1, 1.0) == pytest.approx(0.5)  # A / (1 + A)
    assert erlang_b(2, 1.0) == pytest.approx(0.2)  # (A^2/2) / (1 + A + A^2/2)
    assert erlang_b(3, 0.0) == 0.0


@pytest.mark.parametrize(("servers", "load"), [(10, 7.5), (150, 140.0), (2000, 1900.0)])
def test_erlang_b_is_stable_for_many_servers(servers: int, load: float) -> None:
    """Same as the truncated-Poisson form P(N = c) / P(N <= c), computed independently."""
    truncated_poisson = stats.poisson.pmf(servers, load) / stats.poisson.cdf(servers, load)
    assert erlang_b(servers, load) == pytest.approx(truncated_poisson, rel=1e-9)


def test_erlang_c_textbook_values() -> None:
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(1, 0.6) == pytest.approx(0.6)  # M/M/1: P(wait) = rho


# --------------------------------------------------------------------------- M/M/c


def test_mmc_two_servers() -> None:
    q = mmc(arrival_rate=1.0, service_rate=1.0, servers=2)
    assert q.prob_wait == pytest.approx(1 / 3)
    assert q.mean_wait == pytest.approx(1 / 3)
    assert q.utilisation == pytest.approx(0.5)


@pytest.mark.parametrize(("lam", "mu"), [(0.5, 1.0), (3.0, 4.0), (0.9, 1.0)])
def test_mm1_formulas(lam: float, mu: float) -> None:
    q = mmc(lam, mu, 1)
    rho = lam / mu
    assert q.mean_wait == pytest.approx(rho / (mu - lam))
    assert q.mean_time_in_system == pytest.approx(1 / (mu - lam))
    assert q.mean_in_system == pytest.approx(rho / (1 - rho))
    assert q.prob_wait_longer_than(2.0) == pytest.approx(rho * math.exp(-(mu - lam) * 2.0))


def test_mmc_satisfies_littles_law() -> None:
    q = mmc(arrival_rate=7.0, service_rate=0.8, servers=10)
    assert q.mean_queue == pytest.approx(q.arrival_rate * q.mean_wait)
    assert q.mean_in_system == pytest.approx(q.arrival_rate * q.mean_time_in_system)
    assert q.mean_in_system == pytest.approx(q.mean_queue + q.offered_load)


@pytest.mark.parametrize(("lam", "mu", "c"), [(2.0, 1.0, 2), (3.0, 1.0, 2), (1.0, 1.0, 1)])
def test_unstable_mmc_is_refused(lam: float, mu: float, c: int) -> None:
    with pytest.raises(ValueError, match="unstable"):
        mmc(lam, mu, c)
    with pytest.raises(ValueError, match="unstable"):
        erlang_c(c, lam / mu)


# --------------------------------------------------------------------------- M/M/c/K


@pytest.mark.parametrize(("lam", "mu", "c"), [(1.0, 1.0, 2), (3.0, 1.0, 5), (12.0, 0.5, 20)])
def test_mmck_with_no_waiting_room_is_erlang_b(lam: float, mu: float, c: int) -> None:
    q = mmck(lam, mu, servers=c, capacity=c)
    assert q.blocking_probability == pytest.approx(erlang_b(c, lam / mu))
    assert q.mean_queue == 0.0
    assert q.mean_wait == 0.0


@pytest.mark.parametrize("capacity", [1, 4, 10])
def test_mm1k_matches_the_closed_form(capacity: int) -> None:
    lam, mu = 0.8, 1.0
    rho = lam / mu
    q = mmck(lam, mu, servers=1, capacity=capacity)
    closed = [(1 - rho) * rho**n / (1 - rho ** (capacity + 1)) for n in range(capacity + 1)]
    assert q.distribution == pytest.approx(closed)


def test_mmck_with_a_large_capacity_approaches_mmc() -> None:
    limit = mmc(9.0, 1.0, 10)
    q = mmck(9.0, 1.0, servers=10, capacity=3000)
    assert q.blocking_probability < 1e-12
    assert q.mean_wait == pytest.approx(limit.mean_wait, rel=1e-9)
    assert q.mean_queue == pytest.approx(limit.mean_queue, rel=1e-9)


def test_mmck_overloaded_is_fine_and_satisfies_littles_law() -> None:
    q = mmck(arrival_rate=5.0, service_rate=1.0, servers=3, capacity=8)
    assert sum(q.distribution) == pytest.approx(1.0)
    assert q.throughput < q.servers * q.service_rate
    assert q.mean_in_system == pytest.approx(q.throughput * q.mean_time_in_system)
    assert q.mean_queue == pytest.approx(q.throughput * q.mean_wait)
    assert q.mean_busy == pytest.approx(q.throughput / q.service_rate)


def test_mmck_capacity_below_servers_is_refused() -> None:
    with pytest.raises(ValueError, match="capacity"):
        mmck(1.0, 1.0, servers=3, capacity=2)


# --------------------------------------------------------------------------- M/G/infinity


def test_mg_infinity_is_poisson_with_mean_lambda_es() -> None:
    q = mg_infinity(arrival_rate=3.0, mean_service=2.0)
    assert q.mean == q.variance == pytest.approx(6.0)
    assert q.pmf(0) == pytest.approx(math.exp(-6.0))
    assert q.pmf(2) == pytest.approx(math.exp(-6.0) * 36 / 2)
    assert q.cdf(2) == pytest.approx(math.exp(-6.0) * (1 + 6 + 18))
    k = q.quantile(0.95)
    assert q.cdf(k) >= 0.95 > q.cdf(k - 1)


# --------------------------------------------------------------------------- machine repair


def test_machine_repair_hand_checked_example() -> None:
    # N = 2, one repairer, lambda = 1, mu = 2: p1/p0 = 2*1/2, p2/p1 = 1/2 -> (0.4, 0.4, 0.2)
    m = machine_repair(machines=2, failure_rate=1.0, repair_rate=2.0, repairers=1)
    assert m.distribution == pytest.approx((0.4, 0.4, 0.2))
    assert m.mean_down == pytest.approx(0.8)
    assert m.availability == pytest.approx(0.6)
    assert m.mean_waiting_for_repair == pytest.approx(0.2)
    assert m.mean_repairers_busy == pytest.approx(0.6)


@pytest.mark.parametrize(("n", "r"), [(1, 1), (5, 5), (12, 20)])
def test_enough_repairers_make_units_independent(n: int, r: int) -> None:
    lam, mu = 0.05, 0.4
    m = machine_repair(n, lam, mu, r)
    assert m.availability == pytest.approx(mu / (lam + mu))
    assert m.mean_waiting_for_repair == pytest.approx(0.0, abs=1e-15)
    binomial = stats.binom.pmf(np.arange(n + 1), n, lam / (lam + mu))
    assert m.distribution == pytest.approx(binomial.tolist())


def test_machine_repair_littles_law_and_more_repairers_help() -> None:
    m = machine_repair(machines=40, failure_rate=0.02, repair_rate=0.1, repairers=3)
    assert m.mean_down == pytest.approx(m.failure_throughput * m.mean_downtime)
    assert m.mean_waiting_for_repair == pytest.approx(m.failure_throughput * m.mean_wait_for_repair)
    assert m.mean_repairers_busy == pytest.approx(m.failure_throughput / m.repair_rate)
    more = machine_repair(machines=40, failure_rate=0.02, repair_rate=0.1, repairers=6)
    assert more.availability > m.availability


def test_machine_repair_is_stable_for_a_large_fleet() -> None:
    m = machine_repair(machines=3000, failure_rate=0.01, repair_rate=0.05, repairers=400)
    assert np.all(np.isfinite(m.distribution))
    assert sum(m.distribution) == pytest.approx(1.0)
    assert 0 < m.availability < 1


# --------------------------------------------------------------------------- input validation


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_b(0, 1.0), "servers"),
        (lambda: erlang_b(2.5, 1.0), "servers"),  # type: ignore[arg-type]
        (lambda: erlang_b(True, 1.0), "servers"),
        (lambda: erlang_b(3, -0.1), "offered_load"),
        (lambda: erlang_b(3, math.nan), "offered_load"),
        (lambda: erlang_c(3, math.inf), "offered_load"),
        (lambda: mmc(-1.0, 1.0, 1), "arrival_rate"),
        (lambda: mmc(1.0, 0.0, 2), "service_rate"),
        (lambda: mmc(1.0, 1.0, 0), "servers"),
        (lambda: mmck(1.0, 1.0, 1, 0), "capacity"),
        (lambda: mg_infinity(-1.0, 1.0), "arrival_rate"),
        (lambda: machine_repair(0, 1.0, 1.0, 1), "machines"),
        (lambda: machine_repair(3, 1.0, 0.0, 1), "repair_rate"),
        (lambda: machine_repair(3, 1.0, 1.0, 0), "repairers"),
        (lambda: mmc(0.5, 1.0, 1).prob_wait_longer_than(-1), "t must"),
        (lambda: mg_infinity(1.0, 1.0).quantile(1.0), "q must"),
    ],
)
def test_invalid_inputs_raise_value_error(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def test_numpy_integers_are_accepted_as_counts() -> None:
    assert erlang_b(np.int64(5), np.float64(3.0)) == pytest.approx(erlang_b(5, 3.0))


def test_birth_death_handles_zero_births() -> None:
    p = birth_death_distribution([1.0, 0.0, 2.0], [1.0, 1.0, 1.0])
    assert p.tolist() == pytest.approx([0.5, 0.5, 0.0, 0.0])
