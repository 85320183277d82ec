"""The writable fields of activities and follow-ups, declared once (kam.fields)."""

from datetime import date, datetime
from typing import TypedDict

from users.models import User


class ActivityFields(TypedDict, total=False):
    """What can be corrected on a logged activity (activity_update)."""

    kind: str
    occurred_at: datetime
    duration_minutes: int | None
    location: str
    subject: str
    notes: str
    outcome: str


class ActivityLogFields(ActivityFields, total=False):
    """Logging an activity (activity_log) also gives its next step, once: it becomes a
    follow-up and is changed there."""

    next_step: str
    next_step_owner: User | None
    next_step_due_on: date | None


class FollowUpFields(TypedDict, total=False):
    title: str
    notes: str
    owner: User
    due_on: date
