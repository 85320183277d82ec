"""The account timeline's account-plan events: a plan started, a plan reviewed (its last
review). Two queries whatever the number of plans (see kam.timeline for the contract)."""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from kam.timeline import TimelineEvent
from planning.models import AccountPlan


def events(account_ids: list[int], *, before: datetime | None, limit: int) -> list[TimelineEvent]:
    if limit <= 0 or not account_ids:
        return []
    plans = AccountPlan.objects.filter(account_id__in=account_ids)
    started = plans.filter(created_at__lt=before) if before else plans
    reviewed = plans.filter(last_reviewed_at__isnull=False).select_related("last_reviewed_by")
    if before:
        reviewed = reviewed.filter(last_reviewed_at__lt=before)
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
        for plan in started.order_by("-created_at", "-pk")[:limit]
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
        for plan in reviewed.order_by("-last_reviewed_at", "-pk")[:limit]
        if plan.last_reviewed_at is not None  # always: `reviewed` holds reviewed plans only
    ]
    return sorted(result, key=lambda event: event.when, reverse=True)[:limit]
