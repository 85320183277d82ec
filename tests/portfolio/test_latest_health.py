"""Each account's newest health score is flagged, so "weakest first" reads it along an
index: whatever order the weeks are stored in, the block shows the newest score."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from portfolio import services
from portfolio.health import week_of
from portfolio.home import weakest_health, weakest_snapshots
from portfolio.latest_health import mark_latest
from portfolio.models import HealthSnapshot
from tests.conftest import client_for
from tests.factories import make_account

pytestmark = pytest.mark.django_db
URL = reverse("home_block", args=["key_account_health"])


def flagged(account) -> list:
    return list(HealthSnapshot.objects.filter(account=account, is_latest=True).values_list("week"))


def test_the_weekly_store_moves_the_flag_to_the_new_week(portfolio):
    today = timezone.localdate()
    services.health_store_week(today=today - timedelta(weeks=1))
    services.health_store_week(today=today)

    for account in portfolio.values():
        assert flagged(account) == [(week_of(today),)]


def test_storing_an_older_week_later_keeps_the_newer_one_flagged(portfolio):
    today = timezone.localdate()
    services.health_store_week(today=today)
    services.health_store_week(today=today - timedelta(weeks=3))

    assert flagged(portfolio["weber"]) == [(week_of(today),)]
    assert HealthSnapshot.objects.filter(account=portfolio["weber"]).count() == 2


def test_the_block_shows_the_newest_score_not_an_older_lower_one(portfolio, other_kam):
    week = week_of(timezone.localdate())
    weber, weber_us = portfolio["weber"], portfolio["weber_us"]
    HealthSnapshot.objects.create(account=weber, week=week, score=70)
    HealthSnapshot.objects.create(account=weber, week=week - timedelta(weeks=1), score=5)
    HealthSnapshot.objects.create(account=weber_us, week=week - timedelta(weeks=1), score=90)
    HealthSnapshot.objects.create(account=weber_us, week=week, score=30)

    html = client_for(other_kam).get(URL, HTTP_HX_REQUEST="true").content.decode()

    assert html.index("Weber USA Inc.") < html.index("Weber Holding AG")
    assert "<strong>30</strong>" in html and "<strong>70</strong>" in html
    assert "<strong>5</strong>" not in html and "<strong>90</strong>" not in html


def test_a_manager_sees_only_their_own_key_accounts_scores(portfolio, kam):
    week = week_of(timezone.localdate())
    for account in portfolio.values():
        HealthSnapshot.objects.create(account=account, week=week, score=40)
    portfolio["bauer"].status = Account.Status.KEY_ACCOUNT
    portfolio["bauer"].save()

    block = weakest_health(user=kam)

    assert [account.name for account in block["accounts"]] == ["Bauer GmbH"]


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="plans are PostgreSQL's")
def test_the_block_walks_the_index_of_the_latest_scores(kam, head_of_sales):
    week = week_of(timezone.localdate())
    accounts = [
        make_account(owner=kam, name=f"Kunde {n}", status=Account.Status.KEY_ACCOUNT)
        for n in range(300)
    ]
    HealthSnapshot.objects.bulk_create(
        HealthSnapshot(account=account, week=week - timedelta(weeks=back), score=n % 100)
        for n, account in enumerate(accounts)
        for back in range(4)
    )
    mark_latest([account.pk for account in accounts])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE portfolio_healthsnapshot")
        cursor.execute("ANALYZE accounts_account")
        plan = weakest_snapshots(head_of_sales)[:8].explain()
    assert "health_latest_score_idx" in plan
    assert "Seq Scan on portfolio_healthsnapshot" not in plan
