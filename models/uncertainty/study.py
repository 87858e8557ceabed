"""The two-layer uncertainty study of one service: simulate the operational design, re-price
the stored volumes under thousands of cost draws.

1. **Operational layer.** Each point of the Morris design of the operational inputs
   (:func:`models.uncertainty.design.operational_design`) is a validated copy of the section;
   every option at every simulated demand year is run there for ``replications`` inner
   replications, all through one run of the :class:`models.kit.replications.Replicator`, on the
   same random streams ``Streams(seed, replication)`` at every point and for every option
   (common random numbers: the elementary effects compare like with like), so the cache, the
   process pool and a Dask cluster serve it alike. A point is priced at its mean volumes.
2. **Cost layer.** Each row of the Saltelli design of the cost inputs is priced on the stored
   volumes of one point (:class:`Pricing`: the row's draws applied to that point's section by
   :func:`models.uncertainty.ranges.replaced`; no new simulation), a whole Saltelli block on the
   same point, so the Sobol' estimators, which difference rows within a block, see only the
   cost inputs move.
3. **Simulation noise.** Each block also takes the deviation of one replication of the
   comparison at the stated inputs from their mean, added to every option's present value (and
   to each key metric): the noise of the simulation, on common random numbers across options,
   assumed the same at every point (an additive noise model, as in stochastic metamodelling:
   Kleijnen 2015, *Design and Analysis of Simulation Experiments*, ch. 5).

The pairing of blocks with (point, replication) is a seeded permutation, so the rows carry
parameter and simulation uncertainty together (Green Book 2018, paras 5.74-5.78: probabilistic
analysis of the uncertain inputs; HM Treasury Aqua Book 2015, ch. 8). Every number depends only
on the scenario and its seed: rows are priced in batches whose results are put back in row
order.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models.appraisal import net_present_costs
from models.comparison import AppraisalInputs
from models.kit.parent_death import die_with_parent
from models.kit.periods import run_key
from models.kit.replications import EVERY_CORE, Replicator
from models.scenario.schema import ScenarioBase
from models.service import Service
from models.uncertainty.design import Design, cost_design, design_seed, operational_design
from models.uncertainty.ranges import (
    APPRAISAL,
    UncertainInput,
    inputs_of,
    replaced,
    resolve,
)

__all__ = ["CostRows", "Pricing", "Study", "run_study"]

BATCHES_PER_WORKER = 4
"""Cost-layer batches per worker: enough to balance, few enough that scheduling is cheap."""

Runs = dict[str, dict[str, float]]
Volumes = Mapping[str, Any]


@dataclass(frozen=True)
class Pricing:
    """Prices every option from stored volumes under drawn cost inputs (picklable for any
    registry: batches of rows are sent to worker processes or a Dask cluster, so it holds the
    scenario's own settings but none of its service sections; see :attr:`settings`).

    An option's lines are rebuilt only when an input they can read has moved: inputs below
    another option's part of the section (``options.<other>``) cannot change them, unless that
    other option is business as usual (the costs of a change may read what it replaces), and
    the appraisal's inputs change the present value but never the lines. Within a Saltelli
    block most rows move one input, so most options are priced from the block's memo
    (:meth:`present_values` with a ``memo``); the numbers are those of a full re-pricing."""

    service: Service
    settings: ScenarioBase
    """The scenario without its service sections (:func:`_without_sections`): what the draws
    of appraisal inputs are applied to."""
    inputs: tuple[UncertainInput, ...]
    """The cost inputs, one per column of a row."""
    options: tuple[str, ...]
    period_years: int
    base: AppraisalInputs
    baseline: str = ""

    @classmethod
    def of(cls, service: Service, scenario: Any, inputs: Sequence[UncertainInput]) -> Pricing:
        """The pricing of ``service``'s options on ``scenario`` under the cost ``inputs``."""
        config = service.section(scenario)
        base = AppraisalInputs.from_scenario(scenario)
        return cls(
            service,
            _without_sections(scenario),
            tuple(inputs),
            tuple(config.options),
            base.period_years,
            base,
            service.business_as_usual(config),
        )

    @functools.cached_property
    def _reads(self) -> dict[str, tuple[int, ...]]:
        """Option -> the columns of a row its lines can read."""
        out = {}
        for option in self.options:
            out[option] = tuple(
                j
                for j, one in enumerate(self.inputs)
                if any(_reads(key, option, self.baseline) for key in one.keys)
            )
        return out

    @functools.cached_property
    def _appraisal_columns(self) -> tuple[int, ...]:
        return tuple(j for j, one in enumerate(self.inputs) if one.section == APPRAISAL)

    def present_values(
        self,
        config: Any,
        row: Sequence[float],
        volumes: Mapping[str, Volumes],
        memo: dict[Any, Any] | None = None,
    ) -> np.ndarray:
        """Present value of each option (in :attr:`options` order) with the cost inputs at
        ``row`` applied to ``config`` and priced at ``volumes[option]``. ``memo`` (one dict per
        config and volumes: a Saltelli block) keeps lines and present values between rows."""
        memo = {} if memo is None else memo
        drawn: list[Any] = []
        values = [float(v) for v in row]
        appraisal = tuple(values[j] for j in self._appraisal_columns)
        out = np.empty(len(self.options))
        for i, option in enumerate(self.options):
            reads = tuple(values[j] for j in self._reads[option])
            key = ("pv", option, reads, appraisal)
            if key not in memo:
                lines_key = ("lines", option, reads)
                if lines_key not in memo:
                    if not drawn:
                        drawn.append(self._drawn(config, values, memo))
                    memo[lines_key] = self.service.lines(
                        drawn[0], option, volumes[option], self.period_years
                    )
                memo[key] = self._present_value(memo[lines_key], option, appraisal, memo)
            out[i] = memo[key]
        return out

    def stated_row(self) -> np.ndarray:
        """Every cost input at its stated value (1 for a relative range)."""
        return np.array([one.stated_value for one in self.inputs], dtype=float)

    def _drawn(self, config: Any, values: Sequence[float], memo: dict[Any, Any]) -> Any:
        """``config`` with the row's section inputs applied: on top of the block's first drawn
        row when there is one, moving only the inputs that differ from it (no key is matched
        by two ranges, so the order of application does not matter)."""
        first = memo.get("first")
        if first is None:
            changed = range(len(self.inputs))
        else:
            config, start = first
            changed = [j for j, (a, b) in enumerate(zip(values, start, strict=True)) if a != b]
        section: dict[tuple[str, ...], Any] = {}
        for j in changed:
            one = self.inputs[j]
            if one.section != APPRAISAL:
                section.update({key[1:]: x for key, x in one.values_at(values[j]).items()})
        drawn = replaced(config, section)
        if first is None:
            memo["first"] = (drawn, list(values))
        return drawn

    def _present_value(
        self, lines: Sequence[Any], option: str, appraisal: tuple[float, ...], memo: dict
    ) -> float:
        inputs = self.base
        if appraisal:
            if ("appraisal", appraisal) not in memo:
                memo[("appraisal", appraisal)] = self._appraisal_inputs(appraisal)
            inputs = memo[("appraisal", appraisal)]
        pv = net_present_costs(
            lines,
            period_years=self.period_years,
            schedule=inputs.schedule,
            optimism_bias=inputs.optimism_bias,
        )
        return pv.get(option, 0.0)

    def _appraisal_inputs(self, appraisal: tuple[float, ...]) -> AppraisalInputs:
        updates: dict[tuple[str, ...], Any] = {}
        for j, value in zip(self._appraisal_columns, appraisal, strict=True):
            updates.update({key[1:]: x for key, x in self.inputs[j].values_at(value).items()})
        drawn = replaced(self.settings.appraisal, updates)
        return AppraisalInputs.from_scenario(self.settings.model_copy(update={"appraisal": drawn}))


def _without_sections(scenario: ScenarioBase) -> ScenarioBase:
    """The scenario's own settings (seed, run, appraisal, uncertainty, portfolio), its service
    sections left out, as a plain :class:`ScenarioBase`. Its class pickles by name; a scenario's
    own class need not: :func:`models.scenario.schema.scenario_model` builds one at run time
    for each registry, and a worker cannot import the class of an extended registry (tests add
    an example service). Not validated again: the values are those of the validated scenario
    (and the validators, which read the sections, would refuse a scenario without them)."""
    common = ScenarioBase.model_fields
    return ScenarioBase.model_construct(
        scenario.model_fields_set & set(common),
        **{name: getattr(scenario, name) for name in common},
    )


def _reads(key: tuple[str, ...], option: str, baseline: str) -> bool:
    """Whether the lines of ``option`` may read the section input at ``key``."""
    if key[0] == APPRAISAL:
        return False
    if len(key) > 2 and key[1] == "options":
        return key[2] in {option, baseline}
    return True


@dataclass(frozen=True)
class Study:
    """What an uncertainty study found (analysed in :mod:`models.uncertainty.analysis`)."""

    service: str
    options: tuple[str, ...]
    baseline: str
    cost: Design
    """The Saltelli design of the cost inputs (rows of :attr:`pv`)."""
    operational: Design
    """The Morris design of the operational inputs (simulated points)."""
    replications: int
    """Inner replications at each operational point (their mean is priced)."""
    base_replications: int
    """Replications of the comparison at the stated inputs (the simulation noise)."""
    pairs: np.ndarray
    """``(rows,)`` the point and the noise replication each cost row was priced with, as
    ``point * base_replications + replication``."""
    pv: np.ndarray
    """``(rows, options)`` present value of each option under each row (£)."""
    point_pv: np.ndarray
    """``(points, options)`` present values with the cost inputs as stated."""
    noise: np.ndarray
    """``(base_replications, options)`` each replication's present value at the stated
    inputs less their mean: the simulation noise added to every row."""
    performance: dict[str, np.ndarray]
    """Key metric -> ``(points, base_replications, options)`` at the performance year."""
    base_pv: np.ndarray
    """``(options,)`` present values at the stated inputs and the mean simulated volumes."""
    simulated_runs: int
    """Option runs the operational layer simulated or took from the cache."""
    pricing: Pricing = field(repr=False)
    base_config: Any = field(repr=False)
    base_volumes: Mapping[str, Volumes] = field(repr=False)

    @property
    def inputs(self) -> tuple[UncertainInput, ...]:
        """Every uncertain input: the cost ones, then the operational ones."""
        return (*self.cost.inputs, *self.operational.inputs)

    def joint_values(self) -> np.ndarray:
        """``(rows, inputs)`` every input's value under each row: its own cost draws and the
        operational values of the point it was priced on."""
        points = self.pairs // self.base_replications
        return np.column_stack([self.cost.values, self.operational.values[points]])


def replication_runs(results: Any) -> list[Runs]:
    """A comparison's tidy results (``replication, option, year, metric, value``) as
    ``[replication] -> {run key: metrics}``."""
    runs: dict[int, Runs] = {}
    columns = results[["replication", "option", "year", "metric", "value"]]
    for rep, option, year, metric, value in columns.itertuples(index=False):
        runs.setdefault(int(rep), {}).setdefault(run_key(option, year), {})[metric] = float(value)
    return [runs[r] for r in sorted(runs)]


def run_study(
    service: Service,
    scenario: Any,
    base_runs: Sequence[Runs],
    *,
    replications: int,
    overrides: Mapping[str, Any] | None = None,
    performance_year: float = 1,
    runner: Replicator = EVERY_CORE,
    samples: int | None = None,
) -> Study:
    """The uncertainty study of ``service`` on ``scenario`` (see the module notes).

    ``base_runs`` are the comparison's replications at the stated inputs
    (:func:`replication_runs`): their mean volumes price the stated case, they are the design
    when no input is operational (nothing is simulated twice), and their spread is the
    simulation noise added to every row. ``samples`` overrides the scenario's cost-layer size
    (a quick run)."""
    config = service.section(scenario)
    settings = scenario.uncertainty
    inputs = inputs_of(resolve(scenario), service.name)
    costs = [one for one in inputs if one.layer == "cost"]
    operational = [one for one in inputs if one.layer == "operational"]
    seed = scenario.seed
    op_design = operational_design(
        operational, settings.trajectories, settings.levels, design_seed(seed, service.name, "op")
    )
    cost = cost_design(costs, samples or settings.samples, design_seed(seed, service.name, "cost"))
    pricing = Pricing.of(service, scenario, cost.inputs)
    period, options, baseline = pricing.period_years, pricing.options, pricing.baseline
    configs = [_at_point(config, op_design, p) for p in range(len(op_design.unit))]
    base_mean = _mean_runs(base_runs, service.unobserved_is_zero)
    if not operational:
        runs, simulated = [[base_mean]], 0
    else:
        runs = _simulate(
            service,
            configs,
            period,
            replications,
            seed,
            overrides or {},
            runner,
        )
        simulated = sum(len(point) for point in runs) * len(runs[0][0])
    means = [_mean_runs(point, service.unobserved_is_zero) for point in runs]

    def volumes_of(runs_: Runs, point_config: Any) -> dict[str, Volumes]:
        return {o: service.yearly_volumes(runs_, o, point_config, period) for o in options}

    volumes = [volumes_of(m, configs[p]) for p, m in enumerate(means)]
    base_volumes = volumes_of(base_mean, config)
    stated = pricing.stated_row()
    replicated = np.array(
        [pricing.present_values(config, stated, volumes_of(r, config)) for r in base_runs]
    )
    noise = replicated - replicated.mean(axis=0)
    reps = len(base_runs)
    pairs = _pairs(
        len(cost.unit), cost.block, len(configs) * reps, design_seed(seed, service.name, "pair")
    )
    rows = CostRows(pricing, configs, volumes, cost.values, pairs // reps, cost.block)
    pv = rows.priced(runner)
    pv += noise[pairs % reps]
    metric_names = [m.name for m in service.key_metrics]
    year = run_key("", performance_year)
    at_points = _metrics(means, options, year, metric_names)[:, None, :, :]
    at_base = _metrics(base_runs, options, year, metric_names)
    spread = at_base - np.nanmean(at_base, axis=0, keepdims=True)
    joint = at_points + spread[None, :, :, :]
    return Study(
        service=service.name,
        options=options,
        baseline=baseline,
        cost=cost,
        operational=op_design,
        replications=replications if operational else 0,
        base_replications=reps,
        pairs=pairs,
        pv=pv,
        point_pv=np.array(
            [pricing.present_values(configs[p], stated, v) for p, v in enumerate(volumes)]
        ),
        noise=noise,
        performance={name: joint[:, :, :, k] for k, name in enumerate(metric_names)},
        base_pv=pricing.present_values(config, stated, base_volumes),
        simulated_runs=simulated,
        pricing=pricing,
        base_config=config,
        base_volumes=base_volumes,
    )


def _mean_runs(replications: Sequence[Runs], missing_is_zero: bool) -> Runs:
    """The mean of every metric of every run over ``replications`` (a metric a replication
    did not report counts as zero where the service says so, else is left out of its mean)."""
    out: Runs = {}
    keys = dict.fromkeys(key for runs in replications for key in runs)
    for key in keys:
        names = dict.fromkeys(m for runs in replications for m in runs.get(key, {}))
        out[key] = {}
        for name in names:
            values = [runs.get(key, {}).get(name) for runs in replications]
            if missing_is_zero:
                values = [0.0 if v is None else v for v in values]
            present = [v for v in values if v is not None]
            out[key][name] = math.fsum(present) / len(present)
    return out


def _metrics(
    replications: Sequence[Runs], options: Sequence[str], year: str, names: Sequence[str]
) -> np.ndarray:
    """``(replications, options, metrics)`` of the runs at the performance year (NaN where a
    run did not report a metric)."""
    return np.array(
        [
            [[runs.get(f"{o}{year}", {}).get(n, math.nan) for n in names] for o in options]
            for runs in replications
        ],
        dtype=float,
    )


def _at_point(config: Any, design: Design, point: int) -> Any:
    """The section at one operational point, re-validated (operational inputs may feed checks
    and derived values, so they are never applied without validation)."""
    if not design.inputs:
        return config
    updates: dict[tuple[str, ...], Any] = {}
    for one, value in zip(design.inputs, design.values[point], strict=True):
        updates.update({key[1:]: x for key, x in one.values_at(float(value)).items()})
    drawn = replaced(config, updates)
    return type(config).model_validate(drawn.model_dump(mode="python"))


def _simulate(
    service: Service,
    configs: Sequence[Any],
    period_years: int,
    replications: int,
    seed: int,
    overrides: Mapping[str, Any],
    runner: Replicator,
) -> list[list[Runs]]:
    """Every option at every demand year of every point, ``replications`` times on common
    random numbers; ``[point][replication]`` -> ``{run key: metrics}``."""
    named = {
        f"{p}|{key}": run
        for p, point in enumerate(configs)
        for key, run in service.appraisal_runs(point, period_years, **overrides).items()
    }
    frame = runner.run(
        service.simulate,
        named,
        replications=replications,
        seed=seed,
        description=f"{service.name} uncertainty",
        progress=True,
    )
    runs: list[list[Runs]] = [[{} for _ in range(replications)] for _ in configs]
    for rep, name, metric, value in frame.itertuples(index=False):
        point, _, key = name.partition("|")
        runs[int(point)][int(rep)].setdefault(key, {})[metric] = float(value)
    return runs


def _pairs(rows: int, block: int, simulated: int, seed: int) -> np.ndarray:
    """The simulated (point, replication) of each row: one per Saltelli block, the blocks
    cycling through a seeded permutation of every simulated pair."""
    blocks = math.ceil(rows / block)
    order = np.random.default_rng(seed).permutation(simulated)
    per_block = order[np.arange(blocks) % simulated]
    return np.repeat(per_block, block)[:rows]


@dataclass(frozen=True)
class CostRows:
    """Rows of the cost design to price, each on the section and stored volumes of its
    operational point, in whole Saltelli blocks of :attr:`block` rows: what a worker is sent
    (the pricing, the sections and the volumes, never the scenario)."""

    pricing: Pricing
    configs: Sequence[Any]
    """The section at each operational point."""
    volumes: Sequence[Mapping[str, Volumes]]
    """The stored volumes at each point, by option."""
    values: np.ndarray
    """``(rows, inputs)`` the cost inputs of each row."""
    points: np.ndarray
    """``(rows,)`` the point each row is priced on."""
    block: int = 1

    def batches(self, size: int) -> list[CostRows]:
        """The rows in consecutive batches of ``size`` (whole blocks when it is a multiple of
        :attr:`block`)."""
        return [
            dataclasses.replace(
                self, values=self.values[s : s + size], points=self.points[s : s + size]
            )
            for s in range(0, len(self.values), size)
        ]

    def present_values(self) -> np.ndarray:
        """``(rows, options)`` present values, priced in this process (a worker's task), each
        block with its own memo."""
        out = np.empty((len(self.values), len(self.pricing.options)))
        memo: dict[Any, Any] = {}
        for i, (row, point) in enumerate(zip(self.values, self.points, strict=True)):
            if i % self.block == 0:  # a new block: its own point, its own memo
                memo = {}
            p = int(point)
            out[i] = self.pricing.present_values(self.configs[p], row, self.volumes[p], memo)
        return out

    def priced(self, runner: Replicator) -> np.ndarray:
        """:meth:`present_values` in batches of whole blocks on the ``runner``'s executor, or
        on a process pool of its ``jobs`` workers (every core when ``None``; one: in this
        process), put back in row order (its cache is not used: pricing is cheap)."""
        executor = runner.executor
        workers = runner.jobs if runner.jobs is not None else (os.cpu_count() or 1)
        blocks = math.ceil(len(self.values) / self.block)
        per_batch = max(1, math.ceil(blocks / (workers * BATCHES_PER_WORKER)))
        batches = self.batches(self.block * per_batch)
        if executor is None and workers > 1 and len(batches) > 1:
            with ProcessPoolExecutor(
                max_workers=min(workers, len(batches)),
                initializer=die_with_parent,
                initargs=(os.getpid(),),
            ) as pool:
                return _gather(pool, batches)
        if executor is not None:
            return _gather(executor, batches)
        return np.concatenate([batch.present_values() for batch in batches])


def _gather(executor: Executor, batches: list[CostRows]) -> np.ndarray:
    futures = [executor.submit(CostRows.present_values, batch) for batch in batches]
    try:
        return np.concatenate([future.result() for future in futures])
    except BaseException:
        for future in futures:
            future.cancel()
        raise
