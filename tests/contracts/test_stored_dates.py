"""The contract dates stored with the day they hold from and the day they may change: the
stored dates must equal what the rules give on every day in between, or the lists (which
read the stored dates) would show a wrong deadline without anything noticing."""

import random
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from contracts import terms
from contracts.models import Contract
from contracts.selectors import contract_list
from tests.contracts.conftest import make_contract

STATUSES = ("draft", "active", "active", "active", "terminated")


def _random_terms(rng: random.Random) -> dict:
    end = date(2024, 1, 1) + timedelta(days=rng.randrange(0, 4 * 365))
    if rng.random() < 0.3:
        end = end.replace(day=28) + timedelta(days=4)
        end = end - timedelta(days=end.day)  # a month's last day
    return {
        "status": rng.choice(STATUSES),
        "end_on": None if rng.random() < 0.05 else end,
        "notice_period_months": rng.choice((0, 1, 3, 6, 12, 18)),
        "auto_renewal": rng.random() < 0.7,
        "renewal_term_months": rng.choice((1, 3, 6, 12, 24)),
    }


def test_stored_dates_hold_on_every_day_until_the_day_they_may_change():
    rng = random.Random(20261207)
    for _ in range(300):
        contract_terms = _random_terms(rng)
        as_of = date(2024, 6, 1) + timedelta(days=rng.randrange(0, 3 * 365))
        dates = terms.dates_on(today=as_of, **contract_terms)
        change_on = dates.change_on(as_of)
        last = (change_on - timedelta(days=1)) if change_on else as_of + timedelta(days=1500)
        assert last >= as_of
        span = (last - as_of).days
        days = {
            as_of,
            last,
            *(as_of + timedelta(days=rng.randrange(0, span + 1)) for _ in range(25)),
        }
        for day in days:
            assert terms.dates_on(today=day, **contract_terms) == dates, (
                contract_terms,
                as_of,
                day,
            )


def test_a_save_stores_the_dates_of_today_and_when_they_change(account):
    today = timezone.localdate()
    contract = make_contract(
        account=account,
        start_on=today - timedelta(days=400),
        end_on=today + timedelta(days=200),
        notice_period_months=3,
        auto_renewal=True,
    )
    row = Contract.objects.get(pk=contract.pk)
    dates = contract.dates_on(today)
    assert row.dates_as_of == today
    assert row.next_notice_on == dates.next_notice_deadline
    assert row.term_end_on == contract.end_on
    assert row.dates_change_on == dates.next_notice_deadline + timedelta(days=1)


def test_the_daily_task_recomputes_only_contracts_whose_dates_went_stale(account):
    today = timezone.localdate()
    stale = make_contract(account=account, number="STALE", end_on=today - timedelta(days=1),
                          auto_renewal=True, renewal_term_months=12)  # fmt: skip
    fresh = make_contract(account=account, number="FRESH", end_on=today + timedelta(days=500))
    # As stored a week ago: the renewing contract's term end has passed since.
    terms.refresh(Contract.objects.filter(pk=stale.pk), today=today - timedelta(days=7))
    assert Contract.objects.get(pk=stale.pk).term_end_on == stale.end_on
    assert terms.refresh_stale(Contract.objects.all(), today=today) == 1
    rolled = Contract.objects.get(pk=stale.pk)
    assert rolled.term_end_on == terms.add_months(stale.end_on, 12)
    assert rolled.dates_as_of == today
    assert Contract.objects.get(pk=fresh.pk).dates_as_of == today


def test_a_list_for_an_earlier_day_shows_that_days_dates(kam, account):
    today = timezone.localdate()
    contract = make_contract(account=account, start_on=date(2020, 1, 1), end_on=date(2025, 3, 31),
                             notice_period_months=3, auto_renewal=True)  # fmt: skip
    earlier = date(2025, 1, 15)
    row = contract_list(kam, today=earlier).get(pk=contract.pk)
    assert row.term_end == date(2025, 3, 31)
    assert row.missed_notice_deadline == date(2024, 12, 31)
    assert row.next_notice_deadline == date(2025, 12, 31)
    # And back on today the list shows today's dates again.
    now = contract_list(kam, today=today).get(pk=contract.pk)
    assert now.term_end == contract.dates_on(today).term_end
    assert now.term_end > today


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="the functions were PostgreSQL's")
@pytest.mark.django_db
def test_no_contract_date_function_is_left_in_the_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'kam\\_%'")
        assert cursor.fetchall() == []
