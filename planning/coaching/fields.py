"""The writable fields of coaching plans and sessions, declared once (kam.fields)."""

from datetime import datetime
from typing import TypedDict


class CoachingPlanFields(TypedDict, total=False):
    """The account and the reps are arguments of their own."""

    title: str
    measures: str
    topics: str
    dos_and_donts: str


class SessionFields(TypedDict, total=False):
    """The participants are an argument of their own. No date: model validation answers
    "required"."""

    held_at: datetime | None
    notes: str
