"""The whitespace matrix as a KAM uses it, in Chromium: open the account's Planning tab,
click an empty cell and land in the new-opportunity form with account and product line
chosen; set a cell's state in place, with the error shown next to the field first."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import ProductLine
from planning.whitespace import services
from tests.deals.conftest import ensure_default_stages

pytestmark = pytest.mark.browser


@pytest.fixture
def matrix(account, kam):
    ensure_default_stages()
    lines = {name: ProductLine.objects.create(name=name) for name in ("Antriebe", "Sensorik")}
    unit = services.unit_create(actor=kam, account=account, name="Werk Leipzig")
    services.cell_set(
        actor=kam, account=account, business_unit=unit, product_line=lines["Antriebe"],
        state="sold", revenue=500000,
    )  # fmt: skip
    return unit, lines


def open_matrix(page, account):
    page.goto(f"/accounts/{account.pk}/")
    page.locator("#tab-planning").click()
    section = page.get_by_test_id("whitespace-section")
    expect(section.get_by_test_id("whitespace-matrix")).to_be_visible()
    return section


def test_click_an_empty_cell_and_land_in_a_new_opportunity(page, sign_in, kam, account, matrix):
    unit, lines = matrix
    sign_in(kam)
    section = open_matrix(page, account)
    empty = section.locator(f'[data-unit="{unit.pk}"][data-line="{lines["Sensorik"].pk}"]')
    expect(empty).to_have_attribute("data-state", "unknown")
    # The sold cell offers no "start opportunity"; the empty one does.
    sold = section.locator(f'[data-unit="{unit.pk}"][data-line="{lines["Antriebe"].pk}"]')
    expect(sold.get_by_test_id("ws-start")).to_have_count(0)
    empty.get_by_test_id("ws-start").click()

    page.wait_for_url(re.compile(r"/planning/whitespace/account/\d+/cell/\d+/\d+/opportunity/"))
    form = page.locator("#opportunity-form")
    expect(form.locator("#id_account")).to_have_value(str(account.pk))
    expect(form.locator("#id_title")).to_have_value(re.compile("–"))  # "<unit> – <line>"
    expect(
        form.locator(f'input[name="product_lines"][value="{lines["Sensorik"].pk}"]')
    ).to_be_checked()
    expect(
        form.locator(f'input[name="product_lines"][value="{lines["Antriebe"].pk}"]')
    ).not_to_be_checked()


def test_set_a_cell_state_in_place(page, sign_in, kam, account, matrix):
    unit, lines = matrix
    sign_in(kam)
    section = open_matrix(page, account)
    cell = section.locator(f'[data-unit="{unit.pk}"][data-line="{lines["Sensorik"].pk}"]')
    cell.locator(".ws-edit").click()
    form = page.locator("#whitespace-cell-form")
    form.locator("#id_state").select_option("sold")
    form.locator("button[type=submit]").click()
    # Sold without revenue: the error appears next to the field, the matrix is unchanged.
    expect(page.locator("#whitespace-cell-form .field-error")).to_have_count(1)
    page.locator("#whitespace-cell-form #id_revenue").fill("75000")
    page.locator("#whitespace-cell-form button[type=submit]").click()
    expect(page.locator("#whitespace-cell-form")).to_have_count(0)
    cell = page.locator(f'[data-unit="{unit.pk}"][data-line="{lines["Sensorik"].pk}"]')
    expect(cell).to_have_attribute("data-state", "sold")
    expect(page.get_by_test_id("ws-total")).to_contain_text("575.000")
