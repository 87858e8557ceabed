"""A contractor's work for its other customers, on a resource the force's jobs also use (its
technicians, its trucks): the jobs arrive at random, queue at their own priority and each
holds one unit for its duration, so the force's jobs wait behind them. Written once for every
service whose contractor has other customers (fleet workshops, vehicle recovery).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import partial
from typing import Any, Protocol

import simpy

from models.kit.arrivals import start_background_jobs
from models.kit.distributions import DistributionSpec
from models.kit.roster import RosteredResource
from models.kit.streams import Streams

__all__ = ["OtherWork", "OtherWorkSpec"]


class OtherWorkSpec(Protocol):
    """What a scenario says of the other customers' work (e.g. the fleet's
    ``OtherCustomersSpec``, the recovery contractor's ``OtherClientsSpec``)."""

    @property
    def busy_share(self) -> float:
        """Share of the resource's mean on-duty units the work keeps busy."""
        ...

    @property
    def job_time(self) -> DistributionSpec:
        """Duration of one job (hours)."""
        ...


class OtherWork:
    """Every other-customer job of one replication, on one or more resources.

    ``jobs`` counts the jobs that arrive from ``warmup`` on (the observed window); jobs start
    arriving at t = 0 and stop at ``until``.
    """

    def __init__(self, env: simpy.Environment, *, warmup: float, until: float) -> None:
        self.env = env
        self.warmup = warmup
        self.until = until
        self.jobs = 0

    def start(
        self,
        resource: RosteredResource,
        rank: float,
        spec: OtherWorkSpec,
        streams: Streams,
        *,
        time_stream: str,
        arrival_stream: str,
    ) -> None:
        """Start the work on ``resource``, queueing at priority ``rank`` (lower is more urgent):
        Poisson arrivals at the rate that keeps ``spec.busy_share`` of the resource's mean
        capacity busy (:func:`~models.kit.arrivals.start_background_jobs`; job times from
        ``streams[time_stream]``, drawn as each job arrives, arrival times from
        ``streams[arrival_stream]``)."""
        start_background_jobs(
            self.env,
            busy_share=spec.busy_share,
            capacity=resource.roster.mean_capacity,
            job_time=spec.job_time,
            streams=streams,
            time_stream=time_stream,
            arrival_stream=arrival_stream,
            starter=partial(self._starter, resource, rank),
            until=self.until,
        )

    def _starter(
        self, resource: RosteredResource, rank: float, duration: Callable[[], float]
    ) -> Callable[[float], None]:
        def start(now: float) -> None:
            if now >= self.warmup:
                self.jobs += 1
            self.env.process(self._job(resource, rank, duration()))

        return start

    def _job(
        self, resource: RosteredResource, rank: float, hours: float
    ) -> Generator[simpy.Event, Any, None]:
        with resource.request(rank) as req:
            yield req
            yield self.env.timeout(hours)
