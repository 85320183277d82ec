"""Issue pages and the account's Issues and Satisfaction panels. Each view fetches through
the access scope and writes through customer_care.services."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    EDITABLE_ACCOUNTS,
    can_edit_account,
    get_account_for,
    get_editable_or_404,
    get_scoped_or_404,
    visible_contacts,
)
from accounts.history import history_context
from accounts.models import Account
from customer_care import exports, selectors, services
from customer_care.filters import IssueFilter
from customer_care.forms import IssueForm, IssueStatusForm, SurveyForm
from customer_care.models import CustomerIssue
from kam import export
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.paging import BoundedPaginator

PAGE_SIZE = 25
RECENT_SURVEYS = 10


def _account_tab_url(account: Account, tab: str) -> str:
    return f"{reverse('accounts:detail', args=[account.pk])}?tab={tab}"


# --- Issue list and pages -----------------------------------------------------------------


@login_required
def issue_list(request: AuthedHttpRequest) -> HttpResponse:
    issues = selectors.issue_list(request.user).order_by("-opened_at", "pk")
    filterset = IssueFilter(request.GET or None, queryset=issues)
    if filterset.is_valid():
        issues = filterset.qs
    if fmt := export.requested(request):
        return export.response(exports.ISSUES, issues, fmt=fmt, request=request)
    page = BoundedPaginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    account_filter = None
    account_id = filterset.form.cleaned_data.get("account") if filterset.is_bound else None
    if account_id:
        account_filter = get_account_for(request.user, int(account_id))
    context = {
        "nav": "issues",
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "account_filter": account_filter,
    }
    return render_page(request, "customer_care/issues.html", context, partial="results")


@login_required
def issue_create(request: AuthedHttpRequest) -> HttpResponse:
    """A page of its own, with the account to choose (or preset by ?account=)."""
    initial = {}
    if request.GET.get("account", "").isdigit():
        initial["account"] = int(request.GET["account"])
    form = IssueForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.issue_create(
                actor=request.user, account=form.cleaned_data["account"], **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("account", str(exc))
        else:
            messages.success(request, _("The issue “%(title)s” was opened.") % {"title": issue})
            return redirect("customer_care:issue_detail", pk=issue.pk)
    status = 422 if form.errors else 200
    context = {"form": form, "nav": "issues"}
    return render_page(request, "customer_care/issue_form.html", context, status=status)


@login_required
def issue_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    issue = get_editable_or_404(request.user, CustomerIssue.objects.select_related("account"), pk)
    form = IssueForm(request.POST or None, instance=issue, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_update(actor=request.user, issue=issue, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("customer_care:issue_detail", pk=issue.pk)
    status = 422 if form.errors else 200
    # The form edits the instance in place; show the stored title in the heading.
    context = {"form": form, "issue": issue, "title": issue.title, "nav": "issues"}
    if form.errors:
        context["title"] = CustomerIssue.objects.values_list("title", flat=True).get(pk=pk)
    return render_page(request, "customer_care/issue_form.html", context, status=status)


def _issue_context(request: AuthedHttpRequest, issue: CustomerIssue, **extra) -> dict:
    return {
        "nav": "issues",
        "issue": issue,
        "account": issue.account,
        "can_edit": can_edit_account(request.user, issue.account),
        "status_form": extra.pop("status_form", None)
        or IssueStatusForm(initial={"status": issue.status, "resolution": issue.resolution}),
        **history_context(request, "issue", issue),
    } | extra


# The htmx event after which the account page's header facts and History tab reload.
ACCOUNT_CHANGED = "kam:account-changed"


def _account_changed(response: HttpResponse) -> HttpResponse:
    """Tell the page that the account changed: its header facts (the open issues count)
    and its History tab reload themselves (`kam:account-changed`)."""
    triggers = json.loads(response.headers.get("HX-Trigger") or "{}")
    triggers[ACCOUNT_CHANGED] = True
    response["HX-Trigger"] = json.dumps(triggers)
    return response


def _issues() -> QuerySet[CustomerIssue]:
    return CustomerIssue.objects.select_related("account", "department", "owner")


def _get_issue(request: AuthedHttpRequest, pk: int) -> CustomerIssue:
    return get_scoped_or_404(request.user, _issues(), pk)


@login_required
def issue_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    issue = _get_issue(request, pk)
    return render_page(request, "customer_care/issue_detail.html", _issue_context(request, issue))


@login_required
@require_POST
def issue_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    issue = get_editable_or_404(request.user, _issues(), pk)
    form = IssueStatusForm(request.POST)
    if form.is_valid():
        try:
            services.issue_change_status(
                actor=request.user,
                issue=issue,
                status=form.cleaned_data["status"],
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The issue is now “%(status)s”.")
                % {"status": CustomerIssue.Status(form.cleaned_data["status"]).label},
            )
            if not request.htmx:
                return redirect("customer_care:issue_detail", pk=issue.pk)
            issue = _get_issue(request, pk)
            # The summary, and the history below it out of band: both show the change.
            return _account_changed(
                render_page(
                    request,
                    "customer_care/issue_detail.html",
                    _issue_context(request, issue, history_oob=True),
                    partial="summary",
                )
            )
    context = _issue_context(request, _get_issue(request, pk), status_form=form)
    return render_page(
        request, "customer_care/issue_detail.html", context, partial="summary", status=422
    )


# --- Account panels ---------------------------------------------------------------------


def _issues_panel(request, account: Account, *, status: int = 200, form=None) -> HttpResponse:
    can_edit = can_edit_account(request.user, account)
    context = {
        "nav": "accounts",
        "account": account,
        "can_edit": can_edit,
        "open_issues": list(selectors.open_issues_for_account(account)),
        "closed_issues": selectors.recent_closed_issues_for_account(account),
        "issue_form": form or (IssueForm(user=request.user, account=account) if can_edit else None),
    }
    return render_page(
        request, "customer_care/account_issues.html", context, partial="panel", status=status
    )


@login_required
def account_issues_panel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(_account_tab_url(account, "issues"))
    return _issues_panel(request, account)


@login_required
@require_POST
def account_issue_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)
    form = IssueForm(request.POST, user=request.user, account=account)
    if form.is_valid():
        try:
            issue = services.issue_create(
                actor=request.user, account=account, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The issue “%(title)s” was opened.") % {"title": issue})
            if not request.htmx:
                return redirect(_account_tab_url(account, "issues"))
            return _account_changed(_issues_panel(request, account))
    return _issues_panel(request, account, status=422, form=form)


def _surveys_panel(
    request, account: Account, *, status: int = 200, form=None, follow_up=None
) -> HttpResponse:
    can_edit = can_edit_account(request.user, account)
    surveys = list(
        account.surveys.select_related("recorded_by")
        .prefetch_related(Prefetch("contact", queryset=visible_contacts(request.user)))
        .order_by("-surveyed_on", "-pk")[:RECENT_SURVEYS]
    )
    years = selectors.nps_trend(account)
    nps_tables = [{"title": _("Net Promoter Score per year"), "years": years, "prefix": ""}]
    if Account.objects.filter(path__startswith=account.path).exclude(pk=account.pk).exists():
        nps_tables.append(
            {
                "title": _("Group NPS (this account and all subsidiaries)"),
                "years": selectors.group_nps_trend(account),
                "prefix": "group-",
            }
        )
    context = {
        "nav": "accounts",
        "account": account,
        "can_edit": can_edit,
        "years": years,
        "nps_tables": nps_tables,
        "min_answers": settings.NPS_MIN_ANSWERS,
        "surveys": surveys,
        "follow_up": follow_up,
        "survey_form": form
        or (SurveyForm(account=account, user=request.user) if can_edit else None),
    }
    return render_page(
        request, "customer_care/account_surveys.html", context, partial="panel", status=status
    )


@login_required
def account_surveys_panel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(_account_tab_url(account, "satisfaction"))
    return _surveys_panel(request, account)


@login_required
@require_POST
def survey_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)
    form = SurveyForm(request.POST, account=account, user=request.user)
    if form.is_valid():
        try:
            survey = services.survey_record(
                actor=request.user, account=account, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The survey was recorded."))
            if survey.follow_up is not None:
                messages.warning(
                    request,
                    _("A detractor score: a follow-up was created for %(owner)s.")
                    % {"owner": account.owner},
                )
            if not request.htmx:
                return redirect(_account_tab_url(account, "satisfaction"))
            return _surveys_panel(request, account, follow_up=survey.follow_up)
    return _surveys_panel(request, account, status=422, form=form)
