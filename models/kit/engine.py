"""Where replications run: this machine's process pool, or a Dask cluster.

:func:`models.kit.replications.run_replications` sends its chunks of replications to any
``concurrent.futures.Executor``; an :class:`Engine` is that executor with the number of workers
(which sets the chunking) and a label for reports. Three kinds, chosen by one spec
(:func:`parse_dask`, shared with the ``workbook run --dask`` option):

- ``None``: ``run_replications``' own process pool of ``jobs`` workers (or this process);
- ``"local:N"``: a ``distributed.LocalCluster`` of N single-threaded worker processes on this
  machine, started here and closed when the engine is;
- anything else: the address of a running Dask scheduler (``tcp://10.0.0.5:8786``), whose
  workers run this project at the same version (checked before any work is sent).

Determinism: every replication draws from ``Streams(seed, replication)`` and the results are
keyed by replication and sorted before they are aggregated, so the numbers are bit-identical on
every engine. Tasks are submitted with ``pure=False``: nothing depends on Dask's caching of
results by function and arguments.

Workers of a LocalCluster die with the process that started it, however it dies: each worker
process watches a pipe from its parent and exits when it closes (``distributed.process``), and
the scheduler and nannies live in the parent itself (``tests/kit/test_engine.py`` kills a
parent with SIGKILL and checks).
"""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from models.kit.replications import Replicator

if TYPE_CHECKING:
    from models.kit.cache import ResultCache

__all__ = [
    "CONNECT_TIMEOUT_S",
    "LOCAL_PREFIX",
    "MAX_LOCAL_WORKERS",
    "DaskTarget",
    "Engine",
    "open_engine",
    "parse_dask",
]

LOCAL_PREFIX = "local:"
MAX_LOCAL_WORKERS = 256
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
"""Dask's network protocols (``distributed.comm``); an address without one is ``tcp``."""
CONNECT_TIMEOUT_S = 30.0
"""How long to wait for a scheduler to answer, and for it to have a worker."""


@dataclass(frozen=True)
class DaskTarget:
    """A validated ``--dask`` spec: a LocalCluster of ``local_workers``, or an ``address``."""

    local_workers: int | None = None
    address: str | None = None

    def __str__(self) -> str:
        return f"{LOCAL_PREFIX}{self.local_workers}" if self.address is None else self.address


def parse_dask(spec: str) -> DaskTarget:
    """``"local:N"`` (1 <= N <= MAX_LOCAL_WORKERS) or a scheduler address ``[scheme://]host:port``;
    anything else raises ValueError with one line saying what is accepted."""
    text = spec.strip() if isinstance(spec, str) else ""
    if text.startswith(LOCAL_PREFIX):
        count = text[len(LOCAL_PREFIX) :]
        if not count.isdigit() or not 1 <= int(count) <= MAX_LOCAL_WORKERS:
            raise ValueError(
                f"{spec!r}: local:N needs a whole number of workers from 1 to "
                f"{MAX_LOCAL_WORKERS}, e.g. local:2"
            )
        return DaskTarget(local_workers=int(count))
    return DaskTarget(address=_address(spec, text))


def _address(spec: object, text: str) -> str:
    """``text`` as a Dask address with scheme, host and port, or ValueError."""
    expected = (
        f"{spec!r}: not a Dask scheduler address; give local:N or [scheme://]host:port "
        f"(scheme {', '.join(SCHEMES)}), e.g. tcp://10.0.0.5:8786"
    )
    with_scheme = text if "://" in text else f"tcp://{text}"
    try:
        parts = urlsplit(with_scheme)
        port = parts.port
    except ValueError:
        raise ValueError(expected) from None
    if (
        not text
        or any(c.isspace() for c in text)
        or parts.scheme not in SCHEMES
        or not parts.hostname
        or port is None
        or port == 0
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ValueError(expected)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Engine:
    """What runs the replications (see the module notes)."""

    executor: Executor | None
    """``None``: run_replications' own process pool (or this process, with one worker)."""
    workers: int
    """What run_replications' ``jobs`` should be, for good chunking."""
    label: str
    """For reports: ``"local process pool of 2"``, ``"Dask LocalCluster of 2 workers"``..."""
    address: str | None = None
    """The Dask scheduler's address (``None``: not a Dask engine), e.g. for other processes
    (notebook kernels) to connect to the same cluster."""
    client: Any = None
    """The ``distributed.Client`` (``None``: not a Dask engine), for diagnostics such as the
    task stream; work goes through :attr:`executor`."""

    @classmethod
    def open_for_kernel(cls, dask: str | None, jobs: int | None) -> Engine:
        """An engine held open for the life of this process (a notebook kernel): what it opened
        is closed when the engine is garbage-collected or, at the latest, when the process
        exits (``weakref.finalize``)."""
        stack = ExitStack()
        try:
            engine = _open(dask, jobs, stack)
        except BaseException:
            stack.close()
            raise
        weakref.finalize(engine, stack.close)
        return engine

    def replicator(self, cache: ResultCache | None = None) -> Replicator:
        """What runs replications here: this engine's workers and executor, and ``cache``."""
        return Replicator(jobs=self.workers, executor=self.executor, cache=cache)


@contextmanager
def open_engine(
    dask: str | None, jobs: int | None, *, timeout_s: float = CONNECT_TIMEOUT_S
) -> Iterator[Engine]:
    """The engine of ``dask`` (a :func:`parse_dask` spec, or ``None`` for the process pool of
    ``jobs`` workers, default every core); closes what it opened on leaving. A bad spec, a
    scheduler that does not answer within ``timeout_s`` or workers that run other code raise
    ValueError with one line."""
    with ExitStack() as stack:
        yield _open(dask, jobs, stack, timeout_s=timeout_s)


def _open(
    dask: str | None, jobs: int | None, stack: ExitStack, *, timeout_s: float = CONNECT_TIMEOUT_S
) -> Engine:
    if dask is None:
        return _process_pool(jobs)
    target = parse_dask(dask)
    if target.local_workers is not None:
        return _local_cluster(target.local_workers, stack)
    assert target.address is not None
    return _remote_cluster(target.address, stack, timeout_s)


def _process_pool(jobs: int | None) -> Engine:
    workers = jobs if jobs is not None else _cores()
    if workers < 1:
        raise ValueError(f"jobs must be at least 1 (got {jobs})")
    label = "one process" if workers == 1 else f"local process pool of {workers}"
    return Engine(executor=None, workers=workers, label=label)


def _cores() -> int:
    """Cores this process may use (respects CPU affinity where the OS reports it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _local_cluster(workers: int, stack: ExitStack) -> Engine:
    """A LocalCluster of ``workers`` single-threaded processes (simulation is pure Python: a
    thread per process, so the GIL never serialises them), without a dashboard and on no fixed
    port, so that two runs at once never clash."""
    from distributed import Client, LocalCluster

    cluster = stack.enter_context(
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # its HTTP server: any port
            silence_logs=logging.WARNING,
        )
    )
    client = stack.enter_context(Client(cluster, set_as_default=False))
    return Engine(
        executor=client.get_executor(pure=False),
        workers=workers,
        label=f"Dask LocalCluster of {workers} worker{'s' if workers != 1 else ''}",
        address=cluster.scheduler_address,
        client=client,
    )


def _remote_cluster(address: str, stack: ExitStack, timeout_s: float) -> Engine:
    """A client of the scheduler at ``address``, once it has a worker running our code."""
    from distributed import Client

    try:
        client = Client(address, timeout=timeout_s, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise ValueError(
            f"no Dask scheduler answered at {address} within {timeout_s:g} s "
            f"({type(error).__name__}); start one with `dask scheduler`"
        ) from None
    stack.callback(client.close)
    try:
        client.wait_for_workers(1, timeout=timeout_s)
    except TimeoutError:
        raise ValueError(
            f"the Dask scheduler at {address} has no workers after {timeout_s:g} s; start "
            f"them with `dask worker {address} --nworkers -1 --nthreads 1`"
        ) from None
    _check_code(client, address)
    threads = client.nthreads()
    return Engine(
        executor=client.get_executor(pure=False),
        workers=max(1, sum(threads.values())),
        label=f"Dask cluster at {address} ({_describe_workers(threads)})",
        address=address,
        client=client,
    )


def _describe_workers(threads: dict[str, int]) -> str:
    """``"16 workers"``, or ``"4 workers, 16 threads"`` when workers have several threads."""
    text = f"{len(threads)} worker{'s' if len(threads) != 1 else ''}"
    total = sum(threads.values())
    return text if total == len(threads) else f"{text}, {total} threads"


def _check_code(client: Any, address: str) -> None:
    """Refuse workers that cannot import this project or run another version of its models
    (:func:`models.kit.cache.code_version`): their numbers would not be this code's, and the
    result cache would file them under this code's keys."""
    from models.kit.cache import code_version

    ours = code_version()
    try:
        theirs = client.run(code_version)
    except Exception as error:  # a worker without the project fails to unpickle the call
        raise ValueError(
            f"the Dask workers at {address} cannot run this project "
            f"({type(error).__name__}: {error}); install it on every worker machine"
        ) from None
    other = sorted(worker for worker, version in theirs.items() if version != ours)
    if other:
        shown = ", ".join(other[:3]) + ("..." if len(other) > 3 else "")
        raise ValueError(
            f"{len(other)} Dask worker(s) at {address} run another version of the models than "
            f"this process ({shown}): the code changed since they started, or another version "
            "is installed there; restart them on this version"
        )
