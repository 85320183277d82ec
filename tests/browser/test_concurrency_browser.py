"""Two people edit the same account plan, in Chromium: the later save shows the other
person's text beside mine, keeps what I typed, and "Merge" saves both."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
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


def test_a_clash_on_the_plan_shows_both_versions_and_merge_keeps_both(
    page, sign_in, kam, account, head_of_sales
):
    plan = services.plan_create(
        actor=kam, account=account, year=current_year(), strengths="Lange Beziehung"
    )
    sign_in(kam)
    page.goto(reverse("planning:account_plan_detail", args=[plan.pk]))
    page.get_by_role("button", name="Plan bearbeiten").click()
    strengths = page.locator(f"#plan{plan.pk}-strengths")
    strengths.fill("Lange Beziehung\nEigenes Serviceteam vor Ort")

    # Meanwhile a colleague saves another text for the same field.
    services.plan_update(
        actor=head_of_sales, plan=plan, strengths="Lange Beziehung\nGünstige Frachtkosten"
    )
    page.get_by_role("button", name="Plan speichern").click()

    conflict = page.get_by_test_id("edit-conflict")
    expect(conflict).to_be_visible()
    expect(page.get_by_test_id("theirs-strengths")).to_contain_text("Günstige Frachtkosten")
    expect(strengths).to_have_value("Lange Beziehung\nEigenes Serviceteam vor Ort")  # kept
    expect(page.get_by_test_id("merged-strengths")).to_have_value(
        "Lange Beziehung\nGünstige Frachtkosten\nEigenes Serviceteam vor Ort"
    )
    page.get_by_test_id("merge").click()

    swot = page.get_by_test_id("plan-strengths").locator("li")
    expect(swot).to_have_text(
        ["Lange Beziehung", "Günstige Frachtkosten", "Eigenes Serviceteam vor Ort"]
    )
    expect(page.get_by_test_id("edit-conflict")).to_have_count(0)
    assert AccountPlan.objects.get(pk=plan.pk).strengths.endswith("Eigenes Serviceteam vor Ort")
