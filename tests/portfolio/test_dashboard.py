"""The managers' dashboard: figures against hand-computed sums, drill-downs, filters,
scope and a constant number of queries."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from portfolio import dashboard
from portfolio.health import week_of
from portfolio.models import HealthSnapshot
from tests.conftest import client_for
from tests.portfolio.conftest import put

pytestmark = pytest.mark.django_db
URL = reverse("portfolio:dashboard")
DRILL = reverse("portfolio:dashboard_accounts")
D = Decimal


@pytest.fixture
def this_year(portfolio):
    """This year's figures with targets: Bauer 250k of 500k, Claus 100k of 80k."""
    year = timezone.localdate().year
    put(portfolio["bauer"], 250_000, 30_000, year=year, revenue_target=D(500_000))
    put(portfolio["claus"], 100_000, 5_000, year=year, revenue_target=D(80_000))
    Account.objects.filter(pk=portfolio["bauer"].pk).update(
        region="Süd", tier="A", last_contacted_at=timezone.now() - timedelta(days=45)
    )
    Account.objects.filter(pk=portfolio["claus"].pk).update(
        region="Nord", tier="C", last_contacted_at=timezone.now() - timedelta(days=45)
    )
    return year


def test_totals_forecast_and_coverage(portfolio, this_year, kam):
    from accounts.access import visible_accounts

    totals = dashboard.totals(visible_accounts(kam), year=this_year)
    assert (totals.revenue, totals.revenue_target) == (D(350_000), D(580_000))
    assert totals.revenue_attainment == D("60.3")
    assert totals.gap == D(230_000)
    assert totals.coverage is None or totals.weighted_pipeline == 0
    # Bauer (tier A, 45 days > 30) is silent too long; Claus (tier C, 45 < 120) is not.
    assert totals.without_contact == 1


def test_attainment_per_manager_and_region(portfolio, this_year, kam):
    from accounts.access import visible_accounts

    rows = dashboard.attainment_by(visible_accounts(kam), year=this_year, by="region")
    assert [(r["label"], r["attainment"]) for r in rows] == [
        ("Süd", D("50.0")),
        ("Nord", D("125.0")),
    ]


def test_the_dashboard_drills_down_to_the_silent_accounts(portfolio, this_year, head_client):
    html = head_client.get(URL).content.decode()
    assert 'data-testid="drill-no-contact"' in html
    response = head_client.get(DRILL, {"metric": "no_contact"})
    rows = response.content.decode()
    assert "Bauer GmbH" in rows and "Claus KG" not in rows
    # Weber's group and Dorn were never contacted at all
    assert "Dorn AG" in rows


def test_filters_narrow_every_figure(portfolio, this_year, head_client):
    html = head_client.get(URL, {"region": "Nord"}).content.decode()
    assert (
        "125,0 %" in html
        and "Süd" not in html.split('data-testid="by-region"')[1].split("</table>")[0]
    )


def test_health_bands_drill_down(portfolio, this_year, head_client):
    week = week_of(timezone.localdate())
    HealthSnapshot.objects.create(account=portfolio["bauer"], week=week, score=35)
    HealthSnapshot.objects.create(account=portfolio["claus"], week=week, score=85)
    html = head_client.get(DRILL, {"metric": "health", "value": "0"}).content.decode()
    assert "Bauer GmbH" in html and "Claus KG" not in html


def test_a_manager_sees_only_their_accounts(portfolio, this_year, other_kam):
    html = client_for(other_kam).get(DRILL, {"metric": "revenue"}).content.decode()
    assert "Bauer GmbH" not in html and "Weber Holding AG" in html


def test_constant_queries(portfolio, this_year, head_of_sales, django_assert_num_queries):
    client = client_for(head_of_sales)
    # session, user, regions, owners (filter form), figures, pipeline, contact, per
    # owner, per region, health, thresholds, ranked units
    with django_assert_num_queries(12):
        assert client.get(URL).status_code == 200
    # session, user, whether the revenue sort keys are current, count, page (the regions
    # of the filter are cached since the dashboard)
    with django_assert_num_queries(5):
        assert client.get(DRILL, {"metric": "no_contact"}).status_code == 200


def test_revenue_drill_down_lists_the_biggest_first_also_before_new_year_rolls_over(
    portfolio, this_year, head_client
):
    def names() -> list[str]:
        html = head_client.get(DRILL, {"metric": "revenue"}).content.decode()
        return sorted(["Bauer GmbH", "Claus KG"], key=html.index)

    put(portfolio["claus"], 400_000, 5_000, year=this_year)  # Claus now above Bauer's 250,000
    assert names() == ["Claus KG", "Bauer GmbH"]
    # New Year not yet rolled over: Bauer's stored key still holds a bigger old revenue.
    Account.objects.filter(pk=portfolio["bauer"].pk).update(
        revenue_key=D(9_000_000), revenue_key_year=this_year - 1
    )
    assert names() == ["Claus KG", "Bauer GmbH"]
