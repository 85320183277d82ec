"""`/api/v1/`: an index of the API, so that a client (or a person trying the address in a
browser) finds the schema, the documentation and every list endpoint from the root."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, reverse
from django.urls.resolvers import RegexPattern
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


def list_endpoints(patterns, prefix: str = "") -> list[tuple[str, str]]:
    """(name, path below /api/v1/) of every list endpoint: named `...-list`, no arguments."""
    found: list[tuple[str, str]] = []
    for entry in patterns:
        route = prefix + _plain(entry.pattern)
        if isinstance(entry, URLResolver):
            found += list_endpoints(entry.url_patterns, route)
        elif (
            isinstance(entry, URLPattern)
            and entry.name
            and entry.name.endswith("-list")
            and "<" not in route
        ):
            found.append((entry.name, route))
    return found


def _plain(pattern) -> str:
    """A route as a path; a router's regular expression (`^account-plans/$`) without its
    anchors, and `<` (never a plain path) where it takes arguments."""
    if isinstance(pattern, RegexPattern):
        text = str(pattern).removeprefix("^").removesuffix("$").replace("\\.", ".")
        return "<" if any(char in text for char in "([?*+\\") else text
    return str(pattern)


class ApiIndex(APIView):
    """Links to the schema, the documentation and the list endpoints."""

    patterns: list = []  # set by kam/urls.py: the patterns below /api/v1/

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        root = request.build_absolute_uri(reverse("api-index"))
        endpoints = {
            name.removeprefix("api-").removesuffix("-list"): root + route
            for name, route in sorted(list_endpoints(self.patterns), key=lambda pair: pair[1])
        }
        return Response(
            {
                "schema": request.build_absolute_uri(reverse("api-schema")),
                "docs": request.build_absolute_uri(reverse("api-docs")),
                "endpoints": endpoints,
            }
        )
