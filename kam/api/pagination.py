from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


def refuse_page_numbers_that_are_none(request) -> None:
    """`?page=` and `?page_size=` are whole numbers from 1 wherever they are sent, also
    where they are not used (a file export, a page by cursor): 400 naming them."""
    errors = {}
    for name in ("page", "page_size"):
        raw = request.query_params.get(name)
        if raw is None:
            continue
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            errors[name] = [_("Enter a whole number from 1.")]
    if errors:
        raise ValidationError(errors)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        """A `page_size` that is not a whole number from 1 is refused (400), not ignored;
        one above the maximum is cut to it."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            try:
                size = int(raw)
            except ValueError:
                size = 0
            if size < 1:
                raise ValidationError(
                    {self.page_size_query_param: [_("Enter a whole number from 1.")]}
                )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = _(
                    "Number of results per page (a larger number is cut to %(max)s)."
                ) % {"max": self.max_page_size}
        return parameters


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
    `previous` links with the cursor and no `count`.

    The default order is the id, newest first: unique, so that no page repeats or skips a
    row however many rows share a date (DRF's cursor walks ties by an offset that it cuts
    at 1,000)."""

    keyset_ordering: tuple[str, ...] = ("-pk",)
    cursor_query_param = "cursor"
    ordering_query_param = "ordering"
    # A list of millions of rows pages by cursor unless the caller asks for page numbers
    # (`?page=`) or a sort order of its own: then the answer has the exact `count` as
    # before. keyset_ordering must then be the list's default order.
    keyset_by_default = False

    def wants_keyset(self, request) -> bool:
        params = request.query_params
        if params.get(self.ordering_query_param):
            # A sort order of the caller's pages by number, with a cursor or without: the
            # cursor holds a position in the list's own order, and a sort must never be
            # dropped without a word (the schema says so at `cursor`).
            return False
        if self.cursor_query_param in params:
            return True
        return self.keyset_by_default and self.page_query_param not in params

    def paginate_queryset(self, queryset, request, view=None):
        self.keyset = None
        if not self.wants_keyset(request):
            return super().paginate_queryset(queryset, request, view)
        refuse_page_numbers_that_are_none(request)
        self.keyset = pagination.CursorPagination()
        self.keyset.ordering = self.keyset_ordering
        self.keyset.page_size = self.get_page_size(request)
        return self.keyset.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.keyset is not None:
            return self.keyset.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        answer = super().get_paginated_response_schema(schema)
        answer["required"] = ["results"]  # no `count` with `?cursor=`
        return answer

    def get_schema_operation_parameters(self, view):
        cursor = pagination.CursorPagination().get_schema_operation_parameters(view)[0]
        cursor["description"] = _(
            "Keyset pagination instead of page numbers: empty for the first page, then "
            "follow the `next` link. No `count`, and every page costs the same however deep. "
            "With `ordering` the list pages by number in that order and the cursor is not used."
        )
        return [*super().get_schema_operation_parameters(view), cursor]
