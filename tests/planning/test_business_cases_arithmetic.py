"""The business-case arithmetic against examples computed by hand (the numbers are in the
tests). Every value is exact until the end and rounded once, half up."""

from decimal import Decimal as D

import pytest

from planning.business_cases.arithmetic import InvalidScenario, ScenarioInput, check, compute


def test_price_cut_volume_growth_and_upgrade_worked_example():
    # 1,000 units at 10.00; price −5 %, volume +10 %; upgrade: one-off 2,000, saves 1,500 a
    # year; process cost 5,000; our margin 30 %; horizon 3 years.
    result = compute(
        ScenarioInput(
            yearly_volume=D("1000"), unit_price=D("10.00"), horizon_years=3,
            process_cost=D("5000"), price_change_pct=D("-5"), volume_change_pct=D("10"),
            one_off_cost=D("2000"), yearly_saving=D("1500"), margin_pct=D("30"),
        )
    )  # fmt: skip
    assert result.baseline_spend == D("10000.00")  # 1,000 × 10.00
    assert result.new_volume == D("1100.00")  # 1,000 × 1.10
    assert result.new_unit_price == D("9.50")  # 10.00 × 0.95
    assert result.new_spend == D("10450.00")  # 1,100 × 9.50
    assert result.price_effect == D("550.00")  # 1,100 × (10.00 − 9.50)
    assert result.upgrade_saving == D("1500.00")
    assert result.yearly_saving == D("2050.00")  # 550 + 1,500
    assert result.process_cost_after == D("3500.00")  # 5,000 − 1,500
    assert result.horizon_saving_gross == D("6150.00")  # 2,050 × 3
    assert result.horizon_saving == D("4150.00")  # 6,150 − 2,000
    assert result.roi_pct == D("207.5")  # 4,150 / 2,000
    assert result.payback_months == D("11.7")  # 2,000 / (2,050 / 12) = 11.707…
    assert result.payback_within_horizon
    assert result.payback_note == ""
    assert result.revenue_effect == D("450.00")  # 10,450 − 10,000
    # Unit cost 7.00 (10.00 at 30 % margin) stays: 1,000 × 3.00 today, 1,100 × 2.50 after.
    assert result.baseline_margin == D("3000.00")
    assert result.new_margin == D("2750.00")
    assert result.margin_effect == D("-250.00")


def test_without_a_price_change_the_margin_effect_is_revenue_effect_times_margin():
    result = compute(
        ScenarioInput(
            yearly_volume=D("200"), unit_price=D("45.00"), horizon_years=2,
            volume_change_pct=D("25"), margin_pct=D("40"),
        )
    )  # fmt: skip
    assert result.revenue_effect == D("2250.00")  # 50 more units × 45.00
    assert result.margin_effect == D("900.00")  # 2,250 × 40 %
    assert result.yearly_saving == D("0.00")  # buying more is not a saving


def test_values_are_rounded_once_at_the_end():
    # 7 units at 0.99, price −0.5 %: new price 0.98505 (not rounded to 0.99 first), so the
    # new spend is 7 × 0.98505 = 6.89535 → 6.90; rounding the price first would give 6.93.
    result = compute(
        ScenarioInput(
            yearly_volume=D("7"), unit_price=D("0.99"), horizon_years=1,
            price_change_pct=D("-0.5"),
        )
    )  # fmt: skip
    assert result.new_spend == D("6.90")
    assert result.price_effect == D("0.03")  # 7 × 0.00495 = 0.03465
    assert result.revenue_effect == D("-0.03")  # 6.89535 − 6.93


def test_roi_and_payback_round_half_up():
    # Only an upgrade: saves 2,245 a year for 2,000 once, over one year: net 245, ROI
    # 12.25 % → 12.3 (half up, not half even); payback 2,000 × 12 / 2,245 = 10.69 → 10.7.
    result = compute(
        ScenarioInput(
            yearly_volume=D("0"), unit_price=D("0"), horizon_years=1,
            process_cost=D("3000"), one_off_cost=D("2000"), yearly_saving=D("2245"),
        )
    )  # fmt: skip
    assert result.horizon_saving == D("245.00")
    assert result.roi_pct == D("12.3")
    assert result.payback_months == D("10.7")


def test_payback_not_reached_when_the_customer_saves_nothing():
    # 100 units at 50.00, price +10 %: the customer pays 500 more a year, and 1,000 once.
    result = compute(
        ScenarioInput(
            yearly_volume=D("100"), unit_price=D("50"), horizon_years=2,
            price_change_pct=D("10"), one_off_cost=D("1000"),
        )
    )  # fmt: skip
    assert result.yearly_saving == D("-500.00")
    assert result.horizon_saving == D("-2000.00")  # −500 × 2 − 1,000
    assert result.roi_pct == D("-200.0")
    assert result.payback_months is None
    assert not result.payback_reached
    assert "Nicht erreicht" in result.payback_note


def test_zero_yearly_saving_is_not_a_division_by_zero():
    result = compute(
        ScenarioInput(
            yearly_volume=D("10"), unit_price=D("10"), horizon_years=3, one_off_cost=D("500")
        )
    )
    assert result.yearly_saving == D("0.00")
    assert result.payback_months is None
    assert result.roi_pct == D("-100.0")  # (0 − 500) / 500


def test_roi_is_empty_without_a_one_off_cost_and_payback_is_immediate():
    result = compute(
        ScenarioInput(
            yearly_volume=D("100"), unit_price=D("20"), horizon_years=3,
            price_change_pct=D("-10"),
        )
    )  # fmt: skip
    assert result.yearly_saving == D("200.00")  # 100 × 2.00
    assert result.roi_pct is None
    assert result.payback_months == D("0.0")


def test_payback_beyond_the_horizon_says_so():
    result = compute(
        ScenarioInput(
            yearly_volume=D("0"), unit_price=D("0"), horizon_years=3,
            process_cost=D("1000"), one_off_cost=D("10000"), yearly_saving=D("1000"),
        )
    )  # fmt: skip
    assert result.payback_months == D("120.0")  # 10,000 / (1,000 / 12)
    assert not result.payback_within_horizon
    assert "Betrachtungszeitraum" in result.payback_note


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"horizon_years": 0}, "horizon_years"),
        ({"yearly_volume": D("-1")}, "yearly_volume"),
        ({"unit_price": D("-0.01")}, "unit_price"),
        ({"one_off_cost": D("-5")}, "one_off_cost"),
        ({"volume_change_pct": D("-101")}, "volume_change_pct"),
    ],
)
def test_bad_input_is_refused_with_a_field_message(changes, field):
    data = {"yearly_volume": D("10"), "unit_price": D("1"), "horizon_years": 3, **changes}
    assert field in check(ScenarioInput(**data))
    with pytest.raises(InvalidScenario) as exc:
        compute(ScenarioInput(**data))
    assert field in exc.value.errors
