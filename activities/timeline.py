"""What the contact log adds to an account's timeline: activities, and follow-ups when
they were done (see kam.timeline for the contract)."""

import heapq
from datetime import datetime, timedelta
from itertools import islice

from django.db import connections
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from activities.models import Activity, FollowUp
from kam.timeline import AHEAD_DAYS, TimelineEvent

# Up to this many accounts, each account's newest activities are read by the (account,
# time) index and merged; beyond it, the time index is walked for all of them at once.
PER_ACCOUNT_UP_TO = 50
NEWEST_FIRST = ("-occurred_at", "-pk")


def _newest_activities(
    activities: QuerySet[Activity], account_ids: list[int], limit: int
) -> list[Activity]:
    """The `limit` newest of `activities` of these accounts. Walking the time index for a
    group whose accounts went quiet reads every newer activity of all other accounts
    (28,000 rows for 20 on the benchmark data): PostgreSQL expects the group's rows to be
    spread evenly over time. One LIMITed part per account in a UNION ALL avoids that."""
    features = connections[activities.db].features
    if 1 < len(account_ids) <= PER_ACCOUNT_UP_TO and features.supports_slicing_ordering_in_compound:
        parts = [activities.filter(account_id=pk).order_by(*NEWEST_FIRST)[:limit]
                 for pk in account_ids]  # fmt: skip
        return list(parts[0].union(*parts[1:], all=True).order_by(*NEWEST_FIRST)[:limit])
    return list(activities.filter(account_id__in=account_ids).order_by(*NEWEST_FIRST)[:limit])


def events(
    account_ids: list[int], *, before: datetime | None = None, limit: int = 20
) -> list[TimelineEvent]:
    """At most `limit` events older than `before` (without it: up to AHEAD_DAYS ahead, so
    that a planned visit or meeting shows as coming up), newest first, in two queries."""
    if before is None:
        ahead = timezone.now() + timedelta(days=AHEAD_DAYS)
        activities = Activity.objects.filter(occurred_at__lte=ahead)
        done = FollowUp.objects.filter(done_at__isnull=False)
    else:
        activities = Activity.objects.filter(occurred_at__lt=before)
        done = FollowUp.objects.filter(done_at__lt=before)
    newest = _newest_activities(
        activities.only(
            "pk", "kind", "subject", "outcome", "location", "occurred_at", "account_id"
        ),
        list(account_ids),
        limit,
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
            # A planned visit has no outcome yet: where it takes place helps more.
            detail=Truncator(activity.outcome or activity.location).chars(200),
            url=reverse("activities:detail", args=[activity.pk]),
        )
        for activity in newest
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
