"""The home page of each role in Chromium: the blocks load by themselves and link on."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import Account
from activities import services as activity_services
from activities.models import FollowUp
from planning.coaching import services as coaching_services
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

pytestmark = pytest.mark.browser


def test_key_account_manager_starts_the_day_and_closes_a_follow_up(page, sign_in, kam):
    ensure_default_stages()
    today = timezone.localdate()
    account = make_account(owner=kam, name="Brenner Automotive AG", status="key_account")
    activity_services.follow_up_create(
        actor=kam, account=account, owner=kam, title="Angebot nachfassen", due_on=today
    )
    activity_services.follow_up_create(
        actor=kam,
        account=account,
        owner=kam,
        title="Preisblatt schicken",
        due_on=today - timedelta(days=2),
    )
    make_opportunity(account=account, stage="proposal", owner=kam, value=120000)
    sign_in(kam)

    page.goto("/")
    follow_ups = page.get_by_test_id("home-block-follow_ups")
    expect(follow_ups.get_by_text("Preisblatt schicken")).to_be_visible()
    expect(follow_ups.get_by_text("überfällig seit")).to_be_visible()
    expect(page.get_by_test_id("home-block-key_accounts")).to_contain_text("Brenner Automotive AG")
    expect(page.get_by_test_id("home-pipeline-total")).to_have_text("120.000 €")
    expect(page.get_by_test_id("home-block-notice_deadlines")).to_contain_text("Kündigung")
    expect(page.get_by_test_id("home-block-objectives_at_risk")).to_be_visible()

    # Done with one click: the block reloads without the follow-up.
    follow_ups.get_by_role("button", name="„Angebot nachfassen“ als erledigt markieren").click()
    expect(follow_ups.get_by_text("Angebot nachfassen")).to_have_count(0)
    expect(follow_ups.get_by_text("Preisblatt schicken")).to_be_visible()
    assert FollowUp.objects.get(title="Angebot nachfassen").done_at is not None

    # Each block's heading leads to its full list.
    page.get_by_role("link", name="Meine offene Pipeline").click()
    expect(page).to_have_url("/deals/")


def test_head_of_sales_sees_team_figures_silent_accounts_and_big_deals(
    page, sign_in, head_of_sales, kam
):
    ensure_default_stages()
    silent = make_account(owner=kam, name="Nordlicht Logistik", status=Account.Status.KEY_ACCOUNT)
    make_opportunity(
        account=silent,
        stage="negotiation",
        title="Rahmenvertrag Lager",
        value=900000,
        expected_close_date=timezone.localdate(),
    )
    sign_in(head_of_sales)

    page.goto("/")
    expect(page.get_by_test_id("home-team-figures")).to_be_visible()
    expect(page.get_by_test_id("home-silent-accounts")).to_contain_text("Nordlicht Logistik")
    expect(page.get_by_test_id("home-big-deals")).to_contain_text("Rahmenvertrag Lager")
    expect(
        page.get_by_test_id("home-dashboards").get_by_role("button", name="Pipeline")
    ).to_be_visible()
    expect(page.get_by_test_id("home-block-follow_ups")).to_have_count(0)


def test_sales_rep_sees_briefings_to_confirm_and_their_follow_ups(page, sign_in, kam, sales_rep):
    account = make_account(owner=kam, name="Hansa Pharma")
    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    coaching_services.coaching_plan_create(
        actor=kam, account=account, reps=[sales_rep], title="Messe Hannover"
    )
    activity_services.follow_up_create(
        actor=kam,
        account=account,
        owner=sales_rep,
        title="Muster schicken",
        due_on=timezone.localdate(),
    )
    sign_in(sales_rep)

    page.goto("/")
    briefings = page.get_by_test_id("home-block-briefings")
    expect(briefings).to_contain_text("Messe Hannover")
    expect(page.get_by_test_id("home-block-follow_ups")).to_contain_text("Muster schicken")
    expect(page.get_by_test_id("home-block-my_pipeline")).to_have_count(0)
    briefings.get_by_role("link", name="Messe Hannover").click()
    expect(page).to_have_url("/planning/coaching/" + page.url.split("/planning/coaching/")[1])
