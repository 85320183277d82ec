"""The cockpit page: warnings, concentration figures, ranking, scope and query count."""

import pytest
from django.urls import reverse

from accounts import services as account_services
from portfolio.models import CompanyTotals
from tests.conftest import client_for
from tests.portfolio.conftest import YEAR

pytestmark = pytest.mark.django_db
URL = reverse("portfolio:cockpit")


def test_head_of_sales_sees_the_dependency_warning_of_the_biggest_group(portfolio, head_client):
    response = head_client.get(URL, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    weber = portfolio["weber"]
    assert f'data-testid="warning-{weber.pk}"' in html
    assert "Abhängigkeitsrisiko" in html  # red, in German
    assert f'href="/accounts/{weber.pk}/"' in html
    assert "60,0 %" in html
    assert "keine Unternehmenszahlen" in html.lower() or 'data-testid="no-company-totals"' in html
    assert "4.350" in html  # HHI
    assert "<svg" in html and "Pareto" in html


def test_with_company_totals_the_note_goes_and_the_warning_turns_amber(portfolio, head_client):
    CompanyTotals.objects.create(year=YEAR, revenue=2_000_000, contribution_margin=400_000)
    html = head_client.get(URL, {"year": YEAR}).content.decode()
    assert 'data-testid="no-company-totals"' not in html
    assert 'data-testid="warning-amber"' in html
    assert 'data-testid="warning-red"' not in html


def test_a_key_account_manager_sees_their_customers_with_their_company_rank(portfolio, kam):
    html = client_for(kam).get(URL, {"year": YEAR}).content.decode()
    assert "Bauer GmbH" in html and "Claus KG" in html
    assert "Weber Holding AG" not in html
    assert "25,0 %" in html  # Bauer's share of the whole company


def test_an_outsider_sees_no_customer_but_the_company_figures(portfolio, outsider_client):
    html = outsider_client.get(URL, {"year": YEAR}).content.decode()
    # The customers' names (the users' names are random and may be Weber or Bauer too).
    for name in ("Weber Holding", "Weber France", "Weber USA", "Bauer GmbH", "Claus KG", "Dorn AG"):
        assert name not in html, name


def test_the_cockpit_runs_a_constant_number_of_queries(
    portfolio, kam, head_of_sales, django_assert_num_queries
):
    from tests.factories import make_account
    from tests.portfolio.conftest import put

    for number in range(5):
        put(make_account(owner=kam, name=f"Extra {number}"), 1000 + number, 10)
    head = client_for(head_of_sales)
    # session, user, thresholds, year summaries, ranked units, Pareto
    with django_assert_num_queries(6):
        assert head.get(URL, {"year": YEAR}).status_code == 200
    manager = client_for(kam)
    # ... and the key account manager's scope (one query for their paths)
    with django_assert_num_queries(7):
        assert manager.get(URL, {"year": YEAR}).status_code == 200


def test_an_unknown_year_says_so(portfolio, head_client):
    html = head_client.get(URL, {"year": 2001}).content.decode()
    assert "2001" in html
    assert 'data-testid="ranking"' not in html


def test_the_account_header_of_a_subsidiary_warns_about_its_group(portfolio, head_client):
    # The fixture's year is this year: the header shows the current year's shares.
    page = head_client.get(reverse("accounts:detail", args=[portfolio["weber_fr"].pk])).text
    assert 'data-testid="dependency-fact"' in page
    assert "Konzern Weber Holding AG: 60,0 % des Umsatzes" in page
    page = head_client.get(reverse("accounts:detail", args=[portfolio["claus"].pk])).text
    assert 'data-testid="dependency-fact"' not in page


def test_a_subsidiary_header_does_not_name_a_group_top_outside_the_scope(portfolio, kam):
    # kam is on Weber France's team only: the group's share shows, Weber Holding's name
    # does not.
    account_services.team_member_set(
        actor=portfolio["weber_fr"].owner, account=portfolio["weber_fr"], user=kam,
        role="sales_rep", can_edit=False,
    )  # fmt: skip
    page = client_for(kam).get(reverse("accounts:detail", args=[portfolio["weber_fr"].pk])).text
    assert "Konzern: 60,0 % des Umsatzes" in page
    assert "Weber Holding" not in page
