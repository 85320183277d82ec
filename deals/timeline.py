"""Deal events on the account timeline: opportunities created, deals won and lost."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Opportunity
from kam.formats import money
from kam.timeline import TimelineEvent


def events(
    account_ids: list[int], *, before: datetime | None = None, limit: int = 20
) -> list[TimelineEvent]:
    """At most `limit` events older than `before` (None: up to now), newest first; two
    queries. A closing sits at the moment the deal was closed (`closed_at`), so the events
    of one day keep the order in which they happened."""
    before = before or timezone.now()
    base = Opportunity.objects.filter(account_id__in=account_ids).select_related("stage")
    created = list(base.filter(created_at__lt=before).order_by("-created_at", "-pk")[:limit])
    closed = list(
        base.filter(closed_at__isnull=False, closed_at__lt=before).order_by("-closed_at", "-pk")[
            :limit
        ]
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
        if opportunity.closed_at is None:  # never: the query asks for closed deals only
            continue
        won = opportunity.stage.is_won
        result.append(
            TimelineEvent(
                when=opportunity.closed_at,
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
