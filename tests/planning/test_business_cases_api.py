"""The business-case API: cases with scenarios and server-computed results, in scope."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services as account_services
from planning.business_cases import services
from planning.models import BusinessCase
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import make_account
from users.services import api_token_create

# The interface speaks German by default.
HORIZON_ERROR = "Der Betrachtungszeitraum muss mindestens ein Jahr betragen."

CASES = reverse("api-business-case-list")
SCENARIO = {
    "name": "Upgrade", "yearly_volume": "1000", "unit_price": "10.00", "process_cost": "5000",
    "price_change_pct": "-5", "volume_change_pct": "10", "one_off_cost": "2000",
    "yearly_saving": "1500", "margin_pct": "30",
}  # fmt: skip


def api_as(user) -> APIClient:
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def case_url(case) -> str:
    return reverse("api-business-case-detail", args=[case.pk])


def scenarios_url(case) -> str:
    return reverse("api-business-case-scenarios", args=[case.pk])


def scenario_url(case, scenario) -> str:
    return reverse("api-business-case-scenario", args=[case.pk, scenario.pk])


@pytest.fixture(autouse=True)
def _stages(db):
    ensure_default_stages()


@pytest.fixture
def kam_api(kam):
    return api_as(kam)


@pytest.fixture
def case(account, kam):
    return services.business_case_create(actor=kam, account=account, title="Servo", horizon_years=3)


def test_create_case_add_scenario_and_read_server_computed_results(kam_api, account):
    deal = make_opportunity(account=account)
    response = kam_api.post(
        CASES, {"account": account.pk, "title": "Rahmenvertrag", "opportunity": deal.pk}
    )
    assert response.status_code == 201, response.json()
    case = BusinessCase.objects.get(pk=response.json()["id"])
    assert case.horizon_years == 3 and case.opportunity == deal

    response = kam_api.post(scenarios_url(case), SCENARIO)
    assert response.status_code == 201, response.json()
    results = response.json()["results"]
    assert results["yearly_saving"] == "2050.00"
    assert results["price_effect"] == "550.00"
    assert results["horizon_saving"] == "4150.00"
    assert results["roi_pct"] == "207.5"
    assert results["payback_months"] == "11.7"
    assert results["margin_effect"] == "-250.00"

    detail = kam_api.get(case_url(case)).json()
    assert [s["name"] for s in detail["scenarios"]] == ["Upgrade"]
    assert detail["scenarios"][0]["results"]["revenue_effect"] == "450.00"


def test_bad_input_gives_400_with_field_errors(kam_api, account, case):
    response = kam_api.post(CASES, {"account": account.pk, "title": "X", "horizon_years": 0})
    assert response.status_code == 400
    assert response.json()["errors"]["horizon_years"] == [HORIZON_ERROR]
    response = kam_api.post(scenarios_url(case), {**SCENARIO, "yearly_volume": "-1"})
    assert response.status_code == 400
    assert "yearly_volume" in response.json()["errors"]
    assert not case.scenarios.exists()


def test_payback_not_reached_and_roi_without_one_off_cost(kam_api, case):
    response = kam_api.post(
        scenarios_url(case),
        {"name": "Teurer", "yearly_volume": "100", "unit_price": "50", "price_change_pct": "10"},
    )
    results = response.json()["results"]
    assert results["payback_months"] is None
    assert results["payback_reached"] is False
    assert results["roi_pct"] is None  # no one-off cost
    assert results["payback_note"]


def test_change_and_delete_a_scenario(kam_api, case, kam):
    scenario = services.scenario_create(
        actor=kam, case=case, name="A", yearly_volume=D("10"), unit_price=D("5")
    )
    response = kam_api.patch(scenario_url(case, scenario), {"unit_price": "6"})
    assert response.status_code == 200
    assert response.json()["results"]["baseline_spend"] == "60.00"
    response = kam_api.put(scenario_url(case, scenario), {**SCENARIO, "name": "B"})
    assert response.status_code == 200 and response.json()["name"] == "B"
    assert kam_api.delete(scenario_url(case, scenario)).status_code == 204
    assert not case.scenarios.exists()


def test_filter_by_account(kam_api, kam, account, case):
    other = make_account(owner=kam, name="Zweitkunde AG")
    services.business_case_create(actor=kam, account=other, title="Anderer Fall")
    response = kam_api.get(CASES, {"account": account.pk})
    assert [row["id"] for row in response.json()["results"]] == [case.pk]


def test_outsider_gets_404_and_sees_nothing(outsider, account, case, kam):
    scenario = services.scenario_create(
        actor=kam, case=case, name="A", yearly_volume=D("10"), unit_price=D("5")
    )
    api = api_as(outsider)
    assert api.get(CASES).json()["results"] == []
    assert api.get(case_url(case)).status_code == 404
    assert api.post(scenarios_url(case), SCENARIO).status_code == 404
    assert api.delete(scenario_url(case, scenario)).status_code == 404
    response = api.post(CASES, {"account": account.pk, "title": "Fremd"})
    assert response.status_code == 400
    assert "account" in response.json()["errors"]


def test_reader_may_read_but_not_write(sales_rep, account, case):
    account_services.team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    api = api_as(sales_rep)
    assert api.get(case_url(case)).status_code == 200
    assert api.post(scenarios_url(case), SCENARIO).status_code == 403
    assert api.patch(case_url(case), {"title": "Neu"}).status_code == 403


def test_opportunity_of_another_account_is_400(kam_api, kam, case):
    other = make_account(owner=kam, name="Zweitkunde AG")
    deal = make_opportunity(account=other)
    response = kam_api.patch(case_url(case), {"opportunity": deal.pk})
    assert response.status_code == 400
    assert "opportunity" in response.json()["errors"]


@pytest.mark.parametrize("rows", [3, 10])
def test_list_query_count_does_not_grow(kam_api, kam, account, rows, django_assert_num_queries):
    for n in range(rows):
        case = services.business_case_create(actor=kam, account=account, title=f"Fall {n}")
        services.scenario_create(
            actor=kam, case=case, name="A", yearly_volume=D("10"), unit_price=D("5")
        )
    with django_assert_num_queries(6):
        response = kam_api.get(CASES)
    assert response.json()["count"] == rows
    assert all(row["scenarios"][0]["results"] for row in response.json()["results"])
