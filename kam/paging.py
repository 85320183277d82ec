"""Pages of a list whose rows carry costly columns (figures, subqueries): the ids of the
page are read first, then the columns for those rows only.

With `LIMIT 25 OFFSET 4975` PostgreSQL still computes every selected column of the 4,975
skipped rows; reading only the ids (and whatever the filters and the sort need) for the
offset keeps page 200 as cheap as page 1. One more query than a plain page.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_of(queryset: QuerySet, number, per_page: int) -> Page:
    """`Paginator(queryset, per_page).get_page(number)`, with the columns of `queryset`
    (annotations, select_related, prefetches) fetched for the rows of the page only."""
    # values_list() drops the annotations the filters and the sort do not use.
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page
