"""Deal events on the account timeline: opportunities created, deals won and lost."""

from datetime import datetime

from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deals.models import Opportunity
from kam.formats import money
from kam.timeline import TimelineEvent


def events(
    account_ids: list[int], *, before: datetime | None = None, limit: int = 20
) -> list[TimelineEvent]:
    """At most `limit` events older than `before` (None: up to now), newest first; one
    query. A closing sits at the moment the deal was closed (`closed_at`), so the events
    of one day keep the order in which they happened.

    The deals are read by their latest event older than `before`: a deal with one of the
    newest `limit` events has fewer than `limit` deals with a later latest event, so the
    first `limit` deals hold them all."""
    before = before or timezone.now()
    created_in = Q(created_at__lt=before)
    closed_in = Q(closed_at__isnull=False, closed_at__lt=before)
    latest = Case(
        When(closed_in & (~created_in | Q(closed_at__gt=F("created_at"))), then=F("closed_at")),
        default=F("created_at"),
    )
    deals = list(
        Opportunity.objects.filter(created_in | closed_in, account_id__in=account_ids)
        .select_related("stage")
        .annotate(latest_event_at=latest)
        .order_by("-latest_event_at", "-pk")[:limit]
    )
    created = [deal for deal in deals if deal.created_at < before]
    closed = [deal for deal in deals if deal.closed_at is not None and deal.closed_at < before]
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
