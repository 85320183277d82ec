"""Blocks of the contact log on the home page (kam.registry.home_blocks)."""

from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from accounts.access import visible_accounts
from accounts.models import Account
from activities import selectors
from activities.models import Activity

LIMIT = 8
VISITS_AHEAD_DAYS = 14


def follow_ups(*, user) -> dict | None:
    """The user's follow-ups due today or overdue, earliest first (one query) and how many
    more are open later (one count)."""
    today = timezone.localdate()
    open_ones = selectors.open_follow_ups_of(user)
    due = list(open_ones.filter(due_on__lte=today)[: LIMIT + 1])
    return {
        "follow_ups": due[:LIMIT],
        "more_due": len(due) > LIMIT,
        "later_count": open_ones.filter(due_on__gt=today).count(),
        "today": today,
    }


def upcoming_visits(*, user) -> dict | None:
    """Visits and meetings planned in the next two weeks on the user's accounts or
    entered by the user, soonest first (one query)."""
    now = timezone.now()
    visits = (
        selectors.activity_list(user)
        .filter(
            Q(account__owner=user) | Q(created_by=user),
            kind__in=[Activity.Kind.VISIT, Activity.Kind.MEETING],
            occurred_at__gt=now,
            occurred_at__lte=now + timedelta(days=VISITS_AHEAD_DAYS),
        )
        .prefetch_related(None)
        .order_by("occurred_at", "pk")[:LIMIT]
    )
    return {"visits": list(visits)}


def silent_key_accounts(*, user) -> dict | None:
    """Visible key accounts without a contact for longer than the "gone quiet" limit of My
    work (or never), the longest silence first: one query on the indexed
    last_contacted_at, one count."""
    cutoff = timezone.now() - timedelta(days=selectors.STALE_AFTER_DAYS)
    accounts = (
        visible_accounts(user)
        .filter(status=Account.Status.KEY_ACCOUNT)
        .filter(Q(last_contacted_at__lt=cutoff) | Q(last_contacted_at__isnull=True))
        .select_related("owner")
        .order_by(F("last_contacted_at").asc(nulls_first=True), "name", "pk")
    )
    return {
        "accounts": list(accounts[:LIMIT]),
        "count": accounts.count(),
        "days": selectors.STALE_AFTER_DAYS,
    }
