"""The home block "Notice deadlines": the soonest eight of the next 90 days, in order."""

from datetime import date, timedelta

from django.utils import timezone

from contracts import home
from tests.contracts.conftest import make_contract
from tests.factories import make_account


def test_the_soonest_eight_deadlines_in_order_and_only_the_managers_own(kam, other_kam, account):
    today = timezone.localdate()
    for n in (9, 3, 7, 1, 5, 8, 2, 6, 4, 10):
        make_contract(
            account=account, number=f"K{n:02d}", start_on=date(2024, 1, 1),
            end_on=today + timedelta(days=10 * n), notice_period_months=0,
        )  # fmt: skip
    make_contract(
        account=account, number="SPAET", start_on=date(2024, 1, 1),
        end_on=today + timedelta(days=120), notice_period_months=0,
    )  # fmt: skip
    theirs = make_account(owner=other_kam, name="Fremdfirma")
    make_contract(
        account=theirs, number="FREMD", start_on=date(2024, 1, 1),
        end_on=today + timedelta(days=5), notice_period_months=0,
    )  # fmt: skip

    block = home.notice_deadlines(user=kam)

    assert [c.number for c in block["contracts"]] == [f"K{n:02d}" for n in range(1, 9)]
    assert [c.next_notice_deadline for c in block["contracts"]][0] == today + timedelta(days=10)
