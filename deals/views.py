"""Opportunity pages: the pipeline, the list, a deal's page, its form and the account tab.

Each view fetches through the access scope and writes through deals.services.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    can_edit_account,
    editable_accounts,
    get_account_for,
    get_editable_or_404,
    visible_account_ids,
)
from accounts.history import history_context
from accounts.models import Account
from deals import changes, charts, exports, selectors, services, win_loss
from deals.fields import OpportunityEditFields
from deals.filters import OpportunityFilter
from deals.forms import CompetitorLinkForm, MoveForm, OpportunityForm, WinLossFilterForm
from deals.models import Competitor, Opportunity, Stage
from kam import concurrency, export, versioned_cache
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.paging import BoundedPaginator

PAGE_SIZE = 25
PANEL_LIMIT = 20


def _filtered(request: AuthedHttpRequest, params: QueryDict):
    opportunities = selectors.opportunity_list(request.user)
    filterset = OpportunityFilter(params or None, queryset=opportunities)
    if filterset.is_valid():
        opportunities = filterset.qs
    return filterset, opportunities


def _filter_account(request: AuthedHttpRequest, filterset: OpportunityFilter) -> Account | None:
    """The account the lists are narrowed to, if the user may see it (shown as a chip)."""
    if not filterset.is_bound or not filterset.is_valid():
        return None
    account_id = filterset.form.cleaned_data.get("account")
    if not account_id:
        return None
    try:
        return get_account_for(request.user, int(account_id))
    except Http404:
        return None


def _query_without(params: QueryDict, *names: str) -> str:
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _pipeline_context(request: AuthedHttpRequest, **extra) -> dict:
    filterset, opportunities = _filtered(request, request.GET)
    columns = selectors.pipeline(
        opportunities,
        account_ids=visible_account_ids(request.user),
        cache_key=(
            versioned_cache.scope_key(request.user),
            versioned_cache.form_key(filterset.form),
        ),
    )
    editable = set(
        editable_accounts(request.user)
        .filter(pk__in={card.account_id for column in columns for card in column.cards})
        .values_list("pk", flat=True)
    )
    return {
        "nav": "deals",
        "filter": filterset,
        "filter_account": _filter_account(request, filterset),
        "columns": columns,
        "summary": selectors.pipeline_summary(columns),
        "editable_account_ids": editable,
        "query": request.GET.urlencode(),
        "stages": [column.stage for column in columns],
        **extra,
    }


@login_required
def pipeline(request: AuthedHttpRequest) -> HttpResponse:
    return render_page(
        request, "deals/pipeline.html", _pipeline_context(request), partial="pipeline"
    )


@login_required
def stage_cards(request: AuthedHttpRequest, stage_pk: int) -> HttpResponse:
    """ "Show more" on a board column: the next cards of one stage, with the filters."""
    stage = Stage.objects.filter(pk=stage_pk).first()
    if stage is None:
        raise Http404
    raw_offset = request.GET.get("offset", "")
    offset = int(raw_offset) if raw_offset.isdigit() else 0
    _, opportunities = _filtered(request, request.GET)
    cards, has_more = selectors.stage_cards(
        opportunities,
        stage=stage,
        offset=offset,
        account_ids=visible_account_ids(request.user),
    )
    stages = list(Stage.objects.order_by("order", "pk"))
    context = {
        "nav": "deals",
        "cards": cards,
        "has_more": has_more,
        "stage": stage,
        "offset": offset + len(cards),
        "stages": stages,
        "editable_account_ids": set(
            editable_accounts(request.user)
            .filter(pk__in={card.account_id for card in cards})
            .values_list("pk", flat=True)
        ),
        "query": _query_without(request.GET, "offset"),
    }
    return render_page(request, "deals/pipeline.html#more_cards", context)


@login_required
def move_menu(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The "Move" menu of one pipeline card, filled when the user opens it: the board
    renders no form per card (a board of 300 cards spent most of its time on them). The
    filters travel in the query string to the move, as on the board."""
    opportunity = get_editable_or_404(request.user, selectors.opportunity_list(request.user), pk)
    context = {
        "card": opportunity,
        "stages": [
            stage
            for stage in Stage.objects.order_by("order", "pk")
            if stage.pk != opportunity.stage_id
        ],
        "query": request.GET.urlencode(),
    }
    return render_page(request, "deals/pipeline.html#move_menu", context)


@login_required
@require_POST
def opportunity_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The move control on a pipeline card. The filters travel in the query string, so the
    pipeline comes back as the user sees it. A won or lost move without a reason returns
    the card with the reason field (422), in place."""
    opportunity = _get_opportunity(request, pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            services.opportunity_move(
                actor=request.user,
                opportunity=opportunity,
                stage=form.cleaned_data["stage"],
                reason=form.cleaned_data["reason"],
                lost_to=form.cleaned_data.get("lost_to"),
            )
        except ValidationError as exc:
            _add_move_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” was moved to %(stage)s.")
                % {"title": opportunity.title, "stage": form.cleaned_data["stage"].label},
            )
            if request.POST.get("from") == "detail":
                return _redirect_detail(request, opportunity)
            if not request.htmx:
                query = request.GET.urlencode()
                return redirect(reverse("deals:pipeline") + (f"?{query}" if query else ""))
            return render_page(
                request, "deals/pipeline.html", _pipeline_context(request), partial="pipeline"
            )
    if request.POST.get("from") == "detail":
        return _render_detail(request, opportunity.pk, status=422, move_form=form)
    if not request.htmx:
        context = _pipeline_context(request, failed_card=opportunity.pk, failed_form=form)
        return render_page(request, "deals/pipeline.html", context, status=422)
    context = {
        "card": selectors.as_card(opportunity),
        "failed_card": opportunity.pk,
        "failed_form": form,
        "stages": Stage.objects.order_by("order", "pk"),
        "editable_account_ids": {opportunity.account_id},
        "query": request.GET.urlencode(),
    }
    response = render_page(request, "deals/pipeline.html", context, partial="card", status=422)
    response["HX-Retarget"] = f"#opportunity-card-{opportunity.pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _add_move_errors(form: MoveForm, exc: ValidationError) -> None:
    """The reason a won or lost deal needs belongs to the reason field of the move form."""
    for field, errors in getattr(exc, "message_dict", {"": exc.messages}).items():
        form.add_error("reason" if field == "close_reason" else None, errors)


@login_required
def opportunity_list(request: AuthedHttpRequest) -> HttpResponse:
    filterset, opportunities = _filtered(request, request.GET)
    if not filterset.is_bound or not filterset.form.cleaned_data.get("ordering"):
        opportunities = opportunities.order_by("expected_close_date", "pk")
    if fmt := export.requested(request):
        return export.response(exports.OPPORTUNITIES, opportunities, fmt=fmt, request=request)
    page = BoundedPaginator(opportunities, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": "deals",
        "filter": filterset,
        "filter_account": _filter_account(request, filterset),
        "page": page,
    }
    return render_page(request, "deals/list.html", context, partial="results")


def _get_opportunity(request: AuthedHttpRequest, pk: int) -> Opportunity:
    opportunity = selectors.opportunity_list(request.user).filter(pk=pk).first()
    if opportunity is None:
        raise Http404
    return opportunity


def _redirect_detail(request: AuthedHttpRequest, opportunity: Opportunity) -> HttpResponse:
    return redirect("deals:detail", pk=opportunity.pk)


def _render_detail(request: AuthedHttpRequest, pk: int, status=200, **extra) -> HttpResponse:
    opportunity = _get_opportunity(request, pk)
    can_edit = can_edit_account(request.user, opportunity.account)
    context = {
        "nav": "deals",
        "opportunity": opportunity,
        "account": opportunity.account,
        "can_edit": can_edit,
        **history_context(request, "opportunity", opportunity),
        "move_form": extra.pop("move_form", None)
        or MoveForm(initial={"stage": opportunity.stage_id}),
        "competitor_form": extra.pop("competitor_form", None) or CompetitorLinkForm(),
        **extra,
    }
    return render_page(request, "deals/detail.html", context, status=status)


@login_required
def opportunity_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, pk)


def _competitors_response(request, opportunity: Opportunity, status=200, form=None):
    if not request.htmx:
        if status == 200:
            return _redirect_detail(request, opportunity)
        return _render_detail(request, opportunity.pk, status=status, competitor_form=form)
    opportunity = _get_opportunity(request, opportunity.pk)
    context = {
        "opportunity": opportunity,
        "can_edit": can_edit_account(request.user, opportunity.account),
        "competitor_form": form or CompetitorLinkForm(),
    }
    return render_page(request, "deals/detail.html", context, partial="competitors", status=status)


@login_required
@require_POST
def competitor_add(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_editable_or_404(request.user, selectors.opportunity_list(request.user), pk)
    form = CompetitorLinkForm(request.POST)
    if form.is_valid():
        try:
            link, created = services.opportunity_competitor_set(
                actor=request.user, opportunity=opportunity, **form.service_fields()
            )
        except ValidationError as exc:
            # A new competitor's name errors come from the register ("name").
            for field, errors in getattr(exc, "message_dict", {"": exc.messages}).items():
                field = "competitor_name" if field == "name" else field
                form.add_error(field if field in form.fields else None, errors)
        else:
            if created:
                message = _("%(name)s was added to this deal.")
            else:
                message = _("The position of %(name)s was updated.")
            messages.success(request, message % {"name": link.competitor.name})
            return _competitors_response(request, opportunity)
    return _competitors_response(request, opportunity, status=422, form=form)


@login_required
@require_POST
def competitor_remove(request: AuthedHttpRequest, pk: int, competitor_id: int) -> HttpResponse:
    opportunity = _get_opportunity(request, pk)
    competitor = Competitor.objects.filter(pk=competitor_id).first()
    if competitor is None:
        raise Http404
    if services.opportunity_competitor_remove(
        actor=request.user, opportunity=opportunity, competitor=competitor
    ):
        messages.success(
            request, _("%(name)s was removed from this deal.") % {"name": competitor.name}
        )
    return _competitors_response(request, opportunity)


def _form_initial(request: AuthedHttpRequest) -> dict:
    """`?account=<id>&product_line=<id>` pre-select the account and product line (links
    from an account page)."""
    initial: dict[str, object] = {}
    account_id = request.GET.get("account", "")
    if account_id.isdigit():
        account = editable_accounts(request.user).filter(pk=int(account_id)).first()
        if account is not None:
            initial["account"] = account.pk
    lines = [v for v in request.GET.getlist("product_line") if v.isdigit()]
    if lines:
        initial["product_lines"] = [int(v) for v in lines]
    if request.GET.get("title"):
        initial["title"] = request.GET["title"][:200]
    return initial


@login_required
def opportunity_create(request: AuthedHttpRequest) -> HttpResponse:
    form = OpportunityForm(request.POST or None, user=request.user, initial=_form_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(
                actor=request.user,
                account=form.cleaned_data["account"],
                product_lines=form.cleaned_data["product_lines"],
                **form.service_fields(),
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


@login_required
def opportunity_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    opportunity = get_editable_or_404(request.user, selectors.opportunity_list(request.user), pk)
    form = OpportunityForm(request.POST or None, instance=opportunity, user=request.user)
    conflict = False
    if request.method == "POST" and form.is_valid():
        stored = Opportunity.objects.get(pk=opportunity.pk)
        try:
            conflict = (
                concurrency.save_fields(
                    form,
                    OpportunityEditFields,
                    lambda given: services.opportunity_update(
                        actor=request.user, opportunity=stored, **form.changed_fields(given)
                    ),
                )
                is None
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("account", str(exc))
        else:
            if not conflict:
                messages.success(request, _("Your changes were saved."))
                return redirect("deals:detail", pk=opportunity.pk)
    status = 409 if conflict else 422 if form.errors else 200
    context = {"form": form, "opportunity": opportunity, "nav": "deals"}
    return render_page(request, "deals/form.html", context, status=status)


@login_required
def account_panel(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The account page's "Opportunities" tab: open and weighted pipeline and the deals."""
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(f"{reverse('accounts:detail', args=[account.pk])}?tab=deals")
    opportunities = (
        selectors.opportunity_list(request.user)
        .filter(account=account)
        .order_by("stage__is_won", "stage__is_lost", "expected_close_date", "-closed_on", "pk")
    )
    context = {
        "account": account,
        "can_edit": can_edit_account(request.user, account),
        "totals": selectors.account_pipeline_totals([account.pk]),
        "opportunities": opportunities[:PANEL_LIMIT],
        "total_count": opportunities.count(),
    }
    return render_page(request, "deals/account_panel.html", context)


def _period(request: AuthedHttpRequest) -> str:
    period = request.GET.get("period", "")
    return period if period in changes.PERIODS else "week"


@login_required
def pipeline_changes(request: AuthedHttpRequest) -> HttpResponse:
    """What changed in the pipeline since last week or the start of the quarter: the
    waterfall from the opening to the closing value and the deals behind each bar."""
    result = changes.pipeline_changes(request.user, period=_period(request))
    context = {
        "nav": "deals",
        "changes": result,
        "chart": charts.waterfall(result),
        "bars": [(bar, charts.BAR_LABELS[bar.key]) for bar in result.bars],
        "movements": [(bar, charts.BAR_LABELS[bar.key]) for bar in result.movements],
    }
    return render_page(request, "deals/changes.html", context)


@login_required
def win_loss_page(request: AuthedHttpRequest) -> HttpResponse:
    """Win/loss by competitor over a chosen period, per region and industry."""
    form = WinLossFilterForm(request.GET or None, user=request.user)
    if not request.GET:
        form = WinLossFilterForm({}, user=request.user)
    results = win_loss.win_loss(request.user, **form.filters()) if form.is_valid() else []
    context = {"nav": "deals", "form": form, "results": results}
    return render_page(
        request, "deals/win_loss.html", context, status=200 if form.is_valid() else 422
    )
