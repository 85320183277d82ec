"""The whitespace API: the matrix of an account, setting cells by unit and product line,
units CRUD, all within the access scope."""

from decimal import Decimal as D

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import ProductLine
from deals import services as deal_services
from deals.models import Opportunity
from planning.models import BusinessUnit, WhitespaceCell
from planning.whitespace import services
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import make_account
from users.services import api_token_create

MATRIX = reverse("api-whitespace-list")
UNITS = reverse("api-whitespace-unit-list")


def api_as(user) -> APIClient:
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def unit_url(unit) -> str:
    return reverse("api-whitespace-unit-detail", args=[unit.pk])


def cell_url(unit, line) -> str:
    return reverse("api-whitespace-unit-cell", args=[unit.pk, line.pk])


def start_url(unit, line) -> str:
    return reverse("api-whitespace-unit-cell-opportunity", args=[unit.pk, line.pk])


@pytest.fixture(autouse=True)
def _stages(db):
    ensure_default_stages()


@pytest.fixture
def kam_api(kam):
    return api_as(kam)


@pytest.fixture
def lines(db):
    return [ProductLine.objects.create(name=name) for name in ("Antriebe", "Sensorik")]


@pytest.fixture
def unit(account, kam):
    return services.unit_create(actor=kam, account=account, name="Werk Stuttgart")


def test_matrix_of_an_account_with_cells_and_totals(kam_api, kam, account, unit, lines):
    nordtec = deal_services.competitor_create(actor=kam, name="Nordtec AG")
    services.cell_set(
        actor=kam, account=account, business_unit=unit, product_line=lines[0],
        state="sold", revenue=D("1000"),
    )  # fmt: skip
    services.cell_set(
        actor=kam, account=account, business_unit=unit, product_line=lines[1],
        state="competitor", potential=D("250.50"), competitor=nordtec,
    )  # fmt: skip
    data = kam_api.get(MATRIX, {"account": account.pk}).json()
    assert data["account"] == account.pk
    assert [(u["name"], u["totals"]) for u in data["units"]] == [
        ("Werk Stuttgart", {"potential": "250.50", "revenue": "1000.00"})
    ]
    assert [(line["name"], line["totals"]["potential"]) for line in data["product_lines"]] == [
        ("Antriebe", "0.00"), ("Sensorik", "250.50"),
    ]  # fmt: skip
    assert {c["state"] for c in data["cells"]} == {"sold", "competitor"}
    assert data["totals"] == {"potential": "250.50", "revenue": "1000.00"}
    assert next(c for c in data["cells"] if c["competitor"])["competitor_name"] == "Nordtec AG"


def test_matrix_needs_an_account(kam_api):
    response = kam_api.get(MATRIX)
    assert response.status_code == 400
    assert "account" in response.json()["errors"]


def test_put_and_patch_a_cell_by_unit_and_product_line(kam_api, account, unit, lines):
    deal = make_opportunity(account=account)
    response = kam_api.put(
        cell_url(unit, lines[0]), {"state": "open", "potential": "5000", "opportunity": deal.pk}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["opportunity"] == deal.pk
    response = kam_api.patch(cell_url(unit, lines[0]), {"potential": "7000"})
    assert response.status_code == 200
    cell = WhitespaceCell.objects.get()
    assert (cell.state, cell.potential, cell.opportunity) == ("open", D("7000"), deal)
    assert kam_api.get(cell_url(unit, lines[0])).json()["potential"] == "7000.00"
    assert kam_api.get(cell_url(unit, lines[1])).status_code == 404  # unknown, never set


def test_bad_cell_input_is_400_with_field_errors(kam_api, kam, account, unit, lines):
    response = kam_api.put(cell_url(unit, lines[0]), {"state": "sold"})
    assert response.status_code == 400
    assert "revenue" in response.json()["errors"]
    foreign_deal = make_opportunity(account=make_account(owner=kam, name="Andere AG"))
    response = kam_api.put(
        cell_url(unit, lines[0]), {"state": "open", "opportunity": foreign_deal.pk}
    )
    assert response.status_code == 400
    assert "opportunity" in response.json()["errors"]
    response = kam_api.put(cell_url(unit, lines[0]), {"state": "open", "potential": "-1"})
    assert response.status_code == 400
    assert "potential" in response.json()["errors"]
    assert not WhitespaceCell.objects.exists()


def test_start_an_opportunity_from_a_cell_links_it_to_the_cell(kam_api, kam, account, unit, lines):
    response = kam_api.post(start_url(unit, lines[1]), {"value": "50000"}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["title"], data["value"]) == ("Werk Stuttgart – Sensorik", "50000.00")
    assert (data["account"], data["product_lines"]) == (account.pk, [lines[1].pk])
    assert data["owner"] == kam.pk
    cell = WhitespaceCell.objects.get()
    assert (cell.product_line, cell.state, cell.opportunity_id) == (lines[1], "open", data["id"])
    assert kam_api.get(cell_url(unit, lines[1])).json()["opportunity"] == data["id"]


def test_a_sold_cell_started_again_stays_sold_with_the_new_opportunity(
    kam_api, kam, account, unit, lines
):
    services.cell_set(
        actor=kam, account=account, business_unit=unit, product_line=lines[0],
        state="sold", revenue=D("1000"), notes="Rahmenvertrag",
    )  # fmt: skip
    response = kam_api.post(
        start_url(unit, lines[0]), {"title": "Erweiterung", "value": "20000"}, format="json"
    )
    assert response.status_code == 201, response.json()
    cell = WhitespaceCell.objects.get()
    assert (cell.state, cell.revenue, cell.notes) == ("sold", D("1000"), "Rahmenvertrag")
    assert cell.opportunity.title == "Erweiterung"


def test_bad_opportunity_input_is_400_and_creates_nothing(kam_api, unit, lines):
    response = kam_api.post(
        start_url(unit, lines[0]), {"value": "-5", "stage": 999999}, format="json"
    )
    assert response.status_code == 400
    assert "stage" in response.json()["errors"]
    response = kam_api.post(start_url(unit, lines[0]), {"value": "-5"}, format="json")
    assert response.status_code == 400
    assert "value" in response.json()["errors"]
    assert not Opportunity.objects.exists()
    assert not WhitespaceCell.objects.exists()


def test_a_product_line_no_longer_offered_rolls_back_the_new_opportunity(kam_api, unit, lines):
    lines[0].active = False
    lines[0].save()
    response = kam_api.post(start_url(unit, lines[0]), {"value": "100"}, format="json")
    assert response.status_code == 400
    assert "product_line" in response.json()["errors"]
    # The opportunity and the link are one step: neither is left behind.
    assert not Opportunity.objects.exists()
    assert not WhitespaceCell.objects.exists()


def test_starting_an_opportunity_outside_the_scope_or_without_edit_right(
    outsider, sales_rep, account, unit, lines
):
    assert api_as(outsider).post(start_url(unit, lines[0]), {}).status_code == 404
    account_services.team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    assert api_as(sales_rep).post(start_url(unit, lines[0]), {}).status_code == 403
    missing_line = reverse("api-whitespace-unit-cell-opportunity", args=[unit.pk, 999999])
    assert api_as(account.owner).post(missing_line, {}).status_code == 404
    assert not Opportunity.objects.exists()
    assert not WhitespaceCell.objects.exists()


def test_units_create_rename_and_delete(kam_api, account):
    response = kam_api.post(UNITS, {"account": account.pk, "name": "Werk Leipzig"})
    assert response.status_code == 201
    unit = BusinessUnit.objects.get(pk=response.json()["id"])
    response = kam_api.patch(unit_url(unit), {"name": "Brenner France"})
    assert response.status_code == 200 and response.json()["name"] == "Brenner France"
    response = kam_api.post(UNITS, {"account": account.pk, "name": "brenner france"})
    assert response.status_code == 400 and "name" in response.json()["errors"]
    assert kam_api.get(UNITS, {"account": account.pk}).json()["count"] == 1
    assert kam_api.delete(unit_url(unit)).status_code == 204
    assert not BusinessUnit.objects.exists()


def test_outsider_gets_404_everywhere(outsider, account, unit, lines):
    api = api_as(outsider)
    assert api.get(MATRIX, {"account": account.pk}).status_code == 404
    assert api.get(unit_url(unit)).status_code == 404
    assert api.put(cell_url(unit, lines[0]), {"state": "open"}).status_code == 404
    assert api.delete(unit_url(unit)).status_code == 404
    assert api.get(UNITS).json()["results"] == []
    response = api.post(UNITS, {"account": account.pk, "name": "X"})
    assert response.status_code == 400 and "account" in response.json()["errors"]
    assert not WhitespaceCell.objects.exists()


def test_reader_may_read_but_not_set_cells(sales_rep, account, unit, lines):
    account_services.team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    api = api_as(sales_rep)
    assert api.get(MATRIX, {"account": account.pk}).status_code == 200
    assert api.put(cell_url(unit, lines[0]), {"state": "open"}).status_code == 403
    assert api.patch(unit_url(unit), {"name": "Neu"}).status_code == 403


@pytest.mark.parametrize(("units", "line_count"), [(2, 3), (6, 5)])
def test_matrix_query_count_does_not_grow(
    kam_api, kam, account, units, line_count, django_assert_num_queries
):
    lines = [ProductLine.objects.create(name=f"Linie {n}") for n in range(line_count)]
    for n in range(units):
        unit = services.unit_create(actor=kam, account=account, name=f"Werk {n}")
        for line in lines:
            services.cell_set(
                actor=kam, account=account, business_unit=unit, product_line=line,
                state="sold", revenue=D("10"),
            )  # fmt: skip
    with django_assert_num_queries(10):
        data = kam_api.get(MATRIX, {"account": account.pk}).json()
    assert len(data["cells"]) == units * line_count
    assert data["totals"]["revenue"] == f"{units * line_count * 10}.00"
