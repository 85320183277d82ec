"""Contact log pages: the account's timeline panel with the "Log activity" dialog, the
activity list and page, and "My work". Reads go through the access scope, writes through
activities.services."""

import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    can_edit_account,
    get_account_for,
    get_scoped_or_404,
    visible_accounts,
)
from accounts.models import Account
from activities import selectors, services
from activities.filters import ActivityFilter
from activities.forms import ActivityForm
from activities.models import FollowUp
from kam import registry
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.timeline import account_timeline
from kam.validators import is_sane_date
from users.models import User

PAGE_SIZE = 25
TIMELINE_LIMIT = 20
STALE_LIMIT = 15
DONE_LIMIT = 15
DONE_DAYS = 30  # as activities.selectors.recently_done_follow_ups_of
PANEL = "activities/account_panel.html"


def _account_tab_url(account: Account) -> str:
    return f"{reverse('accounts:detail', args=[account.pk])}?tab=timeline"


def _timeline_context(account: Account, before: datetime | None = None) -> dict:
    names = selectors.group_ids(account)
    events = account_timeline(list(names), before=before, limit=TIMELINE_LIMIT)
    more_url = None
    if len(events) == TIMELINE_LIMIT:
        query = urlencode({"before": events[-1].when.isoformat()})
        more_url = f"{reverse('activities:account_panel', args=[account.pk])}?{query}"
    # A group's timeline includes its subsidiaries: name them on their entries.
    rows = [
        (event, names.get(event.account_id) if event.account_id != account.pk else None)
        for event in events
    ]
    return {"events": rows, "more_url": more_url}


def _panel_context(request: HttpRequest, account: Account) -> dict:
    return {
        "account": account,
        "can_edit": can_edit_account(request.user, account),
        **_timeline_context(account),
    }


def _render_fragment(request: HttpRequest, name: str, context: dict, status=200) -> HttpResponse:
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def account_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The Timeline tab of the account page; with `before`, the next older entries."""
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(_account_tab_url(account))
    raw_before = request.GET.get("before")
    if raw_before:
        try:
            before = parse_datetime(raw_before)
        except ValueError:
            before = None
        # Far outside business use the conversion to UTC would leave the calendar.
        if before is None or not is_sane_date(before.date()):
            return HttpResponseBadRequest(_("Not a date and time."))
        if timezone.is_naive(before):
            before = timezone.make_aware(before)
        context = {"account": account, **_timeline_context(account, before)}
        return _render_fragment(request, f"{PANEL}#entries", context)
    return _render_fragment(request, f"{PANEL}#panel", _panel_context(request, account))


@login_required
def activity_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Log activity" dialog on the account page (htmx), or a page of its own."""
    account = get_account_for(request.user, pk)
    if not can_edit_account(request.user, account):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, account=account, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        contacts, users = list(data.pop("contacts")), list(data.pop("users"))
        try:
            services.activity_log(
                actor=request.user, account=account, contacts=contacts, users=users, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The activity was logged."))
            if request.htmx:
                # The dialog lives inside the panel: the fresh panel closes it.
                return _render_fragment(request, f"{PANEL}#panel", _panel_context(request, account))
            return redirect(_account_tab_url(account))
    status = 422 if form.errors else 200
    context = {"form": form, "account": account, "nav": "accounts"}
    response = render_page(
        request, "activities/log_form.html", context, partial="dialog", status=status
    )
    if request.htmx and status == 422:
        # The form was posted with the panel as target: show the errors in the dialog.
        response["HX-Retarget"] = "#activity-dialog"
        response["HX-Reswap"] = "outerHTML"
    return response


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_scoped_or_404(request.user, selectors.activity_list(request.user), pk)
    follow_ups = activity.follow_ups.select_related("owner", "done_by").order_by("due_on", "pk")
    context = {
        "nav": "activities",
        "activity": activity,
        "account": activity.account,
        "follow_ups": follow_ups,
        "can_edit": can_edit_account(request.user, activity.account),
    }
    return render_page(request, "activities/detail.html", context)


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = selectors.activity_list(request.user).order_by("-occurred_at", "-pk")
    filterset = ActivityFilter(request.GET or None, queryset=activities)
    if filterset.is_valid():
        activities = filterset.qs
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filtered_account = None
    if filterset.is_valid() and filterset.form.cleaned_data.get("account"):
        filtered_account = (
            visible_accounts(request.user).filter(pk=filterset.form.cleaned_data["account"]).first()
        )
    context = {
        "nav": "activities",
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "filtered_account": filtered_account,
    }
    return render_page(request, "activities/list.html", context, partial="results")


def _follow_up_context(user: User) -> dict:
    """The user's open follow-ups (earliest due first) and those closed in the last
    DONE_DAYS days (newest first, at most DONE_LIMIT), read in one scoped query: My work
    has several sections and each scoped read costs two queries."""
    since = timezone.now() - timedelta(days=DONE_DAYS)
    rows = list(
        selectors.follow_up_list(user)
        .filter(owner=user)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=since))
    )
    open_rows = sorted((f for f in rows if f.done_at is None), key=lambda f: (f.due_on, f.pk))
    done_rows = sorted(
        (f for f in rows if f.done_at is not None), key=lambda f: (f.done_at, f.pk), reverse=True
    )
    return {
        "open_follow_ups": open_rows,
        "done_follow_ups": done_rows[:DONE_LIMIT],
        "today": timezone.localdate(),
    }


def _my_work_sections(user: User) -> list[tuple[str, dict]]:
    """The blocks other apps add to My work (plan actions, owned issues, ...), as
    (template, context) pairs; a section with nothing to say returns None."""
    sections = []
    for section in registry.my_work_sections:
        context = section.fetch(user=user)
        if context is not None:
            sections.append((section.template, context))
    return sections


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    """Everything waiting for the user: follow-ups, plan actions, silent key contacts, owned
    issues."""
    user = request.user
    context = {
        "nav": "my_work",
        **_follow_up_context(user),
        "my_work_sections": _my_work_sections(user),
        "stale_contacts": list(selectors.stale_contacts(user)[:STALE_LIMIT]),
        "stale_days": selectors.STALE_AFTER_DAYS,
    }
    return render_page(request, "activities/my_work.html", context)


def _after_follow_up_change(request: HttpRequest) -> HttpResponse:
    if request.htmx:
        response = _render_fragment(
            request, "activities/my_work.html#follow_ups", _follow_up_context(request.user)
        )
        # Blocks that count the user's work (the home page) reload themselves.
        response["HX-Trigger"] = json.dumps({"kam:work-changed": True})
        return response
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("activities:my_work")


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_scoped_or_404(request.user, FollowUp.objects.select_related("account"), pk)
    services.follow_up_complete(actor=request.user, follow_up=follow_up)
    messages.success(request, _("“%(title)s” is done.") % {"title": follow_up.title})
    return _after_follow_up_change(request)


@login_required
@require_POST
def follow_up_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = get_scoped_or_404(request.user, FollowUp.objects.select_related("account"), pk)
    services.follow_up_reopen(actor=request.user, follow_up=follow_up)
    messages.success(request, _("“%(title)s” is open again.") % {"title": follow_up.title})
    return _after_follow_up_change(request)
