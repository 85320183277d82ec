"""The action plan in Chromium: add an objective with two actions, tick one done and see the
progress change in place, change the target with a reason and find it in the adjustments."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from planning.models import Action, Objective
from tests.factories import make_account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEAR = timezone.localdate().year


def test_objective_with_two_actions_progress_and_adjustment(page, sign_in, kam):
    account = make_account(owner=kam, name="Brenner Fördertechnik GmbH")
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/?tab=planning")
    section = page.get_by_test_id("action-plan-section")
    expect(section).to_be_visible()

    # Add an objective inline.
    section.get_by_test_id("add-objective").locator("summary").click()
    page.locator("#id_objective-kind").select_option("revenue")
    page.locator("#id_objective-title").fill("Umsatz 2026 steigern")
    page.locator("#id_objective-target_value").fill("800000")
    section.get_by_test_id("add-objective").locator("button[type=submit]").click()
    card = page.get_by_test_id("objective").filter(has_text="Umsatz 2026 steigern")
    expect(card).to_be_visible()
    objective = Objective.objects.get()

    # Two actions.
    for title in ("Bedarfsanalyse mit dem Einkauf", "Rahmenvertrag verhandeln"):
        card.get_by_test_id("add-action").locator("summary").click()
        page.locator(f"#id_action-{objective.pk}-title").fill(title)
        page.locator(f"#id_action-{objective.pk}-due_on").fill(f"{YEAR}-12-15")
        card.get_by_test_id("add-action").locator("button[type=submit]").click()
        expect(card.get_by_test_id("actions")).to_contain_text(title)
    expect(card.get_by_test_id("actions-progress")).to_contain_text("0,0 %")
    assert Action.objects.filter(objective=objective).count() == 2

    # Tick one done: the progress changes in place, without a page load.
    page.evaluate("window.__stayed = true")
    card.get_by_test_id("action-done").first.check()
    expect(card.get_by_test_id("actions-progress")).to_contain_text("50,0 %")
    assert page.evaluate("window.__stayed") is True
    assert Action.objects.filter(objective=objective, status="done").count() == 1

    # Change the target: without a reason the error shows in place, with one it is kept.
    card.get_by_test_id("adjust").locator("summary").click()
    page.locator(f"#id_adjust-{objective.pk}-target_value").fill("700000")
    card.get_by_test_id("adjust").locator("button[type=submit]").click()
    expect(card.locator(".field-error")).to_be_visible()
    page.locator(f"#id_adjust-{objective.pk}-reason").fill("Großprojekt ins Folgejahr verschoben")
    card.get_by_test_id("adjust").locator("button[type=submit]").click()
    adjustments = card.get_by_test_id("adjustments")
    expect(adjustments).to_contain_text("Großprojekt ins Folgejahr verschoben")
    expect(adjustments).to_contain_text("700.000 €")
    expect(card.get_by_test_id("target")).to_have_text("700.000 €")
