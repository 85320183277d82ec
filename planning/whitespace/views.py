"""The whitespace matrix: a section of the account's Planning tab. Every change re-renders
the section in place (htmx); form errors stay next to their fields (422)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    EDITABLE_ACCOUNTS,
    can_edit_account,
    get_account_for,
    get_editable_or_404,
)
from accounts.models import Account, ProductLine
from deals.forms import OpportunityForm
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from planning.models import BusinessUnit
from planning.whitespace import selectors, services
from planning.whitespace.forms import BusinessUnitForm, CellForm

SECTION = "planning/whitespace/section.html"


def _planning_tab(account: Account) -> str:
    return f"{reverse('accounts:detail', args=[account.pk])}?tab=planning"


def _section(
    request: AuthedHttpRequest, account: Account, *, status: int = 200, **extra
) -> HttpResponse:
    can_edit = can_edit_account(request.user, account)
    if not request.htmx and status == 200 and request.method == "POST":
        return redirect(_planning_tab(account))
    context = {
        "account": account,
        "matrix": selectors.whitespace_matrix(account),
        "can_edit": can_edit,
        "unit_form": extra.pop("unit_form", None) or (BusinessUnitForm() if can_edit else None),
        "planning_url": _planning_tab(account),
        "nav": "accounts",
        **extra,
    }
    # A plain page load (no htmx) gets the section inside the site's layout.
    return render_page(request, SECTION, context, partial="section", status=status)


def _unit(account: Account, unit_id: int) -> BusinessUnit:
    return get_object_or_404(BusinessUnit.objects.filter(account=account), pk=unit_id)


def _editable_account(request: AuthedHttpRequest, pk: int) -> Account:
    return get_editable_or_404(request.user, EDITABLE_ACCOUNTS, pk)


@login_required
def account_section(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The whitespace matrix of the account (an htmx fragment of the Planning tab)."""
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(_planning_tab(account))
    return _section(request, account)


@login_required
def cell_edit(request: AuthedHttpRequest, pk: int, unit_id: int, line_id: int) -> HttpResponse:
    """GET: the section with the cell's form open; POST: set the cell's state."""
    account = _editable_account(request, pk)
    unit = _unit(account, unit_id)
    line = get_object_or_404(ProductLine, pk=line_id)
    cell = unit.cells.filter(product_line=line).first()
    form = CellForm(request.POST or None, instance=cell, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.cell_set(
                actor=request.user,
                account=account,
                business_unit=unit,
                product_line=line,
                **form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(unit)s × %(line)s was saved.") % {"unit": unit.name, "line": line.name},
            )
            return _section(request, account)
    status = 422 if form.errors else 200
    action = reverse("planning:whitespace_cell", args=[account.pk, unit.pk, line.pk])
    return _section(
        request,
        account,
        status=status,
        cell_form=form,
        cell_action=action,
        cell_unit=unit,
        cell_line=line,
    )


@login_required
@require_POST
def unit_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = _editable_account(request, pk)
    form = BusinessUnitForm(request.POST)
    if form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user, account=account, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": unit.name})
            return _section(request, account)
    return _section(request, account, status=422, unit_form=form)


@login_required
@require_POST
def unit_rename(request: AuthedHttpRequest, pk: int, unit_id: int) -> HttpResponse:
    account = _editable_account(request, pk)
    unit = _unit(account, unit_id)
    form = BusinessUnitForm(request.POST, prefix=f"unit-{unit.pk}")
    if form.is_valid():
        try:
            services.unit_rename(actor=request.user, unit=unit, name=form.cleaned_data["name"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The business unit was renamed."))
            return _section(request, account)
    return _section(
        request,
        account,
        status=422,
        rename_form=form,
        rename_unit_id=unit.pk,
        rename_value=request.POST.get(f"unit-{unit.pk}-name", ""),
    )


@login_required
@require_POST
def unit_delete(request: AuthedHttpRequest, pk: int, unit_id: int) -> HttpResponse:
    account = _editable_account(request, pk)
    unit = _unit(account, unit_id)
    services.unit_delete(actor=request.user, unit=unit)
    messages.success(request, _("“%(name)s” was removed.") % {"name": unit.name})
    return _section(request, account)


@login_required
def start_opportunity(
    request: AuthedHttpRequest, pk: int, unit_id: int, line_id: int
) -> HttpResponse:
    """A new opportunity for a cell of the matrix: the deal form with the account, the
    product line and a title filled in; once created, the cell shows it as open."""
    account = _editable_account(request, pk)
    unit = _unit(account, unit_id)
    line = get_object_or_404(ProductLine, pk=line_id)
    initial = {
        "account": account.pk,
        "product_lines": [line.pk],
        "title": f"{unit.name} – {line.name}",
    }
    form = OpportunityForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.cell_start_opportunity(
                actor=request.user,
                business_unit=unit,
                account=form.cleaned_data["account"],
                product_lines=form.cleaned_data["product_lines"],
                opportunity_fields=form.service_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("account", str(exc))
        else:
            messages.success(
                request, _("The opportunity “%(title)s” was created.") % {"title": opportunity}
            )
            return redirect("deals:detail", pk=opportunity.pk)
    status = 422 if form.errors else 200
    return render_page(request, "deals/form.html", {"form": form, "nav": "deals"}, status=status)
