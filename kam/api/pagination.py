from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class IdsFirstPagination(PageNumberPagination):
    """Page numbers, reading the ids of the page first and the costly columns (figures,
    subqueries) for those rows only, as kam.paging.page_of does for the pages: deep pages
    cost what the first does. One more query than a plain page."""

    def paginate_queryset(self, queryset, request, view=None):
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if ids is None:
            return None
        rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]


class KeysetOrPageNumberPagination(PageNumberPagination):
    """Page numbers by default; with `?cursor=` (empty for the first page) keyset
    pagination on `keyset_ordering`: no count over the whole list, and every page is an
    index range scan from where the last one ended. The answer then has `next` and
    `previous` links with the cursor and no `count`."""

    keyset_ordering: tuple[str, ...] = ("-pk",)
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = None
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        self.keyset = pagination.CursorPagination()
        self.keyset.ordering = self.keyset_ordering
        self.keyset.page_size = self.get_page_size(request)
        return self.keyset.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.keyset is not None:
            return self.keyset.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_schema_operation_parameters(self, view):
        cursor = pagination.CursorPagination().get_schema_operation_parameters(view)[0]
        cursor["description"] = (
            "Keyset pagination: empty for the first page, then the cursor of the `next` link."
        )
        return [*super().get_schema_operation_parameters(view), cursor]
