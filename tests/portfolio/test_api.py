"""The portfolio API: figures in scope, company totals, suggestions, account health."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from portfolio.models import CompanyTotals, SuggestionDecision
from tests.portfolio.conftest import YEAR

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_portfolio_gives_shares_hhi_pareto_and_classes(portfolio, head_of_sales):
    data = api(head_of_sales).get(reverse("api-portfolio"), {"year": YEAR}).json()
    year = next(y for y in data["years"] if y["year"] == YEAR)
    assert Decimal(year["hhi"]) == Decimal("4350.0")
    assert year["uses_company_totals"] is False
    assert [(u["name"], u["abc"], u["warning"]) for u in data["units"]][:2] == [
        ("Weber Holding AG", "A", "red"),
        ("Bauer GmbH", "A", "amber"),
    ]
    assert [c["abc"] for c in data["pareto"]["classes"]] == ["A", "B", "C"]


def test_a_managers_units_are_theirs_with_company_shares(portfolio, kam, django_assert_num_queries):
    client = api(kam)
    with django_assert_num_queries(5):  # the paths in scope, thresholds, years, units, Pareto
        data = client.get(reverse("api-portfolio"), {"year": YEAR}).json()
    assert [(u["name"], Decimal(u["revenue_share"])) for u in data["units"]] == [
        ("Bauer GmbH", Decimal("25.0")),
        ("Claus KG", Decimal("10.0")),
    ]


def test_company_totals_put_is_idempotent_and_for_heads_of_sales_only(head_of_sales, kam):
    url = reverse("api-portfolio-company-totals-year", args=[YEAR])
    body = {"revenue": "2000000.00", "contribution_margin": "400000.00"}
    assert api(kam).put(url, body, format="json").status_code == 403
    assert not CompanyTotals.objects.exists()
    assert api(head_of_sales).put(url, body, format="json").status_code == 201
    assert api(head_of_sales).put(url, body, format="json").status_code == 200
    assert CompanyTotals.objects.get().revenue == Decimal(2_000_000)
    bad = api(head_of_sales).put(url, {"revenue": "-1", "contribution_margin": "0"}, format="json")
    assert bad.status_code == 400 and "revenue" in bad.json()["errors"]
    listed = api(kam).get(reverse("api-portfolio-company-totals")).json()
    assert listed[0]["year"] == YEAR


def test_suggestions_accept_and_reject(portfolio, kam, outsider):
    client = api(kam)
    data = client.get(reverse("api-portfolio-suggestions"), {"year": YEAR}).json()
    bauer = portfolio["bauer"]
    row = next(r for r in data["results"] if r["account"] == bauer.pk)
    assert row["suggested_status"] == "key_account" and "25" in row["sentence"]
    reject = reverse("api-portfolio-suggestion-reject", args=[bauer.pk])
    response = client.post(reject, {"year": YEAR, "reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert (
        api(outsider).post(reverse("api-portfolio-suggestion-accept", args=[bauer.pk])).status_code
        == 404
    )
    accept = client.post(
        reverse("api-portfolio-suggestion-accept", args=[bauer.pk]), {"year": YEAR}
    )
    assert accept.json()["status"] == "key_account"
    assert SuggestionDecision.objects.get().decision == "accepted"


def test_account_health_within_scope(portfolio, kam, outsider):
    url = reverse("api-account-health", args=[portfolio["bauer"].pk])
    data = api(kam).get(url).json()
    assert 0 <= data["score"] <= 100
    assert set(data["parts"]) == {"relationship", "satisfaction", "commercial", "service", "plan"}
    assert api(outsider).get(url).status_code == 404
