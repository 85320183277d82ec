"""Action plan pages: the account's action plan section (objectives with progress and
forecast, their actions, adjustments) and the "Plans" page across the user's accounts.

Each view fetches through the access scope and writes through planning.action_plan.services.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    EDITABLE_ACCOUNTS,
    can_edit_account,
    get_account_for,
    get_editable_or_404,
)
from accounts.models import Account
from kam import concurrency, export
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.paging import first_rows
from planning.account_plan.selectors import stale_plans
from planning.action_plan import exports, selectors, services
from planning.action_plan.fields import ObjectiveFields
from planning.action_plan.forms import (
    ActionForm,
    AdjustForm,
    ObjectiveEditForm,
    ObjectiveForm,
    PlansFilterForm,
)
from planning.models import Action, Objective
from users.models import User

SECTION = "planning/action_plan/section.html"
PLANS = "planning/action_plan/plans.html"
PLANS_LIMIT = 50


def _year(request: AuthedHttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year_shown") or ""
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def _attach_forms(request: AuthedHttpRequest, objective: Objective, failed: dict) -> None:
    """The inline forms of one objective; a form that failed comes back with its errors."""
    pk = objective.pk
    objective.action_form = failed.get(("action", pk)) or ActionForm(  # type: ignore[attr-defined]
        user=request.user, prefix=f"action-{pk}"
    )
    objective.adjust_form = failed.get(("adjust", pk)) or AdjustForm(  # type: ignore[attr-defined]
        prefix=f"adjust-{pk}",
        initial={"target_value": objective.target_value, "due_on": objective.due_on},
    )
    objective.edit_form = failed.get(("edit", pk)) or ObjectiveEditForm(  # type: ignore[attr-defined]
        instance=objective, prefix=f"edit-{pk}"
    )
    objective.open_form = next(  # type: ignore[attr-defined]
        (kind for kind, key in failed if key == pk), None
    )  # which <details> is open


def _section_context(
    request: AuthedHttpRequest, account: Account, year: int, *, failed=None, objective_form=None
) -> dict:
    failed = failed or {}
    objectives = selectors.decorate(
        selectors.objectives_with_details(request.user)
        .filter(account=account, year=year)
        .order_by("due_on", "pk"),
        with_deals=True,
    )
    for objective in objectives:
        _attach_forms(request, objective, failed)
    objective_form = objective_form or ObjectiveForm(user=request.user)
    this_year = timezone.localdate().year
    years = set(Objective.objects.filter(account=account).values_list("year", flat=True))
    return {
        "account": account,
        "year": year,
        "years": sorted(years | {this_year, year}),
        "objectives": objectives,
        "can_edit": can_edit_account(request.user, account),
        "objective_form": objective_form,
        "today": timezone.localdate(),
    }


def _section_url(account_id: int, year: int | None = None) -> str:
    url = reverse("planning:action_plan_account_section", args=[account_id])
    return f"{url}?year={year}" if year else url


@login_required
def account_section(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The action plan of an account and year: a fragment for the planning tab, or a page
    of its own on a full load (deep links)."""
    account = get_account_for(request.user, pk)
    context = {"nav": "plans", **_section_context(request, account, _year(request))}
    return render_page(request, SECTION, context, partial="section")


def _edit_objective_or_403(request: AuthedHttpRequest, pk: int) -> Objective:
    return get_editable_or_404(request.user, Objective.objects.select_related("account"), pk)


def _objective_response(
    request: AuthedHttpRequest, objective: Objective, *, status: int = 200, failed=None
) -> HttpResponse:
    """After a change on one objective: its card again (htmx), or the section page."""
    if not request.htmx:
        if status == 200:
            return redirect(_section_url(objective.account_id, objective.year))
        context = {
            "nav": "plans",
            **_section_context(request, objective.account, objective.year, failed=failed),
        }
        return render_page(request, SECTION, context, status=status)
    fresh = selectors.objectives_with_details(request.user).filter(pk=objective.pk).first()
    if fresh is None:
        raise Http404
    fresh = selectors.decorate([fresh], with_deals=True)[0]
    _attach_forms(request, fresh, failed or {})
    context = {
        "objective": fresh,
        "account": fresh.account,
        "can_edit": can_edit_account(request.user, fresh.account),
        "today": timezone.localdate(),
    }
    return render_page(request, SECTION, context, partial="objective", status=status)


@login_required
@require_POST
def objective_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)
    form = ObjectiveForm(request.POST, user=request.user)
    year = _year(request)
    if form.is_valid():
        try:
            objective = services.objective_create(
                actor=request.user,
                account=account,
                year=form.cleaned_data["year"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The objective “%(title)s” was added.") % {"title": objective}
            )
            if not request.htmx:
                return redirect(_section_url(account.pk, objective.year))
            year = objective.year
            context = _section_context(request, account, year)
            return render_page(request, SECTION, context, partial="section")
    context = {"nav": "plans", **_section_context(request, account, year, objective_form=form)}
    context["objective_form_open"] = True
    return render_page(request, SECTION, context, partial="section", status=422)


@login_required
@require_POST
def objective_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    objective = _edit_objective_or_403(request, pk)
    form = ObjectiveEditForm(request.POST, instance=objective, prefix=f"edit-{pk}")
    status = 422
    if form.is_valid():
        try:
            saved = concurrency.save_fields(
                form,
                ObjectiveFields,
                lambda changes: services.objective_update(
                    actor=request.user, objective=objective, **changes
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved is not None:
                messages.success(request, _("Your changes were saved."))
                return _objective_response(request, objective)
            status = 409
    return _objective_response(request, objective, status=status, failed={("edit", pk): form})


@login_required
@require_POST
def objective_adjust(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A new target value or due date, with the reason the plan keeps."""
    objective = _edit_objective_or_403(request, pk)
    form = AdjustForm(request.POST, prefix=f"adjust-{pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.objective_update(
                actor=request.user,
                objective=objective,
                target_value=data["target_value"],
                due_on=data["due_on"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The change was recorded with its reason."))
            return _objective_response(request, objective)
    return _objective_response(request, objective, status=422, failed={("adjust", pk): form})


@login_required
@require_POST
def action_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    objective = _edit_objective_or_403(request, pk)
    form = ActionForm(request.POST, user=request.user, prefix=f"action-{pk}")
    if form.is_valid():
        try:
            action = services.action_create(
                actor=request.user, objective=objective, **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action “%(title)s” was added.") % {"title": action})
            return _objective_response(request, objective)
    return _objective_response(request, objective, status=422, failed={("action", pk): form})


def _edit_action_or_403(request: AuthedHttpRequest, pk: int) -> Action:
    return get_editable_or_404(
        request.user, selectors.action_list(request.user), pk, via="objective__account"
    )


@login_required
@require_POST
def action_done(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    action = _edit_action_or_403(request, pk)
    services.action_complete(actor=request.user, action=action)
    messages.success(request, _("“%(title)s” is done.") % {"title": action.title})
    return _objective_response(request, action.objective)


@login_required
@require_POST
def action_reopen(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    action = _edit_action_or_403(request, pk)
    services.action_reopen(actor=request.user, action=action)
    messages.success(request, _("“%(title)s” is open again.") % {"title": action.title})
    return _objective_response(request, action.objective)


# --- the Plans page ------------------------------------------------------------------------


def _stale_plans(user: User, *, year: int, owner: User | None):
    plans = stale_plans(user).filter(year=year)
    if owner is not None:
        plans = plans.filter(account__owner=owner)
    return plans


@login_required
def plans(request: AuthedHttpRequest) -> HttpResponse:
    """Across the user's accounts: stale plans, objectives at risk or off track, overdue
    actions; filtered by owner and year (kept in the URL)."""
    form = PlansFilterForm(request.GET or None)
    year, owner = timezone.localdate().year, None
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        owner = form.cleaned_data["owner"]
    objectives = selectors.objectives_needing_attention(request.user).filter(year=year)
    actions = selectors.overdue_actions(request.user).filter(objective__year=year)
    if owner is not None:
        objectives = objectives.filter(owner=owner)
        actions = actions.filter(owner=owner)
    if fmt := export.requested(request):
        return export.response(exports.OBJECTIVES, objectives, fmt=fmt, request=request)
    stale = _stale_plans(request.user, year=year, owner=owner)
    stale_rows = list(stale[: PLANS_LIMIT + 1])
    # The attention order comes from stored columns (an index); the forecast subqueries
    # and the joins run for the rows shown only.
    objective_rows = selectors.decorate(first_rows(objectives, PLANS_LIMIT + 1))
    action_rows = list(actions[: PLANS_LIMIT + 1])
    context = {
        "nav": "plans",
        "form": form,
        "year": year,
        "limit": PLANS_LIMIT,
        "stale_plans": stale_rows[:PLANS_LIMIT],
        "more_stale": len(stale_rows) > PLANS_LIMIT,
        "objectives": objective_rows[:PLANS_LIMIT],
        "more_objectives": len(objective_rows) > PLANS_LIMIT,
        "actions": action_rows[:PLANS_LIMIT],
        "more_actions": len(action_rows) > PLANS_LIMIT,
        "stale_days": _stale_days(),
    }
    return render_page(request, PLANS, context, partial="results")


def _stale_days() -> int:
    return settings.PLAN_STALE_DAYS
