"""`Idempotency-Key` on every POST, PUT and PATCH of the API: a client may retry a write
after a timeout without doing it twice.

The first request with a key claims it (a row of kam.models.IdempotencyKey, per user) and
its answer is stored; for 24 hours the same key with the same request (user, method, path,
query and body) answers the stored answer again (`Idempotent-Replayed: true`) without
running the view. The same key with another request answers 422; while the first request
is still running, 409 with `Retry-After`. Answers that did nothing worth keeping (a server
error, 409, 429) release the key, so the retry acts. Rows are purged by
kam.tasks.purge_idempotency_keys.

A middleware rather than a view mixin, so that every API view has it without knowing; it
authenticates the caller itself with the API's authentication classes (on a copy of the
request, so the view authenticates as always), since keys belong to a user.
"""

import copy
import hashlib
from datetime import timedelta
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.views import APIView

from kam.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
METHODS = frozenset({"POST", "PUT", "PATCH"})
KEEP_FOR = timedelta(hours=24)
# A claim whose request never finished (the process died) is taken over after this long:
# far beyond any request's time limit.
ABANDONED_AFTER = timedelta(minutes=10)
MAX_LENGTH = 255
STORED_HEADERS = ("Content-Type", "Content-Language", "Location", "Content-Disposition")
NOT_KEPT = frozenset({409, 429})  # the request did nothing; a retry must be able to act

Outcome = Literal["claimed", "replay", "conflict", "busy"]


def is_valid_key(key: str) -> bool:
    """1 to 255 visible ASCII characters (a UUID is the usual choice)."""
    return 0 < len(key) <= MAX_LENGTH and all("!" <= c <= "~" for c in key)


def fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def claim(*, user, key: str, fingerprint: str) -> tuple[Outcome, IdempotencyKey | None]:
    """Claim `key` for a request, or say why not: the stored answer to replay, a key used
    for another request (conflict), or a first request still running (busy)."""
    now = timezone.now()
    IdempotencyKey.objects.filter(
        Q(created_at__lt=now - KEEP_FOR)
        | Q(status_code__isnull=True, created_at__lt=now - ABANDONED_AFTER),
        user=user,
        key=key,
    ).delete()
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
        return "claimed", row
    except IntegrityError:
        existing = IdempotencyKey.objects.filter(user=user, key=key).first()
    if existing is None:  # released by the first request just now
        return "busy", None
    if existing.fingerprint != fingerprint:
        return "conflict", existing
    if existing.status_code is None:
        return "busy", existing
    return "replay", existing


def store(row: IdempotencyKey, response: HttpResponse) -> None:
    row.status_code = response.status_code
    row.headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
    row.body = bytes(response.content)
    row.save(update_fields=["status_code", "headers", "body"])


def release(row: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=row.pk).delete()


def replay(row: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status_code)
    for name, value in row.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def api_user(request: HttpRequest):
    """The user the API will authenticate, or None (the view then answers 401 or 403)."""
    probe = Request(
        copy.copy(request),
        authenticators=APIView().get_authenticators(),  # the API's default classes
    )
    try:
        user = probe.user
    except APIException:
        return None
    return user if user is not None and user.is_authenticated else None


def _error(status: int, detail: str, code: str, **extra) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code, **extra}, status=status)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if (
            key is None
            or request.method not in METHODS
            or not request.path.startswith("/api/")
            # File uploads are left alone: reading a large body here would refuse it
            # (DATA_UPLOAD_MAX_MEMORY_SIZE), and their boundaries differ on every retry.
            or request.content_type == "multipart/form-data"
        ):
            return self.get_response(request)
        if not is_valid_key(key):
            return _error(
                400,
                _("The input is not valid."),
                "invalid",
                errors={HEADER: [_("Use 1 to 255 visible ASCII characters, e.g. a UUID.")]},
            )
        user = api_user(request)
        if user is None:
            return self.get_response(request)
        outcome, row = claim(user=user, key=key, fingerprint=fingerprint(request))
        if outcome == "conflict":
            return _error(
                422,
                _("This Idempotency-Key was used for another request; use a new key."),
                "idempotency_key_reused",
            )
        if outcome == "busy":
            response = _error(
                409,
                _("A request with this Idempotency-Key is still running; retry shortly."),
                "idempotency_key_in_use",
            )
            response["Retry-After"] = "1"
            return response
        assert row is not None
        if outcome == "replay":
            return replay(row)
        try:
            response = self.get_response(request)
        except BaseException:
            release(row)
            raise
        if response.streaming or response.status_code >= 500 or response.status_code in NOT_KEPT:
            release(row)
        else:
            store(row, response)
        return response
