"""Contract pages. Each view fetches through the access scope and writes through services."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import (
    can_edit_account,
    editable_accounts,
    get_account_for,
    get_editable_or_404,
    visible_accounts,
)
from accounts.history import history_context
from contracts import exports, selectors, services
from contracts.fields import ContractFields
from contracts.filters import ContractFilter
from contracts.forms import ContractForm, DocumentForm
from contracts.models import Contract
from kam import concurrency, export
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.paging import page_of
from kam.uploads import attachment_response

PAGE_SIZE = 25
MAX_WITHIN_DAYS = 3650


def _page_context(request: AuthedHttpRequest, contracts) -> dict:
    # The ids of the page first: the computed terms and the document count only for its
    # rows, not for every contract sorted (2,177 deadlines within 90 days at 10,000 accounts).
    page = page_of(contracts, request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    return {
        "page": page,
        "query": query.urlencode(),
        "today": today,
        "near": today + timedelta(days=selectors.NEAR_DEADLINE_DAYS),
    }


@login_required
def contract_list(request: AuthedHttpRequest) -> HttpResponse:
    contracts = selectors.contract_list(request.user).order_by("account__name", "number", "pk")
    filterset = ContractFilter(request.GET or None, queryset=contracts)
    if filterset.is_valid():
        contracts = filterset.qs
    if fmt := export.requested(request):
        return export.response(exports.CONTRACTS, contracts, fmt=fmt, request=request)
    account_id = filterset.form.cleaned_data.get("account") if filterset.is_valid() else None
    context = {
        "nav": "contracts",
        "filter": filterset,
        "filtered_account": visible_accounts(request.user).filter(pk=account_id).first()
        if account_id
        else None,
        "can_create": editable_accounts(request.user).exists(),
        **_page_context(request, contracts),
    }
    return render_page(request, "contracts/list.html", context, partial="results")


def _within_days(request: AuthedHttpRequest) -> int:
    try:
        days = int(request.GET.get("within", selectors.DEFAULT_WITHIN_DAYS))
    except ValueError:
        days = selectors.DEFAULT_WITHIN_DAYS
    return min(max(days, 0), MAX_WITHIN_DAYS)


@login_required
def contract_deadlines(request: AuthedHttpRequest) -> HttpResponse:
    """Contracts whose notice deadline falls in the next `?within=N` days (default 90)."""
    within = _within_days(request)
    contracts = selectors.notice_within(selectors.contract_list(request.user), within).order_by(
        "next_notice_deadline", "pk"
    )
    context = {"nav": "contracts", "within": within, **_page_context(request, contracts)}
    return render_page(request, "contracts/deadlines.html", context, partial="results")


def _to_detail(request: AuthedHttpRequest, contract: Contract) -> HttpResponse:
    url = reverse("contracts:detail", args=[contract.pk])
    # An htmx form post lands on the contract page as a whole page (and in the history).
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _form_response(
    request: AuthedHttpRequest, form: ContractForm, contract: Contract | None, *, status: int = 0
):
    status = status or (422 if form.errors else 200)
    context = {"form": form, "contract": contract, "nav": "contracts"}
    return render_page(request, "contracts/form.html", context, partial="form", status=status)


@login_required
def contract_create(request: AuthedHttpRequest) -> HttpResponse:
    initial = {}
    if request.method == "GET" and request.GET.get("account", "").isdigit():
        account = get_account_for(request.user, int(request.GET["account"]))
        initial["account"] = account.pk
    form = ContractForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_create(
                actor=request.user, account=form.cleaned_data["account"], **form.service_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("account", str(exc))
        else:
            messages.success(
                request, _("The contract “%(number)s” was created.") % {"number": contract.number}
            )
            return _to_detail(request, contract)
    return _form_response(request, form, None)


@login_required
def contract_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contract = get_editable_or_404(request.user, selectors.contract_list(request.user), pk)
    form = ContractForm(request.POST or None, instance=contract, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # A contract stays with its account: the form shows it, the service does not take it.
            saved = concurrency.save_fields(
                form,
                ContractFields,
                lambda changes: services.contract_update(
                    actor=request.user, contract=contract, **changes
                ),
                without=["account"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved is not None:
                messages.success(request, _("Your changes were saved."))
                return _to_detail(request, contract)
            return _form_response(request, form, contract, status=409)
    return _form_response(request, form, contract)


def _detail_context(request: AuthedHttpRequest, contract: Contract, **extra) -> dict:
    today = timezone.localdate()
    return {
        "nav": "contracts",
        "contract": contract,
        "account": contract.account,
        "can_edit": can_edit_account(request.user, contract.account),
        "documents": selectors.documents_of(contract),
        "document_form": extra.pop("document_form", None) or DocumentForm(),
        **history_context(request, "contract", contract),
        "today": today,
        "near": today + timedelta(days=selectors.NEAR_DEADLINE_DAYS),
    } | extra


@login_required
def contract_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.get_contract_for(request.user, pk)
    return render_page(request, "contracts/detail.html", _detail_context(request, contract))


def _documents_response(request: AuthedHttpRequest, contract: Contract, status: int = 200, **extra):
    context = _detail_context(request, contract, **extra)
    if not request.htmx and status == 200:
        return redirect("contracts:detail", pk=contract.pk)
    return render_page(
        request, "contracts/detail.html", context, partial="documents", status=status
    )


@login_required
@require_POST
def document_upload(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    contract = get_editable_or_404(request.user, selectors.contract_list(request.user), pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.document_add(
                actor=request.user, contract=contract, uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("“%(name)s” was uploaded.") % {"name": document.original_name}
            )
            return _documents_response(request, contract)
    return _documents_response(request, contract, status=422, document_form=form)


@login_required
def document_download(
    request: AuthedHttpRequest, pk: int, document_id: int
) -> FileResponse | HttpResponseRedirect:
    """The file, only through the access scope: outside it the URL is a 404."""
    document = selectors.get_document_for(request.user, pk, document_id)
    return attachment_response(
        document.file, filename=document.original_name, content_type=document.content_type
    )


@login_required
@require_POST
def document_delete(request: AuthedHttpRequest, pk: int, document_id: int) -> HttpResponse:
    document = selectors.get_document_for(request.user, pk, document_id)
    services.document_delete(actor=request.user, document=document)
    messages.success(request, _("“%(name)s” was deleted.") % {"name": document.original_name})
    return _documents_response(request, document.contract)


@login_required
def account_panel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The Contracts tab of the account page (loaded by htmx)."""
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(f"{reverse('accounts:detail', args=[account.pk])}?tab=contracts")
    today = timezone.localdate()
    contracts = (
        selectors.contract_list(request.user)
        .filter(account=account)
        .order_by(F("next_notice_deadline").asc(nulls_last=True), "-start_on", "pk")
    )
    context = {
        "account": account,
        "contracts": contracts,
        "can_edit": can_edit_account(request.user, account),
        "today": today,
        "near": today + timedelta(days=selectors.NEAR_DEADLINE_DAYS),
    }
    return render_page(request, "contracts/account_panel.html", context)
