"""Run the report notebooks: scenario -> papermill -> nbconvert -> ``reports/``.

For every scenario (each validated before anything runs) and every notebook, papermill
executes the notebook with the scenario injected as a parameter, and nbconvert turns the
executed notebook into a self-contained HTML report at ``reports/<slug>/<notebook>.html``
(written atomically). A notebook that fails keeps its executed copy as
``reports/<slug>/<notebook>.failed.ipynb``, leaves any earlier HTML report as it was, and
makes the run exit non-zero; the other notebooks still run.

Kernels. Every notebook runs on a kernel of *this* interpreter (``sys.executable``),
whatever kernelspecs the user has installed: :class:`WorkbookKernelManager` answers the
kernel name ``workbook-python`` with an in-memory kernelspec, so nothing is looked up or
written under the user's Jupyter paths.

Parallel notebooks and papermill issue 511. Kernels started at the same moment by several
processes can pick the same TCP ports (jupyter_client finds a free port, releases it, and
the kernel binds it later: another process can take it in between), failing with
``ZMQError: Address already in use``. jupyter_client's port cache only protects kernels of
one process, and other programs on the machine can take a port too. On POSIX the kernels
here therefore talk over the ``ipc`` transport (Unix domain sockets, each kernel under its
own random path), which has no ports and so no race at all. Where ``ipc`` is not available
(Windows) the runner falls back to TCP and staggers kernel starts.

Nothing outlives a run. The processes form a tree: ``workbook run`` -> (with ``--jobs`` > 1, a
pool of notebook workers, forked by a fork server) -> one ipykernel per notebook -> the
kernel's replication workers. On Linux every level asks for SIGKILL when its parent dies
(``prctl(PR_SET_PDEATHSIG)``; a notebook worker, whose parent is the fork server, also watches
``workbook run`` itself: see :func:`models.kit.parent_death.die_with_parent`), so killing
``workbook run``, even with SIGKILL, stops all of it. Each run's temporary files carry
its run id, and its kernels' connection files and sockets live in its own temporary folder;
the next run removes those of runs that are no longer alive (see :mod:`workbook.leftovers`).

Portfolio summaries run last. A notebook whose metadata says ``{"workbook": {"portfolio":
true}}`` summarises its scenario from what the scenario's other notebooks left in the result
cache, so it starts only once every other notebook of its scenario in this run has finished (ok
or failed; see :func:`next_ready`); other scenarios' notebooks keep the pool busy meanwhile. Its
report is written like any other, and the index shows it first in its scenario's row.

Spreadsheets. When the last notebook of a scenario that is not a portfolio summary has finished
(and one of them succeeded), the runner writes the scenario's ``workbook.xlsx`` and ``csv/``
from the tables its reports published (:mod:`workbook.spreadsheet`), before the summary starts
and before the index is rewritten, so both can link them. A spreadsheet that cannot be written
is said in one line and makes the run exit non-zero; the earlier one stays whole.

Engines and the cache. Replications run where ``--dask`` says (:mod:`models.kit.engine`): by
default each kernel's own process pool; for ``local:N`` the runner starts ONE
``distributed.LocalCluster`` for the whole run (its workers die with the runner) and passes its
scheduler address to every notebook as the ``dask`` parameter; any other spec is a scheduler
address, checked before anything runs and passed on as it is. Kernels get ``WORKBOOK_CACHE``
(``default`` unless ``--no-cache`` or the environment names another; a relative path is made
absolute, since kernels run in the notebooks' folder) and ``WORKBOOK_PROGRESS``, a progress file
per task in the run's own temporary folder (:mod:`models.kit.progress`); every
``progress_interval_s`` the runner prints one line per running task from its file.

Paths are taken literally: papermill formats the paths it is given with ``str.format``, so
their braces are doubled before they are handed over.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import multiprocessing
import os
import re
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from traitlets import Dict, Unicode
from traitlets.config import Config

from workbook.atomic import atomic_write_text
from workbook.display import HEADLINE_MIME, RESULT_MIME
from workbook.folders import reports_dir_problems
from workbook.index import INDEX_NAME, STATUS_FAILED, STATUS_OK, ReportEntry, update_index
from workbook.leftovers import claim_run
from workbook.provenance import PROJECT_ROOT

if TYPE_CHECKING:
    import nbformat

    from models.kit.engine import Engine

KERNEL_NAME = "workbook-python"
IPC_TRANSPORT = os.name == "posix"
KERNEL_START_STAGGER_S = 2.0
# Cells kept out of the HTML: the parameters (shown in the provenance instead) and cells for
# modellers only, such as a notebook's own title heading, which the report's title block replaces.
REMOVED_TAGS = frozenset({"parameters", "injected-parameters", "notebook-only"})
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "workbook_report"
REASON_MAX_CHARS = 300
PROGRESS_INTERVAL_S = 10.0
CACHE_ENV = "WORKBOOK_CACHE"  # models.kit.cache.ENV (not imported: the runner stays light)
PROGRESS_ENV = "WORKBOOK_PROGRESS"  # models.kit.progress.ENV
METADATA_KEY = "workbook"  # notebook metadata of the workbook's own
PORTFOLIO_KEY = "portfolio"  # ... true for a scenario's portfolio summary

Say = Callable[[str], None]


class RunError(Exception):
    """A problem with what the user asked for; nothing was run. ``lines`` are shown as-is."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__(lines[0] if lines else "run refused")
        self.lines = list(lines)


@dataclass(frozen=True)
class RunOptions:
    """What ``workbook run`` was asked to do."""

    scenario_paths: tuple[Path, ...]
    notebooks_dir: Path
    reports_dir: Path
    only: tuple[str, ...] = ()
    replications: int | None = None
    quick: bool = False
    jobs: int = 1
    timeout: float | None = 3600.0
    dask: str | None = None
    """``None`` (each kernel's process pool), ``local:N`` or a Dask scheduler address."""
    cache: bool = True
    """Use the result cache (``WORKBOOK_CACHE``, by default the project's ``.cache/results``)."""
    progress_interval_s: float = PROGRESS_INTERVAL_S
    """How often to print the progress of running notebooks (0: never)."""


@dataclass(frozen=True)
class NotebookTask:
    """One notebook to run on one scenario; plain data so it crosses to a worker process."""

    scenario_path: str
    scenario_slug: str
    scenario_name: str
    notebook: str
    reports_dir: str
    replications: int | None
    quick: bool
    jobs: int
    timeout: float | None
    run_id: str = ""  # names this run's temporary files
    socket_dir: str = ""  # this run's folder for kernel sockets and connection files
    dask: str | None = None  # the notebook's ``dask`` parameter: a scheduler address or None
    cache: str = "off"  # WORKBOOK_CACHE of the kernel
    progress_file: str = ""  # WORKBOOK_PROGRESS of the kernel ("": none)
    title: str = ""  # the notebook's first heading, for the index
    portfolio: bool = False  # a portfolio summary: starts after its scenario's other notebooks

    @property
    def stem(self) -> str:
        return Path(self.notebook).stem

    @property
    def label(self) -> str:
        return f"{self.scenario_slug}/{self.stem}"

    @property
    def kernel_env(self) -> dict[str, str]:
        """What the kernel's environment adds: the result cache and the progress file."""
        env = {CACHE_ENV: self.cache}
        if self.progress_file:
            env[PROGRESS_ENV] = self.progress_file
        return env


@dataclass(frozen=True)
class NotebookOutcome:
    """How one task ended: ok, or failed with a one-line reason."""

    task: NotebookTask
    ok: bool
    reason: str
    duration_s: float
    finished: str
    headline: dict[str, str] = field(default_factory=dict)

    def entry(self) -> ReportEntry:
        """The row the index shows for this outcome."""
        return ReportEntry(
            scenario_slug=self.task.scenario_slug,
            scenario_name=self.task.scenario_name,
            notebook=self.task.stem,
            status=STATUS_OK if self.ok else STATUS_FAILED,
            reason=self.reason,
            duration_s=round(self.duration_s, 2),
            run_date=self.finished,
            headline=self.headline,
            quick=self.task.quick,
            title=self.task.title,
            portfolio=self.task.portfolio,
        )


class WorkbookKernelManager(AsyncKernelManager):
    """Kernel manager that always starts this interpreter's ipykernel (see module docstring).

    On POSIX it uses the ``ipc`` transport with a fresh socket path per kernel, so kernels
    started together never compete for TCP ports (papermill issue 511). Sockets and the
    connection file go to ``socket_dir`` when set (the run's own folder, removed with it).
    On Linux the kernel dies with the process that starts it.
    """

    socket_dir = Unicode("", help="Folder for the kernel's sockets and connection file").tag(
        config=True
    )
    kernel_env = Dict(
        value_trait=Unicode(), help="Variables added to the kernel's environment"
    ).tag(config=True)

    def _transport_default(self) -> str:
        return "ipc" if IPC_TRANSPORT else "tcp"

    def _ip_default(self) -> str:
        if self.transport == "ipc":
            folder = self.socket_dir or tempfile.gettempdir()
            return os.path.join(folder, f"workbook-{uuid.uuid4().hex[:16]}")
        return super()._ip_default()

    def _connection_file_default(self) -> str:
        if self.socket_dir:
            return os.path.join(self.socket_dir, f"kernel-{uuid.uuid4().hex[:16]}.json")
        return ""

    @property
    def kernel_spec(self) -> KernelSpec:
        return workbook_kernel_spec()

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        """Start the kernel so that it dies with this process (where the OS can do that)."""
        from models.kit.parent_death import parent_death_hook

        hook = parent_death_hook(os.getpid())
        if hook is not None:
            kw["preexec_fn"] = hook
        if self.kernel_env:
            kw["env"] = {**kw.get("env", os.environ), **self.kernel_env}
        await super()._async_launch_kernel(kernel_cmd, **kw)


def workbook_kernel_spec() -> KernelSpec:
    """Kernelspec for ipykernel on ``sys.executable``, with the project importable."""
    python_path = os.pathsep.join(
        part for part in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH", "")) if part
    )
    return KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name=f"Python ({sys.executable})",
        language="python",
        name=KERNEL_NAME,
        env={"PYTHONPATH": python_path},
        metadata={"debugger": False},
    )


def run(options: RunOptions, say: Say | None = None) -> int:
    """Run every requested notebook on every requested scenario; 0 if all succeeded, else 1.

    Raises :class:`RunError` (before anything runs or is written) when a scenario is invalid,
    the notebooks asked for do not exist or reports cannot be written to the reports folder.
    """
    say = say or _say_stderr
    planned = plan_tasks(options)
    with _run_engine(options.dask) as engine, claim_run(options.reports_dir) as claim:
        tasks = [
            dataclasses.replace(
                task,
                run_id=claim.run_id,
                socket_dir=str(claim.socket_dir),
                dask=engine.address,
                progress_file=str(claim.socket_dir / f"{task.scenario_slug}.{task.stem}.json"),
            )
            for task in planned
        ]
        concurrent = max(1, min(options.jobs, len(tasks)))
        where = (
            f"{tasks[0].jobs} replication worker(s) each"
            if engine.address is None
            else f"replications on {engine.label}"
        )
        say(f"workbook: {len(tasks)} report(s), {concurrent} at a time, {where}")
        ok = failed = unwritten = 0
        progress = ProgressLines(say, options.progress_interval_s)
        services = ServiceReports(tasks)
        for outcome in _execute_all(tasks, concurrent, say, progress):
            if services.finished(outcome):
                folder = options.reports_dir / outcome.task.scenario_slug
                unwritten += not write_spreadsheet(folder, claim.run_id, say)
            update_index(options.reports_dir, [outcome.entry()], tag=claim.run_id)
            ok += outcome.ok
            failed += not outcome.ok
    spreadsheets = f"; {unwritten} spreadsheet(s) not written" if unwritten else ""
    index = options.reports_dir / INDEX_NAME
    say(f"workbook: {ok} ok, {failed} failed{spreadsheets}; index: {index}")
    return 0 if failed == 0 and unwritten == 0 else 1


class ServiceReports:
    """Says when a scenario's last notebook in this run that is not a portfolio summary has
    finished, one of them ok: the moment to write the scenario's spreadsheet, before its
    summary starts (the runner takes an outcome in before it starts another task)."""

    def __init__(self, tasks: Sequence[NotebookTask]) -> None:
        self._left = Counter(task.scenario_slug for task in tasks if not task.portfolio)
        self._produced: set[str] = set()

    def finished(self, outcome: NotebookOutcome) -> bool:
        """Count ``outcome`` in; True when it completes its scenario's service reports."""
        slug = outcome.task.scenario_slug
        if outcome.task.portfolio or self._left[slug] == 0:
            return False
        self._left[slug] -= 1
        if outcome.ok:
            self._produced.add(slug)
        return self._left[slug] == 0 and slug in self._produced


def write_spreadsheet(scenario_dir: Path, tag: str, say: Say) -> bool:
    """The scenario's ``workbook.xlsx`` and ``csv/`` from every report's tables there
    (:func:`workbook.spreadsheet.write_workbook`); False, with one line, when it fails (the
    earlier files stay whole). A folder without tables writes nothing."""
    try:
        from workbook.spreadsheet import write_workbook

        written = write_workbook(scenario_dir, tag=tag)
    except Exception as error:  # a spreadsheet that fails must not stop the notebooks
        say(f"workbook: {scenario_dir.name}: spreadsheet not written: {failure_reason(error)}")
        return False
    if written:
        say(f"workbook: {scenario_dir.name}: spreadsheet and {len(written) - 1} CSV table(s)")
    return True


def plan_tasks(options: RunOptions) -> list[NotebookTask]:
    """Validate scenarios, notebooks and the reports folder and list the tasks, or raise
    :class:`RunError`."""
    scenarios = _load_scenarios(options.scenario_paths)
    notebooks = _select_notebooks(options.notebooks_dir, options.only)
    problems = reports_dir_problems(options.reports_dir, [scenario.slug for scenario in scenarios])
    if problems:
        raise RunError(problems)
    concurrent = max(1, min(options.jobs, len(scenarios) * len(notebooks)))
    replication_jobs = max(1, available_cores() // concurrent)
    reports_dir = str(options.reports_dir.resolve())
    cache = cache_setting(options.cache)
    facts = {notebook: read_notebook_facts(notebook) for notebook in notebooks}
    in_order = sorted(notebooks, key=lambda notebook: facts[notebook][1])  # portfolio last
    return [
        NotebookTask(
            scenario_path=str(Path(scenario.source).resolve()),
            scenario_slug=scenario.slug,
            scenario_name=scenario.name,
            notebook=str(notebook.resolve()),
            reports_dir=reports_dir,
            replications=options.replications,
            quick=options.quick,
            jobs=replication_jobs,
            timeout=options.timeout,
            cache=cache,
            title=facts[notebook][0],
            portfolio=facts[notebook][1],
        )
        for scenario in scenarios
        for notebook in in_order
    ]


@contextlib.contextmanager
def _run_engine(dask: str | None) -> Iterator[Engine]:
    """The run's engine: for ``local:N`` one LocalCluster that every notebook joins by its
    address; for an address, a checked connection to it. A spec that cannot be used is a
    :class:`RunError` (one line) before anything runs."""
    from models.kit.engine import open_engine

    with contextlib.ExitStack() as stack:
        try:
            engine = stack.enter_context(open_engine(dask, 1))
        except ValueError as error:
            raise RunError([f"--dask: {error}"]) from None
        yield engine


def cache_setting(use_cache: bool) -> str:
    """``WORKBOOK_CACHE`` for the kernels: ``off`` without the cache; else the environment's
    setting (a relative path made absolute: kernels run in the notebooks' folder) or
    ``default``."""
    if not use_cache:
        return "off"
    value = os.environ.get(CACHE_ENV, "").strip()
    if value.lower() in ("", "default"):
        return "default"
    if value.lower() == "off":
        return "off"
    return str(Path(value).expanduser().resolve())


def available_cores() -> int:
    """Cores this process may use (respects CPU affinity where the OS reports it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def execute_task(task: NotebookTask) -> NotebookOutcome:
    """Execute one notebook and export its report; never raises for a notebook failure
    (nor for a file-system one: that is the notebook's failure, with its reason)."""
    started = time.perf_counter()
    out_dir = Path(task.reports_dir) / task.scenario_slug
    running = out_dir / f".{task.stem}.{task.run_id or uuid.uuid4().hex[:8]}.running.ipynb"
    failed_copy = out_dir / f"{task.stem}.failed.ipynb"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        executed = _execute_notebook(task, running)
        title = f"{task.scenario_name} — {notebook_title(executed, task.stem)}"
        html = export_html(executed, title, Path(task.notebook).parent)
        for name, data in published_results(executed).items():
            text = json.dumps(data, indent=1, allow_nan=False)
            atomic_write_text(out_dir / f"{task.stem}-{name}.json", text, tag=task.run_id)
        atomic_write_text(out_dir / f"{task.stem}.html", html, tag=task.run_id)
        failed_copy.unlink(missing_ok=True)
        return _outcome(task, started, ok=True, headline=headline_figures(executed))
    except Exception as error:  # a failing notebook must not stop the others
        with contextlib.suppress(OSError):
            if running.exists():
                os.replace(running, failed_copy)
        return _outcome(task, started, ok=False, reason=failure_reason(error))
    finally:
        with contextlib.suppress(OSError):
            running.unlink(missing_ok=True)


def export_html(nb: nbformat.NotebookNode, title: str, resource_dir: Path) -> str:
    """Self-contained HTML for an executed notebook: outputs and prose, no code, no prompts."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    nb = copy.deepcopy(nb)
    _strip_headline_outputs(nb)
    nb.metadata["title"] = title
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(REMOVED_TAGS), enabled=True), enabled=True
    )
    resources = {"metadata": {"name": title, "path": str(resource_dir)}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body


def headline_figures(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Headline figures published by ``workbook.display.headline`` (later ones win)."""
    figures: dict[str, str] = {}
    for output in _outputs(nb):
        data = output.get("data", {})
        if HEADLINE_MIME in data and isinstance(data[HEADLINE_MIME], dict):
            figures.update({str(k): str(v) for k, v in data[HEADLINE_MIME].items()})
    return figures


def published_results(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Machine-readable results published by ``workbook.display.result`` (later ones win),
    by a name made safe as part of a file name."""
    found: dict[str, Any] = {}
    for output in _outputs(nb):
        data = output.get("data", {}).get(RESULT_MIME)
        if isinstance(data, dict):
            for name, value in data.items():
                safe = re.sub(r"[^A-Za-z0-9_-]+", "-", str(name)).strip("-") or "result"
                found[safe] = value
    return found


def notebook_title(nb: Mapping[str, Any], fallback: str) -> str:
    """The first Markdown heading of the notebook (a node or its raw JSON), else a title made
    from its file name."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        for line in text.splitlines():
            match = re.match(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", line)
            if match:
                return match.group(1)
    return fallback.replace("_", " ").replace("-", " ").capitalize()


def is_portfolio(nb: Mapping[str, Any]) -> bool:
    """True for a scenario's portfolio summary: notebook metadata
    ``{"workbook": {"portfolio": true}}`` (it reads the results its scenario's other notebooks
    leave in the cache, so it runs after them)."""
    settings = nb.get("metadata", {}).get(METADATA_KEY, {})
    return isinstance(settings, Mapping) and settings.get(PORTFOLIO_KEY) is True


def read_notebook_facts(path: Path) -> tuple[str, bool]:
    """The title and portfolio flag of the notebook at ``path``, read as plain JSON (no
    validation: a notebook that cannot be read fails when it runs, with its reason)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        nb = {}
    if not isinstance(nb, dict):
        nb = {}
    return notebook_title(nb, path.stem), is_portfolio(nb)


def failure_reason(error: BaseException) -> str:
    """One line saying why a notebook failed: exception name and message."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        text = f"{error.ename}: {error.evalue}"
    else:
        lines = [line for line in str(error).splitlines() if line.strip()]
        text = f"{type(error).__name__}: {lines[0] if lines else ''}".rstrip(": ")
    text = " ".join(text.split())
    if len(text) > REASON_MAX_CHARS:
        text = text[: REASON_MAX_CHARS - 1] + "…"
    return text


def _execute_notebook(task: NotebookTask, output: Path) -> nbformat.NotebookNode:
    """papermill on the workbook kernel, in the notebook's folder, with the run parameters."""
    import papermill

    config = Config(
        {"WorkbookKernelManager": {"socket_dir": task.socket_dir, "kernel_env": task.kernel_env}}
    )
    parameters: dict[str, Any] = {
        "scenario": task.scenario_path,
        "replications": task.replications,
        "quick": task.quick,
        "jobs": task.jobs,
    }
    if task.dask is not None:  # the notebooks' default is None: only a cluster is passed
        parameters["dask"] = task.dask
    return papermill.execute_notebook(
        _literal(task.notebook),
        _literal(str(output)),
        parameters=parameters,
        kernel_name=KERNEL_NAME,
        language="python",
        cwd=str(Path(task.notebook).parent),
        execution_timeout=task.timeout,
        progress_bar=False,
        log_output=False,
        kernel_manager_class=WorkbookKernelManager,
        config=config,
    )


def _literal(path: str) -> str:
    """``path`` as papermill must be given it to read it as is: papermill fills ``{name}``
    fields of its input and output paths from the parameters (``str.format``), so braces are
    doubled."""
    return path.replace("{", "{{").replace("}", "}}")


def _execute_all(
    tasks: list[NotebookTask], concurrent: int, say: Say, progress: ProgressLines
) -> Iterator[NotebookOutcome]:
    """Outcomes as tasks finish; at most ``concurrent`` notebooks run at once; ``progress``
    says how far the running ones are."""
    with progress:
        yield from _execute_watched(tasks, concurrent, say, progress)


def _execute_watched(
    tasks: list[NotebookTask], concurrent: int, say: Say, progress: ProgressLines
) -> Iterator[NotebookOutcome]:
    waiting = list(tasks)
    started = 0
    if concurrent == 1:
        while waiting:
            ready = next_ready(waiting, [])
            assert ready is not None, "with nothing running, some task is always ready"
            task = waiting.pop(ready)
            started += 1
            say(f"[{started}/{len(tasks)}] running  {task.label}")
            progress.started(task)
            outcome = execute_task(task)
            progress.finished(task)
            say(_finished_line(started, len(tasks), outcome))
            yield outcome
        return
    with _notebook_pool(concurrent) as pool:
        running: dict[Future[NotebookOutcome], tuple[int, NotebookTask]] = {}
        while waiting or running:
            while len(running) < concurrent:
                ready = next_ready(waiting, [task for _, task in running.values()])
                if ready is None:
                    break
                if running and not IPC_TRANSPORT:
                    time.sleep(KERNEL_START_STAGGER_S)
                task = waiting.pop(ready)
                started += 1
                say(f"[{started}/{len(tasks)}] running  {task.label}")
                running[pool.submit(execute_task, task)] = (started, task)
                progress.started(task)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                number, task = running.pop(future)
                progress.finished(task)
                outcome = _result_or_failure(future, task)
                say(_finished_line(number, len(tasks), outcome))
                yield outcome


def next_ready(waiting: Sequence[NotebookTask], running: Sequence[NotebookTask]) -> int | None:
    """Where in ``waiting`` the next task to start is: the first that is not a portfolio
    summary whose scenario still has another notebook waiting or running; ``None`` when every
    waiting task must wait.

    A summary reads what its scenario's other notebooks left in the result cache, so it starts
    only after they finished (ok or failed); other tasks keep the pool busy meanwhile. When
    nothing runs, some task is always ready: a summary waits only for notebooks that are not
    summaries, and those never wait.
    """
    busy = {task.scenario_slug for task in (*waiting, *running) if not task.portfolio}
    for position, task in enumerate(waiting):
        if not task.portfolio or task.scenario_slug not in busy:
            return position
    return None


class ProgressLines:
    """While notebooks run, every ``interval_s`` one line per running task from its progress
    file (``models.kit.progress``), e.g. ``baseline/recovery (2 min 5 s so far): recovery:
    120/432 runs, about 1 min 10 s left``; from a daemon thread, as a context manager."""

    def __init__(self, say: Say, interval_s: float) -> None:
        self._say = say
        self._interval_s = interval_s
        self._running: dict[str, tuple[NotebookTask, float]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ProgressLines:
        if self._interval_s > 0:
            self._thread = threading.Thread(
                target=self._loop, name="workbook-progress", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def started(self, task: NotebookTask) -> None:
        with self._lock:
            self._running[task.label] = (task, time.monotonic())

    def finished(self, task: NotebookTask) -> None:
        with self._lock:
            self._running.pop(task.label, None)

    def lines(self) -> list[str]:
        """One line per running task, in the order they started."""
        with self._lock:
            running = list(self._running.values())
        now = time.monotonic()
        return [progress_line(task, now - since) for task, since in running]

    def _loop(self) -> None:
        while not self._stop.wait(self._interval_s):
            for line in self.lines():
                self._say(line)


def progress_line(task: NotebookTask, elapsed_s: float) -> str:
    """How far ``task`` is, from its progress file, after ``elapsed_s`` seconds."""
    from models.kit.progress import describe, read_progress

    progress = read_progress(task.progress_file) if task.progress_file else None
    state = describe(progress) if progress else "no study has reported progress yet"
    return f"      {task.label} ({duration(elapsed_s)} so far): {state}"


def duration(seconds: float) -> str:
    """``"45 s"``, ``"2 min 5 s"``, ``"2 min"``, ``"1 h 3 min"``."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def _notebook_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of notebook workers that die with this process (see the module docstring)."""
    from models.kit.parent_death import die_with_parent

    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_pool_context(),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fresh worker processes (no inherited kernel state), importing papermill only once.

    Importing papermill and nbconvert costs seconds of CPU (jsonschema's format checkers),
    so on POSIX a fork server imports them once and forks the workers from it; elsewhere
    each worker is spawned and imports them itself.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        preload = ["papermill", "nbconvert", "workbook.runner", "models.kit.parent_death"]
        context.set_forkserver_preload(preload)
        return context
    return multiprocessing.get_context("spawn")


def _result_or_failure(future: Future[NotebookOutcome], task: NotebookTask) -> NotebookOutcome:
    """The worker's outcome, or a failure when the worker process itself died."""
    try:
        return future.result()
    except Exception as error:
        return NotebookOutcome(
            task=task,
            ok=False,
            reason=failure_reason(error),
            duration_s=0.0,
            finished=_now(),
        )


def _finished_line(number: int, total: int, outcome: NotebookOutcome) -> str:
    status = "ok      " if outcome.ok else "FAILED  "
    line = f"[{number}/{total}] {status} {outcome.task.label} ({outcome.duration_s:.1f} s)"
    return line if outcome.ok else f"{line}: {outcome.reason}"


def _outcome(
    task: NotebookTask,
    started: float,
    *,
    ok: bool,
    reason: str = "",
    headline: dict[str, str] | None = None,
) -> NotebookOutcome:
    return NotebookOutcome(
        task=task,
        ok=ok,
        reason=reason,
        duration_s=time.perf_counter() - started,
        finished=_now(),
        headline=headline or {},
    )


def _load_scenarios(paths: Sequence[Path]) -> list[Any]:
    """Every scenario loaded and validated, or :class:`RunError` listing every problem."""
    from models.scenario import ScenarioError, load_scenario

    if not paths:
        raise RunError(["no scenario files to run (give --scenario FILE)"])
    scenarios, problems = [], []
    for path in paths:
        try:
            scenarios.append(load_scenario(path))
        except ScenarioError as error:
            problems.extend(error.problems or [str(error)])
        except OSError as error:
            problems.append(f"{path}: {error.strerror or error}")
    if problems:
        raise RunError(problems)
    seen: dict[str, Path] = {}
    for scenario in scenarios:
        if scenario.slug in seen:
            raise RunError(
                [
                    f"{scenario.source}: same report folder {scenario.slug!r} as "
                    f"{seen[scenario.slug]}; rename one of the files"
                ]
            )
        seen[scenario.slug] = Path(scenario.source)
    return scenarios


def _select_notebooks(notebooks_dir: Path, only: Sequence[str]) -> list[Path]:
    """Notebooks in ``notebooks_dir`` (sorted), restricted to ``only`` (stems or file names)."""
    if not notebooks_dir.is_dir():
        raise RunError([f"{notebooks_dir}: notebooks folder not found"])
    notebooks = sorted(notebooks_dir.glob("*.ipynb"))
    if not notebooks:
        raise RunError([f"{notebooks_dir}: no notebooks (*.ipynb) to run"])
    if not only:
        return notebooks
    by_name = {nb.stem: nb for nb in notebooks} | {nb.name: nb for nb in notebooks}
    unknown = [name for name in only if name not in by_name]
    if unknown:
        known = ", ".join(nb.stem for nb in notebooks)
        raise RunError(
            [
                f"--only {name}: no such notebook in {notebooks_dir} (have: {known})"
                for name in unknown
            ]
        )
    wanted = {by_name[name] for name in only}
    return [nb for nb in notebooks if nb in wanted]


def _strip_headline_outputs(nb: nbformat.NotebookNode) -> None:
    """Drop what is not for a reader: headline data (for the index, nothing to render) and
    standard-error streams (progress bars, warnings: kept in the executed notebook for the
    modeller)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if _for_reader(o)]


def _for_reader(output: dict[str, Any]) -> bool:
    if output.get("output_type") == "stream":
        return output.get("name") != "stderr"
    data = output.get("data", {})
    return HEADLINE_MIME not in data and RESULT_MIME not in data


def _outputs(nb: nbformat.NotebookNode) -> Iterator[dict[str, Any]]:
    for cell in nb.cells:
        if cell.cell_type == "code":
            yield from cell.get("outputs", [])


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _say_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
