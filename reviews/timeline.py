"""Held annual reviews on the account timeline."""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kam.timeline import TimelineEvent
from reviews.models import AnnualReview

HELD = (AnnualReview.Status.HELD, AnnualReview.Status.FOLLOWED_UP)


def events(account_ids: list[int], *, before: datetime | None, limit: int) -> list[TimelineEvent]:
    """One query: held reviews by meeting date, newest first."""
    if not account_ids or limit <= 0:
        return []
    reviews = AnnualReview.objects.filter(
        account_id__in=account_ids, status__in=HELD, meeting_on__isnull=False
    )
    if before is not None:
        reviews = reviews.filter(meeting_on__lt=timezone.localtime(before).date())
    else:
        reviews = reviews.filter(meeting_on__lte=timezone.localdate())
    result = []
    for review in reviews.order_by("-meeting_on", "-pk")[:limit]:
        assert review.meeting_on is not None  # filtered above
        result.append(
            TimelineEvent(
                when=timezone.make_aware(datetime.combine(review.meeting_on, time(9))),
                kind="review.held",
                label=_("Annual review held"),
                title=_("Annual review %(year)s") % {"year": review.year},
                account_id=review.account_id,
                detail=review.place,
                url=reverse("reviews:detail", args=[review.pk]),
                all_day=True,
            )
        )
    return result
