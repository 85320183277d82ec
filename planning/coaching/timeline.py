"""Coaching events on an account's timeline: coaching sessions held and briefings confirmed.

Two queries whatever the number of plans (one per kind, each limited), merged in Python.
The lead adds "planning.coaching.timeline.events" to kam.timeline.SOURCES (or calls it from
a planning-wide source).
"""

import heapq
import itertools
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kam.timeline import TimelineEvent
from planning.models import BriefingConfirmation, CoachingSession


def events(account_ids: list[int], *, before: datetime | None, limit: int) -> list[TimelineEvent]:
    if not account_ids or limit <= 0:
        return []
    before = before or timezone.now()
    sessions = (
        CoachingSession.objects.filter(plan__account_id__in=account_ids, held_at__lt=before)
        .select_related("plan")
        .order_by("-held_at", "-pk")[:limit]
    )
    confirmations = (
        BriefingConfirmation.objects.filter(
            plan__account_id__in=account_ids, confirmed_at__lt=before
        )
        .select_related("plan", "rep")
        .order_by("-confirmed_at", "-pk")[:limit]
    )
    session_events = [
        TimelineEvent(
            when=session.held_at,
            kind="coaching.session",
            label=_("Coaching session"),
            title=session.plan.title,
            account_id=session.plan.account_id,
            detail=session.notes[:200],
            url=reverse("planning:coaching_plan", args=[session.plan_id]),
        )
        for session in sessions
    ]
    confirmation_events = [
        TimelineEvent(
            when=confirmation.confirmed_at,
            kind="coaching.briefed",
            label=_("Briefing confirmed"),
            title=confirmation.plan.title,
            account_id=confirmation.plan.account_id,
            detail=confirmation.rep.get_full_name() or confirmation.rep.username,
            url=reverse("planning:coaching_plan", args=[confirmation.plan_id]),
        )
        for confirmation in confirmations
    ]
    merged = heapq.merge(session_events, confirmation_events, key=lambda e: e.when, reverse=True)
    return list(itertools.islice(merged, limit))
