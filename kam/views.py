"""Project-wide views: health, home, and error pages that answer in JSON under /api/."""

import sys

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError, connections
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kam import registry
from kam.export import CONTENT_TYPES, XLSX
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.models import ExportFile
from kam.tasks import ping
from users.models import Role


def _check_database() -> str | None:
    # A fresh connection, not the request's pooled one: a stale pool must not hide an outage.
    connection = connections.create_connection("default")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    finally:
        connection.close()
    return None


def _check_redis() -> str | None:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return str(exc) or exc.__class__.__name__
    finally:
        client.close()
    return None


def _check_worker() -> str | None:
    try:
        answer = ping.apply_async(expires=10).get(timeout=10)
    except Exception as exc:  # noqa: BLE001
        return str(exc) or exc.__class__.__name__
    return None if answer == "pong" else f"unexpected answer {answer!r}"


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict] = {}
    problem = _check_database()
    checks["database"] = {"ok": problem is None, "error": problem}
    if settings.REDIS_URL:
        problem = _check_redis()
        checks["redis"] = {"ok": problem is None, "error": problem}
    if request.GET.get("worker"):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            checks["worker"] = {"ok": True, "error": None, "mode": "in-process"}
        else:
            problem = _check_worker()
            checks["worker"] = {"ok": problem is None, "error": problem, "mode": "celery"}
    down = [name for name, check in checks.items() if not check["ok"]]
    body = {"status": "down" if down else "ok", "down": down, "checks": checks}
    return JsonResponse(body, status=503 if down else 200)


def home_role(user) -> str:
    """The role whose home page the user sees; administrators see the head of sales'."""
    return Role.HEAD_OF_SALES if user.sees_all_accounts else user.role


def _home_blocks(user) -> list[registry.HomeBlock]:
    role = home_role(user)
    return [block for block in registry.home_blocks if role in block.roles]


@login_required
def home(request: AuthedHttpRequest) -> HttpResponse:
    """The start of the day: the blocks registered for the user's role. The page shows at
    once; each block then loads by itself (queued one after another, so a burst of
    requests does not compete for the database)."""
    blocks = [
        {
            "key": block.key,
            "label": block.label,
            "url": reverse(block.url_name) if block.url_name else "",
        }
        for block in _home_blocks(request.user)
    ]
    context = {"nav": "home", "blocks": blocks, "role": Role(home_role(request.user)).label}
    return render(request, "home.html", context)


@login_required
def home_block(request: AuthedHttpRequest, key: str) -> HttpResponse:
    block = registry.home_blocks.get(key)
    if block is None or block not in _home_blocks(request.user):
        raise Http404
    if not request.htmx:
        return redirect("home")
    context = block.fetch(user=request.user)
    if context is None:
        return render(request, "home.html#empty_block", {"block": block})
    url = reverse(block.url_name) if block.url_name else ""
    response = render(request, block.template, {**context, "block": block, "list_url": url})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _export_file_for(request: AuthedHttpRequest, pk: int) -> ExportFile:
    """One of the user's own export files; a 404 for anybody else's."""
    job = ExportFile.objects.filter(user=request.user, pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
@never_cache
def export_file(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A large XLSX export being built: refreshes itself until the download is ready."""
    job = _export_file_for(request, pk)
    return render_page(request, "kam/export_file.html", {"job": job}, partial="state")


@login_required
def export_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    job = _export_file_for(request, pk)
    if job.status != ExportFile.Status.DONE or not job.file:
        raise Http404

    answer = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=CONTENT_TYPES[XLSX],
    )
    answer["Cache-Control"] = "no-store"
    return answer


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """A request Django refuses before any view (a body over the upload limit, a NUL in the
    address): JSON under /api/, like every other API error."""
    if _wants_json(request):
        return JsonResponse(
            {"detail": _("The request could not be read."), "code": "bad_request"}, status=400
        )
    return HttpResponseBadRequest(_("The request could not be read."), content_type="text/plain")


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"detail": _("You do not have permission to do this."), "code": "permission_denied"},
            status=403,
        )
    return render(request, "403.html", status=403)


# How long a client should wait before trying again when the database went away.
DATABASE_RETRY_AFTER_SECONDS = 5


def _database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database connection broke (killed, restarted, failed over).
    Nothing is wrong with the request; the broken connection is dropped when the request
    ends (close_old_connections), and the next request connects afresh. Rendered without
    the request's context processors, which would ask the database again."""
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {
                "detail": _("The database is briefly unavailable. Please try again."),
                "code": "database_unavailable",
            },
            status=503,
        )
    else:
        response = HttpResponse(
            render_to_string("503.html", {"LANGUAGE_CODE": get_language()}), status=503
        )
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except` block: the exception being handled tells a
    # lost database connection (503, try again) from a bug (500).
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return _database_unavailable(request)
    if _wants_json(request):
        return JsonResponse(
            {"detail": _("A server error occurred."), "code": "server_error"}, status=500
        )
    return render(request, "500.html", status=500)
