"""Deal events on the account timeline: opportunities created, deals won and lost."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Opportunity
from kam.formats import money
from kam.timeline import TimelineEvent


def _start_of_day(day) -> datetime:
    # A deal closes on a date; it sits at the start of that day on the timeline.
    return timezone.make_aware(datetime.combine(day, time.min))


def events(
    account_ids: list[int], *, before: datetime | None = None, limit: int = 20
) -> list[TimelineEvent]:
    """At most `limit` events older than `before` (None: up to now), newest first; two
    queries."""
    before = before or timezone.now()
    base = Opportunity.objects.filter(account_id__in=account_ids).select_related("stage")
    created = list(base.filter(created_at__lt=before).order_by("-created_at", "-pk")[:limit])
    cutoff = timezone.localtime(before)
    if cutoff.time() == time.min:
        closed_filter = {"closed_on__lt": cutoff.date()}
    else:
        closed_filter = {"closed_on__lte": cutoff.date()}
    closed = list(
        base.filter(closed_on__isnull=False, **closed_filter).order_by("-closed_on", "-pk")[:limit]
    )
    result = [
        TimelineEvent(
            when=opportunity.created_at,
            kind="deal.created",
            label=_("Opportunity created"),
            title=opportunity.title,
            account_id=opportunity.account_id,
            detail=money(opportunity.value),
            url=reverse("deals:detail", args=[opportunity.pk]),
        )
        for opportunity in created
    ]
    for opportunity in closed:
        won = opportunity.stage.is_won
        result.append(
            TimelineEvent(
                when=_start_of_day(opportunity.closed_on),
                kind="deal.won" if won else "deal.lost",
                label=_("Deal won") if won else _("Deal lost"),
                title=opportunity.title,
                account_id=opportunity.account_id,
                detail=f"{money(opportunity.value)} · {opportunity.close_reason}",
                url=reverse("deals:detail", args=[opportunity.pk]),
            )
        )
    result.sort(key=lambda event: event.when, reverse=True)
    return result[:limit]
