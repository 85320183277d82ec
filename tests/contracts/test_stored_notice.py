"""The next notice deadline stored on each contract (`next_notice_on`): kept by every write,
still exact on the day it has passed before the daily task moves it on, and read by
index on PostgreSQL."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contracts import home, services, terms
from contracts.models import Contract
from contracts.selectors import contract_list, notice_within
from contracts.tasks import refresh_passed_notice_deadlines
from contracts.terms import add_months, next_notice_deadline
from tests.contracts.conftest import make_contract
from tests.contracts.test_api import LIST, api_as, detail_url
from tests.contracts.test_notice_deadlines import RENEWING

postgres_only = pytest.mark.skipif(not settings.IS_POSTGRES, reason="plans are PostgreSQL's")


def stored(contract: Contract) -> date | None:
    return Contract.objects.values_list("next_notice_on", flat=True).get(pk=contract.pk)


def expected(end: date | None, notice: int, auto: bool, term: int) -> date | None:
    return next_notice_deadline(
        end,
        notice_period_months=notice,
        auto_renewal=auto,
        renewal_term_months=term,
        today=timezone.localdate(),
    )


@pytest.mark.parametrize(("end", "notice", "term", "_today"), RENEWING)
def test_service_writes_store_the_next_notice_deadline(account, end, notice, term, _today):
    contract = make_contract(
        account=account,
        start_on=date(2020, 1, 1),
        end_on=end,
        notice_period_months=notice,
        auto_renewal=True,
        renewal_term_months=term,
    )
    assert stored(contract) == expected(end, notice, True, term)
    assert stored(contract) is not None
    services.contract_update(actor=account.owner, contract=contract, notice_period_months=1)
    assert stored(contract) == expected(end, 1, True, term)
    services.contract_update(actor=account.owner, contract=contract, status="terminated")
    assert stored(contract) is None


def test_only_signed_running_contracts_store_a_deadline(account):
    today = timezone.localdate()
    end = add_months(today, 12)
    draft = make_contract(account=account, number="DRAFT", end_on=end, status="draft")
    open_ended = make_contract(account=account, number="OPEN", end_on=None)
    passed = make_contract(
        account=account, number="PASSED", start_on=add_months(today, -24), end_on=today
    )
    assert (stored(draft), stored(open_ended), stored(passed)) == (None, None, None)
    services.contract_update(actor=account.owner, contract=draft, status="active")
    assert stored(draft) == add_months(end, -3) == expected(end, 3, False, 12)


def test_api_writes_store_the_deadline_the_api_shows(kam, account):
    api = api_as(kam)
    today = timezone.localdate()
    end = add_months(today, 2)
    body = {
        "account": account.pk, "number": "API-N", "title": "Wartung", "status": "active",
        "start_on": add_months(today, -30).isoformat(), "end_on": end.isoformat(),
        "notice_period_months": 6, "auto_renewal": True, "renewal_term_months": 12,
    }  # fmt: skip
    response = api.post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    contract = Contract.objects.get(number="API-N")
    assert stored(contract) == expected(end, 6, True, 12)
    assert response.json()["next_notice_deadline"] == stored(contract).isoformat()
    response = api.patch(detail_url(contract), {"notice_period_months": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert stored(contract) == expected(end, 1, True, 12)
    assert response.json()["next_notice_deadline"] == stored(contract).isoformat()


@pytest.fixture
def passed_yesterday(account):
    """Two contracts whose notice deadline was yesterday, stored as a save of yesterday left
    it: one renews by the month (its next deadline is a month on), one simply ends."""
    yesterday = timezone.localdate() - timedelta(days=1)
    start = yesterday - timedelta(days=365)
    renews = make_contract(
        account=account,
        number="RENEWS",
        start_on=start,
        end_on=yesterday,
        notice_period_months=0,
        auto_renewal=True,
        renewal_term_months=1,
    )
    ends = make_contract(
        account=account, number="ENDS", start_on=start, end_on=yesterday, notice_period_months=0
    )
    # Stored yesterday: the deadlines of yesterday had not passed then.
    terms.refresh(Contract.objects.all(), today=yesterday)
    return renews, ends


def test_a_deadline_passed_yesterday_gives_way_to_the_next_before_the_daily_task(
    kam, kam_client, passed_yesterday
):
    today = timezone.localdate()
    following = expected(today - timedelta(days=1), 0, True, 1)
    assert today < following <= today + timedelta(days=31)
    listed = notice_within(contract_list(kam), 90).order_by("number")
    assert [(c.number, c.next_notice_deadline) for c in listed] == [("RENEWS", following)]
    assert [c.number for c in home.notice_deadlines(user=kam)["contracts"]] == ["RENEWS"]
    page = kam_client.get(reverse("contracts:deadlines")).text
    assert "RENEWS" in page
    assert "ENDS" not in page
    detail = contract_list(kam).get(number="ENDS")
    assert detail.next_notice_deadline is None


def test_daily_task_moves_passed_deadlines_on_and_leaves_the_others(kam, passed_yesterday):
    renews, ends = passed_yesterday
    today = timezone.localdate()
    ahead = make_contract(account=renews.account, number="AHEAD", end_on=add_months(today, 12))
    # Not what the rules give: shows that the task leaves a date that has not passed alone.
    Contract.objects.filter(pk=ahead.pk).update(next_notice_on=today)
    assert refresh_passed_notice_deadlines() == 2
    assert stored(renews) == expected(renews.end_on, 0, True, 1)
    assert stored(ends) is None
    assert stored(ahead) == today


def test_lists_for_a_later_day_compute_the_dates_stored_ones_have_passed(kam, account):
    today = timezone.localdate()
    contract = make_contract(
        account=account,
        start_on=add_months(today, -20),
        end_on=add_months(today, 4),
        notice_period_months=3,
        auto_renewal=True,
    )
    later = stored(contract) + timedelta(days=1)
    following = next_notice_deadline(
        contract.end_on,
        notice_period_months=3,
        auto_renewal=True,
        renewal_term_months=12,
        today=later,
    )
    listed = notice_within(contract_list(kam, today=later), 365, today=later)
    assert [c.next_notice_deadline for c in listed] == [following]
    assert not notice_within(contract_list(kam, today=later), 30, today=later).exists()


@postgres_only
def test_deadline_list_plan_uses_the_stored_deadline_index(head_of_sales, account):
    today = timezone.localdate()
    Contract.objects.bulk_create(
        Contract(
            account=account,
            number=f"P{n:04d}",
            title="Liefervertrag",
            start_on=date(2024, 1, 1),
            end_on=today + timedelta(days=n),
            notice_period_months=n % 7,
            auto_renewal=n % 2 == 0,
            status="active",
            owner=account.owner,
        )
        for n in range(1000)
    )
    services.refresh_dates(contracts=Contract.objects.all(), today=today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE contracts_contract")
        # The question is whether the query shape can use the index at all; on the
        # benchmark data the planner picks it by itself.
        cursor.execute("SET LOCAL enable_seqscan = off")
    deadlines = notice_within(contract_list(head_of_sales), 90)
    plan = deadlines.order_by("next_notice_deadline", "pk").explain()
    assert "contract_next_notice_idx" in plan
    assert "Seq Scan on contracts_contract" not in plan
