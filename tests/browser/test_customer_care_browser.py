"""Customer care flows as a user clicks through them, in Chromium: a detractor survey on
the account's Satisfaction tab creates a follow-up that shows on "My work"; an issue is
opened from the Issues tab and resolved on its page."""

import re

import pytest
from playwright.sync_api import expect

from activities.models import FollowUp
from customer_care.models import CustomerIssue, Survey, ensure_default_departments
from tests.factories import make_contact

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _default_departments(db):
    # Live-server tests flush the database, the migration's departments with it.
    ensure_default_departments()


def test_record_a_detractor_survey_and_see_the_follow_up_on_my_work(page, sign_in, kam, account):
    make_contact(account=account, first_name="Jana", last_name="Krüger")
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/")
    page.locator("#tab-satisfaction").click()
    expect(page).to_have_url(re.compile(r"\?tab=satisfaction$"))
    panel = page.locator("#tab-panel")
    panel.locator("details:has(#survey-form) > summary").click()
    form = panel.locator("#survey-form")

    # An NPS of 11 is refused in place; what was typed stays.
    form.locator("#id_nps").fill("11")
    form.locator("#id_comment").fill("Lieferungen kommen zu spät.")
    form.locator("button[type=submit]").click()
    expect(form.locator(".field-error")).to_have_count(1)
    expect(form.locator("#id_comment")).to_have_value("Lieferungen kommen zu spät.")
    assert not Survey.objects.exists()

    form.locator("#id_nps").fill("3")
    form.locator("#id_contact").select_option(label="Jana Krüger")
    form.locator("#id_method").select_option("phone")
    form.locator("button[type=submit]").click()
    notice = panel.get_by_test_id("follow-up-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(str(kam))
    expect(page.locator("#toasts .toast")).to_have_count(2)
    expect(panel.get_by_test_id("recent-surveys")).to_contain_text("Jana Krüger")
    expect(panel.get_by_test_id("nps-years")).to_contain_text("−100".replace("−", "-"))

    follow_up = FollowUp.objects.get()
    assert follow_up.owner == kam and follow_up.source == "survey"

    page.goto("/activities/my-work/")
    row = page.get_by_test_id("open-follow-ups").locator(f'[data-follow-up="{follow_up.pk}"]')
    expect(row).to_contain_text("Jana Krüger")
    expect(row).to_contain_text(account.name)


def test_open_an_issue_on_the_account_and_resolve_it(page, sign_in, kam, account):
    sign_in(kam)
    page.goto(f"/accounts/{account.pk}/?tab=issues")
    panel = page.locator("#tab-panel")
    panel.locator("details:has(#issue-form) > summary").click()
    form = panel.locator("#issue-form")
    form.locator("#id_title").fill("Transportschaden an zwei Paletten")
    form.locator("#id_severity").select_option("critical")
    form.locator("button[type=submit]").click()
    open_issues = panel.get_by_test_id("open-issues")
    expect(open_issues).to_contain_text("Transportschaden an zwei Paletten")
    issue = CustomerIssue.objects.get()

    open_issues.get_by_role("link", name="Transportschaden an zwei Paletten").click()
    expect(page).to_have_url(re.compile(rf"/care/issues/{issue.pk}/$"))
    status_form = page.locator("#status-form")
    status_form.locator("#id_status").select_option("resolved")
    status_form.locator("button[type=submit]").click()
    # Resolving needs a resolution: the error shows in place.
    expect(page.locator("#status-form .field-error")).to_have_count(1)
    page.locator("#status-form #id_resolution").fill("Ersatz per Express geliefert.")
    page.locator("#status-form button[type=submit]").click()
    expect(page.get_by_test_id("issue-resolution")).to_contain_text("Ersatz per Express")
    issue.refresh_from_db()
    assert issue.status == "resolved" and issue.resolved_at is not None

    page.goto("/care/issues/?status=unresolved")
    expect(page.get_by_test_id("issue-list")).not_to_contain_text("Transportschaden")
