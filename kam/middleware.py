"""Middleware of every request: no caching of customer data, no NUL in addresses, the
request id."""

import logging
import time

from django.db import connection
from django.utils.cache import patch_cache_control

from kam import logs, metrics, request_id
from kam.request_id import request_id_for
from kam.views import bad_request

request_logger = logging.getLogger("kam.request")


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every page and API answer for a signed-in
    user (session or token) and on every API answer: a shared proxy must not serve one
    user's accounts to another, and a browser must not keep them on disk after sign-out.
    Static files are served before this (WhiteNoise) and keep their long cache times."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class RefuseNulMiddleware:
    """A NUL character in the address is refused with a 400 before any view runs: no text
    search, filter or lookup may send it to the database (PostgreSQL refuses it with an
    error). Form and API fields refuse NUL in bodies themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request)
        return self.get_response(request)


class RequestIdMiddleware:
    """`X-Request-ID` on every answer (pages, API, files, errors): the client's own when
    it is sane, a new one otherwise; meanwhile every log line and every task queued by the
    request carries it (kam.request_id). Logs one line per request with method, path,
    status and duration. First in the middleware list, so that it wraps everything."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id_for(request.META.get(request_id.META_KEY))
        request.META[request_id.META_KEY] = rid
        token = request_id.current.set(rid)
        request_token = logs.current_request.set(request)
        queries = QueryCounter()
        started = time.monotonic()
        try:
            with connection.execute_wrapper(queries):
                response = self.get_response(request)
            response[request_id.HEADER] = rid
            duration = (time.monotonic() - started) * 1000
            metrics.observe_request(request, response.status_code, duration / 1000, queries.count)
            request_logger.info(
                "%s %s %s %.0fms",
                request.method,
                request.path,
                response.status_code,
                duration,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round(duration, 1),
                    "queries": queries.count,
                },
            )
            return response
        finally:
            logs.current_request.reset(request_token)
            request_id.current.reset(token)


class QueryCounter:
    """Counts the database queries of a request for its log line (and nothing else)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)
