"""Two integrations pushing the same account-year at once (PostgreSQL, real threads and
commits): the writes take turns on the row, the one committed last is stored, and each
answer confirms its own value. The answer of the earlier write may come later (work after
its commit): the load test's check counts such overlapping writes as either may be last."""

import os
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import YearlyFigures
from benchmarks.load.run import last_writes
from kam import events
from tests.factories import make_account

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="row locks between connections: PostgreSQL",
    ),
]

SLOW = "slow-writer"


@pytest.fixture
def year_of_figures(kam):
    year = timezone.localdate().year
    account = make_account(owner=kam)
    YearlyFigures.objects.create(account=account, year=year, revenue=Decimal("1"))
    return account, year


def patch(user, account, year, revenue, answers):
    api = APIClient()
    api.force_authenticate(user)
    try:
        answer = api.patch(
            f"/api/v1/accounts/{account.pk}/financials/{year}/",
            {"revenue": str(revenue)},
            format="json",
        )
        answers.append((revenue, answer.status_code, Decimal(answer.json()["revenue"])))
    finally:
        connection.close()


def slow_writer(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, name=SLOW)
    thread.start()
    return thread


def stored(account, year) -> Decimal:
    return YearlyFigures.objects.get(account=account, year=year).revenue


def test_a_write_waiting_on_the_row_lock_is_stored_after_the_one_holding_it(kam, year_of_figures):
    account, year = year_of_figures
    in_transaction, go_on = threading.Event(), threading.Event()

    def hold_the_row(event):  # inside the slow writer's transaction, its row locked
        if threading.current_thread().name == SLOW:
            in_transaction.set()
            go_on.wait(timeout=30)

    events.subscribe(events.FiguresChanged, hold_the_row, in_transaction=True)
    answers: list = []
    try:
        first = slow_writer(patch, kam, account, year, 100, answers)
        assert in_transaction.wait(timeout=30)
        second = threading.Thread(target=patch, args=(kam, account, year, 200, answers))
        second.start()
        second.join(timeout=1)
        assert second.is_alive()  # waits for the row
        go_on.set()
        first.join(timeout=30)
        second.join(timeout=30)
    finally:
        go_on.set()
        events.unsubscribe(events.FiguresChanged, hold_the_row)

    # Each answer confirms its own value; which answer is read first is open (the first
    # writer's work after its commit may outlast the second's whole request).
    assert sorted(answers) == [(100, 200, Decimal(100)), (200, 200, Decimal(200))]
    assert stored(account, year) == Decimal(200)


def test_an_earlier_write_answered_later_is_overwritten_by_the_later_commit(kam, year_of_figures):
    account, year = year_of_figures
    committed, go_on = threading.Event(), threading.Event()
    lines: list[dict] = []  # as the load test notes its confirmed writes, in that order

    def after_commit(event):  # the slow writer's work after its commit, before its answer
        if threading.current_thread().name == SLOW:
            committed.set()
            go_on.wait(timeout=30)

    def timed_patch(revenue, answers):
        sent = time.time()
        patch(kam, account, year, revenue, answers)
        line = {"account": account.pk, "year": year, "revenue": revenue}
        lines.append({**line, "sent": sent, "at": time.time()})

    events.subscribe(events.FiguresChanged, after_commit)
    answers: list = []
    try:
        first = slow_writer(timed_patch, 100, answers)
        assert committed.wait(timeout=30)
        timed_patch(200, answers)  # sent after 100 committed, answered before it
        go_on.set()
        first.join(timeout=30)
    finally:
        go_on.set()
        events.unsubscribe(events.FiguresChanged, after_commit)

    assert [line["revenue"] for line in lines] == [200, 100]  # 100 is confirmed last ...
    assert stored(account, year) == Decimal(200)  # ... but 200 committed last
    assert sorted(answers) == [(100, 200, Decimal(100)), (200, 200, Decimal(200))]
    possible = last_writes(lines, lambda line: (line["account"], line["year"]), "revenue")
    assert possible == {(account.pk, year): {100, 200}}  # the check accepts what is stored
