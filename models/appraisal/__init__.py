"""HM Treasury Green Book costing shared by every service.

Options are costed as cash flows of *cost lines* (staff, running costs, contract charges, assets,
transition, client function, income) over an appraisal period, uplifted for optimism bias and
discounted at the Green Book rate to a present value of costs (net present cost, NPC). The option
with the lowest NPC is cheapest; differences are reported against the baseline, each service's
business as usual as its scenario section states it, which the Green Book shortlist always
keeps.

Conventions
-----------
Prices
    Real terms: constant prices of the scenario's base year, general inflation removed (Green Book
    2003 ch. 5, "Adjustments to values of costs and benefits"). A relative price change (e.g. pay
    above inflation, statutory charges frozen in cash so falling in real terms) is a real
    ``growth`` rate per line, compounded from the base year: the value in year ``t`` is
    ``base value * (1 + growth) ** t``.
Timeline
    Year 0 is the base year, the decision point. An appraisal of ``period_years = N`` covers years
    ``0 .. N`` (N + 1 columns): up-front costs (procurement, mobilisation, first asset purchase)
    fall in year 0, which is undiscounted; running costs fall in the N operating years ``1 .. N``
    by default (``first_year=1``). Each year's flow is discounted as one sum with the factor for
    that year (end-of-year convention).
Sign
    Positive = cost, negative = receipt. ``income``, ``service_credit`` and ``residual_value``
    lines are receipts and must not be positive.
Optimism bias
    Never stored on a line. :func:`appraise` computes the uplift from the un-uplifted line values
    every time, so summing or re-aggregating its output cannot apply it twice; both the value
    before uplift and the uplift amount stay visible as separate columns.

Modules: :mod:`~models.appraisal.discounting` (the Green Book schedule, factors, present
values), :mod:`~models.appraisal.cost_lines` (categories, providers and lines),
:mod:`~models.appraisal.line_builders` (staff, activity, asset, contract... lines),
:mod:`~models.appraisal.optimism_bias` (uplifts by project type less mitigation),
:mod:`~models.appraisal.risks` (the risk register), :mod:`~models.appraisal.lifecycle`
(re-lets), :mod:`~models.appraisal.results` (the economic case: present values per option and
per replication, paired comparison), :mod:`~models.appraisal.financial` (the financial case:
nominal cash, affordability), :mod:`~models.appraisal.should_cost` (contracts built bottom-up)
and :mod:`~models.appraisal.sensitivity` (switching values, the optimism bias at which a
ranking switches). Everything public is importable from ``models.appraisal`` itself.

References: HM Treasury, *The Green Book: appraisal and evaluation in central government* (2003,
updated 2011: the edition in force in 2012-13; the 2018 and 2022 editions keep the same
discount schedule); *Supplementary Green Book guidance: optimism bias* (2003, Mott MacDonald
study).
"""

from models.appraisal.cost_lines import (
    CREDIT_CATEGORIES,
    TRANSFER_CATEGORIES,
    Category,
    CostLine,
    Provider,
    annual_profile,
)
from models.appraisal.discounting import (
    GREEN_BOOK,
    DiscountSchedule,
    DiscountStep,
    ScheduleLike,
    as_schedule,
    discount_factors,
    present_value,
)
from models.appraisal.financial import (
    FinancialSettings,
    affordability,
    cash_by_year,
    financial_case,
)
from models.appraisal.lifecycle import ContractLifecycle, lifecycle_lines
from models.appraisal.line_builders import (
    activity_line,
    asset_lines,
    client_function_line,
    contract_lines,
    disposal_line,
    income_line,
    one_off_line,
    staff_cost_per_fte,
    staff_line,
)
from models.appraisal.optimism_bias import (
    NO_OPTIMISM_BIAS,
    PROJECT_TYPES,
    ContributoryFactor,
    OptimismBias,
    OptimismBiasLike,
    ProjectType,
    UpliftGroup,
    as_optimism_bias,
    uniform,
)
from models.appraisal.results import (
    Appraisal,
    ReplicationVolumes,
    appraise,
    appraise_replications,
    compare,
    economic_lines,
    net_present_costs,
)
from models.appraisal.risks import Risk, risk_lines, risk_register
from models.appraisal.sensitivity import (
    Selection,
    optimism_bias_switch,
    scale_lines,
    sensitivity,
    switching_value,
)
from models.appraisal.should_cost import (
    CostElement,
    ShouldCost,
    ShouldCostSettings,
    annual_capital_charge,
    should_cost,
)

__all__ = [
    "CREDIT_CATEGORIES",
    "GREEN_BOOK",
    "NO_OPTIMISM_BIAS",
    "PROJECT_TYPES",
    "TRANSFER_CATEGORIES",
    "Appraisal",
    "Category",
    "ContractLifecycle",
    "ContributoryFactor",
    "CostElement",
    "CostLine",
    "DiscountSchedule",
    "DiscountStep",
    "FinancialSettings",
    "OptimismBias",
    "OptimismBiasLike",
    "ProjectType",
    "Provider",
    "ReplicationVolumes",
    "Risk",
    "ScheduleLike",
    "Selection",
    "ShouldCost",
    "ShouldCostSettings",
    "UpliftGroup",
    "activity_line",
    "affordability",
    "annual_capital_charge",
    "annual_profile",
    "appraise",
    "appraise_replications",
    "as_optimism_bias",
    "as_schedule",
    "asset_lines",
    "cash_by_year",
    "client_function_line",
    "compare",
    "contract_lines",
    "discount_factors",
    "disposal_line",
    "economic_lines",
    "financial_case",
    "income_line",
    "lifecycle_lines",
    "net_present_costs",
    "one_off_line",
    "optimism_bias_switch",
    "present_value",
    "risk_lines",
    "risk_register",
    "scale_lines",
    "sensitivity",
    "should_cost",
    "staff_cost_per_fte",
    "staff_line",
    "switching_value",
    "uniform",
]
