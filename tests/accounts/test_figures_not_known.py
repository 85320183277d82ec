"""Issue 27: actuals for a year that has not begun are refused (API 400, page error) while
its targets and potential are allowed; the figures form keeps what was typed when the year
changes, and an empty revenue means "not known", not 0 €."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import YearlyFigures
from tests.accounts.test_api import api_as, financials_url
from tests.accounts.test_figures_form import HTMX, field_value, save

NEXT_YEAR = timezone.localdate().year + 1
THIS_YEAR = timezone.localdate().year
TODAY = timezone.localdate()


def test_actuals_for_a_year_that_has_not_begun_are_refused_by_the_api(kam, account):
    client = api_as(kam)
    response = client.put(
        financials_url(account, NEXT_YEAR),
        {
            "revenue": "1000",
            "contribution_margin": "100",
            "actuals_as_of": str(timezone.localdate()),
        },
    )
    assert response.status_code == 400
    assert "revenue" in response.json()["errors"]
    assert not YearlyFigures.objects.filter(account=account, year=NEXT_YEAR).exists()


def test_targets_and_potential_for_next_year_stay_allowed(kam, account):
    response = api_as(kam).put(
        financials_url(account, NEXT_YEAR),
        {"revenue_target": "5000", "revenue_potential": "9000"},
    )
    assert response.status_code == 201
    figures = YearlyFigures.objects.get(account=account, year=NEXT_YEAR)
    assert figures.revenue_target == Decimal("5000")
    assert figures.actuals_as_of is None  # no actuals stamped for a year not begun


def test_patch_with_actuals_for_next_year_is_refused(kam, account):
    api_as(kam).put(financials_url(account, NEXT_YEAR), {"revenue_target": "5000"})
    response = api_as(kam).patch(financials_url(account, NEXT_YEAR), {"revenue": "10"})
    assert response.status_code == 400
    assert YearlyFigures.objects.get(account=account, year=NEXT_YEAR).revenue == 0


def test_figures_form_refuses_actuals_for_next_year(kam_client, account):
    response = save(
        kam_client, account, year=str(NEXT_YEAR), revenue="1000", contribution_margin="10"
    )
    assert response.status_code == 422
    assert "noch nicht begonnen" in response.text
    assert not YearlyFigures.objects.filter(account=account, year=NEXT_YEAR).exists()


def test_changing_the_year_keeps_the_values_typed(kam_client, kam, account):
    services.figures_put(
        actor=kam, account=account, year=THIS_YEAR - 1, revenue=Decimal("201700"),
        contribution_margin=Decimal("40000"), revenue_target=Decimal("250000"),
    )  # fmt: skip
    # The form showed the current year (nothing stored); the user typed a revenue and a
    # target, then changed the year to last year.
    response = kam_client.get(
        reverse("accounts:figures_form", args=[account.pk]),
        {"year": THIS_YEAR - 1, "shown_year": THIS_YEAR, "revenue": "123456",
         "revenue_target": "", "contribution_margin": ""},
        **HTMX,
    )  # fmt: skip
    assert field_value(response.text, "revenue") == "123456"
    # What was not typed shows last year's stored values.
    assert field_value(response.text, "revenue_target") == "250000.00"
    assert field_value(response.text, "contribution_margin") == "40000.00"


def test_empty_revenue_is_not_saved_as_zero(kam_client, account):
    response = save(kam_client, account, year=str(THIS_YEAR), revenue="", contribution_margin="10")
    assert response.status_code == 422
    assert not YearlyFigures.objects.filter(account=account, year=THIS_YEAR).exists()


def test_empty_actuals_mean_not_known(kam_client, account):
    response = save(kam_client, account, year=str(THIS_YEAR), revenue_target="5000")
    assert response.status_code == 200
    figures = YearlyFigures.objects.get(account=account, year=THIS_YEAR)
    assert figures.revenue_target == Decimal("5000")
    assert figures.actuals_as_of is None  # no actuals: the forecast counts none
