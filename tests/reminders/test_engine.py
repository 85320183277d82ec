"""The engine: every rule twice gives each reminder once, a constant number of queries per
rule whatever the number of accounts, and two concurrent scans on PostgreSQL still give
exactly one reminder each."""

import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from customer_care.models import CustomerIssue, ensure_default_departments
from reminders.models import DepartmentLead, Reminder
from reminders.registry import rules
from reminders.services import run_all, run_rule
from tests.deals.conftest import ensure_default_stages
from tests.factories import UserFactory
from tests.reminders import world
from tests.reminders.conftest import at
from users.models import Role


def _setup(kam, head_of_sales, today, count: int) -> None:
    ensure_default_stages()
    ensure_default_departments()
    lead = UserFactory(username=f"lead{count}", role=Role.SALES_REP)
    DepartmentLead.objects.update_or_create(
        department=CustomerIssue._meta.get_field("department").related_model.objects.get(
            key="logistics"
        ),
        defaults={"lead": lead},
    )
    for number in range(count):
        world.build(owner=kam, today=today, number=number)


def _scan_day(today):
    return at(today + timedelta(days=world.SCAN_DAY))


@pytest.mark.django_db
def test_every_rule_finds_its_item_and_a_second_run_adds_nothing(kam, head_of_sales, today):
    _setup(kam, head_of_sales, today, 2)
    first = run_all(when=_scan_day(today))
    assert all(first[rule.key] > 0 for rule in rules), first
    total = Reminder.objects.count()
    again = run_all(when=_scan_day(today))
    assert set(again.values()) == {0}
    assert Reminder.objects.count() == total
    # The escalation happened once per issue, with one history entry each.
    for issue in CustomerIssue.objects.all():
        assert issue.escalated
        assert issue.history.filter(escalated=True).count() == 1


@pytest.mark.django_db
def test_queries_per_rule_do_not_grow_with_the_number_of_accounts(kam, head_of_sales, today):
    _setup(kam, head_of_sales, today, 1)
    small = {}
    for rule in rules:
        Reminder.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            run_rule(rule.key, when=_scan_day(today))
        small[rule.key] = len(queries)
    CustomerIssue.objects.update(escalated=False)
    for number in range(1, 4):
        world.build(owner=kam, today=today, number=number)
    Reminder.objects.all().delete()
    large = {}
    for rule in rules:
        with CaptureQueriesContext(connection) as queries:
            run_rule(rule.key, when=_scan_day(today))
        large[rule.key] = len(queries)
    assert Reminder.objects.count() >= 4 * len(rules)
    assert large == small


@pytest.mark.skipif(
    not settings.IS_POSTGRES, reason="needs PostgreSQL (SQLite serialises writers anyway)"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_give_each_reminder_once(kam, head_of_sales, today):
    _setup(kam, head_of_sales, today, 3)
    expected = {}
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            barrier.wait(timeout=10)
            run_all(when=_scan_day(today))
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    for rule in rules:
        rows = list(
            Reminder.objects.filter(rule=rule.key).values_list(
                "object_id", "due_on", "recipient_id"
            )
        )
        assert rows, rule.key
        assert len(rows) == len(set(rows)), rule.key
        expected[rule.key] = len(rows)
    # As many as one scan alone finds: nothing doubled, nothing lost.
    Reminder.objects.all().delete()
    CustomerIssue.objects.update(escalated=False)
    alone = run_all(when=_scan_day(today))
    assert alone == expected
    for issue in CustomerIssue.objects.all():
        assert issue.history.filter(escalated=True).count() == 2  # one per run above


@pytest.mark.django_db
def test_command_scans_the_named_rule(kam, account, today):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from activities import services as activity_services

    activity_services.follow_up_create(
        actor=kam, account=account, owner=kam, title="Rückruf", due_on=today
    )
    out = StringIO()
    call_command("scan_reminders", "--rule", "follow_up_due", stdout=out)
    assert out.getvalue() == "follow_up_due: 1 new\n"
    with pytest.raises(CommandError, match="unknown rules: nope"):
        call_command("scan_reminders", "--rule", "nope")
