"""Paging of long lists.

`page_of`: pages of a list whose rows carry costly columns (figures, subqueries): the ids
of the page are read first, then the columns for those rows only.

With `LIMIT 25 OFFSET 4975` PostgreSQL still computes every selected column of the 4,975
skipped rows; reading only the ids (and whatever the filters and the sort need) for the
offset keeps page 200 as cheap as page 1. One more query than a plain page.

`BoundedPaginator`: page numbers without an exact count of a very long list.

`CountedPaginator`: pages of a list whose count is known already (from a cache).
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


def page_of(queryset: QuerySet, number, per_page: int) -> Page:
    """`Paginator(queryset, per_page).get_page(number)`, with the columns of `queryset`
    (annotations, select_related, prefetches) fetched for the rows of the page only."""
    # values_list() drops the annotations the filters and the sort do not use.
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def first_rows(queryset: QuerySet, limit: int) -> list:
    """`list(queryset[:limit])`, with the columns of `queryset` (annotations such as
    subqueries per row, select_related, prefetches) fetched for those rows only: the
    filters and the sort run on the table alone, without the joins and subqueries."""
    ids = list(queryset.values_list("pk", flat=True)[:limit])
    rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


# Deeper pages than this are not counted to (at 25 rows a page: 25 million rows), so that
# no page number makes the count's LIMIT overflow.
MAX_PAGE = 1_000_000


class BoundedPaginator(Paginator):
    """A paginator that counts at most settings.LIST_COUNT_BOUND rows (and always those up
    to the page after the requested one). Lists over everything a head of sales sees (a
    million activities, 100,000 contacts or deals) would otherwise read every row for an
    exact COUNT(*) on each request, while nobody pages through ten thousand rows without
    a filter. `bounded` tells the templates to say "more than"."""

    def __init__(self, object_list: QuerySet, per_page: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.queryset = object_list
        # Whole pages, so that "more than N pages" is true whenever "more than" is.
        self.bound: int = -(-settings.LIST_COUNT_BOUND // per_page) * per_page

    def get_page(self, number) -> Page:
        # Page n must know whether page n + 1 exists. A number below 1 (or none) shows
        # page 1; one beyond MAX_PAGE the last page counted.
        try:
            wanted = min(max(int(number), 1), MAX_PAGE)
        except (TypeError, ValueError):
            wanted = 1
        self.bound = max(self.bound, (wanted + 1) * self.per_page)
        return super().get_page(wanted)

    @cached_property
    def counted(self) -> int:
        """The rows up to one past the bound."""
        # Without ORDER BY: counting the first rows in any order gives the same bound.
        return self.queryset.order_by()[: self.bound + 1].count()

    @property
    def count(self) -> int:
        return min(self.counted, self.bound)

    @property
    def bounded(self) -> bool:
        """More rows than counted."""
        return self.counted > self.bound


class CountedPaginator(Paginator):
    """A paginator told its count (from a cache), so that it runs no COUNT(*) of its own.

    The count may be stale (writes that bypass the cache's signals, a filter that depends
    on the time): each page reads one row more than it shows, so rows beyond a count that
    is too low stay reachable, and the page that turns out to be the last sets the count
    right. Only a page that finds no row at all (the count was too high) counts afresh."""

    def __init__(self, object_list: QuerySet, per_page: int, *, count: int, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.queryset = object_list
        self._set_count(count)

    def _set_count(self, count: int) -> None:
        # Paginator.count and num_pages are cached properties.
        self.__dict__["count"] = count
        self.__dict__.pop("num_pages", None)

    def validate_number(self, number):
        # A page beyond a count that may be low is read: an empty one counts afresh.
        try:
            return super().validate_number(number)
        except EmptyPage:
            if int(number) >= 1:
                return int(number)
            raise

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.queryset[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            self._set_count(self.queryset.count())
            return super().page(min(number, self.num_pages))
        seen = bottom + len(rows)
        # The last page knows the count; an earlier one knows there is at least one more.
        self._set_count(seen if len(rows) <= self.per_page else max(self.count, seen))
        return Page(rows[: self.per_page], number, self)
