"""What a decision can rest on, from an uncertainty study (:class:`models.uncertainty.study.Study`).

- how often each option is the cheapest, and meets each service standard, under parameter and
  simulation uncertainty together;
- P10, P50, P80 and P90 of each option's present value and of its difference from business
  as usual (the Green Book's "range of outcomes", 2018 paras 5.74-5.78);
- global sensitivity of the decision's difference: Sobol' first and total order for the cost
  inputs (SALib ``analyze.sobol``: Saltelli et al. 2010, Jansen 1999), Morris screening for
  the operational inputs (SALib ``analyze.morris``: Morris 1991, mu* of Campolongo et al.
  2007), with the shares of variance that are simulation noise and operational inputs;
- a tornado of every input (the difference at each end of its range, the others as stated);
- a switching value for every input that matters (the value at which the cheapest option
  changes, Green Book 2018 para 5.80);
- scenario discovery: the box of the input space where an option other than business as
  usual is the cheapest, with its coverage and density (PRIM, Friedman and Fisher 1999, as in
  Bryant and Lempert 2010; the maintained ``prim`` package, the standalone of EMA Workbench's
  implementation, chosen over ``ema-workbench`` itself for its footprint: it needs no
  scikit-learn, statsmodels or seaborn).

The decision's difference is that of the option cheapest at the stated inputs against business
as usual, or, when business as usual is cheapest, that of the runner-up.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from models.uncertainty.design import problem
from models.uncertainty.ranges import UncertainInput
from models.uncertainty.study import Study

__all__ = ["PERCENTILES", "Findings", "Region", "analyse", "discover", "sobol_indices"]

PERCENTILES = (10, 50, 80, 90)
"""Percentiles of present values and differences the reports show."""
MATTERS = 0.01
"""An input "matters" when its tornado swing is at least this share of the decision's stated
difference (or of the base present value of business as usual, if larger) or it is among the
:data:`TOP` largest."""
TOP = 8
PRIM_DENSITY = 0.8
"""Scenario discovery keeps the widest box on PRIM's peeling trajectory in which at least this
share of the samples has the option cheapest."""
GRID = 9
"""Points on each range where a switching value is looked for before it is pinned down."""


@dataclass(frozen=True)
class Region:
    """Where one option is the cheapest: a PRIM box over the inputs."""

    option: str
    share: float
    """Share of all samples in which the option is the cheapest."""
    limits: pd.DataFrame
    """Restricted inputs: ``input, label, low, high, range_low, range_high``."""
    coverage: float
    """Share of the samples where the option is cheapest that lie in the box."""
    density: float
    """Share of the samples in the box where the option is cheapest."""
    note: str = ""
    """Why there is no box (the option is cheapest almost nowhere or almost everywhere)."""


@dataclass(frozen=True)
class Findings:
    """Everything the reports and the machine-readable result show (see the module notes)."""

    service: str
    options: tuple[str, ...]
    baseline: str
    preferred: str
    """Cheapest option at the stated inputs (mean simulated volumes)."""
    focus: str
    """The option whose difference from business as usual the sensitivity explains."""
    samples: int
    simulated_points: int
    replications: int
    inputs: tuple[UncertainInput, ...]
    cheapest: dict[str, float]
    """Option -> probability it is the cheapest."""
    percentiles: pd.DataFrame
    """Per option: ``pv_p10 .. pv_p90``, and ``diff_p10 .. diff_p90`` of its difference from
    business as usual."""
    standards: pd.DataFrame
    """``option, metric, label, standard, probability`` of meeting each service standard."""
    sobol: pd.DataFrame
    """Cost inputs: ``input, label, S1, S1_conf, ST, ST_conf``."""
    morris: pd.DataFrame
    """Operational inputs: ``input, label, mu, mu_star, mu_star_conf, sigma``."""
    variance: dict[str, float]
    """Shares of the variance of the decision's difference: ``noise``, ``operational``,
    ``cost`` (the rest)."""
    tornado: pd.DataFrame
    """Every input: ``input, label, layer, low, high, at_low, at_high, swing, method``."""
    switching: pd.DataFrame
    """Inputs that matter: ``input, label, stated, switches_at, new_first, within_range,
    swing, method``."""
    regions: tuple[Region, ...]
    stated_difference: float
    """The decision's difference at the stated inputs (£)."""
    extra: dict[str, Any] = field(default_factory=dict)

    def changers(self, count: int = 3) -> list[str]:
        """Labels of the inputs that would change the cheapest option, the most likely first
        (those with a switching value inside their range, by tornado swing)."""
        inside = self.switching[self.switching["within_range"]]
        return list(inside.sort_values("swing", ascending=False)["label"][:count])

    def to_dict(self) -> dict[str, Any]:
        """The findings as plain data (the machine-readable result next to each report)."""
        return {
            "service": self.service,
            "options": list(self.options),
            "business_as_usual": self.baseline,
            "preferred_at_stated_inputs": self.preferred,
            "sensitivity_of": f"{self.focus} minus {self.baseline}",
            "samples": self.samples,
            "simulated_points": self.simulated_points,
            "inner_replications": self.replications,
            "inputs": [_input_record(one) for one in self.inputs],
            "probability_cheapest": self.cheapest,
            "percentiles": _records(self.percentiles),
            "service_standards": _records(self.standards),
            "sobol": _records(self.sobol),
            "morris": _records(self.morris),
            "variance_shares": {k: _plain(v) for k, v in self.variance.items()},
            "tornado": _records(self.tornado),
            "switching_values": _records(self.switching),
            "regions": [
                {
                    "option": r.option,
                    "share_cheapest": r.share,
                    "coverage": _plain(r.coverage),
                    "density": _plain(r.density),
                    "note": r.note,
                    "limits": _records(r.limits),
                }
                for r in self.regions
            ],
            "stated_difference": _plain(self.stated_difference),
        }


def analyse(study: Study, config: Any, key_metrics: Sequence[Any], *, seed: int) -> Findings:
    """The findings of ``study`` (``config`` the section, for the service standards)."""
    options = study.options
    bau = options.index(study.baseline)
    preferred = options[int(np.argmin(study.base_pv))]
    focus = preferred if preferred != study.baseline else _runner_up(study)
    f = options.index(focus)
    difference = study.pv[:, f] - study.pv[:, bau]
    stated = float(study.base_pv[f] - study.base_pv[bau])
    sobol = _sobol(study, difference, seed)
    morris, slopes = _morris(study, f, bau, seed)
    tornado = _tornado(study, f, bau, slopes, stated)
    return Findings(
        service=study.service,
        options=options,
        baseline=study.baseline,
        preferred=preferred,
        focus=focus,
        samples=len(study.pv),
        simulated_points=len(study.operational.unit),
        replications=study.replications,
        inputs=study.inputs,
        cheapest=_cheapest(study.pv, options),
        percentiles=_percentiles(study.pv, options, bau),
        standards=_standards(study, config, key_metrics),
        sobol=sobol,
        morris=morris,
        variance=_variance(study, difference, f, bau),
        tornado=tornado,
        switching=_switching(study, tornado, slopes, stated),
        regions=tuple(_regions(study)),
        stated_difference=stated,
        extra={"base_replications": study.base_replications},
    )


# --------------------------------------------------------------------------- distributions


def _runner_up(study: Study) -> str:
    order = np.argsort(study.base_pv, kind="stable")
    return study.options[int(order[1])] if len(order) > 1 else study.options[int(order[0])]


def _cheapest(pv: np.ndarray, options: Sequence[str]) -> dict[str, float]:
    first = np.argmin(pv, axis=1)
    return {o: float(np.mean(first == i)) for i, o in enumerate(options)}


def _percentiles(pv: np.ndarray, options: Sequence[str], bau: int) -> pd.DataFrame:
    rows = []
    for i, option in enumerate(options):
        row: dict[str, Any] = {"option": option}
        diff = pv[:, i] - pv[:, bau]
        for q in PERCENTILES:
            row[f"pv_p{q}"] = float(np.percentile(pv[:, i], q))
        for q in PERCENTILES:
            row[f"diff_p{q}"] = float(np.percentile(diff, q))
        rows.append(row)
    return pd.DataFrame(rows)


def _standards(study: Study, config: Any, key_metrics: Sequence[Any]) -> pd.DataFrame:
    rows = []
    for metric in key_metrics:
        target = metric.standard(config)
        values = study.performance.get(metric.name)
        if target is None or values is None:
            continue
        for i, option in enumerate(study.options):
            column = values[:, :, i].ravel()
            column = column[np.isfinite(column)]
            met = [metric.meets(config, float(v)) for v in column]
            rows.append(
                {
                    "option": option,
                    "metric": metric.name,
                    "label": metric.label,
                    "standard": float(target),
                    "probability": float(np.mean(met)) if met else math.nan,
                }
            )
    return pd.DataFrame(rows, columns=["option", "metric", "label", "standard", "probability"])


# --------------------------------------------------------------------------- global sensitivity


def _sobol(study: Study, difference: np.ndarray, seed: int) -> pd.DataFrame:
    """First and total-order Sobol' indices of the difference over the cost inputs."""
    inputs = study.cost.inputs
    if not inputs or np.var(difference) == 0.0:
        return pd.DataFrame(columns=["input", "label", "S1", "S1_conf", "ST", "ST_conf"])
    return sobol_indices(inputs, difference, seed)


def sobol_indices(inputs: Sequence[UncertainInput], y: np.ndarray, seed: int) -> pd.DataFrame:
    """First and total-order Sobol' indices, with 95 % bootstrap intervals, of outputs ``y``
    of a Saltelli design of ``inputs`` (:func:`models.uncertainty.design.cost_design`)."""
    from SALib.analyze import sobol

    found = sobol.analyze(problem(inputs), y, calc_second_order=False, num_resamples=200, seed=seed)
    return pd.DataFrame(
        {
            "input": [i.name for i in inputs],
            "label": _labels(inputs),
            "S1": found["S1"],
            "S1_conf": found["S1_conf"],
            "ST": found["ST"],
            "ST_conf": found["ST_conf"],
        }
    )


def _morris(study: Study, f: int, bau: int, seed: int) -> tuple[pd.DataFrame, dict[str, float]]:
    """Morris screening of the operational inputs on the mean difference at each point, and
    each input's mean elementary effect (the change of the difference from the low to the high
    end of its range, if it were linear)."""
    columns = ["input", "label", "mu", "mu_star", "mu_star_conf", "sigma"]
    inputs = study.operational.inputs
    if not inputs:
        return pd.DataFrame(columns=columns), {}
    from SALib.analyze import morris

    y = study.point_pv[:, f] - study.point_pv[:, bau]
    found = morris.analyze(
        problem(inputs), study.operational.unit, y, num_levels=_levels(study), seed=seed
    )
    frame = pd.DataFrame(
        {
            "input": [i.name for i in inputs],
            "label": _labels(inputs),
            "mu": found["mu"],
            "mu_star": found["mu_star"],
            "mu_star_conf": found["mu_star_conf"],
            "sigma": found["sigma"],
        }
    )
    return frame, dict(zip(frame["input"], frame["mu"].astype(float), strict=True))


def _levels(study: Study) -> int:
    grid = np.unique(np.round(study.operational.unit, 9))
    return max(2, len(grid))


def _variance(study: Study, difference: np.ndarray, f: int, bau: int) -> dict[str, float]:
    """Shares of the variance of the difference: simulation noise (its spread between the
    comparison's replications at the stated inputs), operational inputs (between the simulated
    points, costs as stated) and cost inputs (the rest)."""
    total = float(np.var(difference, ddof=1)) if len(difference) > 1 else 0.0
    noisy = study.noise[:, f] - study.noise[:, bau]
    noise = float(np.var(noisy, ddof=1)) if len(noisy) > 1 else math.nan
    points = study.point_pv[:, f] - study.point_pv[:, bau]
    between = float(np.var(points, ddof=1)) if len(points) > 1 else 0.0
    if total <= 0:
        return {"noise": math.nan, "operational": math.nan, "cost": math.nan, "total": total}
    shares = {
        "noise": min(1.0, noise / total) if math.isfinite(noise) else math.nan,
        "operational": min(1.0, between / total),
    }
    known = sum(v for v in shares.values() if math.isfinite(v))
    shares["cost"] = max(0.0, 1.0 - known)
    shares["total"] = total
    return shares


# --------------------------------------------------------------------------- one at a time


def _tornado(
    study: Study, f: int, bau: int, slopes: Mapping[str, float], stated: float
) -> pd.DataFrame:
    """The decision's difference at each end of every input's range, the others as stated:
    re-priced exactly for a cost input, from its Morris mean effect for an operational one."""
    rows = []
    for one, label in zip(study.inputs, _labels(study.inputs), strict=True):
        if one.layer == "cost":
            at_low, at_high = (_cost_difference(study, one, x, f, bau) for x in (one.low, one.high))
            method = "re-priced"
        else:
            slope = slopes.get(one.name, 0.0)
            u0 = one.cdf(one.stated_value)
            at_low, at_high = stated - slope * u0, stated + slope * (1 - u0)
            method = "estimated from the Morris design"
        rows.append(
            {
                "input": one.name,
                "label": label,
                "layer": one.layer,
                "low": one.low,
                "high": one.high,
                "at_low": at_low,
                "at_high": at_high,
                "swing": abs(at_high - at_low),
                "method": method,
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=["input", "label", "layer", "low", "high", "at_low", "at_high", "swing", "method"],
    )
    return frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def _present_values(study: Study, one: UncertainInput, value: float) -> np.ndarray:
    """Every option's present value with one cost input at ``value``, the others as stated,
    at the mean simulated volumes."""
    pricing = study.pricing
    row = pricing.stated_row()
    row[pricing.inputs.index(one)] = value
    return pricing.present_values(study.base_config, row, study.base_volumes)


def _cost_difference(study: Study, one: UncertainInput, value: float, f: int, bau: int) -> float:
    pv = _present_values(study, one, value)
    return float(pv[f] - pv[bau])


def _switching(
    study: Study, tornado: pd.DataFrame, slopes: Mapping[str, float], stated: float
) -> pd.DataFrame:
    """For every input that matters, the value at which the cheapest option changes (others as
    stated): found on a grid over its range and pinned down by Brent's method for a cost input;
    the linear estimate from the Morris effect for an operational one."""
    columns = ["input", "label", "stated", "switches_at", "new_first", "within_range", "swing"]
    columns.append("method")
    if tornado.empty:
        return pd.DataFrame(columns=columns)
    scale = max(abs(stated), MATTERS * float(np.max(np.abs(study.base_pv))))
    matters = tornado[(tornado["swing"] >= MATTERS * scale) | (tornado.index < TOP)]
    first = int(np.argmin(study.base_pv))
    by_name = {one.name: one for one in study.inputs}
    rows = []
    for entry in matters.itertuples(index=False):
        one = by_name[entry.input]
        if one.layer == "cost":
            found = _cost_switch(study, one, first)
            method = "re-priced"
        else:
            found = _linear_switch(one, slopes.get(one.name, 0.0), stated, study, first)
            method = "estimated from the Morris design"
        value, new_first = found if found else (math.nan, "")
        rows.append(
            {
                "input": one.name,
                "label": entry.label,
                "stated": one.stated_value,
                "switches_at": value,
                "new_first": new_first,
                "within_range": found is not None,
                "swing": entry.swing,
                "method": method,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _cost_switch(study: Study, one: UncertainInput, first: int) -> tuple[float, str] | None:
    """The value of a cost input, within its range, nearest its stated value, at which an
    option other than the stated cheapest becomes the cheapest."""
    from scipy.optimize import brentq

    def lead(x: float) -> float:
        pv = _present_values(study, one, x)
        return float(np.min(np.delete(pv, first)) - pv[first])

    x0 = one.stated_value
    grid = np.linspace(one.low, one.high, GRID)
    found = []
    for a, b in itertools.pairwise(grid):
        la, lb = lead(float(a)), lead(float(b))
        if la > 0 >= lb or la <= 0 < lb:
            root = float(brentq(lead, float(a), float(b), xtol=1e-9 * max(1.0, abs(b))))
            found.append(root)
    if not found:
        return None
    root = min(found, key=lambda r: abs(r - x0))
    beyond = root + 1e-6 * (one.high - one.low) * (1 if root >= x0 else -1)
    pv = _present_values(study, one, beyond)
    return root, study.options[int(np.argmin(pv))]


def _linear_switch(
    one: UncertainInput, slope: float, stated: float, study: Study, first: int
) -> tuple[float, str] | None:
    """Where the decision's difference, linear in the input's quantile with the Morris mean
    effect as slope, reaches zero (within the range), and who is cheapest beyond it."""
    if slope == 0.0 or stated == 0.0:
        return None
    u = one.cdf(one.stated_value) - stated / slope
    if not 0.0 <= u <= 1.0:
        return None
    options = study.options
    focus_is_first = options[first] != study.baseline
    new_first = study.baseline if focus_is_first else _runner_up(study)
    return float(one.ppf(u)), new_first


# --------------------------------------------------------------------------- scenario discovery


def _regions(study: Study) -> list[Region]:
    """A PRIM box for every option other than business as usual: where it is the cheapest."""
    if not study.inputs:
        return []
    labels = _labels(study.inputs)
    x = pd.DataFrame(study.joint_values(), columns=labels)
    first = np.argmin(study.pv, axis=1)
    out = []
    for i, option in enumerate(study.options):
        if option == study.baseline:
            continue
        y = first == i
        share = float(np.mean(y))
        if share < 0.02 or share > 0.98:
            note = "cheapest almost nowhere" if share < 0.02 else "cheapest almost everywhere"
            out.append(Region(option, share, _no_limits(), math.nan, math.nan, note))
            continue
        box, coverage, density = discover(x, y)
        out.append(Region(option, share, _limits(box, study.inputs, labels), coverage, density))
    return out


def discover(x: pd.DataFrame, y: np.ndarray) -> tuple[pd.DataFrame, float, float]:
    """PRIM's box for the cases ``y`` among samples ``x``: the widest box of the peeling
    trajectory with a density of at least :data:`PRIM_DENSITY` (else the densest). Returns the
    restricted columns' limits (``min``, ``max``), the coverage and the density."""
    import prim

    varying = [c for c in x.columns if x[c].nunique() > 1]
    box = prim.Prim(x[varying], y, threshold=PRIM_DENSITY, threshold_type=">").find_box()
    trajectory = box.peeling_trajectory.reset_index(drop=True)
    dense = trajectory[trajectory["density"] >= PRIM_DENSITY]
    chosen = int(dense["coverage"].idxmax()) if len(dense) else int(trajectory["density"].idxmax())
    box.select(chosen)
    limits = box.limits[["min", "max"]]
    return (
        limits,
        float(trajectory["coverage"].iloc[chosen]),
        float(trajectory["density"].iloc[chosen]),
    )


def _limits(
    limits: pd.DataFrame, inputs: Sequence[UncertainInput], labels: Sequence[str]
) -> pd.DataFrame:
    by_label = dict(zip(labels, inputs, strict=True))
    rows = []
    for label, entry in limits.iterrows():
        one = by_label[str(label)]
        low, high = float(entry["min"]), float(entry["max"])
        rows.append(
            {
                "input": one.name,
                "label": str(label),
                "low": low,
                "high": high,
                "range_low": one.low,
                "range_high": one.high,
            }
        )
    return pd.DataFrame(rows, columns=list(_no_limits().columns))


def _no_limits() -> pd.DataFrame:
    return pd.DataFrame(columns=["input", "label", "low", "high", "range_low", "range_high"])


# --------------------------------------------------------------------------- helpers


def _labels(inputs: Sequence[UncertainInput]) -> list[str]:
    """Short labels, the full pattern where two would read the same."""
    short = [one.label for one in inputs]
    return [one.name if short.count(s) > 1 else s for one, s in zip(inputs, short, strict=True)]


def _input_record(one: UncertainInput) -> dict[str, Any]:
    return {
        "input": one.name,
        "label": one.label,
        "layer": one.layer,
        "keys": [".".join(k) for k in one.keys],
        "low": one.low,
        "mode": one.mode,
        "high": one.high,
        "relative": one.relative,
        "distribution": one.distribution,
        "reason": one.reason,
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain data; NaN becomes ``None`` (JSON has no NaN)."""
    out = []
    for row in frame.to_dict(orient="records"):
        out.append({k: _plain(v) for k, v in row.items()})
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
