"""The economic case of every declared service follows the Green Book whatever its options are
called: renaming every option changes no figure, business as usual is the section's stated
option and carries no cost of change, and a line that is the same in two options has the same
uplift. Parametrised over the registry; short quick runs, as the contract tests use."""

from __future__ import annotations

import copy
import math
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from models.appraisal import Category, CostLine
from models.comparison import OptionComparison, compare_service
from models.kit.periods import run_key
from models.kit.replications import IN_PROCESS
from models.registry import SERVICES
from models.scenario import load_scenario
from models.section import ServiceSection
from models.service import Service
from tests.support import BASELINE

REPLICATIONS = 2
DEFAULT_BUSINESS_AS_USUAL = ServiceSection.model_fields["business_as_usual"].default

Renaming = Callable[[list[str]], dict[str, str]]

RENAMINGS: dict[str, Renaming] = {
    "as stated": lambda names: {name: name for name in names},
    # new names: code that looks an option up by its usual name fails
    "fresh": lambda names: {name: f"option_{i}" for i, name in enumerate(names, 1)},
    # the usual names moved round: code that treats an option by its name costs it wrongly
    "shuffled": lambda names: dict(zip(names, names[1:] + names[:1], strict=True)),
}


def _baseline() -> dict[str, Any]:
    with open(BASELINE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def renamed_section(section: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The section with every option renamed: its key under ``options`` and the one reference
    to an option, ``business_as_usual`` (written out if the section relied on the default).
    ``provider`` and ``arises_under`` hold provider names (``in_house``, ``contractor``), not
    option names, and stay as they are."""
    out = copy.deepcopy(section)
    out["options"] = {names[name]: spec for name, spec in out["options"].items()}
    out["business_as_usual"] = names[section.get("business_as_usual", DEFAULT_BUSINESS_AS_USUAL)]
    return out


def renamed_ranges(
    uncertainty: dict[str, Any], service: str, names: dict[str, str]
) -> dict[str, Any]:
    """The uncertainty section with the options of ``service`` renamed where a range's key
    pattern names one (``<service>.options.<option>...``)."""

    def rename(pattern: str) -> str:
        parts = pattern.split(".")
        if parts[0] == service and len(parts) > 2 and parts[1] == "options":
            parts[2] = names.get(parts[2], parts[2])
        return ".".join(parts)

    out = copy.deepcopy(uncertainty)
    for part in ("ranges", "fixed"):
        if part in out:
            out[part] = {rename(k): v for k, v in out[part].items()}
    return out


def renamed_bundles(
    portfolio: dict[str, Any], service: str, names: dict[str, str]
) -> dict[str, Any]:
    """The portfolio section with the option each bundle takes of ``service`` renamed."""
    out = copy.deepcopy(portfolio)
    for bundle in out.get("bundles", {}).values():
        if service in bundle["options"]:
            bundle["options"][service] = names[bundle["options"][service]]
    return out


@pytest.fixture(params=SERVICES.names)
def service(request: pytest.FixtureRequest) -> Service:
    return SERVICES[request.param]


@pytest.fixture(scope="module")
def compared(
    tmp_path_factory: pytest.TempPathFactory,
) -> Callable[[Service, str], tuple[OptionComparison, dict[str, str]]]:
    """``compared(service, renaming)``: the comparison of the service on the baseline with its
    options renamed, written to a scenario file of its own and loaded (computed once), and the
    names used (stated name -> name in that file)."""
    cache: dict[tuple[str, str], tuple[OptionComparison, dict[str, str]]] = {}

    def get(service: Service, renaming: str) -> tuple[OptionComparison, dict[str, str]]:
        if (service.name, renaming) not in cache:
            mapping = {k: v for k, v in _baseline().items() if k not in SERVICES.names}
            section = _baseline()[service.name]
            names = RENAMINGS[renaming](list(section["options"]))
            mapping[service.name] = renamed_section(section, names)
            if "uncertainty" in mapping:
                mapping["uncertainty"] = renamed_ranges(mapping["uncertainty"], service.name, names)
            if "portfolio" in mapping:
                mapping["portfolio"] = renamed_bundles(mapping["portfolio"], service.name, names)
            path = tmp_path_factory.mktemp(f"{service.name}-{renaming}") / "scenario.yaml"
            path.write_text(yaml.safe_dump(mapping, sort_keys=False), encoding="utf-8")
            comparison = compare_service(
                service,
                load_scenario(path),
                replications=REPLICATIONS,
                runner=IN_PROCESS,
                **service.quick,
            )
            cache[service.name, renaming] = (comparison, names)
        return cache[service.name, renaming]

    return get


# --------------------------------------------------------------------------- renaming


def _by_stated_name(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """A frame of the renamed comparison with its options called by their stated names, rows in
    a fixed order (option in a column or the index)."""
    back = {new: old for old, new in names.items()}
    frame = frame.copy()
    if "option" in frame.columns:
        frame["option"] = frame["option"].map(back)
        keys = [
            c for c in frame.columns if frame[c].dtype == object or c in ("year", "replication")
        ]
        return frame.sort_values(keys, kind="stable").reset_index(drop=True)
    frame.index = frame.index.map(back)
    return frame.sort_index()


def _same(stated: pd.DataFrame, renamed: pd.DataFrame, names: dict[str, str], what: str) -> None:
    expected = _by_stated_name(stated, {n: n for n in names})
    got = _by_stated_name(renamed, names)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9, obj=what)


def _should_costs(comparison: OptionComparison, names: dict[str, str]) -> list[tuple]:
    """``(option, contract, should-cost, price)`` of every contract, by stated names (a label
    may name its option, e.g. ``"mixed: contractor contract"``: that name is a label, not a
    figure, so it is called by its stated name too)."""
    back = {new: old for old, new in names.items()}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, back)) + r")\b")
    rows = [
        (
            back.get(s.option, s.option),
            pattern.sub(lambda m: back[m[0]], s.contract),
            s.total,
            s.price,
        )
        for s in comparison.should_costs()
    ]
    return sorted(rows, key=lambda row: (row[0], row[1]))


@pytest.mark.parametrize("renaming", ["fresh", "shuffled"])
def test_renaming_every_option_changes_no_figure(service, compared, renaming) -> None:
    stated, _ = compared(service, "as stated")
    renamed, names = compared(service, renaming)
    assert renamed.baseline == names[stated.baseline]
    _same(stated.costs, renamed.costs, names, "PVs, differences, probabilities")
    _same(stated.pv, renamed.pv, names, "PV per replication")
    _same(stated.performance, renamed.performance, names, "service performance")
    _same(stated.appraisal.cash_flows, renamed.appraisal.cash_flows, names, "economic case")
    _same(stated.financial_case(), renamed.financial_case(), names, "financial case")
    _same(stated.affordability(), renamed.affordability(), names, "affordability")
    _same(stated.uplift_by_option(), renamed.uplift_by_option(), names, "uplift by option")
    _same(stated.sensitivity(), renamed.sensitivity(), names, "switching values")
    _same(stated.risk_register(), renamed.risk_register(), names, "risk register")
    pd.testing.assert_frame_equal(
        stated.optimism_bias_derivation(), renamed.optimism_bias_derivation()
    )
    ranked, bare, switch = stated.rests_on()
    renamed_ranked, renamed_bare, renamed_switch = renamed.rests_on()
    assert renamed_ranked == [names[o] for o in ranked]
    assert renamed_bare == [names[o] for o in bare]
    assert renamed_switch == pytest.approx(switch, rel=1e-9) or (
        math.isinf(switch) and math.isinf(renamed_switch)
    )
    expected = _should_costs(stated, {n: n for n in names})
    got = _should_costs(renamed, names)
    assert [row[:2] for row in got] == [row[:2] for row in expected]
    assert [row[2:] for row in got] == [pytest.approx(row[2:], rel=1e-9) for row in expected]


# --------------------------------------------------------------------------- business as usual


def test_business_as_usual_is_the_stated_option_with_no_cost_of_change(service, compared) -> None:
    section = _baseline()[service.name]
    assert "business_as_usual" in section, f"{service.name} does not state business as usual"
    comparison, _ = compared(service, "as stated")
    today = section["business_as_usual"]
    assert comparison.baseline == today == service.business_as_usual(comparison.config)
    costs = comparison.costs.set_index("option")
    assert costs.loc[today, "diff_mean"] == 0.0 and math.isnan(costs.loc[today, "prob_cheaper"])
    assert (comparison.affordability().loc[today] == 0.0).all()
    assert today not in set(comparison.sensitivity()["option"])
    assert not comparison.config.options[today].transition
    changes = [
        (line.name, line.category.value)
        for line in comparison.lines
        if line.option == today and line.category in (Category.TRANSITION, Category.DISPOSAL)
    ]
    assert not changes, f"business as usual ({today}) carries costs of change: {changes}"


# --------------------------------------------------------------------------- identical lines


def _shared(lines: list[CostLine]) -> list[list[CostLine]]:
    """Lines that are the same (name, category, provider and values) in two or more options."""
    groups: dict[tuple, list[CostLine]] = defaultdict(list)
    for line in lines:
        groups[line.name, line.category, line.provider, line.values].append(line)
    return [group for group in groups.values() if len({ln.option for ln in group}) > 1]


def _synthetic_lines(service: Service, comparison: OptionComparison) -> list[CostLine]:
    """Every option's lines with every volume 1,000 a year (the same in each option)."""
    config, n = comparison.config, comparison.inputs.period_years
    metrics = service.all_volume_metrics(config, config.options)
    years = service.demand_years(config, n)
    runs = {run_key(o, y): dict.fromkeys(metrics, 1000.0) for o in config.options for y in years}
    return service.build_lines(config, n)(runs)


def test_a_line_the_same_in_two_options_has_the_same_uplift(service, compared) -> None:
    comparison, _ = compared(service, "as stated")
    bias = comparison.inputs.optimism_bias
    flows = comparison.appraisal.cash_flows
    uplift = flows.groupby(["option", "line"], sort=False)["optimism_bias"].sum()
    for group in _shared(list(comparison.lines)):
        percents = {line.option: bias.percent(line) for line in group}
        assert len(set(percents.values())) == 1, (group[0].name, percents)
        if not group[0].transfer:
            amounts = {line.option: float(uplift[line.option, line.name]) for line in group}
            assert len(set(amounts.values())) == 1, (group[0].name, amounts)
    for group in _shared(_synthetic_lines(service, comparison)):
        percents = {line.option: bias.percent(line) for line in group}
        assert len(set(percents.values())) == 1, (group[0].name, percents)


def test_renamed_section_renames_only_options() -> None:
    section = {
        "options": {"in_house": {"part": {"provider": "in_house"}}, "mixed": {}},
        "risks": {"r": {"arises_under": ["in_house"]}},
    }
    renamed = renamed_section(section, {"in_house": "a", "mixed": "b"})
    assert list(renamed["options"]) == ["a", "b"]
    assert renamed["business_as_usual"] == "a"  # the default, written out
    assert renamed["options"]["a"]["part"]["provider"] == "in_house"
    assert renamed["risks"]["r"]["arises_under"] == ["in_house"]
    assert Path(BASELINE).exists()
