"""The account page's Planning tab and the plan page. Each view fetches through the access
scope and writes through planning.account_plan.services."""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
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
)
from accounts.history import history_context
from accounts.models import Account
from accounts.selectors import current_year
from kam import concurrency
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from planning.account_plan import selectors, services
from planning.account_plan.fields import AccountPlanFields
from planning.account_plan.forms import PlanForm, PlanStatusForm
from planning.models import AccountPlan

DETAIL = "planning/account_plan/detail.html"
MIN_YEAR, MAX_YEAR = 2000, 2100


def _valid_year(value: str | None) -> int | None:
    if value and value.isdigit() and MIN_YEAR <= int(value) <= MAX_YEAR:
        return int(value)
    return None


def _year_from(request: AuthedHttpRequest) -> int:
    """The year in the request, else in the page's address (a reload of the account page
    with ?tab=planning&year=2025 loads the panel without it), else this year."""
    year = _valid_year(request.GET.get("year"))
    if year is None and request.htmx and request.htmx.current_url:
        query = parse_qs(urlsplit(request.htmx.current_url).query)
        year = _valid_year((query.get("year") or [""])[0])
    return year or current_year()


def tab_url(account: Account, year: int | None = None) -> str:
    url = f"{reverse('accounts:detail', args=[account.pk])}?tab=planning"
    return f"{url}&year={year}" if year else url


def _get_plan(request: AuthedHttpRequest, pk: int) -> AccountPlan:
    queryset = AccountPlan.objects.select_related("account", "last_reviewed_by")
    return get_scoped_or_404(request.user, queryset, pk)


def _plan_context(
    request: AuthedHttpRequest,
    account: Account,
    year: int,
    *,
    plan: AccountPlan | None = None,
    years: set[int] | None = None,
    can_edit: bool | None = None,
    form: PlanForm | None = None,
    status_form: PlanStatusForm | None = None,
    errors: list[str] | None = None,
) -> dict:
    """What the plan part of the tab (and of the plan page) shows for one year."""
    if plan is None:
        plan = (
            AccountPlan.objects.select_related("last_reviewed_by")
            .filter(account=account, year=year)
            .first()
        )
    if can_edit is None:
        can_edit = can_edit_account(request.user, account)
    context = {
        "account": account,
        "year": year,
        "plan": plan,
        "can_edit": can_edit,
        "errors": errors or [],
        "stale_days": settings.PLAN_STALE_DAYS,
    }
    if plan is None:
        if years is None:
            has_previous = AccountPlan.objects.filter(account=account, year=year - 1).exists()
        else:
            has_previous = year - 1 in years
        return context | {"has_previous": has_previous}
    return context | {
        "stale": selectors.is_stale(plan),
        "swot": _swot(plan),
        "form": form or PlanForm(instance=plan, prefix_id=f"plan{plan.pk}"),
        "status_form": status_form or PlanStatusForm(initial={"status": plan.status}),
    }


def _swot(plan: AccountPlan) -> list[tuple[str, str, list[str]]]:
    items = selectors.swot_items(plan)
    return [(name, str(services.SWOT_LABELS[name]), items[name]) for name in services.SWOT_FIELDS]


def _sections(plan: AccountPlan) -> list[tuple[str, str, str]]:
    return [
        (
            name,
            str(getattr(AccountPlan._meta.get_field(name), "verbose_name", name)),
            getattr(plan, name),
        )
        for name in services.TEXT_FIELDS
    ]


def _render_plan(request: AuthedHttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    """The plan part after a change: in place for htmx, else back to the tab (or, with
    errors, the plan page with the form and its errors)."""
    plan = context.get("plan")
    if plan is not None:
        context["sections"] = _sections(plan)
    if request.htmx:
        if plan is not None and request.htmx.current_url:
            plan_page = reverse("planning:account_plan_detail", args=[plan.pk])
            context["on_plan_page"] = urlsplit(request.htmx.current_url).path == plan_page
        return render_page(request, DETAIL, context, partial="plan", status=status)
    if status == 200 or context.get("plan") is None:
        for error in context.get("errors", []):
            messages.error(request, error)
        return redirect(tab_url(context["account"], context["year"]))
    context |= {
        "nav": "accounts",
        **history_context(request, "account_plan", context["plan"]),
        "on_plan_page": True,
    }
    return render_page(request, DETAIL, context, status=status)


@login_required
def account_panel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The account page's Planning tab: the plan of one year, then the other parts of the
    planning app, each loaded on demand from its own URL."""
    account = get_account_for(request.user, pk)
    year = _year_from(request)
    if not request.htmx:
        return redirect(tab_url(account, year if "year" in request.GET else None))
    years = set(account.plans.values_list("year", flat=True))
    this_year = current_year()
    context = _plan_context(request, account, year, years=years)
    if context["plan"] is not None:
        context["sections"] = _sections(context["plan"])
    context["years"] = sorted(years | {this_year, this_year + 1, year}, reverse=True)
    return render_page(request, "planning/account_plan/panel.html", context)


def _editable_account(request: AuthedHttpRequest, pk: int) -> Account:
    return get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)


@login_required
@require_POST
def plan_create(request: AuthedHttpRequest, pk: int, year: int) -> HttpResponse:
    account = _editable_account(request, pk)
    try:
        plan = services.plan_create(actor=request.user, account=account, year=year)
    except ValidationError as exc:
        context = _plan_context(request, account, year, can_edit=True, errors=exc.messages)
        return _render_plan(request, context, status=422)
    messages.success(request, _("The plan for %(year)s was started.") % {"year": year})
    return _render_plan(request, _plan_context(request, account, year, plan=plan, can_edit=True))


@login_required
@require_POST
def plan_copy(request: AuthedHttpRequest, pk: int, year: int) -> HttpResponse:
    account = _editable_account(request, pk)
    try:
        plan = services.plan_copy_from_last_year(actor=request.user, account=account, year=year)
    except ValidationError as exc:
        context = _plan_context(request, account, year, can_edit=True, errors=exc.messages)
        return _render_plan(request, context, status=422)
    messages.success(
        request,
        _("The plan for %(year)s starts as a draft copy of %(previous)s.")
        % {"year": year, "previous": year - 1},
    )
    return _render_plan(request, _plan_context(request, account, year, plan=plan, can_edit=True))


def _editable_plan(request: AuthedHttpRequest, pk: int) -> AccountPlan:
    queryset = AccountPlan.objects.select_related("account", "last_reviewed_by")
    return get_editable_or_404(request.user, queryset, pk)


@login_required
@require_POST
def plan_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    form = PlanForm(request.POST, instance=plan, prefix_id=f"plan{plan.pk}")
    status = 422
    if form.is_valid():
        try:
            saved = concurrency.save_fields(
                form,
                AccountPlanFields,
                lambda changes: services.plan_update(actor=request.user, plan=plan, **changes),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved is None:
                status = 409
            else:
                messages.success(request, _("The plan was saved."))
                plan = _get_plan(request, pk)
                return _render_plan(
                    request,
                    _plan_context(request, plan.account, plan.year, plan=plan, can_edit=True),
                )
    # The form edits the instance in place only after validation; show the stored plan.
    stored = _get_plan(request, pk)
    context = _plan_context(
        request, stored.account, stored.year, plan=stored, can_edit=True, form=form
    )
    return _render_plan(request, context, status=status)


@login_required
@require_POST
def plan_review(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    errors: list[str] = []
    try:
        plan = services.plan_mark_reviewed(actor=request.user, plan=plan)
    except ValidationError as exc:
        errors = exc.messages
    else:
        messages.success(request, _("The plan was marked as reviewed."))
    plan = _get_plan(request, pk)
    context = _plan_context(
        request, plan.account, plan.year, plan=plan, can_edit=True, errors=errors
    )
    return _render_plan(request, context, status=422 if errors else 200)


@login_required
@require_POST
def plan_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    form = PlanStatusForm(request.POST)
    if form.is_valid():
        status = form.cleaned_data["status"]
        try:
            services.plan_set_status(actor=request.user, plan=plan, status=status)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The plan is now “%(status)s”.") % {"status": AccountPlan.Status(status).label},
            )
            plan = _get_plan(request, pk)
            return _render_plan(
                request, _plan_context(request, plan.account, plan.year, plan=plan, can_edit=True)
            )
    plan = _get_plan(request, pk)
    context = _plan_context(
        request, plan.account, plan.year, plan=plan, can_edit=True, status_form=form
    )
    return _render_plan(request, context, status=422)


@login_required
def plan_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One plan on its own page, with every change ever made to it."""
    plan = _get_plan(request, pk)
    context = _plan_context(request, plan.account, plan.year, plan=plan)
    context |= {
        "nav": "accounts",
        "sections": _sections(plan),
        **history_context(request, "account_plan", plan),
        "on_plan_page": True,
    }
    return render_page(request, DETAIL, context)
