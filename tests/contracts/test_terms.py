"""Month arithmetic and the contract dates: in Python and in SQL, with the same answers."""

from datetime import date

import pytest

from contracts.models import Contract
from contracts.selectors import contract_list, notice_within
from contracts.terms import add_months, current_term_end, next_renewal, notice_deadline
from tests.contracts.conftest import make_contract


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 31), -3, date(2026, 2, 28)),
        (date(2026, 12, 31), -6, date(2026, 6, 30)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 8, 31), 0, date(2026, 8, 31)),
    ],
)
def test_add_months_clamps_to_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_notice_deadline_is_end_minus_notice_period():
    assert notice_deadline(
        date(2026, 12, 31),
        notice_period_months=3,
        auto_renewal=False,
        renewal_term_months=12,
        today=date(2026, 1, 1),
    ) == date(2026, 9, 30)


def test_open_ended_contract_has_no_deadline_or_renewal():
    args = {"auto_renewal": False, "renewal_term_months": 12, "today": date(2026, 5, 1)}
    assert notice_deadline(None, notice_period_months=3, **args) is None
    assert next_renewal(None, **args) is None


def test_auto_renewal_rolls_forward_to_the_current_term_end():
    # Ended 31 Jan 2025, renews by 12 months: the current term runs to 31 Jan 2027.
    end = date(2025, 1, 31)
    today = date(2026, 3, 1)
    assert current_term_end(end, auto_renewal=True, renewal_term_months=12, today=today) == date(
        2027, 1, 31
    )
    assert notice_deadline(
        end, notice_period_months=2, auto_renewal=True, renewal_term_months=12, today=today
    ) == date(2026, 11, 30)
    assert next_renewal(end, auto_renewal=True, renewal_term_months=12, today=today) == date(
        2027, 1, 31
    )


def test_rolling_counts_terms_from_the_original_end_so_the_31st_survives():
    # 31 Aug + 6 months = 28 Feb; + 12 months must be 31 Aug again, not 28 Aug.
    end = date(2025, 8, 31)
    assert current_term_end(
        end, auto_renewal=True, renewal_term_months=6, today=date(2026, 3, 1)
    ) == date(2026, 8, 31)
    assert current_term_end(
        end, auto_renewal=True, renewal_term_months=6, today=date(2026, 2, 1)
    ) == date(2026, 2, 28)


def test_term_ending_today_is_still_the_current_term():
    today = date(2026, 6, 30)
    assert current_term_end(
        date(2026, 6, 30), auto_renewal=True, renewal_term_months=12, today=today
    ) == date(2026, 6, 30)
    # Same month, day passed: one more term.
    assert current_term_end(
        date(2025, 6, 29), auto_renewal=True, renewal_term_months=12, today=today
    ) == date(2027, 6, 29)


def test_without_auto_renewal_a_passed_end_stays_and_there_is_no_renewal():
    end = date(2025, 1, 31)
    today = date(2026, 3, 1)
    assert current_term_end(end, auto_renewal=False, renewal_term_months=12, today=today) == end
    assert next_renewal(end, auto_renewal=False, renewal_term_months=12, today=today) is None


CASES = [
    # end_on, notice, auto, term
    (date(2026, 12, 31), 3, False, 12),
    (date(2027, 3, 31), 1, False, 12),
    (date(2024, 2, 29), 3, True, 12),
    (date(2025, 8, 31), 6, True, 6),
    (date(2023, 1, 31), 1, True, 1),
    (date(2025, 11, 30), 0, True, 24),
    (date(2026, 5, 31), 60, False, 12),
    (date(2024, 12, 31), 2, True, 36),
]


@pytest.mark.parametrize("today", [date(2026, 3, 1), date(2026, 2, 28), date(2028, 2, 29)])
def test_list_dates_on_any_day_match_the_python_helpers(kam, account, today):
    for number, (end, notice, auto, term) in enumerate(CASES):
        make_contract(
            account=account,
            number=f"C{number}",
            start_on=date(2020, 1, 1),
            end_on=end,
            notice_period_months=notice,
            auto_renewal=auto,
            renewal_term_months=term,
        )
    rows = contract_list(kam, today=today).order_by("number")
    assert len(rows) == len(CASES)
    for row in rows:
        args = {
            "auto_renewal": row.auto_renewal,
            "renewal_term_months": row.renewal_term_months,
            "today": today,
        }
        assert row.term_end == current_term_end(row.end_on, **args), row.number
        assert row.notice_deadline == notice_deadline(
            row.end_on, notice_period_months=row.notice_period_months, **args
        ), row.number
        assert row.next_renewal_on == next_renewal(row.end_on, **args), row.number


def test_finished_contracts_have_no_deadline(kam, account):
    make_contract(account=account, number="T1", end_on=date(2030, 1, 31), status="terminated")
    make_contract(account=account, number="E1", end_on=date(2030, 1, 31), status="expired")
    assert [c.notice_deadline for c in contract_list(kam)] == [None, None]


def test_notice_within_lists_only_deadlines_in_the_window(kam, account):
    today = date(2026, 1, 10)
    # Deadline 31 Jan 2026 (in 21 days): listed.
    make_contract(account=account, number="SOON", end_on=date(2026, 4, 30), notice_period_months=3)
    # Deadline 30 Jun 2026 (in 171 days): not within 90.
    make_contract(account=account, number="LATER", end_on=date(2026, 9, 30))
    # Deadline passed (31 Dec 2025): not listed.
    make_contract(account=account, number="PAST", end_on=date(2026, 3, 31))
    # Auto-renewing, ended 15 Apr 2025: rolls to 15 Apr 2026, deadline 15 Jan 2026.
    make_contract(
        account=account,
        number="ROLLED",
        start_on=date(2022, 4, 16),
        end_on=date(2025, 4, 15),
        auto_renewal=True,
    )
    # Open-ended and terminated contracts never appear.
    make_contract(account=account, number="OPEN", end_on=None)
    make_contract(account=account, number="GONE", end_on=date(2026, 4, 30), status="terminated")
    listed = notice_within(contract_list(kam, today=today), 90, today=today)
    assert sorted(c.number for c in listed) == ["ROLLED", "SOON"]
    assert [c.number for c in notice_within(contract_list(kam, today=today), 200, today=today)
            .order_by("notice_deadline")] == ["ROLLED", "SOON", "LATER"]  # fmt: skip


def test_model_properties_agree_with_the_annotation(kam, account):
    contract = make_contract(
        account=account, start_on=date(2022, 3, 1), end_on=date(2024, 2, 29), auto_renewal=True
    )
    row = contract_list(kam).get(pk=contract.pk)
    fresh = Contract.objects.get(pk=contract.pk)
    assert fresh.computed_notice_deadline == row.notice_deadline
    assert fresh.computed_next_renewal == row.next_renewal_on
