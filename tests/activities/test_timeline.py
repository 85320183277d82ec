"""What the contact log contributes to the account timeline (kam.timeline contract)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities import services, timeline
from tests.activities.conftest import follow_up, log
from tests.factories import make_account


def test_events_are_newest_first_limited_and_link_to_the_activity(account):
    for day in range(5):
        log(account, subject=f"Kontakt {day}", days_ago=day + 1, kind="visit")
    events = timeline.events([account.pk], before=None, limit=3)
    assert [e.title for e in events] == ["Kontakt 0", "Kontakt 1", "Kontakt 2"]
    assert events[0].kind == "activity.visit"
    assert events[0].label == "Kundenbesuch" or events[0].label == "Customer visit"
    assert events[0].url.startswith("/activities/") and events[0].account_id == account.pk


def test_before_is_strict_and_planned_activities_are_on_the_first_page(account):
    """What is planned within AHEAD_DAYS opens the timeline (its "Coming up" group); what
    lies further ahead is not on it yet."""
    log(account, subject="Geplant", days_ago=-2)
    log(account, subject="Viel später", days_ago=-(timeline.AHEAD_DAYS + 5))
    middle = log(account, subject="Mitte", days_ago=5)
    log(account, subject="Alt", days_ago=9)
    first = [e.title for e in timeline.events([account.pk], before=None, limit=9)]
    assert first == ["Geplant", "Mitte", "Alt"]
    older = timeline.events([account.pk], before=middle.occurred_at, limit=9)
    assert [e.title for e in older] == ["Alt"]


def test_done_follow_ups_appear_when_they_were_done(kam, account):
    activity = log(account, subject="Besuch", days_ago=3)
    item = follow_up(account, title="Muster schicken")
    services.follow_up_complete(
        actor=kam, follow_up=item, done_at=timezone.now() - timedelta(days=1)
    )
    events = timeline.events([account.pk], before=None, limit=5)
    assert [(e.kind, e.title) for e in events] == [
        ("follow_up.done", "Muster schicken"),
        ("activity.call", "Besuch"),
    ]
    assert activity.pk


def test_only_the_given_accounts(account, other_account):
    log(other_account, subject="Fremd")
    assert timeline.events([account.pk], before=None, limit=5) == []


def test_two_queries_whatever_the_number_of_entries(kam, account, django_assert_num_queries):
    for day in range(12):
        item = log(
            account, days_ago=day + 1, next_step="x", next_step_owner=kam,
            next_step_due_on=timezone.localdate(),
        ).follow_ups.get()  # fmt: skip
        services.follow_up_complete(actor=kam, follow_up=item)
    with django_assert_num_queries(2):
        events = timeline.events([account.pk], before=None, limit=20)
    assert len(events) == 20


def test_a_groups_newest_activities_across_its_accounts_in_time_order(kam):
    # Three accounts of a group, their activities interleaved in time; one of the three
    # went quiet long ago, and the page and the "older" page still follow time alone.
    accounts = [make_account(owner=kam, name=f"Werk {n}") for n in range(3)]
    for day in range(1, 13):
        log(accounts[day % 2], subject=f"Tag {day:02d}", days_ago=day)
    log(accounts[2], subject="Lange her", days_ago=400)
    ids = [a.pk for a in accounts]

    first = timeline.events(ids, before=None, limit=5)
    assert [e.title for e in first] == ["Tag 01", "Tag 02", "Tag 03", "Tag 04", "Tag 05"]
    assert [e.account_id for e in first[:2]] == [accounts[1].pk, accounts[0].pk]
    rest = timeline.events(ids, before=first[-1].when, limit=20)
    assert [e.title for e in rest] == [f"Tag {d:02d}" for d in range(6, 13)] + ["Lange her"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the per-account parts are PostgreSQL's"
)
def test_a_few_accounts_are_read_one_by_one_and_many_at_once_in_the_same_order(kam, monkeypatch):
    accounts = [make_account(owner=kam, name=f"Filiale {n}") for n in range(4)]
    when = timezone.now() - timedelta(days=2.5)  # between "Tag 02" and "Tag 03"
    for day in range(1, 9):
        log(accounts[day % 4], subject=f"Tag {day:02d}", days_ago=day)
    for account in accounts[:2]:  # the same moment on two accounts: the newer id first
        services.activity_log(actor=kam, account=account, occurred_at=when, subject="Gleich")

    def read() -> tuple[list, str]:
        with CaptureQueriesContext(connection) as captured:
            events = timeline.events([a.pk for a in accounts], before=None, limit=6)
        sql = " ".join(
            q["sql"] for q in captured.captured_queries if "activities_activity" in q["sql"]
        )
        return [(e.title, e.account_id) for e in events], sql

    one_by_one, sql = read()
    assert "UNION ALL" in sql
    monkeypatch.setattr(timeline, "PER_ACCOUNT_UP_TO", 2)
    at_once, sql = read()
    assert "UNION ALL" not in sql
    assert one_by_one == at_once
    assert [title for title, _ in one_by_one] == [
        "Tag 01",
        "Tag 02",
        "Gleich",
        "Gleich",
        "Tag 03",
        "Tag 04",
    ]
    assert one_by_one[3][1] == accounts[0].pk  # logged first: the older id
