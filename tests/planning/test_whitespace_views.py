"""The whitespace section of the Planning tab: the matrix, setting a cell in place, the
units editor, the link that starts an opportunity, scope and query counts."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import ProductLine
from planning.models import BusinessUnit, WhitespaceCell
from planning.whitespace import services
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _stages(db):
    ensure_default_stages()


@pytest.fixture
def lines(db):
    return [ProductLine.objects.create(name=name) for name in ("Antriebe", "Sensorik", "Service")]


@pytest.fixture
def unit(account, kam):
    return services.unit_create(actor=kam, account=account, name="Werk Stuttgart")


def section_url(account) -> str:
    return reverse("planning:whitespace_account_section", args=[account.pk])


def cell_url(account, unit, line) -> str:
    return reverse("planning:whitespace_cell", args=[account.pk, unit.pk, line.pk])


def test_empty_cells_link_to_a_new_opportunity_for_account_and_product_line(
    kam_client, account, unit, lines
):
    html = kam_client.get(section_url(account), **HTMX).content.decode()
    for line in lines:
        expected = reverse(
            "planning:whitespace_start_opportunity", args=[account.pk, unit.pk, line.pk]
        )
        assert f'href="{expected}"' in html
    assert html.count('data-state="unknown"') == 3
    assert '<th scope="row">Werk Stuttgart</th>' in html
    assert '<th scope="col">Antriebe</th>' in html


def test_set_a_cell_in_place_and_see_the_totals(kam_client, account, unit, lines):
    response = kam_client.post(
        cell_url(account, unit, lines[1]), {"state": "open", "potential": "120000"}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-state="open"' in html
    assert "120.000 €" in html  # row, column and overall totals
    assert WhitespaceCell.objects.get().potential == D("120000")


def test_link_an_opportunity_of_the_account_to_a_cell(kam_client, account, unit, lines):
    deal = make_opportunity(account=account, title="Sensorpaket Stuttgart")
    response = kam_client.post(
        cell_url(account, unit, lines[1]), {"state": "open", "opportunity": deal.pk}, **HTMX
    )
    assert response.status_code == 200
    assert "Sensorpaket Stuttgart" in response.content.decode()
    assert WhitespaceCell.objects.get().opportunity == deal


def test_cell_errors_are_shown_in_place_with_422(kam_client, account, unit, lines):
    response = kam_client.post(cell_url(account, unit, lines[0]), {"state": "sold"}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="whitespace-cell-form"' in html and "field-error" in html
    assert not WhitespaceCell.objects.exists()


def test_a_unit_of_another_account_in_the_url_is_404(kam_client, kam, account, lines):
    other = make_account(owner=kam, name="Andere AG")
    foreign = services.unit_create(actor=kam, account=other, name="Werk Fremd")
    response = kam_client.post(cell_url(account, foreign, lines[0]), {"state": "open"}, **HTMX)
    assert response.status_code == 404
    assert not WhitespaceCell.objects.exists()


def test_add_rename_and_remove_units_inline(kam_client, account, unit):
    response = kam_client.post(
        reverse("planning:whitespace_unit_add", args=[account.pk]), {"name": "Werk Leipzig"}, **HTMX
    )
    assert response.status_code == 200
    leipzig = BusinessUnit.objects.get(name="Werk Leipzig")
    response = kam_client.post(
        reverse("planning:whitespace_unit_rename", args=[account.pk, leipzig.pk]),
        {f"unit-{leipzig.pk}-name": "Werk Stuttgart"},
        **HTMX,
    )
    # Renaming to an existing name is refused in place.
    assert response.status_code == 422
    assert "hat bereits einen Geschäftsbereich" in response.content.decode()
    response = kam_client.post(
        reverse("planning:whitespace_unit_rename", args=[account.pk, leipzig.pk]),
        {f"unit-{leipzig.pk}-name": "Brenner France"},
        **HTMX,
    )
    assert response.status_code == 200
    leipzig.refresh_from_db()
    assert leipzig.name == "Brenner France"
    response = kam_client.post(
        reverse("planning:whitespace_unit_delete", args=[account.pk, leipzig.pk]), **HTMX
    )
    assert response.status_code == 200
    assert list(account.business_units.values_list("name", flat=True)) == ["Werk Stuttgart"]


def test_empty_unit_name_is_refused_in_place(kam_client, account):
    response = kam_client.post(
        reverse("planning:whitespace_unit_add", args=[account.pk]), {"name": ""}, **HTMX
    )
    assert response.status_code == 422
    assert "field-error" in response.content.decode()


def test_outsider_gets_404(outsider_client, account, unit, lines):
    assert outsider_client.get(section_url(account), **HTMX).status_code == 404
    assert outsider_client.get(cell_url(account, unit, lines[0]), **HTMX).status_code == 404
    response = outsider_client.post(
        reverse("planning:whitespace_unit_add", args=[account.pk]), {"name": "X"}, **HTMX
    )
    assert response.status_code == 404


def test_section_without_htmx_goes_to_the_planning_tab(kam_client, account):
    response = kam_client.get(section_url(account))
    assert response["Location"].endswith(f"/accounts/{account.pk}/?tab=planning")


def test_cell_form_works_as_a_full_page(kam_client, account, unit, lines):
    response = kam_client.get(cell_url(account, unit, lines[0]))
    assert response.status_code == 200
    assert "<html" in response.content.decode()
    response = kam_client.post(cell_url(account, unit, lines[0]), {"state": "not_relevant"})
    assert response.status_code == 302


@pytest.mark.parametrize(("units", "line_count"), [(2, 3), (6, 5)])
def test_matrix_query_count_does_not_grow(
    kam_client, account, kam, units, line_count, django_assert_num_queries
):
    lines = [ProductLine.objects.create(name=f"Linie {n}") for n in range(line_count)]
    for n in range(units):
        unit = services.unit_create(actor=kam, account=account, name=f"Werk {n}")
        for line in lines:
            services.cell_set(
                actor=kam, account=account, business_unit=unit, product_line=line,
                state="open", potential=D("1000"), opportunity=None,
            )  # fmt: skip
    with django_assert_num_queries(12):
        response = kam_client.get(section_url(account), **HTMX)
    assert response.content.decode().count('data-state="open"') == units * line_count
