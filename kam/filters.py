"""Building blocks of the list filters of pages and API endpoints."""

import django_filters


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting with the primary key as the last key, so that pages never repeat or skip
    rows whose sort values tie."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs
