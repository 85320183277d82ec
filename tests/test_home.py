"""The home page per role: the blocks registered for the role, each loaded by itself."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Account, YearlyFigures
from activities import services as activity_services
from kam import registry
from planning.coaching import services as coaching_services
from tests.conftest import client_for
from tests.contracts.conftest import make_contract
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

HTMX = {"HTTP_HX_REQUEST": "true"}
HOME = reverse("home")


def block_url(key: str) -> str:
    return reverse("home_block", args=[key])


def block_keys(html: str) -> list[str]:
    marker = 'data-testid="home-block-'
    return [part.split('"', 1)[0] for part in html.split(marker)[1:]]


def test_each_role_gets_its_own_blocks(kam, head_of_sales, sales_rep, admin_user):
    assert block_keys(client_for(kam).get(HOME).content.decode()) == [
        "follow_ups", "visits", "notice_deadlines", "key_accounts", "my_pipeline",
        "objectives_at_risk", "key_account_health",
    ]  # fmt: skip
    head = [
        "team_figures", "silent_accounts", "big_deals", "notice_deadlines",
        "key_account_health", "dashboards",
    ]  # fmt: skip
    assert block_keys(client_for(head_of_sales).get(HOME).content.decode()) == head
    assert block_keys(client_for(admin_user).get(HOME).content.decode()) == head
    assert block_keys(client_for(sales_rep).get(HOME).content.decode()) == [
        "briefings",
        "follow_ups",
    ]


def test_home_needs_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_block_of_another_role_or_unknown_is_404(kam_client):
    assert kam_client.get(block_url("team_figures"), **HTMX).status_code == 404
    assert kam_client.get(block_url("nope"), **HTMX).status_code == 404


def test_a_block_without_htmx_sends_the_user_home(kam_client):
    response = kam_client.get(block_url("follow_ups"))
    assert response.status_code == 302 and response["Location"] == HOME


def test_follow_ups_block_shows_due_and_overdue_ones_with_a_done_button(kam, account):
    today = timezone.localdate()
    for title, due in (("Angebot nachfassen", -3), ("Heute anrufen", 0), ("Später", 5)):
        activity_services.follow_up_create(
            actor=kam, account=account, owner=kam, title=title, due_on=today + timedelta(due)
        )

    html = client_for(kam).get(block_url("follow_ups"), **HTMX).content.decode()

    assert "Angebot nachfassen" in html and "Heute anrufen" in html
    assert "Später" not in html
    assert html.count('hx-post="/activities/follow-ups/') == 2
    assert "1 weitere offen für später." in html


@pytest.mark.parametrize("rows", [3, 9])
def test_every_block_runs_a_constant_number_of_queries(
    kam, head_of_sales, sales_rep, rows, django_assert_num_queries
):
    ensure_default_stages()
    today = timezone.localdate()
    for n in range(rows):
        account = make_account(owner=kam, status=Account.Status.KEY_ACCOUNT)
        account_services.team_member_set(
            actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
        )
        activity_services.follow_up_create(
            actor=kam, account=account, owner=kam, title=f"Nachfassen {n}", due_on=today
        )
        activity_services.follow_up_create(
            actor=kam, account=account, owner=sales_rep, title=f"Anrufen {n}", due_on=today
        )
        make_opportunity(
            account=account, stage="proposal", owner=kam, expected_close_date=today, value=n
        )
        make_contract(
            account=account, start_on=today - timedelta(days=400),
            end_on=today + timedelta(days=30 + n), notice_period_months=0,
        )  # fmt: skip
        YearlyFigures.objects.create(
            account=account, year=today.year, revenue=100, revenue_target=200
        )
        coaching_services.coaching_plan_create(
            actor=kam, account=account, reps=[sales_rep], title=f"Briefing {n}"
        )
    # session and user, then the block's own queries (the scope of a user who does not see
    # every account adds one or two)
    expected = {
        "follow_ups": 2 + 1 + 2,
        "visits": 2 + 2 + 1,
        # the day's first look for stale contract dates, the ids of the soonest, their rows
        "notice_deadlines": 2 + 1 + 1 + 2,
        "key_accounts": 2 + 1,
        "my_pipeline": 2 + 1 + 2,
        "objectives_at_risk": 2 + 1 + 1,
        "team_figures": 2 + 1,
        "silent_accounts": 2 + 2,
        "big_deals": 2 + 2,  # the ids of the biggest, then their rows
        "dashboards": 2,
        "briefings": 2 + 1 + 1,
        "key_account_health": 2 + 1 + 1,
    }
    users = {"team_figures": head_of_sales, "silent_accounts": head_of_sales}
    users |= {"big_deals": head_of_sales, "dashboards": head_of_sales, "briefings": sales_rep}
    for block in registry.home_blocks:
        client = client_for(users.get(block.key, kam))
        with django_assert_num_queries(expected[block.key], info=block.key):
            response = client.get(block_url(block.key), **HTMX)
        assert response.status_code == 200, block.key


def test_head_of_sales_sees_team_figures_against_target(head_of_sales, kam):
    year = timezone.localdate().year
    for revenue, target in ((Decimal("150000"), Decimal("200000")), (Decimal("50000"), None)):
        YearlyFigures.objects.create(
            account=make_account(owner=kam), year=year, revenue=revenue, revenue_target=target
        )

    html = client_for(head_of_sales).get(block_url("team_figures"), **HTMX).content.decode()

    assert "200.000 €" in html  # revenue of both
    assert "100,0 %" in html  # against the one target


def test_rep_sees_briefings_waiting_for_confirmation(kam, account, sales_rep):
    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    waiting = coaching_services.coaching_plan_create(
        actor=kam, account=account, reps=[sales_rep], title="Messe Hannover"
    )
    done = coaching_services.coaching_plan_create(
        actor=kam, account=account, reps=[sales_rep], title="Jahresgespräch"
    )
    coaching_services.briefing_confirm(actor=sales_rep, plan=done)

    html = client_for(sales_rep).get(block_url("briefings"), **HTMX).content.decode()

    assert waiting.title in html and done.title not in html
