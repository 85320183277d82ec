"""Yearly figures: the ERP owns the actuals, the key account manager the targets and the
potential; a group's share of wallet only where its potential covers the revenue."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accounts import selectors, services
from accounts.models import YearlyFigures
from tests.accounts.test_api import api_as, financials_url
from tests.factories import make_account


def plan(account, year=2026):
    services.figures_put(
        actor=account.owner,
        account=account,
        year=year,
        revenue=Decimal("500"),
        contribution_margin=Decimal("50"),
        revenue_target=Decimal("900"),
        margin_target=Decimal("90"),
        revenue_potential=Decimal("3000"),
    )


def test_erp_put_with_actuals_only_keeps_targets_and_potential(kam, account):
    plan(account)
    response = api_as(kam).put(
        financials_url(account, 2026), {"revenue": "700", "contribution_margin": "70"}
    )
    assert response.status_code == 200
    figures = YearlyFigures.objects.get(account=account, year=2026)
    assert (figures.revenue, figures.contribution_margin) == (Decimal("700"), Decimal("70"))
    assert figures.revenue_target == Decimal("900")
    assert figures.margin_target == Decimal("90")
    assert figures.revenue_potential == Decimal("3000")
    assert figures.actuals_as_of == timezone.localdate()


def test_put_replaces_the_actuals_it_owns(kam, account):
    plan(account)
    response = api_as(kam).put(financials_url(account, 2026), {"revenue": "700"})
    assert response.status_code == 200
    figures = YearlyFigures.objects.get(account=account, year=2026)
    assert figures.contribution_margin == Decimal("0")  # an actual left out of a PUT
    assert figures.revenue_target == Decimal("900")


def test_patch_changes_only_what_is_sent(kam, account):
    plan(account)
    response = api_as(kam).patch(financials_url(account, 2026), {"revenue_target": "950"})
    assert response.status_code == 200
    assert response.json()["revenue_target"] == "950.00"
    figures = YearlyFigures.objects.get(account=account, year=2026)
    assert figures.revenue == Decimal("500")
    assert figures.revenue_potential == Decimal("3000")
    assert figures.revenue_target == Decimal("950")


def test_patch_of_a_missing_year_is_404_and_bad_values_change_nothing(kam, account):
    client = api_as(kam)
    assert client.patch(financials_url(account, 2020), {"revenue": "1"}).status_code == 404
    plan(account)
    response = client.patch(financials_url(account, 2026), {"revenue_potential": "-5"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["revenue_potential"]
    assert YearlyFigures.objects.get(account=account).revenue_potential == Decimal("3000")


def test_erp_sends_the_date_its_actuals_stand_at(kam, account):
    response = api_as(kam).put(
        financials_url(account, 2026), {"revenue": "700", "actuals_as_of": "2026-09-30"}
    )
    assert response.status_code == 201
    assert response.json()["actuals_as_of"] == "2026-09-30"
    assert YearlyFigures.objects.get(account=account).actuals_as_of == date(2026, 9, 30)


def test_group_share_of_wallet_only_where_the_potential_covers_the_revenue(kam, account):
    covered = make_account(owner=kam, parent=account, name="Tochter mit Potenzial")
    uncovered = make_account(owner=kam, parent=account, name="Tochter ohne Potenzial")
    for member, revenue, potential in (
        (account, "100", "1000"),
        (covered, "100", "1000"),
        (uncovered, "800", None),
    ):
        services.figures_put(
            actor=kam,
            account=member,
            year=2026,
            revenue=Decimal(revenue),
            contribution_margin=Decimal("0"),
            revenue_potential=None if potential is None else Decimal(potential),
        )
    row = selectors.group_figures(account)[0]
    # 1,000 revenue against 2,000 potential would read 50 %: the potential of one member
    # is missing, so no share is shown, and the page says where.
    assert row["share_of_wallet"] is None
    assert row["accounts_without_potential"] == 1
    assert row["share_of_wallet_covered"] == Decimal("10.0")  # 200 of 2,000
    services.figures_put(
        actor=kam,
        account=uncovered,
        year=2026,
        revenue=Decimal("800"),
        contribution_margin=Decimal("0"),
        revenue_potential=Decimal("2000"),
    )
    row = selectors.group_figures(account)[0]
    assert row["share_of_wallet"] == Decimal("25.0")  # 1,000 of 4,000
    assert row["accounts_without_potential"] == 0


def test_group_figures_page_names_the_missing_potential(kam_client, kam, account):
    member = make_account(owner=kam, parent=account, name="Tochter ohne Potenzial")
    services.figures_put(
        actor=kam,
        account=account,
        year=2026,
        revenue=Decimal("100"),
        contribution_margin=Decimal("0"),
        revenue_potential=Decimal("1000"),
    )
    services.figures_put(
        actor=kam, account=member, year=2026, revenue=Decimal("800"), contribution_margin=0
    )
    html = kam_client.get(reverse("accounts:detail", args=[account.pk]), {"tab": "figures"}).text
    assert 'data-testid="potential-missing"' in html
    assert "Tochter ohne Potenzial" in html.split('data-testid="potential-missing"')[1][:400]
