"""The account plan as a user clicks through it, in Chromium: on an account with last
year's plan, the Planning tab offers "Start from last year's plan"; one click shows the new
draft with last year's texts; marking it reviewed shows who reviewed it."""

import importlib
import re

import pytest
from django.apps import apps
from django.utils import translation
from playwright.sync_api import expect

from accounts.selectors import current_year
from planning.account_plan import services
from planning.models import AccountPlan

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _default_stages(db):
    # Live-server tests flush the database; the other planning sections read deal stages.
    migration = importlib.import_module("deals.migrations.0002_default_stages")
    migration.create_stages(apps, None)


def label(status) -> str:
    with translation.override("de"):  # the users' language in this test
        return str(status.label)


def settled(page) -> None:
    """Wait until the other planning sections have loaded: the SQLite live server shares
    one connection between its threads, so the next click must not overlap them."""
    expect(page.locator("#tab-panel [aria-busy=true]")).to_have_count(0)


def test_start_from_last_years_plan(page, sign_in, kam, account):
    year = current_year()
    services.plan_create(
        actor=kam,
        account=account,
        year=year - 1,
        status=AccountPlan.Status.ACTIVE,
        strategies="Jahresgespräch mit der Geschäftsführung im ersten Quartal",
        threats="Wettbewerber mit Kampfpreisen\nEigenfertigung beim Kunden",
    )
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/")
    page.locator("#tab-planning").click()
    expect(page).to_have_url(re.compile(r"\?tab=planning$"))
    plan = page.get_by_test_id("account-plan")
    expect(plan.get_by_test_id("no-plan")).to_contain_text(str(year))
    settled(page)

    plan.get_by_test_id("copy-last-year").click()

    plan = page.get_by_test_id("account-plan")
    expect(plan.get_by_test_id("plan-strategies")).to_contain_text(
        "Jahresgespräch mit der Geschäftsführung im ersten Quartal"
    )
    threats = plan.get_by_test_id("plan-threats").locator("li")
    expect(threats).to_have_text(["Wettbewerber mit Kampfpreisen", "Eigenfertigung beim Kunden"])
    expect(plan.get_by_test_id("plan-status")).to_have_text(label(AccountPlan.Status.DRAFT))
    expect(page.locator("#toasts .toast")).to_have_count(1)
    new = AccountPlan.objects.get(account=account, year=year)
    assert new.status == AccountPlan.Status.DRAFT and new.strategies.startswith("Jahresgespräch")

    plan.get_by_test_id("mark-reviewed").click()
    expect(plan.get_by_test_id("plan-reviewed")).to_contain_text(str(kam))
    assert AccountPlan.objects.get(pk=new.pk).last_reviewed_by == kam

    # The year is in the address: a reload shows the same plan.
    page.get_by_role("link", name=str(year - 1), exact=True).click()
    expect(page).to_have_url(re.compile(rf"\?tab=planning&year={year - 1}$"))
    active = label(AccountPlan.Status.ACTIVE)
    expect(page.get_by_test_id("plan-status")).to_have_text(active)
    settled(page)
    page.reload()
    expect(page.get_by_test_id("plan-status")).to_have_text(active)
    expect(page.get_by_test_id("plan-strategies")).to_contain_text("Jahresgespräch")
    settled(page)
