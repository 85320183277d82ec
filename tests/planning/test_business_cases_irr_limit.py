"""Issue 27: an IRR above 1,000 % is not computed to a made-up number; the result says it
lies above the bound, and why."""

from decimal import Decimal as D

from planning.business_cases.arithmetic import ScenarioInput, compute


def test_irr_above_the_bound_says_so_instead_of_a_number():
    result = compute(
        ScenarioInput(
            yearly_volume=D("0"), unit_price=D("0"), horizon_years=3,
            process_cost=D("10000"), one_off_cost=D("1"), yearly_saving=D("10000"),
        )
    )  # fmt: skip
    assert result.irr_pct is None
    assert result.irr_above_limit
    assert "1,000" in result.irr_note or "1.000" in result.irr_note


def test_ordinary_irr_is_a_number():
    result = compute(
        ScenarioInput(
            yearly_volume=D("0"), unit_price=D("0"), horizon_years=3,
            process_cost=D("5000"), one_off_cost=D("2000"), yearly_saving=D("1500"),
        )
    )  # fmt: skip
    assert not result.irr_above_limit
    assert result.irr_pct == D("54.8")
