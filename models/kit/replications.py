"""Run a model for several options over many replications, in parallel, reproducibly.

Each (replication, option) run calls ``simulate(options[name], Streams(seed, replication))``
with a fresh :class:`~models.kit.streams.Streams`, so every option in a replication sees the
same random numbers (common random numbers) and the numbers depend only on
``(seed, replication)``: results are identical whatever the number of worker processes.

Work is sent to workers in chunks of consecutive replications (all options of a replication run
in the same task), so per-task overhead (pickling, inter-process round trips) stays small.

Workers die with the process that started them (:func:`models.kit.parent_death.die_with_parent`),
so a notebook kernel that is killed does not leave its workers running their batch at full CPU.
"""

from __future__ import annotations

import math
import numbers
import os
import pickle
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from models.kit.numbers import whole_number
from models.kit.parent_death import die_with_parent
from models.kit.streams import Streams

__all__ = ["COLUMNS", "ReplicationError", "run_replications"]

COLUMNS = ("replication", "option", "metric", "value")
CHUNKS_PER_WORKER = 4  # several chunks per worker balance uneven run times

Simulate = Callable[[Any, Streams], Mapping[str, float]]
Row = tuple[int, str, str, float]


class ReplicationError(RuntimeError):
    """``simulate`` raised an exception for one option and replication."""


def run_replications(
    simulate: Simulate,
    options: Mapping[str, Any],
    *,
    replications: int,
    seed: int,
    jobs: int | None = None,
    executor: Executor | None = None,
    progress: bool = True,
    description: str = "",
    option_names: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Run every option for ``replications`` replications and return a tidy frame.

    Parameters
    ----------
    simulate
        Top-level (picklable) function ``simulate(option_parameters, streams)`` returning
        ``{metric: number}``; every number must be finite.
    options
        Option name -> parameters passed to ``simulate`` (picklable).
    replications, seed
        Number of replications (>= 1) and the experiment seed (whole number >= 0).
    jobs
        Worker processes: 1 runs in this process, ``None`` uses ``os.cpu_count()``.
    executor
        An already running ``concurrent.futures.Executor`` (e.g. a Dask client's
        ``get_executor()``) to use instead of a new process pool; it is not shut down here.
    progress, description
        Show a tqdm progress bar on stderr, labelled ``description``.
    option_names
        Run only these options, in this order (default: all, in mapping order).

    Returns
    -------
    pandas.DataFrame
        Columns ``replication`` (int), ``option`` (str), ``metric`` (str), ``value`` (float),
        sorted by replication, option (in the order given), metric.
    """
    names = _option_names(options, option_names)
    _check_count("replications", replications, minimum=1)
    _check_count("seed", seed, minimum=0)
    if jobs is not None:
        _check_count("jobs", jobs, minimum=1)
    if not callable(simulate):
        raise TypeError(f"simulate must be a function, got {simulate!r}")
    chosen = [(name, options[name]) for name in names]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    bar = tqdm(
        total=replications * len(chosen),
        desc=description or None,
        unit="run",
        file=sys.stderr,
        disable=not progress,
        leave=False,
    )
    with bar:
        if executor is not None:
            chunks = _chunks(replications, workers)
            rows = _run_chunks(executor, simulate, chosen, seed, chunks, bar)
        elif min(workers, replications) == 1:
            rows = _run_in_process(simulate, chosen, seed, replications, bar)
        else:
            rows = _run_in_pool(simulate, chosen, seed, replications, workers, bar)
    return _frame(rows)


def _run_in_process(
    simulate: Simulate, chosen: list[tuple[str, Any]], seed: int, replications: int, bar: tqdm
) -> list[Row]:
    rows: list[Row] = []
    for replication in range(replications):
        rows.extend(_run_chunk(simulate, chosen, seed, replication, replication + 1))
        bar.update(len(chosen))
    return rows


def _run_in_pool(
    simulate: Simulate,
    chosen: list[tuple[str, Any]],
    seed: int,
    replications: int,
    workers: int,
    bar: tqdm,
) -> list[Row]:
    _check_picklable(simulate, chosen)
    chunks = _chunks(replications, workers)
    with ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        try:
            return _run_chunks(pool, simulate, chosen, seed, chunks, bar)
        except BrokenProcessPool as error:
            raise RuntimeError(
                "a worker process died; if simulate lives in a module the workers cannot "
                "import (a notebook or a script run by path), move it to an importable module "
                "or run with jobs=1"
            ) from error


def _option_names(options: Mapping[str, Any], selected: Sequence[str] | None) -> list[str]:
    if not isinstance(options, Mapping) or not options:
        raise ValueError("options must be a non-empty mapping of option name -> parameters")
    for name in options:
        if not isinstance(name, str) or not name:
            raise ValueError(f"option names must be non-empty strings, got {name!r}")
    if selected is None:
        return list(options)
    if isinstance(selected, str):
        raise TypeError("option_names must be a sequence of names, not a single string")
    unknown = [name for name in selected if name not in options]
    if unknown:
        raise ValueError(f"unknown option name(s) {unknown}; known options: {list(options)}")
    if len(set(selected)) != len(selected) or not selected:
        raise ValueError(f"option_names must be non-empty and without repeats, got {selected}")
    return list(selected)


def _check_count(label: str, value: object, *, minimum: int) -> None:
    whole_number(label, value, minimum=minimum)


def _check_picklable(simulate: Simulate, chosen: list[tuple[str, Any]]) -> None:
    """Fail early, with a clear message, if work cannot be sent to worker processes."""
    try:
        pickle.dumps(simulate)
    except Exception as error:
        raise TypeError(
            f"simulate {simulate!r} cannot be sent to worker processes ({error}); define it as "
            "a top-level function in an importable module, or run with jobs=1"
        ) from error
    for name, parameters in chosen:
        try:
            pickle.dumps(parameters)
        except Exception as error:
            raise TypeError(
                f"parameters of option {name!r} cannot be sent to worker processes ({error})"
            ) from error


def _chunks(replications: int, workers: int) -> list[tuple[int, int]]:
    """Consecutive replication ranges ``[first, stop)``, about CHUNKS_PER_WORKER per worker."""
    size = max(1, math.ceil(replications / (workers * CHUNKS_PER_WORKER)))
    return [(first, min(first + size, replications)) for first in range(0, replications, size)]


def _run_chunks(
    executor: Executor,
    simulate: Simulate,
    chosen: list[tuple[str, Any]],
    seed: int,
    chunks: list[tuple[int, int]],
    bar: tqdm,
) -> list[Row]:
    futures: dict[Future[list[Row]], int] = {
        executor.submit(_run_chunk, simulate, chosen, seed, first, stop): i
        for i, (first, stop) in enumerate(chunks)
    }
    results: dict[int, list[Row]] = {}
    try:
        for future in as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            first, stop = chunks[i]
            bar.update((stop - first) * len(chosen))
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return [row for i in range(len(chunks)) for row in results[i]]


def _run_chunk(
    simulate: Simulate, chosen: list[tuple[str, Any]], seed: int, first: int, stop: int
) -> list[Row]:
    """Run replications ``first .. stop - 1`` of every option (executed in a worker)."""
    rows: list[Row] = []
    for replication in range(first, stop):
        for name, parameters in chosen:
            try:
                metrics = simulate(parameters, Streams(seed, replication))
            except Exception as error:
                raise ReplicationError(
                    f"simulate failed for option {name!r}, replication {replication}: "
                    f"{type(error).__name__}: {error}"
                ) from error
            rows.extend(_checked_rows(metrics, name, replication))
    return rows


def _checked_rows(metrics: object, option: str, replication: int) -> list[Row]:
    where = f"option {option!r}, replication {replication}"
    if not isinstance(metrics, Mapping):
        raise TypeError(
            f"simulate must return a mapping of metric -> number; got {type(metrics).__name__} "
            f"({where})"
        )
    if not metrics:
        raise ValueError(f"simulate returned no metrics ({where})")
    rows = []
    for metric in sorted(metrics, key=_metric_key(where)):
        value = metrics[metric]
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"metric {metric!r} is not a number: {value!r} of type {type(value).__name__} "
                f"({where}); return a float"
            )
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"metric {metric!r} is not finite: {number} ({where})")
        rows.append((replication, option, metric, number))
    return rows


def _metric_key(where: str) -> Callable[[object], str]:
    def key(metric: object) -> str:
        if not isinstance(metric, str) or not metric:
            raise TypeError(f"metric names must be non-empty strings, got {metric!r} ({where})")
        return metric

    return key


def _frame(rows: list[Row]) -> pd.DataFrame:
    replication, option, metric, value = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "replication": np.asarray(replication, dtype=np.int64),
            "option": pd.Series(option, dtype="str"),
            "metric": pd.Series(metric, dtype="str"),
            "value": np.asarray(value, dtype=np.float64),
        }
    )
