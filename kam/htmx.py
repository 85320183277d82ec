"""Render a whole page, or only one of its partials when htmx asks for it."""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_page(
    request: HttpRequest, template: str, context: dict, *, partial: str | None = None, status=200
) -> HttpResponse:
    """The server decides: htmx requests get `template#partial`, others the full page."""
    # Back/forward after an in-place update: htmx asks for the whole page again.
    htmx = getattr(request, "htmx", None)  # set by django_htmx's middleware
    wants_partial = bool(htmx and not htmx.history_restore_request)
    name = f"{template}#{partial}" if partial and wants_partial else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


class HtmxMessagesMiddleware:
    """Hand Django messages to htmx responses as an HX-Trigger event, shown as toasts.

    Full page loads render messages in base.html; a partial has no place for them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or "HX-Redirect" in response.headers:
            return response
        if 300 <= response.status_code < 400:
            return response
        toasts = [{"level": m.level_tag, "text": str(m)} for m in messages.get_messages(request)]
        if toasts:
            triggers = json.loads(response.headers.get("HX-Trigger", "{}") or "{}")
            triggers["kam:toasts"] = toasts
            response.headers["HX-Trigger"] = json.dumps(triggers)
        return response
