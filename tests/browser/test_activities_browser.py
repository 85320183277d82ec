"""The contact log as a KAM clicks through it, in Chromium: log a visit with a next step
from the account page, see it on the timeline and on "My work", and mark it done there.

Locators use ids, test ids and URLs rather than texts, so the test holds in either language.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import FollowUp
from tests.activities.conftest import log
from tests.factories import make_contact

pytestmark = pytest.mark.browser


def test_log_a_visit_with_next_step_then_mark_it_done_on_my_work(page, sign_in, kam, account):
    make_contact(account=account, first_name="Jana", last_name="Krüger")
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/")
    page.locator("#tab-timeline").click()
    panel = page.locator("#tab-panel")
    expect(panel.get_by_test_id("timeline")).to_be_attached()

    panel.get_by_test_id("timeline-log").click()
    dialog = page.locator("#modal-dialog")
    expect(dialog).to_be_visible()
    dialog.locator("input[name=kind][value=visit]").check()
    dialog.locator("#id_subject").fill("Werksbesuch Halle 3")
    dialog.locator("#id_location").fill("Stuttgart")
    dialog.locator("#find-contacts").fill("Krü")
    dialog.locator("#find-contacts-results [data-pick]", has_text="Jana Krüger").click()
    expect(dialog.get_by_test_id("picker-contacts").locator(".chip")).to_have_text(["Jana Krüger×"])
    dialog.locator("#id_outcome").fill("Muster gewünscht")
    dialog.locator("details.next-step summary").click()
    dialog.locator("#id_next_step").fill("Muster an Frau Krüger schicken")
    # Preset: me, by name.
    expect(dialog.locator("#id_next_step_owner")).to_have_value(
        f"{kam.get_full_name()} ({kam.username})"
    )
    dialog.get_by_test_id("save-activity").click()

    # No due date: the dialog stays open with the error, and what was typed is kept.
    dialog = page.locator("#modal-dialog")
    expect(dialog.locator(".field-error")).to_have_count(1)
    expect(dialog.locator("#id_subject")).to_have_value("Werksbesuch Halle 3")
    expect(dialog.get_by_test_id("picker-contacts").locator(".chip")).to_have_count(1)
    assert not FollowUp.objects.exists()

    due = timezone.localdate() + timedelta(days=7)
    dialog.locator("#id_next_step_due_on").fill(due.isoformat())
    dialog.get_by_test_id("save-activity").click()

    expect(page.locator("#modal-dialog")).to_have_count(0)
    first_entry = panel.locator(".timeline-entry").first
    expect(first_entry).to_contain_text("Werksbesuch Halle 3")
    expect(first_entry).to_have_attribute("data-kind", "activity.visit")
    expect(page.locator("#toasts .toast")).to_have_count(1)

    page.locator('header a[href="/activities/my-work/"]').click()
    open_items = page.get_by_test_id("open-follow-ups")
    row = open_items.locator("tr", has_text="Muster an Frau Krüger schicken")
    expect(row).to_contain_text(account.name)
    row.get_by_test_id("done").click()

    done_items = page.get_by_test_id("done-follow-ups")
    expect(done_items).to_contain_text("Muster an Frau Krüger schicken")
    expect(done_items).to_contain_text(str(kam))
    expect(page.get_by_test_id("open-follow-ups")).not_to_contain_text("Muster an Frau Krüger")
    item = FollowUp.objects.get()
    assert item.done_by == kam and item.done_at is not None

    # The detail page of the activity, reached from the timeline, shows it done.
    page.goto(f"/accounts/{account.pk}/?tab=timeline")
    page.locator(".timeline-entry[data-kind='activity.visit'] a").click()
    expect(page.get_by_test_id("follow-up")).to_contain_text("Muster an Frau Krüger schicken")
    expect(page.get_by_test_id("follow-up").locator(".badge-ok")).to_have_count(1)


def test_dialog_closes_without_saving_and_older_entries_load_on_scroll(page, sign_in, kam, account):
    for day in range(25):
        log(account, subject=f"Kontakt {day:02d}", days_ago=day + 1)
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/?tab=timeline")
    entries = page.locator("#tab-panel .timeline-entry")
    expect(entries).to_have_count(20)

    page.get_by_test_id("timeline-log").click()
    expect(page.locator("#modal-dialog")).to_be_visible()
    page.locator("#modal-dialog button.close").click()
    expect(page.locator("#modal-dialog")).to_have_count(0)

    # Scrolling the "loading" line into view fetches the next entries in its place.
    page.locator(".timeline-more").scroll_into_view_if_needed()
    expect(entries).to_have_count(25)
    expect(entries.last).to_contain_text("Kontakt 24")
    expect(page.locator(".timeline-more")).to_have_count(0)
