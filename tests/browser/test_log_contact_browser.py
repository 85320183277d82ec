"""Logging and follow-up with few clicks, in Chromium: a visit logged from the account page
in three clicks, "Log contact" from the header with type-ahead, editing and deleting an
activity, rescheduling a follow-up, and the counts in the header and the account header
that follow every in-place action without a reload.

Locators use ids, test ids and values rather than texts, so the tests hold in either
language.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, FollowUp
from tests.activities.conftest import follow_up, log
from tests.factories import make_contact

pytestmark = pytest.mark.browser


def test_log_a_visit_from_the_account_page_in_three_clicks(page, sign_in, kam, account):
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/")
    facts = page.get_by_test_id("account-facts")
    expect(facts.get_by_test_id("fact-last-contact")).to_contain_text("nie")

    # Click 1: the account header's button; the subject has the focus, so just type.
    page.get_by_test_id("account-log-contact").click()
    dialog = page.locator("#modal-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("picker-account").locator(".chip")).to_contain_text(account.name)
    expect(dialog.locator("#id_subject")).to_be_focused()
    page.keyboard.type("Werksbesuch Halle 3")
    page.keyboard.press("Tab")
    # Click 2: the kind; click 3: save.
    dialog.locator("label.kind-choice", has=page.locator("input[value=visit]")).click()
    dialog.get_by_test_id("save-activity").click()

    expect(page.locator("#modal-dialog")).to_have_count(0)
    activity = Activity.objects.get()
    assert (activity.account, activity.kind, activity.subject) == (
        account, "visit", "Werksbesuch Halle 3",
    )  # fmt: skip
    assert abs(activity.occurred_at - timezone.now()) < timedelta(minutes=2)  # "now" preset
    assert list(activity.users.all()) == [kam]
    # The account header follows without a reload.
    expect(facts.get_by_test_id("fact-last-contact")).not_to_contain_text("nie")
    expect(page.locator("#toasts .toast")).to_have_count(1)


def test_log_contact_from_the_header_picks_account_and_contact_by_type_ahead_and_counts_update(
    page, sign_in, kam, account
):
    make_contact(account=account, first_name="Jana", last_name="Krüger")
    make_contact(account=account, first_name="Jens", last_name="Kramer")
    sign_in(kam)
    page.goto("/activities/my-work/")
    expect(page.locator("#work-count")).to_be_empty()  # nothing due
    page.get_by_test_id("log-contact").click()
    dialog = page.locator("#modal-dialog")
    expect(dialog).to_be_visible()

    dialog.locator("#find-account").fill("Müller")
    dialog.locator("#find-account-results [data-pick]").first.click()
    expect(dialog.get_by_test_id("picker-account").locator(".chip")).to_contain_text(account.name)
    dialog.locator("#find-contacts").fill("Krü")
    expect(dialog.locator("#find-contacts-results [data-pick]")).to_have_count(1)
    dialog.locator("#find-contacts").press("Enter")  # picks the first suggestion
    expect(dialog.get_by_test_id("picker-contacts").locator(".chip")).to_contain_text("Jana Krüger")
    dialog.locator("input[name=kind][value=call]").check()
    dialog.locator("#id_subject").fill("Telefonat Rahmenvertrag")
    dialog.locator("#id_notes").fill("Preise ab Januar")
    dialog.locator("details.next-step summary").click()
    dialog.locator("#id_next_step").fill("Angebot schicken")
    dialog.locator("#id_next_step_due_on").fill(timezone.localdate().isoformat())
    dialog.get_by_test_id("save-activity").click()

    expect(page.locator("#modal-dialog")).to_have_count(0)
    # Header count and My work's list follow without a reload.
    expect(page.get_by_test_id("work-count")).to_have_text("Fällige Wiedervorlagen: 1")
    expect(page.get_by_test_id("open-follow-ups")).to_contain_text("Angebot schicken")
    activity = Activity.objects.get()
    assert [str(c) for c in activity.contacts.all()] == ["Jana Krüger"]
    assert activity.notes == "Preise ab Januar"


def test_edit_and_delete_an_activity(page, sign_in, kam, account):
    activity = log(account, subject="Telefonat", kind="call")
    sign_in(kam)
    page.goto(f"/activities/{activity.pk}/")

    page.get_by_test_id("edit-activity").click()
    dialog = page.locator("#modal-dialog")
    expect(dialog.locator("#id_subject")).to_have_value("Telefonat")
    dialog.locator("#id_subject").fill("Telefonat mit dem Einkauf")
    dialog.locator("input[name=kind][value=meeting]").check()
    dialog.get_by_test_id("save-activity").click()

    expect(page.locator("#modal-dialog")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("Telefonat mit dem Einkauf")  # in place
    expect(page.get_by_test_id("activity-kind")).to_have_text("Besprechung")
    history = page.get_by_test_id("activity-history")
    expect(history).to_contain_text("Telefonat mit dem Einkauf")

    page.get_by_test_id("delete-activity").click()
    page.get_by_test_id("confirm-delete").click()
    page.wait_for_url(f"**/accounts/{account.pk}/?tab=timeline")
    expect(page.get_by_test_id("timeline")).to_be_attached()
    expect(page.get_by_test_id("timeline")).not_to_contain_text("Telefonat mit dem Einkauf")
    assert not Activity.objects.exists()
    assert Activity.history.filter(id=activity.pk, history_type="-").exists()


def test_reschedule_a_follow_up_on_my_work_and_the_header_count_follows(
    page, sign_in, kam, account
):
    follow_up(account, days=0, title="Angebot nachfassen")
    sign_in(kam)
    page.goto("/activities/my-work/")
    expect(page.get_by_test_id("work-count")).to_have_text("Fällige Wiedervorlagen: 1")
    row = page.get_by_test_id("open-follow-ups").locator("tr", has_text="Angebot nachfassen")
    row.get_by_test_id("plan").click()
    later = timezone.localdate() + timedelta(days=7)
    row.locator("input[type=date]").fill(later.isoformat())
    row.get_by_test_id("save-plan").click()

    row = page.get_by_test_id("open-follow-ups").locator("tr", has_text="Angebot nachfassen")
    expect(row).to_contain_text(later.strftime("%d.%m.%Y"))
    expect(row.locator(".badge")).to_have_count(0)  # no longer due today
    expect(page.get_by_test_id("work-count")).to_have_count(0)  # the header follows
    assert FollowUp.objects.get().due_on == later


def test_done_on_the_account_page_updates_the_account_header_and_the_timeline(
    page, sign_in, kam, account
):
    follow_up(account, days=-3, title="Muster schicken")
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/?tab=timeline")
    facts = page.get_by_test_id("account-facts")
    expect(facts.get_by_test_id("fact-follow-ups")).to_contain_text("1 überfällig")
    expect(page.get_by_test_id("work-count")).to_have_text("Fällige Wiedervorlagen: 1")

    section = page.get_by_test_id("account-follow-ups")
    section.locator("tr", has_text="Muster schicken").get_by_test_id("done").click()

    expect(section.locator("tr", has_text="Muster schicken")).to_have_count(0)
    expect(facts.get_by_test_id("fact-follow-ups")).not_to_contain_text("überfällig")
    expect(page.get_by_test_id("work-count")).to_have_count(0)
    expect(page.get_by_test_id("timeline")).to_contain_text("Muster schicken")  # done entry
