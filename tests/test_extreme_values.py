"""Stored values at the edges of what validation accepts never break a page or the API.

Every model with computed columns (figures and share of wallet, contracts and their
deadlines, opportunities and the weighted pipeline, objectives and their forecast,
business-case scenarios, whitespace cells, surveys and NPS) gets the largest and
smallest values its validation lets through; then every page and every GET operation of
the API is walked as an administrator: nothing may answer 5xx.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts import services as account_services
from accounts.models import ProductLine
from activities import services as activity_services
from contracts import services as contract_services
from contracts.models import Contract
from customer_care import services as care_services
from deals import services as deal_services
from planning.action_plan import services as action_services
from planning.business_cases import services as case_services
from planning.business_cases.arithmetic import MONEY_LIMIT
from planning.whitespace import services as whitespace_services
from tests.conftest import client_for
from tests.factories import make_account, make_contact
from tests.test_scope import _walk_api, _walk_pages

# The largest amount a money field holds (99,999,999,999,999.99). SQLite keeps only 15
# significant digits of a decimal, so there the largest amount it can give back is used.
BIG = MONEY_LIMIT if connection.vendor == "postgresql" else Decimal("9999999999999.99")
TINY = Decimal("0.01")


@pytest.fixture
def extremes(admin_user, kam):
    account = make_account(owner=kam, actor=admin_user, name="Grenzfall AG")
    year = timezone.localdate().year
    line = ProductLine.objects.create(name="Grenzlinie")
    account.product_lines.add(line)
    for figure_year, revenue, potential in ((year, BIG, TINY), (year - 1, TINY, BIG)):
        account_services.figures_put(
            actor=admin_user, account=account, year=figure_year, revenue=revenue,
            contribution_margin=-BIG, revenue_target=TINY, margin_target=TINY,
            revenue_potential=potential,
        )  # fmt: skip
    for number, start, end, notice, renewal in (
        ("C-MIN", date(1900, 1, 1), date(1900, 1, 31), 60, 120),
        ("C-MAX", date(2200, 12, 1), date(2200, 12, 31), 60, 120),
        ("C-ONE", date(1900, 1, 1), date(1900, 1, 1), 0, 1),
    ):
        contract_services.contract_create(
            actor=admin_user, account=account, number=number, title=number, start_on=start,
            end_on=end, notice_period_months=notice, auto_renewal=True,
            renewal_term_months=renewal, annual_value=BIG, status="active",
        )  # fmt: skip
    for close in (date(1900, 1, 1), date(2200, 12, 31)):
        deal_services.opportunity_create(
            actor=admin_user, account=account, title=f"Deal {close.year}", value=BIG,
            expected_margin=BIG, expected_close_date=close, probability=100,
        )  # fmt: skip
    action_services.objective_create(
        actor=admin_user, account=account, year=year, kind="revenue", title="Riesig",
        target_value=TINY, due_on=date(year, 12, 31),
    )  # fmt: skip
    action_services.objective_create(
        actor=admin_user, account=account, year=year, kind="revenue", title="Winzig",
        target_value=BIG, due_on=date(year, 12, 31),
    )  # fmt: skip
    case = case_services.business_case_create(
        actor=admin_user, account=account, title="Grenzfall", horizon_years=15
    )
    for name, volume, price, one_off in (
        ("Groß", Decimal("99999"), Decimal("9999999"), Decimal("100000")),
        ("Klein", TINY, TINY, BIG),
    ):
        case_services.scenario_create(
            actor=admin_user, case=case, name=name, yearly_volume=volume, unit_price=price,
            one_off_cost=one_off, process_cost=Decimal("1000"), yearly_saving=Decimal("1000"),
            price_change_pct=Decimal("-100"),
        )  # fmt: skip
    unit = whitespace_services.unit_create(actor=admin_user, account=account, name="Werk")
    whitespace_services.cell_set(
        actor=admin_user, account=account, business_unit=unit, product_line=line,
        state="sold", revenue=BIG,
    )  # fmt: skip
    contact = make_contact(account=account, actor=admin_user)
    for nps in (0, 10):
        care_services.survey_record(
            actor=admin_user, account=account, nps=nps, csat=1, contact=contact,
            surveyed_on=date(1900, 1, 1),
        )  # fmt: skip
    activity_services.activity_log(
        actor=admin_user, account=account, kind="call",
        occurred_at=timezone.now() - timedelta(days=1), subject="Grenzfall",
        duration_minutes=7 * 24 * 60, contacts=[contact],
    )  # fmt: skip
    return account


def test_every_page_renders_extreme_accepted_values(extremes, admin_user):
    _leaks, errors = _walk_pages(client_for(admin_user), extremes)
    assert errors == [], errors


def test_every_api_operation_renders_extreme_accepted_values(extremes, admin_user):
    _leaks, errors = _walk_api(client_for(admin_user))
    assert errors == [], errors


def test_contract_dates_outside_1900_to_2200_are_refused(admin_user, kam):
    account = make_account(owner=kam)
    with pytest.raises(ValidationError) as exc:
        contract_services.contract_create(
            actor=admin_user, account=account, number="X", title="X",
            start_on=date(1, 1, 1), end_on=date(1, 1, 31),
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"start_on", "end_on"}
    assert not Contract.objects.exists()


def test_contract_api_refuses_year_one(admin_user, kam):
    account = make_account(owner=kam)
    response = client_for(admin_user).post(
        "/api/v1/contracts/",
        {"account": account.pk, "number": "X", "title": "X", "start_on": "0001-01-01",
         "end_on": "0001-01-31"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"start_on", "end_on"}
    assert not Contract.objects.exists()


def test_a_stored_contract_from_year_one_does_not_break_the_list(admin_user, kam):
    """Rows from before the bound (or written by hand) show no deadline instead of a 500."""
    account = make_account(owner=kam)
    Contract.objects.create(
        account=account, number="ALT", title="Alt", start_on=date(1, 1, 1),
        end_on=date(1, 1, 31), notice_period_months=60, owner=kam, status="active",
    )  # fmt: skip
    client = client_for(admin_user)
    assert client.get("/contracts/").status_code == 200
    rows = client.get("/api/v1/contracts/").json()["results"]
    assert [row["notice_deadline"] for row in rows] == [None]


def test_scenario_too_large_for_the_money_fields_is_refused(admin_user, kam):
    account = make_account(owner=kam)
    case = case_services.business_case_create(actor=admin_user, account=account, title="X")
    response = client_for(admin_user).post(
        f"/api/v1/business-cases/{case.pk}/scenarios/",
        {"name": "Zu groß", "yearly_volume": "3382694106594", "unit_price": "712496070"},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert "yearly_volume" in response.json()["errors"]
    assert not case.scenarios.exists()
