"""Business-case pages: the account's cases (a section of the Planning tab) and a case's
page with its scenarios side by side. Reads go through the access scope, writes through
planning.business_cases.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import (
    EDITABLE_ACCOUNTS,
    can_edit_account,
    get_account_for,
    get_editable_or_404,
)
from accounts.models import Account
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from planning.business_cases import selectors, services
from planning.business_cases.arithmetic import IRR_LIMIT_PCT
from planning.business_cases.forms import BusinessCaseForm, ScenarioForm
from planning.models import BusinessCase, Scenario

SECTION = "planning/business_cases/section.html"
CASE = "planning/business_cases/case.html"


def _planning_tab(account: Account) -> str:
    return f"{reverse('accounts:detail', args=[account.pk])}?tab=planning"


def _section(
    request: AuthedHttpRequest, account: Account, *, form=None, status=200
) -> HttpResponse:
    can_edit = can_edit_account(request.user, account)
    context = {
        "account": account,
        "cases": selectors.account_cases(account),
        "can_edit": can_edit,
        "case_form": form or (BusinessCaseForm(account=account) if can_edit else None),
        "form_open": form is not None,
    }
    return render_page(request, SECTION, context, status=status)


@login_required
def account_section(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The "Business cases" section of the account's Planning tab (an htmx fragment)."""
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(_planning_tab(account))
    return _section(request, account)


@login_required
@require_POST
def case_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)
    form = BusinessCaseForm(request.POST, account=account)
    if form.is_valid():
        try:
            case = services.business_case_create(
                actor=request.user, account=account, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The business case “%(title)s” was created.") % {"title": case.title}
            )
            url = reverse("planning:business_case_detail", args=[case.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if not request.htmx:
        return _case_page(request, None, account=account, case_form=form, status=422)
    return _section(request, account, form=form, status=422)


def _case_page(
    request: AuthedHttpRequest,
    case: BusinessCase | None,
    *,
    account: Account | None = None,
    partial: str | None = None,
    status: int = 200,
    **extra,
) -> HttpResponse:
    account = case.account if case is not None else account
    assert account is not None, "a case page shows a case or an account"
    can_edit = can_edit_account(request.user, account)
    context = {
        "nav": "accounts",
        "account": account,
        "case": case,
        "scenarios": list(case.scenarios.all()) if case is not None else [],
        "can_edit": can_edit,
        "planning_url": _planning_tab(account),
        "irr_limit_pct": IRR_LIMIT_PCT,
        **extra,
    }
    if case is not None and can_edit and "case_form" not in extra:
        context["case_form"] = BusinessCaseForm(instance=case, account=account)
    return render_page(request, CASE, context, partial=partial, status=status)


def _editable_case(request: AuthedHttpRequest, case_id: int) -> BusinessCase:
    cases = selectors.visible_cases(request.user)
    return selectors.with_results(get_editable_or_404(request.user, cases, case_id))


@login_required
def case_detail(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id)
    return _case_page(request, case)


@login_required
@require_POST
def case_edit(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    case = _editable_case(request, case_id)
    form = BusinessCaseForm(request.POST, instance=case, account=case.account)
    if form.is_valid():
        try:
            services.business_case_update(
                actor=request.user,
                case=BusinessCase.objects.get(pk=case.pk),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("planning:business_case_detail", case_id=case.pk)
    # The instance took the posted values; show the stored case with the form's errors.
    case = selectors.get_case_for(request.user, case_id)
    return _case_page(request, case, case_form=form, case_form_open=True, status=422)


@login_required
@require_POST
def case_delete(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id)
    services.business_case_delete(actor=request.user, case=case)
    messages.success(request, _("The business case “%(title)s” was deleted.") % {"title": case})
    url = _planning_tab(case.account)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _scenario_form_response(
    request: AuthedHttpRequest, case: BusinessCase, form: ScenarioForm, action: str, status: int
) -> HttpResponse:
    # htmx: the case body with the form in place (errors next to their fields).
    return _case_page(
        request, case, partial="body", status=status, scenario_form=form, scenario_action=action
    )


@login_required
def scenario_create(request: AuthedHttpRequest, case_id: int) -> HttpResponse:
    case = _editable_case(request, case_id)
    action = reverse("planning:business_case_scenario_create", args=[case.pk])
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.scenario_create(
                actor=request.user, case=case, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The scenario “%(name)s” was added.") % {"name": scenario.name}
            )
            return _after_scenario_change(request, case)
    status = 422 if form.errors else 200
    return _scenario_form_response(request, case, form, action, status)


@login_required
def scenario_edit(request: AuthedHttpRequest, case_id: int, scenario_id: int) -> HttpResponse:
    case = _editable_case(request, case_id)
    scenario = get_object_or_404(case.scenarios.all(), pk=scenario_id)
    action = reverse("planning:business_case_scenario_edit", args=[case.pk, scenario.pk])
    form = ScenarioForm(request.POST or None, instance=scenario)
    if request.method == "POST" and form.is_valid():
        try:
            services.scenario_update(
                actor=request.user,
                scenario=Scenario.objects.select_related("case__account").get(pk=scenario.pk),
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return _after_scenario_change(request, case)
    status = 422 if form.errors else 200
    if status == 422:
        case = selectors.get_case_for(request.user, case_id)  # the stored values in the table
    return _scenario_form_response(request, case, form, action, status)


@login_required
@require_POST
def scenario_delete(request: AuthedHttpRequest, case_id: int, scenario_id: int) -> HttpResponse:
    case = selectors.get_case_for(request.user, case_id)
    scenario = get_object_or_404(case.scenarios.all(), pk=scenario_id)
    services.scenario_delete(actor=request.user, scenario=scenario)
    messages.success(request, _("The scenario “%(name)s” was deleted.") % {"name": scenario})
    return _after_scenario_change(request, case)


def _after_scenario_change(request: AuthedHttpRequest, case: BusinessCase) -> HttpResponse:
    if not request.htmx:
        return redirect("planning:business_case_detail", case_id=case.pk)
    case = selectors.get_case_for(request.user, case.pk)
    return _case_page(request, case, partial="body")
