"""What the contact log contributes to the account timeline (kam.timeline contract)."""

from datetime import timedelta

from django.utils import timezone

from activities import services, timeline
from tests.activities.conftest import follow_up, log


def test_events_are_newest_first_limited_and_link_to_the_activity(account):
    for day in range(5):
        log(account, subject=f"Kontakt {day}", days_ago=day + 1, kind="visit")
    events = timeline.events([account.pk], before=None, limit=3)
    assert [e.title for e in events] == ["Kontakt 0", "Kontakt 1", "Kontakt 2"]
    assert events[0].kind == "activity.visit"
    assert events[0].label == "Kundenbesuch" or events[0].label == "Customer visit"
    assert events[0].url.startswith("/activities/") and events[0].account_id == account.pk


def test_before_is_strict_and_planned_activities_are_not_yet_on_the_timeline(account):
    planned = log(account, subject="Geplant", days_ago=-2)
    middle = log(account, subject="Mitte", days_ago=5)
    log(account, subject="Alt", days_ago=9)
    assert "Geplant" not in [e.title for e in timeline.events([account.pk], before=None, limit=9)]
    older = timeline.events([account.pk], before=middle.occurred_at, limit=9)
    assert [e.title for e in older] == ["Alt"]
    assert planned.pk


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
