"""The notifications page, the bell in the header, marking reminders read and snoozing."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from reminders import selectors, services
from reminders.registry import rules

PAGE_SIZE = 50
CHANGED = "kam:reminders"  # the htmx event the bell listens to
SNOOZE_DAYS = {"day": 1, "week": 7}


def _account_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _list_context(request: AuthedHttpRequest, *, error: str = "") -> dict:
    # The filters travel in the query string, also on the POSTs of the list's buttons.
    show_all = request.GET.get("show") == "all"
    rule = request.GET.get("rule", "")
    if rules.get(rule) is None:
        rule = ""
    account_id = _account_id(request.GET.get("account"))
    reminders, accounts = selectors.reminder_page_data(
        request.user, unread_only=not show_all, rule=rule, account_id=account_id
    )
    page = Paginator(reminders, PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "show_all": show_all,
        "rule": rule,
        "account_id": account_id,
        "rule_choices": [(item.key, item.label) for item in rules],
        "account_choices": accounts,
        "tomorrow": timezone.localdate() + timedelta(days=1),
        "snooze_error": error,
        "nav": "reminders",
    }


@login_required
def reminder_list(request: AuthedHttpRequest) -> HttpResponse:
    return render_page(request, "reminders/list.html", _list_context(request), partial="results")


@login_required
@never_cache
def bell(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "reminders/bell.html", {"count": selectors.unread_count(request.user)})


def _after_change(
    request: AuthedHttpRequest, *, error: str = "", status: int = 200
) -> HttpResponse:
    if not request.htmx and not error:
        return redirect(request.POST.get("next") or "reminders:list")
    response = render_page(
        request,
        "reminders/list.html",
        _list_context(request, error=error),
        partial="results",
        status=status,
    )
    if request.htmx:
        response.headers["HX-Trigger"] = CHANGED
    return response


@login_required
@require_POST
def mark_read(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    reminder = selectors.get_reminder_for(request.user, pk)  # another user's id: 404
    services.reminder_mark_read(user=request.user, reminder=reminder)
    return _after_change(request)


@login_required
@require_POST
def mark_all_read(request: AuthedHttpRequest) -> HttpResponse:
    services.reminder_mark_all_read(user=request.user)
    return _after_change(request)


def _snooze_until(request: AuthedHttpRequest) -> date:
    """ "day", "week", or a date from the form's date field."""
    length = request.POST.get("for", "")
    if length in SNOOZE_DAYS:
        return timezone.localdate() + timedelta(days=SNOOZE_DAYS[length])
    try:
        return date.fromisoformat(request.POST.get("until", ""))
    except ValueError:
        raise ValidationError(
            {"until": _("Enter the day the reminder should come back.")}
        ) from None


@login_required
@require_POST
def snooze(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    reminder = selectors.get_reminder_for(request.user, pk)  # another user's id: 404
    try:
        services.reminder_snooze(user=request.user, reminder=reminder, until=_snooze_until(request))
    except ValidationError as exc:
        return _after_change(request, error=" ".join(exc.messages), status=400)
    return _after_change(request)
