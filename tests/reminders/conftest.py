"""Fixtures for the reminders: scan moments in Europe/Berlin and records made through the
apps' own services."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from reminders.models import Reminder
from reminders.registry import When
from reminders.services import run_rule


def at(day: date, hour: int = 12) -> When:
    """A scan at `hour` o'clock local time (Europe/Berlin) on `day`."""
    now = timezone.make_aware(datetime.combine(day, time(hour)))
    return When(now=now, today=day)


def at_utc(moment: datetime) -> When:
    now = moment.replace(tzinfo=UTC)
    return When(now=now, today=timezone.localdate(now))


def keys(rule: str) -> set[tuple[int, date, int]]:
    return set(
        Reminder.objects.filter(rule=rule).values_list("object_id", "due_on", "recipient_id")
    )


def scan(rule: str, day: date, hour: int = 12) -> set[tuple[int, date, int]]:
    run_rule(rule, when=at(day, hour))
    return keys(rule)


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def days():
    return lambda n: timezone.localdate() + timedelta(days=n)
