"""Notice deadlines by §§ 187, 188 BGB: missed deadlines, the next one that can still be met,
drafts left out, and SQL that agrees with Python on every stored date."""

import calendar
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from contracts.selectors import contract_list, notice_within
from contracts.services import refresh_dates
from contracts.terms import (
    add_months,
    current_term_end,
    missed_notice_deadline,
    next_notice_deadline,
    notice_deadline,
    notice_deadline_for,
)
from tests.contracts.conftest import make_contract


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@pytest.mark.parametrize(
    ("term_end", "months", "expected"),
    [
        (date(2027, 6, 30), 6, date(2026, 12, 31)),
        (date(2027, 2, 28), 6, date(2026, 8, 31)),
        (date(2027, 6, 30), 3, date(2027, 3, 31)),
        (date(2028, 2, 29), 1, date(2028, 1, 31)),  # leap year
        (date(2028, 5, 31), 3, date(2028, 2, 29)),
        (date(2027, 5, 31), 3, date(2027, 2, 28)),
        (date(2027, 5, 30), 3, date(2027, 2, 28)),  # not a month end: no later day exists
        (date(2028, 5, 30), 3, date(2028, 2, 29)),
        (date(2027, 6, 15), 3, date(2027, 3, 15)),
        (date(2027, 12, 31), 0, date(2027, 12, 31)),
        (date(2100, 3, 31), 1, date(2100, 2, 28)),  # 2100 is not a leap year
        (date(2000, 3, 31), 1, date(2000, 2, 29)),  # 2000 is
    ],
)
def test_notice_deadline_follows_the_civil_code(term_end, months, expected):
    assert notice_deadline_for(term_end, months) == expected


@pytest.mark.parametrize("year", [2027, 2028, 2100])
@pytest.mark.parametrize("months", [1, 2, 3, 6, 12, 18])
def test_a_term_ending_on_a_month_end_gives_the_month_end(year, months):
    for month in range(1, 13):
        term_end = last_day(year, month)
        first_of_deadline_month = add_months(date(year, month, 1), -months)
        expected = last_day(first_of_deadline_month.year, first_of_deadline_month.month)
        assert notice_deadline_for(term_end, months) == expected, term_end


@pytest.mark.parametrize("months", [1, 3, 6, 11, 12, 24])
def test_deadline_is_the_last_day_on_which_the_period_still_fits(months):
    # §§ 187 (1), 188 (2), (3): notice received on day D runs `months` months and ends on
    # the day with D's number (or the month's last day). The deadline is the last D whose
    # period ends by the term end.
    day = date(2027, 1, 1)
    while day <= date(2028, 12, 31):
        deadline = notice_deadline_for(day, months)
        assert add_months(deadline, months) <= day, (day, deadline)
        assert add_months(deadline + timedelta(days=1), months) > day, (day, deadline)
        day += timedelta(days=1)


def test_lists_agree_with_python_on_every_month_length(kam, account):
    today = date(2026, 1, 1)
    ends = [last_day(2028, m) for m in range(1, 13)] + [last_day(2027, m) for m in (2, 4, 5)]
    ends += [date(2027, 5, 30), date(2028, 5, 30), date(2027, 8, 30), date(2027, 3, 29)]
    number = 0
    for end in ends:
        for months in (1, 3, 6, 7):
            number += 1
            make_contract(
                account=account,
                number=f"M{number:03d}",
                start_on=date(2020, 1, 1),
                end_on=end,
                notice_period_months=months,
            )
    rows = list(contract_list(kam, today=today))
    assert len(rows) == number
    for row in rows:
        assert row.notice_deadline == notice_deadline_for(row.end_on, row.notice_period_months), (
            row.end_on,
            row.notice_period_months,
        )


EXTREME = [
    # end_on, notice, auto_renewal, term
    (date(1, 1, 31), 60, False, 12),
    (date(1, 3, 31), 6, True, 1),
    (date(1, 1, 1), 0, True, 120),
    (date(9999, 12, 31), 60, True, 120),
    (date(9999, 11, 30), 1, False, 12),
    (date(9999, 12, 31), 0, False, 12),
]


@pytest.mark.parametrize("today", [date(2026, 11, 27), date(9999, 12, 30)])
def test_no_stored_date_makes_the_list_fail(kam, account, today):
    Contract.objects.bulk_create(
        Contract(
            account=account,
            number=f"X{i}",
            title="Grenzfall",
            start_on=date(1, 1, 1),
            end_on=end,
            notice_period_months=notice,
            auto_renewal=auto,
            renewal_term_months=term,
            status="active",
            owner=account.owner,
        )
        for i, (end, notice, auto, term) in enumerate(EXTREME)
    )
    # bulk_create bypasses Contract.save(): store the deadlines as a bulk load does.
    refresh_dates(contracts=Contract.objects.all(), today=timezone.localdate())
    rows = list(contract_list(kam, today=today).order_by("number"))
    assert len(rows) == len(EXTREME)
    for row in rows:
        args = {
            "notice_period_months": row.notice_period_months,
            "auto_renewal": row.auto_renewal,
            "renewal_term_months": row.renewal_term_months,
            "today": today,
        }
        assert row.notice_deadline == notice_deadline(row.end_on, **args), row.number
        assert row.next_notice_deadline == next_notice_deadline(row.end_on, **args), row.number
        assert row.missed_notice_deadline == missed_notice_deadline(row.end_on, **args), row.number
    # The list page renders them too.
    assert list(notice_within(contract_list(kam, today=today), 3650, today=today)) is not None


RENEWING = [
    # end_on, notice, term, today
    (date(2027, 3, 31), 6, 12, date(2026, 11, 27)),  # missed 30.09.2026, next 30.09.2027
    (date(2026, 12, 31), 3, 12, date(2026, 11, 27)),  # missed 30.09.2026, next 30.09.2027
    (date(2027, 1, 31), 24, 6, date(2026, 11, 27)),  # notice longer than the term
    (date(2027, 6, 30), 3, 12, date(2026, 11, 27)),  # not missed
    (date(2025, 2, 28), 1, 1, date(2026, 11, 27)),
    (date(2024, 2, 29), 12, 12, date(2026, 2, 28)),
    (date(2027, 2, 28), 6, 12, date(2026, 8, 31)),  # deadline is today: not missed
    # Renewals from a month's last day (§ 188 (2) BGB).
    (date(2026, 9, 30), 1, 3, date(2026, 11, 15)),  # term ends 31.12.2026
    (date(2026, 11, 30), 1, 1, date(2026, 12, 7)),  # next 31.12.2026
    (date(2026, 2, 28), 3, 12, date(2027, 3, 1)),  # term ends 29.02.2028
    # Notice longer than the renewal term: each deadline missed from the day after.
    (date(2026, 12, 31), 6, 3, date(2027, 1, 1)),
    (date(2026, 12, 31), 6, 3, date(2026, 12, 31)),
]


def test_missed_deadline_and_the_next_one_that_can_still_be_met():
    end = date(2027, 3, 31)
    args = {
        "notice_period_months": 6,
        "auto_renewal": True,
        "renewal_term_months": 12,
        "today": date(2026, 11, 27),
    }
    assert notice_deadline(end, **args) == date(2026, 9, 30)
    assert missed_notice_deadline(end, **args) == date(2026, 9, 30)
    assert next_notice_deadline(end, **args) == date(2027, 9, 30)
    # Notice longer than the renewal term: skip as many terms as needed.
    args |= {"notice_period_months": 24, "renewal_term_months": 6}
    assert next_notice_deadline(date(2027, 1, 31), **args) == date(2027, 1, 31)
    # Without renewal the contract ends anyway: missed, and no later deadline.
    args |= {"notice_period_months": 6, "auto_renewal": False}
    assert missed_notice_deadline(end, **args) == date(2026, 9, 30)
    assert next_notice_deadline(end, **args) is None
    # A deadline today can still be met.
    args |= {"today": date(2026, 9, 30), "auto_renewal": True, "renewal_term_months": 12}
    assert missed_notice_deadline(end, **args) is None
    assert next_notice_deadline(end, **args) == date(2026, 9, 30)


@pytest.mark.parametrize(
    ("end", "months", "today", "term_end", "deadline"),
    [
        # End 30.09.2026, renewing by 3 months, 1 month's notice: not 30.12.2026.
        (date(2026, 9, 30), 3, date(2026, 11, 15), date(2026, 12, 31), date(2026, 11, 30)),
        # End 30.11.2026, monthly: the term to 31.12.2026, then 31.01.2027.
        (date(2026, 11, 30), 1, date(2026, 12, 7), date(2026, 12, 31), date(2026, 12, 31)),
        # End 28.02.2026, yearly, 3 months' notice: 29.02.2028 and 30.11.2027.
        (date(2026, 2, 28), 12, date(2027, 3, 1), date(2028, 2, 29), date(2027, 11, 30)),
    ],
)
def test_renewal_from_a_month_end_ends_on_a_month_end(
    kam, account, end, months, today, term_end, deadline
):
    notice = 3 if months == 12 else 1
    args = {"auto_renewal": True, "renewal_term_months": months, "today": today}
    assert current_term_end(end, **args) == term_end
    assert next_notice_deadline(end, notice_period_months=notice, **args) == deadline
    make_contract(
        account=account, start_on=date(2025, 1, 1), end_on=end, notice_period_months=notice,
        auto_renewal=True, renewal_term_months=months,
    )  # fmt: skip
    row = contract_list(kam, today=today).get()
    assert row.term_end == term_end
    assert row.next_notice_deadline == deadline


def test_with_notice_longer_than_the_term_every_deadline_is_missed_the_day_after(kam, account):
    # Ends 31.12.2026, 6 months' notice, renews by 3 months: deadlines 30.06., 30.09.,
    # 31.12.2026, 31.03.2027, ...
    end = date(2026, 12, 31)
    args = {"notice_period_months": 6, "auto_renewal": True, "renewal_term_months": 3}
    assert missed_notice_deadline(end, **args, today=date(2026, 12, 31)) == date(2026, 9, 30)
    assert next_notice_deadline(end, **args, today=date(2026, 12, 31)) == date(2026, 12, 31)
    # The day after 31.12.2026 (the deadline of the term to 30.06.2027), not on 01.04.2027.
    assert missed_notice_deadline(end, **args, today=date(2027, 1, 1)) == date(2026, 12, 31)
    assert next_notice_deadline(end, **args, today=date(2027, 1, 1)) == date(2027, 3, 31)
    make_contract(account=account, start_on=date(2025, 1, 1), end_on=end, **args)
    row = contract_list(kam, today=date(2027, 1, 1)).get()
    assert row.missed_notice_deadline == date(2026, 12, 31)
    assert row.next_notice_deadline == date(2027, 3, 31)


@pytest.mark.parametrize(("end", "notice", "term", "today"), RENEWING)
def test_lists_agree_on_missed_and_next_deadlines(kam, account, end, notice, term, today):
    make_contract(
        account=account,
        start_on=date(2020, 1, 1),
        end_on=end,
        notice_period_months=notice,
        auto_renewal=True,
        renewal_term_months=term,
    )
    row = contract_list(kam, today=today).get()
    args = {
        "notice_period_months": notice,
        "auto_renewal": True,
        "renewal_term_months": term,
        "today": today,
    }
    assert row.notice_deadline == notice_deadline(end, **args)
    assert row.missed_notice_deadline == missed_notice_deadline(end, **args)
    assert row.next_notice_deadline == next_notice_deadline(end, **args)
    assert row.next_notice_deadline >= today


def test_a_missed_deadline_stays_in_the_notice_list_with_its_next_deadline(kam, account):
    today = date(2026, 11, 27)
    make_contract(
        account=account,
        number="MISSED",
        start_on=date(2024, 4, 1),
        end_on=date(2027, 3, 31),
        notice_period_months=6,
        auto_renewal=True,
    )
    listed = list(notice_within(contract_list(kam, today=today), 365, today=today))
    assert [c.number for c in listed] == ["MISSED"]
    assert listed[0].missed_notice_deadline == date(2026, 9, 30)
    assert listed[0].next_notice_deadline == date(2027, 9, 30)


def test_contract_page_warns_about_a_missed_deadline(kam_client, account):
    today = timezone.localdate()
    contract = make_contract(
        account=account,
        start_on=today - timedelta(days=400),
        end_on=add_months(today, 2),
        notice_period_months=6,
        auto_renewal=True,
    )
    response = kam_client.get(reverse("contracts:detail", args=[contract.pk]))
    html = response.text
    missed = notice_deadline_for(add_months(today, 2), 6)
    upcoming = notice_deadline_for(add_months(today, 14), 6)
    assert 'data-testid="deadline-missed"' in html
    section = html.split('data-testid="deadline-missed"')[1].split("</p>")[0]
    assert missed.strftime("%d.%m.%Y").lstrip("0") in section or str(missed.year) in section
    assert 'data-testid="next-notice-deadline"' in html
    assert str(upcoming.year) in html.split('data-testid="next-notice-deadline"')[1][:80]


def test_drafts_have_no_notice_deadline_and_stay_off_the_list(kam, account, kam_client):
    today = date(2026, 1, 10)
    make_contract(account=account, number="DRAFT", end_on=date(2026, 4, 30), status="draft")
    make_contract(account=account, number="LIVE", end_on=date(2026, 4, 30))
    listed = notice_within(contract_list(kam, today=today), 90, today=today)
    assert [c.number for c in listed] == ["LIVE"]
    draft = contract_list(kam, today=today).get(number="DRAFT")
    assert draft.notice_deadline is None
    assert draft.next_notice_deadline is None
    assert Contract.objects.get(number="DRAFT").computed_notice_deadline is None
    response = kam_client.get(reverse("contracts:deadlines"), {"within": 3650})
    assert "DRAFT" not in response.text


def test_api_shows_missed_and_next_deadline(kam_client, account):
    today = timezone.localdate()
    contract = make_contract(
        account=account,
        start_on=today - timedelta(days=400),
        end_on=add_months(today, 2),
        notice_period_months=6,
        auto_renewal=True,
    )
    data = kam_client.get(f"/api/v1/contracts/{contract.pk}/").json()
    missed = notice_deadline_for(add_months(today, 2), 6)
    upcoming = notice_deadline_for(add_months(today, 14), 6)
    assert data["missed_notice_deadline"] == missed.isoformat()
    assert data["next_notice_deadline"] == upcoming.isoformat()
