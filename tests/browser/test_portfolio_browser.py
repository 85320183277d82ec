"""The portfolio as a head of sales clicks through it, in Chromium: the cockpit warns about
the biggest group and leads to it; a suggested status is accepted in place; the
dashboard's "accounts without contact" drills down to the list."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from playwright.sync_api import expect

from accounts.models import Account
from tests.factories import make_account
from tests.portfolio.conftest import YEAR, put

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _default_rules(db):
    # Live-server tests flush the database, and with it the rows of the data migrations.
    migration = importlib.import_module("portfolio.migrations.0002_default_rules_and_weights")
    migration.add_defaults(apps, None)


@pytest.fixture
def group(kam, other_kam):
    brenner = make_account(owner=kam, name="Brenner Automotive AG", status="key_account")
    usa = make_account(owner=kam, name="Brenner Motors USA", parent=brenner, country="USA")
    put(brenner, 500_000, 50_000)
    put(usa, 300_000, 30_000)
    bauer = make_account(owner=other_kam, name="Bauer GmbH", status="standard", tier="A")
    put(bauer, 300_000, 30_000, revenue_target=Decimal(400_000))
    put(make_account(owner=other_kam, name="Dorn AG", status="standard"), 50_000, 5_000)
    return brenner


def test_cockpit_warns_about_the_biggest_group_and_leads_to_it(page, sign_in, head_of_sales, group):
    sign_in(head_of_sales)
    page.goto("/portfolio/")
    warning = page.get_by_test_id(f"warning-{group.pk}")
    expect(warning).to_contain_text("Abhängigkeitsrisiko")
    expect(warning).to_contain_text("69,6 %")  # 800,000 of 1,150,000
    warning.get_by_role("link", name="Brenner Automotive AG").click()
    page.wait_for_url(f"**/accounts/{group.pk}/")
    expect(page.get_by_test_id("dependency-fact")).to_contain_text("69,6 % des Umsatzes")


def test_head_of_sales_accepts_a_suggested_status(page, sign_in, head_of_sales, group):
    bauer = Account.objects.get(name="Bauer GmbH")
    sign_in(head_of_sales)
    page.goto(f"/portfolio/suggestions/?year={YEAR}")
    row = page.get_by_test_id(f"suggestion-{bauer.pk}")
    expect(row).to_contain_text("26,1 % des Umsatzes")
    expect(row).to_contain_text("Standardkunde")
    row.get_by_role("button", name="Annehmen").click()
    expect(page.get_by_test_id(f"decided-{bauer.pk}")).to_contain_text("Status: Key Account")
    bauer.refresh_from_db()
    assert bauer.status == "key_account"


def test_dashboard_drills_down_from_accounts_without_contact(page, sign_in, head_of_sales, group):
    sign_in(head_of_sales)
    page.goto("/portfolio/dashboard/")
    page.get_by_test_id("drill-no-contact").click()
    page.wait_for_url("**/portfolio/dashboard/accounts/**")
    results = page.get_by_test_id("drill-results")
    expect(results).to_contain_text("Bauer GmbH")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ohne Kontakt")
