"""The portfolio matrix: scores against a hand-computed account, the nightly task keeps
them per year, and the page draws linked bubbles."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from portfolio import matrix, services, tasks
from portfolio.models import MatrixScore
from portfolio.views import MATRIX_BUBBLES
from tests.factories import make_account, make_contact
from tests.portfolio.conftest import YEAR, put


def test_scores_of_a_hand_computed_account():
    account = SimpleNamespace(
        m_revenue=Decimal(600_000), m_margin=Decimal(90_000), m_potential=Decimal(1_000_000),
        m_revenue_before=Decimal(500_000), m_potential_rank=0.75, m_strength=4.0,
        m_answers=4, m_promoters=3, m_detractors=1,
    )  # fmt: skip
    attractiveness, position, parts = matrix.scores(account)
    # potential 75, growth +20 % -> 70, margin 15 % -> 37.5
    assert (parts["potential"], parts["growth"], parts["margin"]) == (75.0, 70.0, 37.5)
    assert attractiveness == Decimal("62.3")  # (75×40 + 70×30 + 37.5×30) / 100 = 62.25
    # wallet 60, relationship (4 - 1) × 25 = 75, NPS 50 -> 75
    assert (parts["wallet"], parts["relationship"], parts["satisfaction"]) == (60.0, 75.0, 75.0)
    assert position == Decimal("69.0")  # (60×40 + 75×30 + 75×30) / 100


def test_missing_data_counts_as_said():
    account = SimpleNamespace(
        m_revenue=Decimal(100), m_margin=Decimal(0), m_potential=None, m_revenue_before=None,
        m_potential_rank=0.0, m_strength=None, m_answers=0, m_promoters=0, m_detractors=0,
    )  # fmt: skip
    _, _, parts = matrix.scores(account)
    assert parts == {
        "potential": 50.0, "growth": 50.0, "margin": 0.0,
        "wallet": 0.0, "relationship": 0.0, "satisfaction": 50.0,
    }  # fmt: skip


@pytest.mark.django_db
def test_the_nightly_task_keeps_scores_per_year_and_the_page_draws_them(portfolio, head_client):
    put(portfolio["bauer"], 200_000, 20_000, year=YEAR - 1, revenue_potential=Decimal(800_000))
    put(portfolio["bauer"], 250_000, 30_000, revenue_potential=Decimal(1_000_000))
    make_contact(account=portfolio["bauer"], relationship_strength=5)
    assert services.matrix_store_year(year=YEAR - 1) == 1
    result = tasks.nightly_scores()
    assert result["matrix"] == 6
    assert tasks.nightly_scores()["matrix"] == 6  # recomputed, not added
    bauer = MatrixScore.objects.get(account=portfolio["bauer"], year=YEAR)
    assert bauer.parts["growth"] == 75.0  # +25 %
    assert bauer.parts["relationship"] == 100.0
    html = head_client.get(reverse("portfolio:matrix"), {"year": YEAR}).content.decode()
    assert f'href="/accounts/{portfolio["bauer"].pk}/"' in html
    assert 'stroke-dasharray="3 2"' in html  # Bauer's trail from last year
    assert "Kundenattraktivität" in html


@pytest.mark.django_db
def test_the_matrix_stays_within_scope(portfolio, kam, django_assert_num_queries):
    from tests.conftest import client_for

    services.matrix_store_year(year=YEAR)
    client = client_for(kam)
    # session, user, the manager's paths, scores, trails
    with django_assert_num_queries(5):
        html = client.get(reverse("portfolio:matrix"), {"year": YEAR}).content.decode()
    assert "Bauer GmbH" in html
    assert not any(name in html for name in ("Weber Holding", "Weber France", "Weber USA"))


@pytest.mark.django_db
def test_the_matrix_draws_the_years_biggest_customers(kam, head_client):
    accounts = [make_account(owner=kam, name=f"Kunde {n:02d}") for n in range(MATRIX_BUBBLES + 3)]
    MatrixScore.objects.bulk_create(
        MatrixScore(
            account=account, year=YEAR, attractiveness=50, position=50,
            revenue=Decimal(1000 * (n + 1)), status=account.status,
        )
        for n, account in enumerate(accounts)
    )  # fmt: skip

    html = head_client.get(reverse("portfolio:matrix"), {"year": YEAR}).content.decode()

    drawn = {account.name for account in accounts if f'href="/accounts/{account.pk}/"' in html}
    assert drawn == {account.name for account in accounts[3:]}
