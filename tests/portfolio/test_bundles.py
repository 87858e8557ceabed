"""A bundle's cost lines: the contractor's charges discounted, each service's client function
replaced by one shared team, everything else kept as the service's own."""

from __future__ import annotations

import pytest

from models.appraisal import Category, CostLine, Provider
from models.portfolio.bundles import bundle_lines, client_functions, shared_client_function

PERIOD = 5


def _lines() -> list[CostLine]:
    return [
        CostLine.annual("outsourced", "charges", Category.CONTRACT, 100.0, period_years=PERIOD),
        CostLine.annual(
            "outsourced", "charges service credits", Category.SERVICE_CREDIT, -5.0,
            period_years=PERIOD,
        ),
        CostLine.annual(
            "outsourced", "client function", Category.CLIENT_FUNCTION, 20.0,
            period_years=PERIOD, first_year=2,
        ),
        CostLine.annual("outsourced", "fuel", Category.OPERATING, 30.0, period_years=PERIOD),
        CostLine(
            "outsourced", "mobilisation", Category.TRANSITION, (0.0, 50.0),
            provider=Provider.CONTRACTOR,
        ),
    ]  # fmt: skip


def test_contract_charges_fall_by_the_discount_and_nothing_else_moves() -> None:
    out = {line.name: line for line in bundle_lines(_lines(), "bundle:x", service="fleet",
                                                     discount=0.1)}  # fmt: skip
    assert out["fleet: charges"].values[1:] == pytest.approx((90.0,) * PERIOD)
    assert out["fleet: charges service credits"].values[1:] == pytest.approx((-5.0,) * PERIOD)
    assert out["fleet: fuel"].values[1:] == pytest.approx((30.0,) * PERIOD)
    assert out["fleet: mobilisation"].values == (0.0, 50.0)  # a contractor's, not a charge
    assert all(line.option == "bundle:x" for line in out.values())


def test_the_service_client_function_is_left_out() -> None:
    out = bundle_lines(_lines(), "bundle:x", service="fleet", discount=0.0)
    assert [line.name for line in out if line.category is Category.CLIENT_FUNCTION] == []
    assert len(out) == len(_lines()) - 1


@pytest.mark.parametrize("discount", [-0.01, 1.0, 1.5])
def test_a_discount_outside_zero_to_one_is_refused(discount: float) -> None:
    with pytest.raises(ValueError, match="discount"):
        bundle_lines(_lines(), "bundle:x", service="fleet", discount=discount)


def test_the_shared_team_runs_in_every_year_a_dropped_one_did() -> None:
    early = CostLine.annual(
        "outsourced", "client function", Category.CLIENT_FUNCTION, 10.0,
        period_years=PERIOD, first_year=1, last_year=3,
    )  # fmt: skip
    dropped = [*client_functions(_lines()), early]
    shared = shared_client_function(
        "bundle:x", dropped, annual_cost=100.0, real_growth=0.1, period_years=PERIOD
    )
    assert shared.category is Category.CLIENT_FUNCTION and shared.provider is Provider.FORCE
    expected = [0.0] + [100.0 * 1.1**t for t in range(1, PERIOD + 1)]
    assert shared.values == pytest.approx(expected)
    late = shared_client_function(
        "bundle:x", client_functions(_lines()), annual_cost=100.0, period_years=PERIOD
    )
    assert late.values == pytest.approx((0.0, 0.0, 100.0, 100.0, 100.0, 100.0))
