"""What the contact log adds to an account's timeline: activities, and follow-ups when
they were done (see kam.timeline for the contract)."""

import heapq
from datetime import datetime
from itertools import islice

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from activities.models import Activity, FollowUp
from kam.timeline import TimelineEvent


def events(
    account_ids: list[int], *, before: datetime | None = None, limit: int = 20
) -> list[TimelineEvent]:
    """At most `limit` events older than `before` (up to now without it), newest first,
    in two queries."""
    if before is None:
        activities = Activity.objects.filter(occurred_at__lte=timezone.now())
        done = FollowUp.objects.filter(done_at__isnull=False)
    else:
        activities = Activity.objects.filter(occurred_at__lt=before)
        done = FollowUp.objects.filter(done_at__lt=before)
    activities = (
        activities.filter(account_id__in=account_ids)
        .only("pk", "kind", "subject", "outcome", "occurred_at", "account_id")
        .order_by("-occurred_at", "-pk")[:limit]
    )
    done = (
        done.filter(account_id__in=account_ids)
        .select_related("done_by")
        .only("pk", "title", "done_at", "account_id", "activity_id", "done_by__first_name",
              "done_by__last_name", "done_by__username")
        .order_by("-done_at", "-pk")[:limit]
    )  # fmt: skip
    activity_events = [
        TimelineEvent(
            when=activity.occurred_at,
            kind=f"activity.{activity.kind}",
            label=activity.get_kind_display(),
            title=activity.subject,
            account_id=activity.account_id,
            detail=Truncator(activity.outcome).chars(200),
            url=reverse("activities:detail", args=[activity.pk]),
        )
        for activity in activities
    ]
    follow_up_events = [
        TimelineEvent(
            when=follow_up.done_at,
            kind="follow_up.done",
            label=_("Follow-up done"),
            title=follow_up.title,
            account_id=follow_up.account_id,
            detail=_("by %(name)s") % {"name": follow_up.done_by} if follow_up.done_by else "",
            url=reverse("activities:detail", args=[follow_up.activity_id])
            if follow_up.activity_id
            else "",
        )
        for follow_up in done
        if follow_up.done_at is not None  # always: `done` holds done follow-ups only
    ]
    merged = heapq.merge(activity_events, follow_up_events, key=lambda e: e.when, reverse=True)
    return list(islice(merged, limit))
