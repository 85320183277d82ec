"""The notifications page, the bell in the header and marking reminders read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kam.htmx import render_page
from reminders import selectors, services

PAGE_SIZE = 50
CHANGED = "kam:reminders"  # the htmx event the bell listens to


def _list_context(request: HttpRequest) -> dict:
    show_all = request.GET.get("show") == "all"
    reminders = selectors.reminders_of(request.user, unread_only=not show_all)
    page = Paginator(reminders, PAGE_SIZE).get_page(request.GET.get("page"))
    return {"page": page, "show_all": show_all, "nav": "reminders"}


@login_required
def reminder_list(request: HttpRequest) -> HttpResponse:
    return render_page(request, "reminders/list.html", _list_context(request), partial="results")


@login_required
@never_cache
def bell(request: HttpRequest) -> HttpResponse:
    return render(request, "reminders/bell.html", {"count": selectors.unread_count(request.user)})


def _after_change(request: HttpRequest) -> HttpResponse:
    if not request.htmx:
        return redirect(request.POST.get("next") or "reminders:list")
    response = render_page(
        request, "reminders/list.html", _list_context(request), partial="results"
    )
    response.headers["HX-Trigger"] = CHANGED
    return response


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    services.reminder_mark_read(user=request.user, reminder_id=pk)
    return _after_change(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.reminder_mark_all_read(user=request.user)
    return _after_change(request)
