"""Helpers the service tests share (plain functions; the fixtures are in ``tests/conftest.py``)."""

from __future__ import annotations

import copy
import math
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from html import unescape
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from pydantic import ValidationError

from models.kit.checks import VerificationCheck
from models.kit.output_analysis import paired_difference
from models.kit.replications import IN_PROCESS
from models.kit.streams import Streams
from models.scenario import load_scenario
from models.scenario.uncertainty_settings import UncertaintySettings

__all__ = [
    "BASELINE",
    "ROOT",
    "ModelTests",
    "assert_passes",
    "by_name",
    "cost_study_scenario",
    "crn_half_widths",
    "documented_metrics",
    "first_replication",
    "in_house_interpolation",
    "option_means",
    "per_year_volumes",
    "published",
    "refusal",
    "report",
    "run_workbook",
    "scenario_with_study",
    "section_mapping",
    "variant",
    "variant_of",
    "with_option",
]

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "data" / "scenarios" / "baseline.yaml"

Edit = Callable[[dict[str, Any]], None]


def section_mapping(name: str) -> dict[str, Any]:
    """The baseline scenario's ``name:`` section as a plain mapping (a fresh copy)."""
    with open(BASELINE, encoding="utf-8") as handle:
        return copy.deepcopy(yaml.safe_load(handle)[name])


def variant(config_type: type, mapping: dict[str, Any], edit: Edit) -> Any:
    """The section with ``edit`` applied to a copy of ``mapping``, validated."""
    changed = copy.deepcopy(mapping)
    edit(changed)
    return config_type.model_validate(changed)


def variant_of(config_type: type) -> Callable[[dict[str, Any], Edit], Any]:
    """:func:`variant` of one section type: ``variant_of(T)(mapping, edit)``."""
    return partial(variant, config_type)


def refusal(config_type: type, mapping: dict[str, Any]) -> str:
    """The message with which ``config_type`` refuses ``mapping`` (it must refuse it)."""
    with pytest.raises(ValidationError) as caught:
        config_type.model_validate(mapping)
    return str(caught.value)


def report(check: VerificationCheck) -> str:
    """One verification check, for an assertion's message."""
    s = check.simulated
    return (
        f"{check.name} {check.metric}: analytic {check.analytic:.5g}, simulated {s.mean:.5g} "
        f"[{s.low:.5g}, {s.high:.5g}] ({check.relative_difference:+.2%}, "
        f"tolerance {check.tolerance:.0%})"
    )


def assert_passes(*checks: VerificationCheck, within: float | None = None) -> None:
    """Each of ``checks`` passes and, with ``within``, its interval's half-width is less than
    that share of the simulated mean (the messages: :func:`report`)."""
    assert checks, "no checks"
    for check in checks:
        if within is not None:
            assert check.simulated.relative_half_width < within, report(check)
        assert check.passed, report(check)


def by_name(lines: Iterable[Any]) -> dict[str, Any]:
    """Cost lines by name."""
    return {line.name: line for line in lines}


def first_replication(results: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Replication 0 of :func:`models.kit.replications.run_replications` results, as
    ``{run key: {metric: value}}`` (what ``build_lines`` takes)."""
    first = results[results["replication"] == 0]
    return {
        key: dict(zip(group["metric"], group["value"], strict=True))
        for key, group in first.groupby("option", sort=False)
    }


def crn_half_widths(
    simulate: Callable[..., Any],
    runs: dict[str, Any],
    base: str,
    other: str,
    metrics: Iterable[str],
    replications: int = 6,
) -> dict[str, tuple[float, float]]:
    """``{metric: (paired, unpaired)}`` half-widths of the ``other - base`` difference of the
    two ``runs``: on common random numbers (seed 11) and with ``other`` on its own (seed 12)."""
    common = IN_PROCESS.run(simulate, runs, replications=replications, seed=11)
    alone = IN_PROCESS.run(simulate, {other: runs[other]}, replications=replications, seed=12)
    independent = pd.concat([common[common["option"] == base], alone], ignore_index=True)
    return {
        metric: (
            paired_difference(common, metric, other, base).half_width,
            paired_difference(independent, metric, other, base).half_width,
        )
        for metric in metrics
    }


def per_year_volumes(metrics: dict[str, float]) -> dict[str, float]:
    """The annual volumes (``..._per_year``) among one run's metrics."""
    return {name: value for name, value in metrics.items() if name.endswith("_per_year")}


def with_option(
    mapping: dict[str, Any], name: str, label: str, client_cost: float, **parts: str
) -> dict[str, Any]:
    """``mapping`` (changed in place) with a new option ``name``: each part the same as in the
    option named (``storage="outsourced"``), and a client function of ``client_cost`` a year."""
    options = mapping["options"]
    options[name] = {
        "label": label,
        **{part: options[source][part] for part, source in parts.items()},
        "client_function": {"annual_cost": client_cost},
    }
    return mapping


def documented_metrics(
    simulate: Callable[[Any, Streams], dict[str, float]],
    names: list[str],
    run: Any,
    seed: int = 3,
) -> dict[str, float]:
    """The metrics of one run (on ``Streams(seed)``), asserted to be ``names``, in that order,
    and finite."""
    metrics = simulate(run, Streams(seed))
    assert list(metrics) == names
    assert all(math.isfinite(value) for value in metrics.values()), metrics
    return metrics


def option_means(results: pd.DataFrame, metric: str) -> list[float]:
    """The mean of ``metric`` under each option of :meth:`ModelTests.replicate` results, in the
    order the options were run."""
    rows = results[results["metric"] == metric]
    return list(rows.groupby("option", sort=False)["value"].mean())


@dataclass(frozen=True)
class ModelTests:
    """One model's functional-test helpers, bound to its section type, its ``simulate`` and its
    ``metric_names``; ``replications`` is how many :meth:`replicate` runs unless told."""

    config_type: type
    simulate: Callable[[Any, Streams], dict[str, float]]
    metric_names: Callable[[Any, str], list[str]]
    replications: int

    def variant(self, mapping: dict[str, Any], edit: Edit) -> Any:
        """:func:`variant` of the model's section type."""
        return variant(self.config_type, mapping, edit)

    def documented(self, config: Any, short: Callable[..., Any]) -> dict[str, dict[str, float]]:
        """:func:`documented_metrics` of ``short(config, option)`` by each of ``config``'s
        options, in their order (the names: ``metric_names(config, option)``)."""
        return {
            option: documented_metrics(
                self.simulate, self.metric_names(config, option), short(config, option)
            )
            for option in config.options
        }

    def same_under_every_option(
        self, config: Any, short: Callable[..., Any], metrics: Iterable[str]
    ) -> dict[str, dict[str, float]]:
        """One run of ``short(config, option)`` by each of ``config``'s options, all on
        ``Streams(5, 2)``, asserted to give each of ``metrics`` one value under every option
        (common random numbers: the same demand, however it is served); the runs' metrics by
        option."""
        results = {o: self.simulate(short(config, o), Streams(5, 2)) for o in config.options}
        for metric in metrics:
            assert len({r[metric] for r in results.values()}) == 1, metric
        return results

    def crn_half_widths(
        self, runs: dict[str, Any], base: str, other: str, metrics: Iterable[str]
    ) -> dict[str, tuple[float, float]]:
        """:func:`crn_half_widths` of the model's ``simulate``."""
        return crn_half_widths(self.simulate, runs, base, other, metrics)

    def replicate(
        self,
        configs: dict[str, Any],
        option: str,
        short: Callable[..., Any],
        *,
        seed: int,
        replications: int | None = None,
        **changes: Any,
    ) -> pd.DataFrame:
        """Replications (one process, quietly) of ``option`` under each of ``configs``, a run
        of each by name: ``short(config, option, **changes)``, on common random numbers."""
        runs = {name: short(config, option, **changes) for name, config in configs.items()}
        return IN_PROCESS.run(
            self.simulate,
            runs,
            replications=self.replications if replications is None else replications,
            seed=seed,
        )


def in_house_interpolation(
    service: Any, config: Any, metrics: list[str], *, replications: int, **period: float
) -> pd.DataFrame:
    """``service.interpolation_check`` of the in-house option over 10 years (seed 5, the period
    ``period``), asserted to check year 5: the year furthest from the simulated years 1 and 10."""
    table = service.interpolation_check(
        config,
        10,
        replications=replications,
        seed=5,
        options=["in_house"],
        metrics=metrics,
        **period,
    )
    assert set(table["year"]) == {5}
    return table


def run_workbook(
    *args: str | Path,
    module: str = "workbook",
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``python -m MODULE ARGS`` (``workbook`` unless told) with this interpreter, from ``cwd``
    (the repository's root unless told), its output captured as text; it may fail."""
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def visible_text(html: str) -> str:
    """The text a reader sees: no styles, scripts or embedded images, tags removed."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S | re.I)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def not_a_number(text: str) -> list[str]:
    """Each place where a figure reads NaN or inf, with a little context."""
    return [
        text[max(0, m.start() - 40) : m.end() + 10] for m in re.finditer(r"\b(nan|NaN|inf)\b", text)
    ]


COST_RANGES = {
    "recovery.options.*.storage.costs.staff.salary": {
        "low": 0.9,
        "high": 1.2,
        "relative": True,
        "reason": "[E] test",
    },
    "appraisal.optimism_bias.groups.service_costs.factors.inadequacy_of_the_business_case"
    ".mitigation": {"low": 0.0, "high": 0.6, "reason": "[E] test"},
}
"""Cost inputs only: the study re-prices stored volumes and simulates nothing more."""


def scenario_with_study(ranges: dict[str, Any], samples: int) -> Any:
    """The baseline with an uncertainty study of ``ranges`` on ``samples`` draws."""
    settings = UncertaintySettings.model_validate({"samples": samples, "ranges": ranges})
    return load_scenario(BASELINE).model_copy(update={"uncertainty": settings})


def cost_study_scenario() -> Any:
    """The baseline with an uncertainty study of :data:`COST_RANGES` on 64 samples (the same in
    every test that uses it, so in one session its comparison and study come from the cache)."""
    return scenario_with_study(COST_RANGES, 64)


def published(show: Callable[[], object]) -> list[dict[str, Any]]:
    """The display data ``show()`` publishes, through a real IPython shell (its publisher put
    back afterwards)."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    outputs: list[dict[str, Any]] = []
    saved = shell.display_pub.publish
    shell.display_pub.publish = lambda data, **_: outputs.append(data)  # type: ignore[method-assign]
    try:
        show()
    finally:
        shell.display_pub.publish = saved  # type: ignore[method-assign]
    return outputs
