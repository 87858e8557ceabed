"""Scenario files: safe loading, ``extends`` resolution, validation and one-line problems.

A scenario is a small YAML file (``data/scenarios/*.yaml``) holding every setting a run needs:
its name and description, the random seed, the price base year, run settings and the Green Book
appraisal settings, and a section for each service of the registry (:mod:`models.registry`),
built into the schema by :func:`models.scenario.schema.scenario_model`; the loader knows
nothing section-specific, so a new service needs no change here.

Every problem a user can make (broken YAML, unknown key, wrong type, out-of-range value, missing
section, ``extends`` cycle, missing file) becomes ONE line of the form::

    data/scenarios/growth.yaml: run.replications: must be at least 2 (got -3)

collected in :class:`ScenarioError` (``.problems`` holds all lines). YAML is read with
``yaml.safe_load`` only; tags that would construct Python objects are refused before anything is
constructed.

The package also loads the register of assumptions (``data/sources.yaml``): every default value
with its unit, grade (S published, D derived, E estimate) and source, so reports can show each
assumption next to where it came from.

Modules, in the order a file meets them: :mod:`~models.scenario.safe_yaml` (reading),
:mod:`~models.scenario.extends` (chains), :mod:`~models.scenario.schema` and
:mod:`~models.scenario.appraisal_settings` (validation), :mod:`~models.scenario.validation_messages`
and :mod:`~models.scenario.problems` (one-line problems), :mod:`~models.scenario.loader` (the
public loading API) and :mod:`~models.scenario.register` (the register of assumptions).

The appraisal section is validated here but used only in :mod:`models.appraisal`'s own types:
``discount_schedule`` is a :class:`models.appraisal.DiscountSchedule` (the Green Book's is
:data:`models.appraisal.GREEN_BOOK` itself) and ``optimism_bias_rules()`` a
:class:`models.appraisal.OptimismBias`.
"""

from models.appraisal import DiscountStep
from models.scenario.appraisal_settings import (
    AppraisalSettings,
    OptimismBiasSettings,
    green_book_discount_rates,
)
from models.scenario.loader import load_scenario, scenario_paths, scenario_sha256
from models.scenario.paths import DATA_DIR, DEFAULT_SCENARIO, DEFAULT_SOURCES, SCENARIOS_DIR
from models.scenario.problems import ScenarioError
from models.scenario.register import GRADE_MEANINGS, Source, load_sources
from models.scenario.schema import RunSettings, Scenario
from models.scenario.validation_messages import format_validation_error

#: The optimism-bias section's schema under its former name (percent per category, as written
#: in a file); the appraisal's type is :class:`models.appraisal.OptimismBias`.
OptimismBias = OptimismBiasSettings

__all__ = [
    "DATA_DIR",
    "DEFAULT_SCENARIO",
    "DEFAULT_SOURCES",
    "GRADE_MEANINGS",
    "SCENARIOS_DIR",
    "AppraisalSettings",
    "DiscountStep",
    "OptimismBias",
    "OptimismBiasSettings",
    "RunSettings",
    "Scenario",
    "ScenarioError",
    "Source",
    "format_validation_error",
    "green_book_discount_rates",
    "load_scenario",
    "load_sources",
    "scenario_paths",
    "scenario_sha256",
]
