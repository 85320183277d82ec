"""Business cases: a saving cannot exceed the process cost; NPV and IRR at the case's
discount rate; the one-off price the customer pays us is part of our revenue effect."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from planning.business_cases import services
from planning.business_cases.arithmetic import InvalidScenario, ScenarioInput, compute
from planning.models import Scenario
from tests.deals.conftest import ensure_default_stages


@pytest.fixture(autouse=True)
def _stages(db):
    ensure_default_stages()


@pytest.fixture
def case(account, kam):
    return services.business_case_create(
        actor=kam, account=account, title="Servo-Umrüstung", horizon_years=3
    )


def test_saving_larger_than_the_process_cost_is_refused():
    data = ScenarioInput(
        yearly_volume=D("100"),
        unit_price=D("10"),
        horizon_years=3,
        process_cost=D("10000"),
        yearly_saving=D("15000"),
        one_off_cost=D("5000"),
    )
    with pytest.raises(InvalidScenario) as exc:
        compute(data)
    assert "yearly_saving" in exc.value.errors


def test_service_refuses_the_saving_with_a_clear_message_and_saves_nothing(case, kam):
    with pytest.raises(ValidationError) as exc:
        services.scenario_create(
            actor=kam,
            case=case,
            name="Zu schön",
            yearly_volume=D("100"),
            unit_price=D("10"),
            process_cost=D("10000"),
            yearly_saving=D("15000"),
        )
    message = exc.value.message_dict["yearly_saving"][0]
    assert "10.000" in message or "10,000" in message
    assert not Scenario.objects.exists()


def test_api_answers_400_for_a_saving_beyond_the_process_cost(kam_client, case):
    response = kam_client.post(
        f"/api/v1/business-cases/{case.pk}/scenarios/",
        {
            "name": "Zu schön",
            "yearly_volume": "100",
            "unit_price": "10",
            "process_cost": "10000",
            "yearly_saving": "15000",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "yearly_saving" in response.json()["errors"]
    assert not Scenario.objects.exists()


def test_net_present_value_and_internal_rate_of_return():
    # −10,000 now, then 4,000 a year for 3 years at 8 %:
    # 4,000/1.08 + 4,000/1.08² + 4,000/1.08³ − 10,000 = 308.39; the IRR is 9.7 %.
    result = compute(
        ScenarioInput(
            yearly_volume=D("100"),
            unit_price=D("10"),
            horizon_years=3,
            process_cost=D("5000"),
            yearly_saving=D("4000"),
            one_off_cost=D("10000"),
            discount_rate_pct=D("8"),
        )
    )
    assert result.discount_rate_pct == D("8")
    assert result.npv == D("308.39")
    assert result.irr_pct == D("9.7")


def test_no_irr_without_an_investment_or_without_a_saving():
    base = {"yearly_volume": D("100"), "unit_price": D("10"), "horizon_years": 3}
    assert (
        compute(ScenarioInput(**base, process_cost=D("10"), yearly_saving=D("5"))).irr_pct is None
    )
    assert compute(ScenarioInput(**base, one_off_cost=D("100"))).irr_pct is None


def test_one_off_price_counts_in_our_revenue_effect():
    result = compute(
        ScenarioInput(
            yearly_volume=D("100"),
            unit_price=D("10"),
            horizon_years=3,
            volume_change_pct=D("10"),  # +100 a year
            one_off_cost=D("5000"),
        )
    )
    assert result.revenue_effect == D("100.00")
    assert result.revenue_effect_first_year == D("5100.00")
    assert result.revenue_effect_horizon == D("5300.00")


def test_discount_rate_per_case_defaults_from_settings(settings, account, kam):
    settings.BUSINESS_CASE_DISCOUNT_RATE = D("6.5")
    case = services.business_case_create(actor=kam, account=account, title="X", horizon_years=2)
    assert case.discount_rate_pct == D("6.5")


def test_page_and_api_show_npv_and_irr(kam_client, case, kam):
    services.business_case_update(actor=kam, case=case, discount_rate_pct=D("8"))
    services.scenario_create(
        actor=kam,
        case=case,
        name="Umrüstung",
        yearly_volume=D("100"),
        unit_price=D("10"),
        process_cost=D("5000"),
        yearly_saving=D("4000"),
        one_off_cost=D("10000"),
    )
    data = kam_client.get(f"/api/v1/business-cases/{case.pk}/").json()
    results = data["scenarios"][0]["results"]
    assert results["npv"] == "308.39"
    assert results["irr_pct"] == "9.7"
    assert data["discount_rate_pct"] == "8.00"
    html = kam_client.get(f"/planning/business-cases/{case.pk}/").text
    assert 'data-testid="npv"' in html
    assert 'data-testid="irr"' in html
