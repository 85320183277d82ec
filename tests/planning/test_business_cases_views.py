"""Business-case pages: the account's section, the case page with scenarios side by side,
and adding or changing a scenario in place."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts import services as account_services
from planning.business_cases import services
from planning.models import Scenario
from tests.conftest import client_for
from tests.deals.conftest import ensure_default_stages
from tests.factories import make_account

# The interface speaks German by default.
HORIZON_ERROR = "Der Betrachtungszeitraum muss mindestens ein Jahr betragen."

HTMX = {"HTTP_HX_REQUEST": "true"}
SCENARIO = {
    "name": "Upgrade", "yearly_volume": "1000", "unit_price": "10.00", "process_cost": "5000",
    "price_change_pct": "-5", "volume_change_pct": "10", "one_off_cost": "2000",
    "yearly_saving": "1500", "margin_pct": "30",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _stages(db):
    ensure_default_stages()


@pytest.fixture
def case(account, kam):
    return services.business_case_create(
        actor=kam, account=account, title="Servo-Umrüstung", horizon_years=3
    )


def add_scenarios(case, count: int) -> None:
    for n in range(count):
        services.scenario_create(
            actor=case.account.owner, case=case, name=f"Szenario {n}",
            yearly_volume=D("100") + n, unit_price=D("10"), one_off_cost=D("500"),
            process_cost=D("400"), yearly_saving=D("300"), price_change_pct=D("-2"),
        )  # fmt: skip


def case_url(case) -> str:
    return reverse("planning:business_case_detail", args=[case.pk])


def test_section_lists_the_accounts_cases(kam_client, account, case):
    response = kam_client.get(
        reverse("planning:business_cases_account_section", args=[account.pk]), **HTMX
    )
    assert response.status_code == 200
    assert "Servo-Umrüstung" in response.content.decode()


def test_section_without_htmx_goes_to_the_planning_tab(kam_client, account):
    response = kam_client.get(reverse("planning:business_cases_account_section", args=[account.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/accounts/{account.pk}/?tab=planning")


def test_outsider_gets_404_on_section_case_and_scenario_form(outsider_client, account, case):
    urls = [
        reverse("planning:business_cases_account_section", args=[account.pk]),
        case_url(case),
        reverse("planning:business_case_scenario_create", args=[case.pk]),
    ]
    for url in urls:
        assert outsider_client.get(url, **HTMX).status_code == 404
    response = outsider_client.post(
        reverse("planning:business_case_scenario_create", args=[case.pk]), SCENARIO, **HTMX
    )
    assert response.status_code == 404
    assert not Scenario.objects.exists()


def test_create_case_from_the_section_opens_its_page(kam_client, account):
    response = kam_client.post(
        reverse("planning:business_case_create", args=[account.pk]),
        {"title": "Rahmenvertrag", "horizon_years": "4"},
        **HTMX,
    )
    case = account.business_cases.get()
    assert response["HX-Redirect"] == case_url(case)
    assert case.horizon_years == 4


def test_horizon_zero_is_shown_in_the_form_with_422(kam_client, account):
    response = kam_client.post(
        reverse("planning:business_case_create", args=[account.pk]),
        {"title": "Rahmenvertrag", "horizon_years": "0"},
        **HTMX,
    )
    assert response.status_code == 422
    assert HORIZON_ERROR in response.content.decode()
    assert not account.business_cases.exists()


def test_add_scenario_inline_shows_results_with_their_parts(kam_client, case):
    response = kam_client.post(
        reverse("planning:business_case_scenario_create", args=[case.pk]), SCENARIO, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="case-body"' in html and "<html" not in html
    # The hand-computed example: saving 2,050.00 a year, 4,150.00 net over 3 years,
    # payback 11.7 months, our margin −250.00 (formatted for German).
    for text in ("2.050,00", "4.150,00", "11,7", "−250,00".replace("−", "-"), "207,5 %"):
        assert text in html, text


def test_negative_volume_is_shown_in_place_with_422(kam_client, case):
    response = kam_client.post(
        reverse("planning:business_case_scenario_create", args=[case.pk]),
        {**SCENARIO, "yearly_volume": "-10"},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="scenario-form"' in html and "field-error" in html
    assert not case.scenarios.exists()


def test_edit_scenario_in_place(kam_client, case):
    add_scenarios(case, 1)
    scenario = case.scenarios.get()
    response = kam_client.post(
        reverse("planning:business_case_scenario_edit", args=[case.pk, scenario.pk]),
        {**SCENARIO, "name": "Neu"},
        **HTMX,
    )
    assert response.status_code == 200
    scenario.refresh_from_db()
    assert scenario.name == "Neu" and scenario.yearly_volume == D("1000")


def test_reader_sees_the_case_but_no_edit_controls(case, account, sales_rep):
    account_services.team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    add_scenarios(case, 1)
    client = client_for(sales_rep)
    html = client.get(case_url(case)).content.decode()
    assert "Szenario 0" in html and 'id="case-form"' not in html
    response = client.post(
        reverse("planning:business_case_scenario_create", args=[case.pk]), SCENARIO, **HTMX
    )
    assert response.status_code == 403


def test_payback_not_reached_is_explained_on_the_page(kam_client, case):
    services.scenario_create(
        actor=case.account.owner, case=case, name="Preiserhöhung", yearly_volume=D("100"),
        unit_price=D("50"), price_change_pct=D("10"), one_off_cost=D("1000"),
    )  # fmt: skip
    html = kam_client.get(case_url(case)).content.decode()
    assert "Nicht erreicht" in html or "Not reached" in html


@pytest.mark.parametrize("count", [2, 6])
def test_case_page_query_count_does_not_grow_with_scenarios(
    kam_client, case, count, django_assert_num_queries
):
    add_scenarios(case, count)
    with django_assert_num_queries(8):
        response = kam_client.get(case_url(case))
    assert response.content.decode().count('data-testid="scenario-name"') == count


@pytest.mark.parametrize("count", [3, 10])
def test_section_query_count_does_not_grow_with_cases(
    kam_client, account, kam, count, django_assert_num_queries
):
    for n in range(count):
        services.business_case_create(actor=kam, account=account, title=f"Fall {n}")
    with django_assert_num_queries(8):
        response = kam_client.get(
            reverse("planning:business_cases_account_section", args=[account.pk]), **HTMX
        )
    assert response.content.decode().count('data-testid="business-case-row"') == count


def test_other_kam_cannot_see_the_case(case, other_kam):
    make_account(owner=other_kam)
    assert client_for(other_kam).get(case_url(case)).status_code == 404


def test_edit_case_with_bad_horizon_shows_the_error_and_keeps_the_case(kam_client, case):
    response = kam_client.post(
        reverse("planning:business_case_edit", args=[case.pk]),
        {"title": "Neu", "horizon_years": "0"},
    )
    assert response.status_code == 422
    assert HORIZON_ERROR in response.content.decode()
    case.refresh_from_db()
    assert (case.title, case.horizon_years) == ("Servo-Umrüstung", 3)


def test_delete_case_returns_to_the_planning_tab(kam_client, case, account):
    response = kam_client.post(reverse("planning:business_case_delete", args=[case.pk]))
    assert response["Location"].endswith(f"/accounts/{account.pk}/?tab=planning")
    assert not account.business_cases.exists()
