"""Issue 27, portfolio: warnings compare exact shares (rounded only for display); company
totals below the accounts' sum are refused and never give shares above 100 %; money in
the portfolio API is a decimal string; one contact-silence limit for dashboard and
reminders."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from portfolio import concentration, dashboard, services
from portfolio.models import CompanyTotals
from tests.factories import make_account
from tests.portfolio.conftest import YEAR, put
from tests.portfolio.test_api import api

pytestmark = pytest.mark.django_db
D = Decimal


def two_accounts(kam, first, second):
    a = make_account(owner=kam, name="Erste AG")
    b = make_account(owner=kam, name="Zweite AG")
    put(a, first, 0)
    put(b, second, 0)
    return a, b


def test_warning_compares_the_exact_share_not_the_rounded_one(kam):
    # 50.04 % is above the red threshold of 50 % although it shows as 50.0 %.
    a, b = two_accounts(kam, "5004", "4996")
    rows = concentration.ranked_units(year=YEAR, limits=concentration.thresholds())
    assert [(r.name, r.revenue_share, r.warning) for r in rows] == [
        ("Erste AG", D("50.0"), "red"),
        ("Zweite AG", D("50.0"), "amber"),
    ]
    assert concentration.unit_share(a, year=YEAR).warning == "red"


def test_a_share_just_below_the_band_gets_no_warning(kam):
    a, b = two_accounts(kam, "2496", "7504")
    rows = {
        r.name: r for r in concentration.ranked_units(year=YEAR, limits=concentration.thresholds())
    }
    assert rows["Erste AG"].revenue_share == D("25.0")
    assert rows["Erste AG"].warning == ""
    assert concentration.unit_share(a, year=YEAR).warning == ""


def test_company_totals_below_the_accounts_sum_are_refused(portfolio, head_of_sales):
    with pytest.raises(ValidationError) as error:
        services.company_totals_put(
            actor=head_of_sales, year=YEAR, revenue=D(600_000), contribution_margin=D(400_000)
        )
    assert "revenue" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.company_totals_put(
            actor=head_of_sales, year=YEAR, revenue=D(0), contribution_margin=D(400_000)
        )
    assert not CompanyTotals.objects.exists()
    url = reverse("api-portfolio-company-totals-year", args=[YEAR])
    response = api(head_of_sales).put(
        url, {"revenue": "0", "contribution_margin": "0"}, format="json"
    )
    assert response.status_code == 400
    assert "revenue" in response.json()["errors"]


def test_totals_that_fell_below_the_accounts_never_give_more_than_100_percent(portfolio):
    # Totals entered first, the accounts' figures grew later.
    CompanyTotals.objects.create(year=YEAR, revenue=D(500_000), contribution_margin=D(0))
    summary = next(s for s in concentration.year_summaries() if s.year == YEAR)
    assert summary.company_totals_below_accounts
    assert summary.hhi == D("4350.0")  # over the accounts' sum of 1,000,000
    assert summary.top5_share == D("100.0")
    rows = concentration.ranked_units(year=YEAR)
    assert rows[0].revenue_share == D("60.0")
    assert concentration.unit_share(portfolio["weber"], year=YEAR).revenue_share == D("60.0")


def test_money_in_the_portfolio_api_is_a_decimal_string(kam, head_of_sales):
    two_accounts(kam, "0.10", "0.20")
    data = api(head_of_sales).get(reverse("api-portfolio"), {"year": YEAR}).json()
    year = next(y for y in data["years"] if y["year"] == YEAR)
    assert year["revenue"] == "0.30"
    assert data["units"][0]["revenue"] == "0.20"
    assert isinstance(data["units"][0]["revenue_share"], str)
    assert isinstance(data["thresholds"]["red_revenue"], str)


def test_one_silence_limit_for_dashboard_and_reminders(settings, kam):
    account = make_account(owner=kam, tier="C", status=Account.Status.KEY_ACCOUNT)
    Account.objects.filter(pk=account.pk).update(
        last_contacted_at=timezone.now() - timedelta(days=100)
    )
    # The reminders' limit for tier C (90 days by default) decides on the dashboard too.
    assert settings.REMINDER_SILENCE_DAYS["C"] == 90
    silent = Account.objects.filter(dashboard.no_contact_filter())
    assert list(silent) == [account]
    settings.REMINDER_SILENCE_DAYS = {"A": 30, "B": 60, "C": 120}
    assert not Account.objects.filter(dashboard.no_contact_filter()).exists()
