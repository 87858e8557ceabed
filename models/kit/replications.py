"""Run a model for several options over many replications, in parallel, reproducibly.

Each (replication, option) run calls ``simulate(options[name], Streams(seed, replication))``
with a fresh :class:`~models.kit.streams.Streams`, so every option in a replication sees the
same random numbers (common random numbers) and the numbers depend only on
``(seed, replication)``: results are identical whatever the number of worker processes.

Work is sent to workers in chunks of consecutive replications (all options of a replication run
in the same task), so per-task overhead (pickling, inter-process round trips) stays small.

With a result cache (:class:`~models.kit.cache.ResultCache`) every run is looked up first and
only the runs it lacks are simulated, in the same chunks (the missing options of consecutive
replications in one task); each task's runs are stored as it completes, in this process, so
workers (a Dask cluster's too) need no access to the cache folder. Results are gathered by
(replication, option) and put in order at the end, so the frame is identical whatever was
found in the cache and whatever the number of workers.

Workers die with the process that started them (:func:`models.kit.parent_death.die_with_parent`),
so a notebook kernel that is killed does not leave its workers running their batch at full CPU.
"""

from __future__ import annotations

import itertools
import math
import numbers
import os
import pickle
import sys
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from models.kit.cache import MISSING, ResultCache, canonical_json
from models.kit.numbers import whole_number
from models.kit.parent_death import die_with_parent
from models.kit.progress import ProgressFile
from models.kit.streams import Streams

__all__ = [
    "COLUMNS",
    "EVERY_CORE",
    "IN_PROCESS",
    "ReplicationError",
    "Replicator",
    "run_replications",
]

COLUMNS = ("replication", "option", "metric", "value")
CHUNKS_PER_WORKER = 4  # several chunks per worker balance uneven run times

Simulate = Callable[[Any, Streams], Mapping[str, float]]
Row = tuple[int, str, str, float]
Run = tuple[int, int]
"""A (replication, index of the option) run."""
Replication = tuple[int, tuple[int, ...]]
"""A replication and the indices of the options to run in it."""
Task = tuple[Replication, ...]
"""What one worker task runs: consecutive replications, each with its options."""
TaskResult = tuple[list[Row], list[int]]
"""A task's result: the rows of its runs, in order, and how many rows each run has."""
Record = Callable[[int, TaskResult], None]
"""What to do with the result of the task of that index as it completes."""


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
    cache: ResultCache | None = None,
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
        Show a tqdm progress bar on stderr, labelled ``description``. The progress file that
        ``WORKBOOK_PROGRESS`` names (:mod:`models.kit.progress`) is kept up to date too.
    option_names
        Run only these options, in this order (default: all, in mapping order).
    cache
        Look each (option, replication) run up in this result cache first, simulate only the
        runs it does not hold, and store each chunk's runs as the chunk completes (so an
        interrupted study resumes). A run's key is ``("replication", simulate,
        identity(parameters), seed, replication)``: two options with the same parameters share
        it. The frame is the same, bit for bit, with or without the cache.

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
    stored = _Stored(cache, simulate, chosen, seed, replications)
    missing = stored.missing_replications()
    bar = tqdm(
        total=replications * len(chosen),
        desc=description or None,
        unit="run",
        file=sys.stderr,
        disable=not progress,
        leave=False,
    )
    tracker = _Tracker(bar, ProgressFile.from_environment(), description)
    with bar:
        tracker.advance(len(stored.found))
        if missing:
            in_process = executor is None and min(workers, len(missing)) == 1
            tasks = [(one,) for one in missing] if in_process else _tasks(missing, workers)
            record = stored.recorder(tasks, tracker)
            work = _Work(simulate, chosen, seed)
            if in_process:
                _run_in_process(work, tasks, record)
            elif executor is not None:
                _run_tasks(executor, work, tasks, record)
            else:
                _run_in_pool(work, tasks, workers, record)
    return _frame(stored.rows())


@dataclass(frozen=True)
class Replicator:
    """Where a study's replications run and what they are looked up in: ``jobs`` worker
    processes (``None``: one a core) or an already running ``executor``, and the result
    ``cache``, as :func:`run_replications` takes them. The kit's studies (checks, warm-up
    evidence, the interpolation check, comparisons) take one ``runner`` instead of the three,
    so a report decides its engine once (:meth:`models.kit.engine.Engine.replicator`)."""

    jobs: int | None = 1
    executor: Executor | None = None
    cache: ResultCache | None = None

    def run(
        self,
        simulate: Simulate,
        options: Mapping[str, Any],
        *,
        replications: int,
        seed: int,
        description: str = "",
        progress: bool = False,
        option_names: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """:func:`run_replications` of ``simulate`` on ``options`` with this engine and cache
        (quietly, unless ``progress``)."""
        return run_replications(
            simulate,
            options,
            replications=replications,
            seed=seed,
            jobs=self.jobs,
            executor=self.executor,
            progress=progress,
            description=description,
            option_names=option_names,
            cache=self.cache,
        )


IN_PROCESS = Replicator(jobs=1)
"""Every run in this process, no cache: the default of checks and method studies."""
EVERY_CORE = Replicator(jobs=None)
"""A process pool of one worker a core, no cache: the default of comparisons."""


class _Tracker:
    """Counts finished runs on the tqdm bar and in the progress file."""

    def __init__(self, bar: tqdm, file: ProgressFile | None, label: str) -> None:
        self.bar, self.file, self.label = bar, file, label
        self.done = 0

    def advance(self, runs: int) -> None:
        self.done += runs
        self.bar.update(runs)
        if self.file is not None:
            self.file.report(self.label, self.done, self.bar.total)


class _Stored:
    """The rows of every (replication, option) run: found in the cache or simulated here."""

    def __init__(
        self,
        cache: ResultCache | None,
        simulate: Simulate,
        chosen: list[tuple[str, Any]],
        seed: int,
        replications: int,
    ) -> None:
        self.cache, self.chosen, self.replications = cache, chosen, replications
        self.keys: dict[Run, str] = {}
        self.found: dict[Run, list[Row]] = {}
        self.tasks: list[Task] = []
        self.simulated: dict[int, TaskResult] = {}
        if cache is not None:
            self.keys = _cache_keys(simulate, chosen, seed, replications)
            for run, key in self.keys.items():
                value = cache.get(key)
                if value is not MISSING:
                    self.found[run] = _cached_rows(value, chosen[run[1]][0], run[0])

    def missing_replications(self) -> list[Replication]:
        """Each replication with a run to simulate and the options to run in it, in order."""
        every = tuple(range(len(self.chosen)))
        if not self.found:
            return [(replication, every) for replication in range(self.replications)]
        missing = []
        for replication in range(self.replications):
            indices = tuple(i for i in every if (replication, i) not in self.found)
            if indices:
                missing.append((replication, indices))
        return missing

    def recorder(self, tasks: list[Task], tracker: _Tracker) -> Record:
        """What to do with the result of ``tasks[index]`` as it completes: keep it, store its
        runs in the cache, count them."""
        self.tasks = tasks

        def record(index: int, result: TaskResult) -> None:
            self.simulated[index] = result
            if self.cache is not None:
                for run, rows in _split(tasks[index], result):
                    self.cache.put(self.keys[run], tuple((m, v) for _, _, m, v in rows))
            tracker.advance(len(result[1]))

        return record

    def rows(self) -> list[Row]:
        """Every row, by replication, option (in the order given), metric."""
        if not self.found:  # every run simulated: the tasks are in that order
            return [row for i in range(len(self.tasks)) for row in self.simulated[i][0]]
        runs = dict(self.found)
        for i, task in enumerate(self.tasks):
            runs.update(_split(task, self.simulated[i]))
        every = range(len(self.chosen))
        return [row for r in range(self.replications) for i in every for row in runs[(r, i)]]


def _split(task: Task, result: TaskResult) -> list[tuple[Run, list[Row]]]:
    """A task's rows, run by run."""
    rows, counts = result
    runs = [(replication, i) for replication, indices in task for i in indices]
    starts = [0, *itertools.accumulate(counts)]
    return [(run, rows[starts[k] : starts[k + 1]]) for k, run in enumerate(runs)]


def _cache_keys(
    simulate: Simulate, chosen: list[tuple[str, Any]], seed: int, replications: int
) -> dict[Run, str]:
    """The key of every run (each option's parameters canonicalised once, not per run)."""
    head = canonical_json("replication"), canonical_json(simulate)
    keys = {}
    for i, (name, parameters) in enumerate(chosen):
        try:
            option = canonical_json(parameters)
        except TypeError as error:
            raise TypeError(f"option {name!r} cannot be cached: {error}") from error
        for replication in range(replications):
            parts = (*head, option, canonical_json(seed), canonical_json(replication))
            keys[(replication, i)] = ResultCache.key_of_json(*parts)
    return keys


def _cached_rows(value: Any, option: str, replication: int) -> list[Row]:
    """The rows of a cached run, stored as ``((metric, value), ...)``."""
    return [(replication, option, metric, number) for metric, number in value]


def _tasks(missing: list[Replication], workers: int) -> list[Task]:
    """Consecutive missing replications in tasks, about CHUNKS_PER_WORKER per worker."""
    return [tuple(missing[first:stop]) for first, stop in _chunks(len(missing), workers)]


def _run_in_process(work: _Work, tasks: list[Task], record: Record) -> None:
    for index, task in enumerate(tasks):
        record(index, work(task))


def _run_in_pool(work: _Work, tasks: list[Task], workers: int, record: Record) -> None:
    _check_picklable(work.simulate, work.chosen)
    with ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        try:
            _run_tasks(pool, work, tasks, record)
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


def _run_tasks(executor: Executor, work: _Work, tasks: list[Task], record: Record) -> None:
    futures: dict[Future[TaskResult], int] = {
        executor.submit(work, task): index for index, task in enumerate(tasks)
    }
    try:
        for future in as_completed(futures):
            record(futures[future], future.result())
    except BaseException:
        for future in futures:
            future.cancel()
        raise


@dataclass(frozen=True)
class _Work:
    """What every task runs: ``simulate`` on the chosen options, drawing from ``seed`` (sent,
    with each task, to the worker that runs it)."""

    simulate: Simulate
    chosen: list[tuple[str, Any]]
    seed: int

    def __call__(self, task: Task) -> TaskResult:
        """Run the options each replication of ``task`` names (executed in a worker)."""
        rows: list[Row] = []
        counts: list[int] = []
        for replication, indices in task:
            for i in indices:
                name, parameters = self.chosen[i]
                try:
                    metrics = self.simulate(parameters, Streams(self.seed, replication))
                except Exception as error:
                    raise ReplicationError(
                        f"simulate failed for option {name!r}, replication {replication}: "
                        f"{type(error).__name__}: {error}"
                    ) from error
                run_rows = _checked_rows(metrics, name, replication)
                rows.extend(run_rows)
                counts.append(len(run_rows))
        return rows, counts


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
