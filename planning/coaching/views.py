"""Coaching plan pages: the account section, the plan page and the briefing sheet.

Each view fetches through the access scope (404 outside it) and writes through
planning.coaching.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
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
from accounts.history import history_context
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.uploads import attachment_response
from planning.coaching import selectors, services
from planning.coaching.forms import CoachingPlanForm, MaterialForm, SessionForm
from planning.models import CoachingPlan

PLAN_PAGE = "planning/coaching/plan.html"


# The account's Planning tab -------------------------------------------------------------


def _section_response(request: AuthedHttpRequest, account, form=None, status: int = 200):
    plans = list(selectors.plans_of_account(request.user, account))
    can_edit = can_edit_account(request.user, account)
    context = {
        "account": account,
        "plans": plans,
        "confirmed_ids": selectors.plan_ids_confirmed_by(request.user, [p.pk for p in plans]),
        "can_edit": can_edit,
        "form": form or (CoachingPlanForm(account=account) if can_edit else None),
    }
    return render_page(request, "planning/coaching/account_section.html", context, status=status)


@login_required
def account_section(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The coaching plans of an account, loaded into the Planning tab by htmx."""
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(f"{reverse('accounts:detail', args=[account.pk])}?tab=planning")
    return _section_response(request, account)


@login_required
@require_POST
def plan_create(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)
    form = CoachingPlanForm(request.POST, account=account)
    if form.is_valid():
        try:
            plan = services.coaching_plan_create(
                actor=request.user,
                account=account,
                reps=form.cleaned_data["reps"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The coaching plan “%(title)s” was created.") % {"title": plan.title}
            )
            url = reverse("planning:coaching_plan", args=[plan.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if not request.htmx:
        # A plain post with errors: show them on the plan form of a full page.
        return render_page(
            request,
            "planning/coaching/plan_new.html",
            {"account": account, "form": form},
            status=422,
        )
    return _section_response(request, account, form=form, status=422)


# The plan page ---------------------------------------------------------------------------


def _plan_context(request: AuthedHttpRequest, plan: CoachingPlan, **extra) -> dict:
    can_edit = can_edit_account(request.user, plan.account)
    statuses = selectors.confirmation_status(plan)
    context = {
        "nav": "plans",
        "plan": plan,
        "account": plan.account,
        "can_edit": can_edit,
        "statuses": statuses,
        "confirmed_count": sum(1 for s in statuses if s.confirmed),
        "materials": selectors.materials_of(plan),
        "sessions": selectors.sessions_of(plan),
        **history_context(request, "coaching_plan", plan),
    }
    if can_edit:
        context["plan_form"] = CoachingPlanForm(instance=plan, account=plan.account)
        context["material_form"] = MaterialForm()
        context["session_form"] = SessionForm(account=plan.account)
    return context | extra


def _plan_partial(request, plan, partial: str, status: int = 200, **extra) -> HttpResponse:
    if not request.htmx and status == 200:
        return redirect("planning:coaching_plan", pk=plan.pk)
    context = _plan_context(request, plan, **extra)
    return render_page(request, PLAN_PAGE, context, partial=partial, status=status)


@login_required
def plan_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for(request.user, pk)
    return render_page(request, PLAN_PAGE, _plan_context(request, plan))


def _editable_plan(request: AuthedHttpRequest, pk: int) -> CoachingPlan:
    return get_editable_or_404(request.user, selectors.plans(), pk)


@login_required
@require_POST
def plan_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    form = CoachingPlanForm(request.POST, instance=plan, account=plan.account)
    if form.is_valid():
        try:
            services.coaching_plan_update(
                actor=request.user,
                plan=plan,
                reps=form.cleaned_data["reps"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            url = reverse("planning:coaching_plan", args=[plan.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    plan = selectors.get_plan_for(request.user, pk)  # the saved state, not the failed input
    return _plan_partial(request, plan, "plan-form", status=422, plan_form=form)


@login_required
@require_POST
def material_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            material = services.material_add(
                actor=request.user,
                plan=plan,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(title)s” was added.") % {"title": material.title})
            return _plan_partial(request, plan, "materials")
    return _plan_partial(request, plan, "materials", status=422, material_form=form)


@login_required
@require_POST
def material_delete(request: AuthedHttpRequest, pk: int, material_id: int) -> HttpResponse:
    material = selectors.get_material_for(request.user, pk, material_id)
    services.material_delete(actor=request.user, material=material)
    messages.success(request, _("“%(title)s” was removed.") % {"title": material.title})
    return _plan_partial(request, material.plan, "materials")


@login_required
def material_download(request: AuthedHttpRequest, pk: int, material_id: int) -> HttpResponseBase:
    """The file, only through the access scope: outside it the URL is a 404. A link
    material redirects to its address."""
    material = selectors.get_material_for(request.user, pk, material_id)
    if not material.file:
        if material.url:
            return redirect(material.url)
        raise Http404
    return attachment_response(
        material.file,
        filename=material.original_name or material.title,
        content_type=material.content_type or "application/octet-stream",
    )


@login_required
@require_POST
def session_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    form = SessionForm(request.POST, account=plan.account)
    if form.is_valid():
        try:
            services.session_add(
                actor=request.user,
                plan=plan,
                participants=form.cleaned_data["participants"],
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The coaching session was added."))
            return _plan_partial(request, plan, "sessions")
    return _plan_partial(request, plan, "sessions", status=422, session_form=form)


# The briefing sheet ----------------------------------------------------------------------


def _briefing_context(
    request: AuthedHttpRequest, plan: CoachingPlan, *, sheet: bool = True
) -> dict:
    statuses = selectors.confirmation_status(plan)
    context = {
        "nav": "plans",
        "plan": plan,
        "account": plan.account,
        "my_status": next((s for s in statuses if s.rep.pk == request.user.pk), None),
    }
    if sheet:
        context["sheet"] = selectors.briefing_sheet(plan, viewer=request.user)
    return context


@login_required
def briefing_sheet(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A clean printable page for a rep before a customer meeting."""
    plan = selectors.get_plan_for(request.user, pk)
    return render_page(request, "planning/coaching/briefing.html", _briefing_context(request, plan))


@login_required
@require_POST
def briefing_confirm(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for(request.user, pk)
    created = services.briefing_confirm(actor=request.user, plan=plan)[1]
    if created:
        messages.success(request, _("Thank you: your briefing is confirmed."))
    if not request.htmx:
        return redirect("planning:briefing_sheet", pk=plan.pk)
    plan = selectors.get_plan_for(request.user, pk)  # fresh prefetch with the confirmation
    return render_page(
        request,
        "planning/coaching/briefing.html",
        _briefing_context(request, plan, sheet=False),
        partial="confirm",
    )
