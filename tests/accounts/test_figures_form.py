"""The figures form on the account page: empty for a new year, the stored values for a
year that has figures, and a confirmation before stored values are replaced with zeros."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import YearlyFigures
from tests.conftest import client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


def field_value(html: str, name: str) -> str | None:
    """The value attribute of the input `name`, None when it has none (an empty box)."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert tag, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


@pytest.fixture
def stored(kam, account):
    figures, _created = services.figures_put(
        actor=kam,
        account=account,
        year=2025,
        revenue=Decimal("201700"),
        contribution_margin=Decimal("40000"),
        revenue_target=Decimal("250000"),
        revenue_potential=Decimal("900000"),
    )
    return figures


def form_for(client, account, year) -> str:
    response = client.get(
        reverse("accounts:figures_form", args=[account.pk]), {"year": year}, **HTMX
    )
    assert response.status_code == 200
    return response.text


def save(client, account, **data):
    values = {
        "year": "2025",
        "revenue": "",
        "contribution_margin": "",
        "revenue_target": "",
        "margin_target": "",
        "revenue_potential": "",
    }
    return client.post(reverse("accounts:figures_save", args=[account.pk]), values | data, **HTMX)


def test_form_for_a_year_without_figures_is_empty(kam_client, account, stored):
    html = form_for(kam_client, account, 2026)
    assert field_value(html, "year") == "2026"
    for name in ("revenue", "contribution_margin", "revenue_target", "revenue_potential"):
        assert field_value(html, name) is None, name


def test_form_for_a_stored_year_shows_its_values(kam_client, account, stored):
    html = form_for(kam_client, account, 2025)
    assert field_value(html, "revenue") == "201700.00"
    assert field_value(html, "revenue_target") == "250000.00"
    assert field_value(html, "revenue_potential") == "900000.00"
    assert field_value(html, "margin_target") is None


def test_figures_tab_shows_no_zeros_for_the_current_year_without_figures(kam_client, account):
    html = kam_client.get(reverse("accounts:tab", args=[account.pk, "figures"]), **HTMX).text
    assert field_value(html, "revenue") is None
    # The year field asks for that year's figures when it changes.
    assert 'hx-trigger="change changed from:#id_year"' in html


def test_replacing_stored_figures_with_zeros_asks_first_and_changes_nothing(
    kam_client, account, stored
):
    response = save(
        kam_client, account, revenue="0", contribution_margin="0", revenue_target="250000"
    )
    assert response.status_code == 200
    assert 'data-testid="figures-confirm"' in response.text
    assert "Umsatz: 201.700 € → 0 €" in response.text
    assert "Umsatzpotenzial: 900.000 € → leer" in response.text
    # What the user typed stays in the form for the confirmation.
    assert field_value(response.text, "revenue") == "0"
    stored.refresh_from_db()
    assert stored.revenue == Decimal("201700")
    assert stored.revenue_potential == Decimal("900000")


def test_confirmed_replacement_is_saved(kam_client, account, stored):
    response = save(kam_client, account, revenue="0", contribution_margin="0", confirmed="2025")
    assert response.status_code == 200
    assert 'data-testid="figures-confirm"' not in response.text
    stored.refresh_from_db()
    assert (stored.revenue, stored.revenue_target, stored.revenue_potential) == (0, None, None)


def test_confirmation_of_another_year_does_not_count(kam_client, account, stored):
    response = save(kam_client, account, revenue="0", contribution_margin="0", confirmed="2024")
    assert 'data-testid="figures-confirm"' in response.text
    stored.refresh_from_db()
    assert stored.revenue == Decimal("201700")


def test_saving_the_shown_values_or_higher_ones_needs_no_confirmation(kam_client, account, stored):
    response = save(
        kam_client,
        account,
        revenue="210000",
        contribution_margin="40000",
        revenue_target="250000",
        revenue_potential="900000",
    )
    assert 'data-testid="figures-confirm"' not in response.text
    stored.refresh_from_db()
    assert stored.revenue == Decimal("210000")


def test_new_year_left_empty_saves_no_actuals_without_asking(kam_client, account):
    response = save(kam_client, account, year="2027", revenue_target="5000")
    assert 'data-testid="figures-confirm"' not in response.text
    figures = YearlyFigures.objects.get(account=account, year=2027)
    assert (figures.revenue_target, figures.actuals_as_of) == (Decimal("5000"), None)


def test_confirmation_without_htmx_is_a_full_page(kam_client, account, stored):
    response = kam_client.post(
        reverse("accounts:figures_save", args=[account.pk]),
        {"year": "2025", "revenue": "0", "contribution_margin": "0"},
    )
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'data-testid="figures-confirm"' in response.text


def test_reader_gets_no_figures_form(account, sales_rep, stored, kam):
    services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    response = client_for(sales_rep).get(
        reverse("accounts:figures_form", args=[account.pk]), {"year": 2025}, **HTMX
    )
    assert response.status_code == 403


def test_outsider_gets_404(outsider, account):
    response = client_for(outsider).get(
        reverse("accounts:figures_form", args=[account.pk]), {"year": 2025}, **HTMX
    )
    assert response.status_code == 404
