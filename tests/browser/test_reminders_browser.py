"""Reminders as a KAM meets them, in Chromium: the bell in the header counts what is due,
the reminders page links to the follow-up, marking the follow-up done clears it, and a
snoozed reminder leaves the list and the count."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities import services as activity_services
from reminders.models import Reminder
from reminders.services import run_rule

pytestmark = pytest.mark.browser


def test_bell_counts_the_due_follow_up_and_done_clears_it(page, sign_in, kam, account):
    follow_up = activity_services.follow_up_create(
        actor=kam, account=account, owner=kam, title="Angebot Flotte nachfassen",
        due_on=timezone.localdate(),
    )  # fmt: skip
    run_rule("follow_up_due")
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/")
    bell = page.get_by_test_id("reminder-bell")
    expect(bell.get_by_test_id("reminder-count")).to_have_text("1")

    bell.click()
    page.wait_for_url("**/reminders/")
    reminders = page.get_by_test_id("reminders")
    link = reminders.get_by_role("link", name="Angebot Flotte nachfassen")
    expect(link).to_have_attribute("href", "/activities/my-work/")
    link.click()
    page.wait_for_url("**/activities/my-work/")

    row = page.get_by_test_id("open-follow-ups").locator(f'tr[data-follow-up="{follow_up.pk}"]')
    row.get_by_test_id("done").click()
    expect(row).to_have_count(0)
    # The bell refreshes after the in-page update: nothing is due any more.
    expect(page.get_by_test_id("reminder-bell")).to_be_visible()
    expect(page.get_by_test_id("reminder-count")).to_have_count(0)
    assert Reminder.objects.get().cleared_at is not None


def test_mark_read_on_the_reminders_page_lowers_the_count(page, sign_in, kam, account):
    for title in ("Rückruf Einkauf", "Muster schicken"):
        activity_services.follow_up_create(
            actor=kam, account=account, owner=kam, title=title, due_on=timezone.localdate()
        )
    run_rule("follow_up_due")
    sign_in(kam)
    page.goto("/reminders/")
    expect(page.get_by_test_id("reminder-count")).to_have_text("2")
    first = page.locator("tr[data-reminder]").first
    first.get_by_role("button", name="Als gelesen markieren").click()
    expect(page.locator("tr[data-reminder]")).to_have_count(1)
    expect(page.get_by_test_id("reminder-count")).to_have_text("1")


def test_snooze_a_reminder_for_a_week(page, sign_in, kam, account):
    for title in ("Rückruf Einkauf", "Muster schicken"):
        activity_services.follow_up_create(
            actor=kam, account=account, owner=kam, title=title, due_on=timezone.localdate()
        )
    run_rule("follow_up_due")
    sign_in(kam)
    page.goto("/reminders/")
    expect(page.get_by_test_id("reminder-count")).to_have_text("2")
    first = page.locator("tr[data-reminder]").first
    first.get_by_role("button", name="1 Woche zurückstellen").click()
    expect(page.locator("tr[data-reminder]")).to_have_count(1)
    expect(page.get_by_test_id("reminder-count")).to_have_text("1")
    assert Reminder.objects.filter(snoozed_until__isnull=False).count() == 1
