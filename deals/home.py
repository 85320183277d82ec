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
    """The biggest open deals expected to close this quarter, in the user's scope: one
    query (the competitor and product line prefetches are not needed here)."""
    start, end = quarter_bounds(timezone.localdate())
    deals = (
        selectors.opportunity_list(user)
        .filter(selectors.OPEN, expected_close_date__gte=start, expected_close_date__lt=end)
        .prefetch_related(None)
        .order_by("-value", "expected_close_date", "pk")[:LIMIT]
    )
    return {"deals": list(deals), "start": start, "end": end - timedelta(days=1)}
