"""Contact log pages: the "Log contact" dialog (header button and account pages) with its
type-ahead pickers, editing and deleting activities, the account's timeline panel with
its open follow-ups, the activity list and page, and "My work". Reads go through the
access scope, writes through activities.services (the same functions as the API)."""

import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import (
    EDITABLE_ACCOUNTS,
    can_edit_account,
    editable_accounts,
    get_account_for,
    get_editable_or_404,
    get_scoped_or_404,
    group_contacts,
    scoped,
    visible_accounts,
)
from accounts.history import history_context
from accounts.models import Account
from accounts.search import MIN_LENGTH, search_accounts, search_contacts
from activities import exports, selectors, services
from activities.filters import ActivityFilter
from activities.forms import ActivityForm, FollowUpForm, FollowUpPlanForm
from activities.models import Activity, FollowUp
from kam import export, registry
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.paging import BoundedPaginator
from kam.timeline import account_timeline
from kam.validators import is_sane_date
from users.models import User

PAGE_SIZE = 25
TIMELINE_LIMIT = 20
STALE_LIMIT = 15
DONE_LIMIT = 15
DONE_DAYS = 30  # as activities.selectors.recently_done_follow_ups_of
ACCOUNT_FOLLOW_UP_LIMIT = 20
PANEL = "activities/account_panel.html"


def _account_tab_url(account: Account) -> str:
    return f"{reverse('accounts:detail', args=[account.pk])}?tab=timeline"


def _timeline_context(
    account: Account, before: datetime | None = None, *, names: dict[int, str] | None = None
) -> dict:
    names = selectors.group_ids(account) if names is None else names
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
    # What lies ahead (a planned visit, a contract's end) has its own group on top; a
    # date-only event counts from the day after today.
    now, today = timezone.now(), timezone.localdate()

    def ahead(event) -> bool:
        if event.all_day:
            return timezone.localtime(event.when).date() > today
        return event.when > now

    upcoming = [row for row in reversed(rows) if ahead(row[0])]  # the soonest first
    past = [row for row in rows if not ahead(row[0])]
    return {"events": past, "upcoming": upcoming, "more_url": more_url}


def _panel_context(request: AuthedHttpRequest, account: Account) -> dict:
    names = selectors.group_ids(account)
    return {
        **_account_follow_ups_context(request, account, group=list(names)),
        **_timeline_context(account, names=names),
    }


def _render_fragment(
    request: AuthedHttpRequest, name: str, context: dict, status=200
) -> HttpResponse:
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def account_panel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The Timeline tab of the account page; with `before`, the next older entries; with
    `part=timeline`, the timeline alone (it reloads itself after a change)."""
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
    if request.GET.get("part") == "timeline":
        context = {"account": account, **_timeline_context(account)}
        return _render_fragment(request, f"{PANEL}#timeline", context)
    return _render_fragment(request, f"{PANEL}#panel", _panel_context(request, account))


# --- "Log contact", edit and delete ---------------------------------------------------------

# htmx events sent after a change; the parts of a page that show what changed listen to
# them (`hx-trigger="<event> from:body"`) and reload themselves.
ACTIVITIES_CHANGED = "kam:activities-changed"  # timeline, activity page and its history
FOLLOW_UPS_CHANGED = "kam:follow-ups-changed"  # follow-up lists that did not answer themselves
WORK_CHANGED = "kam:work-changed"  # header count of due follow-ups, home blocks
ACCOUNT_CHANGED = "kam:account-changed"  # the account page's header facts
REMINDERS_CHANGED = "kam:reminders"  # the reminder bell
EVERYTHING_CHANGED = (
    ACTIVITIES_CHANGED,
    FOLLOW_UPS_CHANGED,
    WORK_CHANGED,
    ACCOUNT_CHANGED,
    REMINDERS_CHANGED,
)
DIALOG = "modal-dialog"  # the id of the one dialog open at a time
LOG_FORM = "activities/log_form.html"
PICK_LIMIT = 10


def _with_events(response: HttpResponse, *events: str) -> HttpResponse:
    triggers = json.loads(response.headers.get("HX-Trigger") or "{}")
    triggers.update(dict.fromkeys(events, True))
    response["HX-Trigger"] = json.dumps(triggers)
    return response


def _close_dialog(*events: str) -> HttpResponse:
    """The answer to a dialog's successful POST: the dialog goes, the page parts that show
    what changed reload themselves."""
    response = HttpResponse("")
    response["HX-Retarget"] = f"#{DIALOG}"
    response["HX-Reswap"] = "delete"
    patch_vary_headers(response, ["HX-Request"])
    return _with_events(response, *events)


def _safe_next(request: AuthedHttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


def _dialog_or_page(
    request: AuthedHttpRequest, template: str, context: dict, status: int = 200
) -> HttpResponse:
    """The dialog for htmx (the form alone when it comes back with errors), otherwise the
    page of its own that works without JavaScript."""
    if request.htmx and request.method == "POST":
        return _render_fragment(request, f"{template}#form", context, status=status)
    return render_page(request, template, {**context, "nav": "activities"}, partial="dialog",
                       status=status)  # fmt: skip


def _preset_account(request: AuthedHttpRequest, pk: int | None) -> Account | None:
    """The account the dialog starts with: the one in the URL (a 404 outside the scope, a
    403 for a reader), or `?account=` from the header button, quietly ignored unless the
    user may change it."""
    if pk is not None:
        return get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)
    raw = request.GET.get("account", "")
    if raw.isdigit():
        return editable_accounts(request.user).filter(pk=int(raw)).first()
    return None


@login_required
def activity_log(request: AuthedHttpRequest, pk: int | None = None) -> HttpResponse:
    """ "Log contact": one dialog from the header button and from every account page
    (there with the account preset), or a page of its own without JavaScript."""
    preset = _preset_account(request, pk)
    form = ActivityForm(request.POST or None, user=request.user, account=preset)
    if request.method == "POST" and form.is_valid():
        account = form.cleaned_data["account"]
        try:
            services.activity_log(
                actor=request.user,
                account=account,
                contacts=list(form.cleaned_data["contacts"]),
                users=list(form.cleaned_data["users"]),
                **form.log_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The activity was logged."))
            if request.htmx:
                return _close_dialog(*EVERYTHING_CHANGED)
            return redirect(_safe_next(request, _account_tab_url(account)))
    context = {
        "form": form,
        "account": form.chosen_account,
        "action": request.get_full_path(),
        "title": _("Log contact"),
    }
    return _dialog_or_page(request, LOG_FORM, context, status=422 if form.errors else 200)


def _changeable_activity(request: AuthedHttpRequest, pk: int) -> Activity:
    """The activity if the user sees it (404 otherwise) and may change it (403)."""
    queryset = scoped(request.user, Activity.objects.select_related("account", "created_by"))
    activity = get_scoped_or_404(request.user, queryset, pk)
    if not services.can_change_activity(request.user, activity):
        raise PermissionDenied
    return activity


@login_required
def activity_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Correct a logged activity, in a dialog on its page (author or account editor)."""
    activity = _changeable_activity(request, pk)
    form = ActivityForm(request.POST or None, user=request.user, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                actor=request.user,
                activity=activity,
                contacts=list(form.cleaned_data["contacts"]),
                users=list(form.cleaned_data["users"]),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            if request.htmx:
                return _close_dialog(*EVERYTHING_CHANGED)
            return redirect("activities:detail", pk=activity.pk)
    context = {
        "form": form,
        "account": activity.account,
        "activity": activity,
        "action": reverse("activities:edit", args=[activity.pk]),
        "title": _("Edit activity"),
    }
    return _dialog_or_page(request, LOG_FORM, context, status=422 if form.errors else 200)


@login_required
def activity_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Ask, then delete (author or account editor). The history keeps the activity."""
    activity = _changeable_activity(request, pk)
    account = activity.account
    if request.method == "POST":
        services.activity_delete(actor=request.user, activity=activity)
        messages.success(request, _("The activity was deleted."))
        url = _account_tab_url(account)
        if request.htmx:
            # A new page follows, so no events: they would reload the deleted one first.
            return HttpResponseClientRedirect(url)
        return redirect(url)
    context = {"activity": activity, "account": account, "nav": "activities"}
    return render_page(request, "activities/delete.html", context, partial="dialog")


@login_required
def activity_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One activity with its next step and history; reloads its content in place after an
    edit (event kam:activities-changed)."""
    activity = get_scoped_or_404(request.user, selectors.activity_list(request.user), pk)
    follow_ups = activity.follow_ups.select_related("owner", "done_by").order_by("due_on", "pk")
    context = {
        "nav": "activities",
        "activity": activity,
        "account": activity.account,
        "follow_ups": follow_ups,
        "can_edit": can_edit_account(request.user, activity.account),
        "can_change": services.can_change_activity(request.user, activity),
        **history_context(request, "activity", activity),
    }
    return render_page(request, "activities/detail.html", context, partial="content")


# --- type-ahead for the pickers ---------------------------------------------------------------


def _chosen_ids(request: AuthedHttpRequest, name: str) -> list[int]:
    return [int(v) for v in request.GET.getlist(name) if v.isdigit()]


def _options(
    request: AuthedHttpRequest, options: list[tuple[int, str, str]], empty: str
) -> HttpResponse:
    return _render_fragment(
        request, "activities/partials/pick_options.html", {"options": options, "empty": empty}
    )


@login_required
def pick_accounts(request: AuthedHttpRequest) -> HttpResponse:
    """Accounts the user may log on whose name, legal name, city or external ID matches
    `q` (the header search's function), best match first."""
    query = request.GET.get("find-account", "")
    accounts = search_accounts(editable_accounts(request.user), query).only("pk", "name", "city")
    options = [(a.pk, a.name, a.city) for a in accounts[:PICK_LIMIT]]
    empty = _("No account found.") if len(query.strip()) >= MIN_LENGTH else _("Type a name.")
    return _options(request, options, empty)


@login_required
def pick_contacts(request: AuthedHttpRequest) -> HttpResponse:
    """Active contacts of the chosen account's group that the user may see (the choices of
    the form and the API, accounts.access.group_contacts), not yet chosen; with fewer than
    two letters typed the first ones by name."""
    raw = request.GET.get("account", "")
    account = editable_accounts(request.user).filter(pk=int(raw)).first() if raw.isdigit() else None
    if account is None:
        return _options(request, [], _("Choose the account first."))
    query = request.GET.get("find-contacts", "")
    contacts = (
        group_contacts(request.user, account)
        .filter(is_active=True)
        .exclude(pk__in=_chosen_ids(request, "contacts"))
        .select_related("account")
    )
    if len(query.strip()) >= MIN_LENGTH:
        contacts = search_contacts(contacts, query)
    else:
        contacts = contacts.order_by("last_name", "first_name", "pk")
    options = [
        (c.pk, str(c), c.account.name if c.account_id != account.pk else c.job_title)
        for c in contacts[:PICK_LIMIT]
    ]
    return _options(request, options, _("No contact found."))


@login_required
def pick_users(request: AuthedHttpRequest) -> HttpResponse:
    """Active users (our participants) whose name contains `q`, not yet chosen."""
    query = request.GET.get("find-users", "").strip()
    users = User.objects.filter(is_active=True).exclude(pk__in=_chosen_ids(request, "users"))
    if query:
        users = users.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(username__icontains=query)
        )
    users = users.order_by("last_name", "first_name", "pk")[:PICK_LIMIT]
    return _options(request, [(u.pk, str(u), "") for u in users], _("Nobody found."))


@login_required
def work_count(request: AuthedHttpRequest) -> HttpResponse:
    """The header's count of the user's follow-ups due today or overdue (one query)."""
    count = (
        FollowUp.objects.open()
        .filter(owner=request.user, due_on__lte=timezone.localdate())
        .filter(account__in=visible_accounts(request.user))
        .count()
    )
    response = _render_fragment(request, "activities/partials/work_count.html", {"count": count})
    patch_cache_control(response, no_store=True)
    return response


@login_required
def activity_list(request: AuthedHttpRequest) -> HttpResponse:
    activities = selectors.activity_list(request.user).order_by("-occurred_at", "-pk")
    filterset = ActivityFilter(request.GET or None, queryset=activities)
    if filterset.is_valid():
        activities = filterset.qs
    if fmt := export.requested(request):
        return export.response(exports.ACTIVITIES, activities, fmt=fmt, request=request)
    page = BoundedPaginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
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


def _follow_up_context(user: User, bound: FollowUpPlanForm | None = None) -> dict:
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
        "open_follow_ups": _with_plan_forms(open_rows, bound),
        "done_follow_ups": done_rows[:DONE_LIMIT],
        "today": timezone.localdate(),
        "list": "my_work",
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
def my_work(request: AuthedHttpRequest) -> HttpResponse:
    """Everything waiting for the user: follow-ups, plan actions, silent key contacts, owned
    issues."""
    user = request.user
    if fmt := export.requested(request):
        # The follow-ups of both lists: open ones by due date, then the recently done.
        since = timezone.now() - timedelta(days=DONE_DAYS)
        follow_ups = (
            selectors.follow_up_list(user)
            .filter(owner=user)
            .filter(Q(done_at__isnull=True) | Q(done_at__gte=since))
            .order_by(F("done_at").desc(nulls_first=True), "due_on", "pk")
        )
        return export.response(exports.FOLLOW_UPS, follow_ups, fmt=fmt, request=request)
    if request.htmx and not request.htmx.history_restore_request:
        # The follow-up lists reload themselves after a change made elsewhere on the page.
        context = _follow_up_context(user)
        return _render_fragment(request, "activities/my_work.html#follow_ups", context)
    context = {
        "nav": "my_work",
        **_follow_up_context(user),
        "my_work_sections": _my_work_sections(user),
        "stale_contacts": list(selectors.stale_contacts(user)[:STALE_LIMIT]),
        "stale_days": selectors.STALE_AFTER_DAYS,
    }
    return render_page(request, "activities/my_work.html", context)


# --- follow-ups: done, reopen, reschedule, reassign, new ---------------------------------


def _with_plan_forms(rows: list[FollowUp], bound: FollowUpPlanForm | None = None) -> list:
    """Each open follow-up with its reschedule/reassign form (the posted one, with its
    errors, in place of a fresh one)."""
    for row in rows:
        if not hasattr(row, "can_change"):
            row.can_change = True  # type: ignore[attr-defined]  # My work: own follow-ups
        if bound is not None and bound.instance.pk == row.pk:
            row.plan_form = bound  # type: ignore[attr-defined]
        else:
            row.plan_form = FollowUpPlanForm(instance=row, auto_id=f"fu{row.pk}-%s")  # type: ignore[attr-defined]
    return rows


def _account_follow_ups_context(
    request: AuthedHttpRequest,
    account: Account,
    bound: FollowUpPlanForm | None = None,
    *,
    group: list[int] | None = None,
) -> dict:
    """The open follow-ups of the account and its subsidiaries (`group`: their ids, read
    here unless given), earliest due first."""
    # By id: with a path condition PostgreSQL misjudged the group's size and read every
    # open follow-up.
    group = list(selectors.group_ids(account)) if group is None else group
    rows = list(
        selectors.follow_up_list(request.user)
        .filter(account_id__in=group, done_at__isnull=True)
        .order_by("due_on", "pk")[:ACCOUNT_FOLLOW_UP_LIMIT]
    )
    can_edit = can_edit_account(request.user, account)
    for row in rows:
        row.can_change = can_edit or row.owner_id == request.user.pk  # type: ignore[attr-defined]
    return {
        "account": account,
        "can_edit": can_edit,
        "follow_ups": _with_plan_forms(rows, bound),
        "today": timezone.localdate(),
        "list": f"account:{account.pk}",
    }


@login_required
def account_follow_ups(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The open follow-ups section of the account's Timeline tab."""
    account = get_account_for(request.user, pk)
    context = _account_follow_ups_context(request, account)
    return _render_fragment(request, f"{PANEL}#follow_ups", context)


def _after_follow_up_change(
    request: AuthedHttpRequest, bound: FollowUpPlanForm | None = None
) -> HttpResponse:
    """The list the action came from, fresh (`list`: "my_work" or "account:<id>"), with the
    events for the other parts of the page; without htmx back to where the user was."""
    status = 422 if bound is not None else 200
    if request.htmx:
        source = request.POST.get("list", "my_work")
        if source.startswith("account:") and source[8:].isdigit():
            account = get_account_for(request.user, int(source[8:]))
            context = _account_follow_ups_context(request, account, bound)
            response = _render_fragment(request, f"{PANEL}#follow_ups", context, status=status)
        else:
            context = _follow_up_context(request.user, bound)
            response = _render_fragment(
                request, "activities/my_work.html#follow_ups", context, status=status
            )
        if bound is not None:
            return response
        # The timeline shows done follow-ups; header and home blocks count the open ones.
        return _with_events(
            response, ACTIVITIES_CHANGED, WORK_CHANGED, ACCOUNT_CHANGED, REMINDERS_CHANGED
        )
    if bound is not None:
        context = {"form": bound, "follow_up": bound.instance, "nav": "my_work"}
        return render(request, "activities/follow_up_plan.html", context, status=status)
    return redirect(_safe_next(request, reverse("activities:my_work")))


def _follow_up_for(request: AuthedHttpRequest, pk: int) -> FollowUp:
    return get_scoped_or_404(request.user, FollowUp.objects.select_related("account", "owner"), pk)


@login_required
@require_POST
def follow_up_done(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up_for(request, pk)
    services.follow_up_complete(actor=request.user, follow_up=follow_up)
    messages.success(request, _("“%(title)s” is done.") % {"title": follow_up.title})
    return _after_follow_up_change(request)


@login_required
@require_POST
def follow_up_reopen(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    follow_up = _follow_up_for(request, pk)
    services.follow_up_reopen(actor=request.user, follow_up=follow_up)
    messages.success(request, _("“%(title)s” is open again.") % {"title": follow_up.title})
    return _after_follow_up_change(request)


@login_required
@require_POST
def follow_up_plan(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Reschedule or reassign an open follow-up in place (its owner or an account editor)."""
    follow_up = _follow_up_for(request, pk)
    form = FollowUpPlanForm(request.POST, instance=follow_up, auto_id=f"fu{pk}-%s")
    if form.is_valid():
        try:
            services.follow_up_update(
                actor=request.user,
                follow_up=FollowUp.objects.select_related("account").get(pk=pk),
                due_on=form.cleaned_data["due_on"],
                owner=form.cleaned_data["owner"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        form.instance = follow_up
        return _after_follow_up_change(request, bound=form)
    messages.success(request, _("“%(title)s” was rescheduled.") % {"title": follow_up.title})
    return _after_follow_up_change(request)


@login_required
def follow_up_create(request: AuthedHttpRequest) -> HttpResponse:
    """A follow-up on its own (not from an activity), in a dialog from My work or the
    account page (`?account=` presets the account)."""
    preset = _preset_account(request, None)
    form = FollowUpForm(request.POST or None, user=request.user, account=preset)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_create(
                actor=request.user,
                account=form.cleaned_data["account"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The follow-up was created."))
            if request.htmx:
                return _close_dialog(*EVERYTHING_CHANGED)
            return redirect(_safe_next(request, reverse("activities:my_work")))
    context = {
        "form": form,
        "account": form.chosen_account,
        "action": request.get_full_path(),
        "title": _("New follow-up"),
    }
    template = "activities/follow_up_form.html"
    return _dialog_or_page(request, template, context, status=422 if form.errors else 200)
