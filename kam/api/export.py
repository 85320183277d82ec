"""The list endpoints' exports: `?format=csv|xlsx` or `Accept: text/csv` answers the
same filtered, scoped list as a file (kam.export), every row instead of one page."""

import json

from rest_framework.renderers import BaseRenderer, JSONRenderer

from kam import export
from kam.api.pagination import refuse_page_numbers_that_are_none


class _FileRenderer(BaseRenderer):
    """Chosen by content negotiation; the export itself is written by kam.export. What
    reaches render() is an answer that is no export (an error): it goes out as JSON."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps(data, default=str).encode()


class CSVRenderer(_FileRenderer):
    media_type = "text/csv"
    format = export.CSV


class XLSXRenderer(_FileRenderer):
    media_type = export.CONTENT_TYPES[export.XLSX]
    format = export.XLSX


class ExportListMixin:
    """For a list endpoint with `filterset_class`: set `export` (an `kam.export.Export`).
    The file holds what the list would page through: the same scope, filters and sort."""

    export: export.Export

    def get_export_queryset(self):
        """The rows of the file before the filters: the list's own by default. A list
        whose page preloads less than the file's columns read (names instead of ids)
        gives the queryset that preloads them, so the file takes a constant number of
        queries."""
        return self.get_queryset()

    def get_renderers(self):
        return [*super().get_renderers(), CSVRenderer(), XLSXRenderer()]

    def list(self, request, *args, **kwargs):
        fmt = getattr(request.accepted_renderer, "format", None)
        if fmt in export.FORMATS:
            refuse_page_numbers_that_are_none(request)
            queryset = self.filter_queryset(self.get_export_queryset())
            return export.response(self.export, queryset, fmt=fmt, request=request, api=True)
        return super().list(request, *args, **kwargs)

    def handle_exception(self, exc):
        # Errors (a bad filter: 400) in the API's JSON shape, whatever format was asked for.
        request = getattr(self, "request", None)
        if request is not None and isinstance(
            getattr(request, "accepted_renderer", None), _FileRenderer
        ):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
