"""Blocks of the deal desk on the home page (kam.registry.home_blocks)."""

from datetime import date, timedelta

from django.utils import timezone

from deals import selectors
from deals.models import Stage

LIMIT = 8


def my_pipeline(*, user) -> dict | None:
    """The user's open deals by stage with count, total and weighted total: the stages and
    one aggregate query, no cards."""
    opportunities = selectors.opportunity_list(user).filter(owner=user)
    stages = Stage.objects.open()
    columns = selectors.pipeline_totals(opportunities, stages=stages)
    return {"columns": columns, "summary": selectors.pipeline_summary(columns)}


def quarter_bounds(today: date) -> tuple[date, date]:
    first_month = (today.month - 1) // 3 * 3 + 1
    start = date(today.year, first_month, 1)
    end = date(today.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, end


def big_deals_this_quarter(*, user) -> dict | None:
    """The biggest open deals expected to close this quarter, in the user's scope: the
    ids of the biggest first, then those rows with account, stage and owner (two queries;
    the competitor and product line prefetches are not needed here). Joined before the
    sort, every deal of the quarter was joined with its account and owner to show eight:
    2,255 of them for a head of sales at 10,000 accounts."""
    start, end = quarter_bounds(timezone.localdate())
    order = ("-value", "expected_close_date", "pk")
    visible = selectors.opportunity_list(user)  # the scope is read once
    ids = list(
        visible.filter(selectors.OPEN, expected_close_date__gte=start, expected_close_date__lt=end)
        .order_by(*order)
        .values_list("pk", flat=True)[:LIMIT]
    )
    deals = visible.filter(pk__in=ids).prefetch_related(None)
    return {"deals": list(deals.order_by(*order)), "start": start, "end": end - timedelta(days=1)}
