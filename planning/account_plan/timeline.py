"""The account timeline's account-plan events: a plan started, a plan reviewed (its last
review). One query whatever the number of plans (see kam.timeline for the contract): the
plans are read by their latest event older than `before`, so the first `limit` plans hold
the newest `limit` events (as deals.timeline does)."""

from datetime import datetime

from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils.translation import gettext as _

from kam.timeline import TimelineEvent
from planning.models import AccountPlan


def events(account_ids: list[int], *, before: datetime | None, limit: int) -> list[TimelineEvent]:
    if limit <= 0 or not account_ids:
        return []
    started_in = Q(created_at__lt=before) if before else Q(created_at__isnull=False)
    reviewed_in = Q(last_reviewed_at__isnull=False)
    if before:
        reviewed_in &= Q(last_reviewed_at__lt=before)
    latest = Case(
        When(
            reviewed_in & (~started_in | Q(last_reviewed_at__gt=F("created_at"))),
            then=F("last_reviewed_at"),
        ),
        default=F("created_at"),
    )
    plans = list(
        AccountPlan.objects.filter(started_in | reviewed_in, account_id__in=account_ids)
        .select_related("last_reviewed_by")
        .annotate(latest_event_at=latest)
        .order_by("-latest_event_at", "-pk")[:limit]
    )
    started = [plan for plan in plans if before is None or plan.created_at < before]
    reviewed = [
        plan
        for plan in plans
        if plan.last_reviewed_at is not None and (before is None or plan.last_reviewed_at < before)
    ]
    result = [
        TimelineEvent(
            when=plan.created_at,
            kind="plan.created",
            label=_("Account plan started"),
            title=_("Account plan %(year)s") % {"year": plan.year},
            account_id=plan.account_id,
            detail=str(plan.get_status_display()),
            url=reverse("planning:account_plan_detail", args=[plan.pk]),
        )
        for plan in started
    ]
    result += [
        TimelineEvent(
            when=plan.last_reviewed_at,
            kind="plan.reviewed",
            label=_("Account plan reviewed"),
            title=_("Account plan %(year)s") % {"year": plan.year},
            account_id=plan.account_id,
            detail=str(plan.last_reviewed_by or ""),
            url=reverse("planning:account_plan_detail", args=[plan.pk]),
        )
        for plan in reviewed
        if plan.last_reviewed_at is not None  # always: `reviewed` holds reviewed plans only
    ]
    return sorted(result, key=lambda event: event.when, reverse=True)[:limit]
