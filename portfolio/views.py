"""Portfolio pages. Each reads through the access scope and writes through services."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import editable_accounts, get_account_for, scoped, visible_accounts
from accounts.models import Account
from accounts.selectors import current_year
from kam import charts as kam_charts
from kam import export, versioned_cache
from kam.fields import as_fields
from kam.forms import add_service_errors
from kam.htmx import render_page
from kam.http import AuthedHttpRequest
from kam.paging import CountedPaginator
from portfolio import (
    charts,
    classification,
    concentration,
    dashboard,
    exports,
    health,
    selectors,
    services,
)
from portfolio.fields import ReadinessFields
from portfolio.models import (
    AccountPortfolio,
    MatrixScore,
    ReadinessAssessment,
    SuggestionDecision,
)
from portfolio.sentences import suggestion_sentence


def _year(request: AuthedHttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


@login_required
def cockpit(request: AuthedHttpRequest) -> HttpResponse:
    data = selectors.cockpit(request.user, year=_year(request))
    context = {
        "nav": "portfolio",
        "cockpit": data,
        "summary": data.summary,
        "pareto_chart": charts.pareto(data),
        "hhi_chart": charts.hhi_trend(data),
        "shares_chart": charts.top_shares(data),
        "sees_all": request.user.sees_all_accounts,
    }
    return render_page(request, "portfolio/cockpit.html", context)


SUGGESTIONS_PAGE = 25
MATRIX_BUBBLES = 40


def _suggestion_rows(user, suggestions) -> list[dict]:
    ids = [s.account_id for s in suggestions]
    if user.sees_all_accounts:
        editable = set(ids)
    else:
        editable = set(editable_accounts(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [
        {"s": s, "sentence": suggestion_sentence(s), "can_edit": s.account_id in editable}
        for s in suggestions
    ]


@login_required
def suggestion_list(request: AuthedHttpRequest) -> HttpResponse:
    year = _year(request) or current_year()
    raw_page = request.GET.get("page", "1")
    page_number = int(raw_page) if raw_page.isdigit() and int(raw_page) > 0 else 1
    # Every account of the scope is classified to find the page: cached like the
    # dashboard, until any write in the apps it reads (kam.versioned_cache).
    found, total = versioned_cache.cached(
        "suggestions",
        (versioned_cache.scope_key(request.user), year, page_number),
        lambda: classification.suggestions(
            year=year,
            visible_ids_sql=selectors.visible_ids_sql(request.user),
            limit=SUGGESTIONS_PAGE,
            offset=(page_number - 1) * SUGGESTIONS_PAGE,
        ),
    )
    decisions = (
        scoped(request.user, SuggestionDecision.objects.all())
        .select_related("account", "decided_by")
        .order_by("-decided_at", "-pk")[:10]
    )
    context = {
        "nav": "portfolio",
        "year": year,
        "rows": _suggestion_rows(request.user, found),
        "total": total,
        "page_number": page_number,
        "has_next": page_number * SUGGESTIONS_PAGE < total,
        "decisions": decisions,
    }
    return render_page(request, "portfolio/suggestions.html", context, partial="results")


def _decide(request: AuthedHttpRequest, account_id: int, *, accept: bool) -> HttpResponse:
    account = get_account_for(request.user, account_id)
    year = _year(request) or current_year()
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            if accept:
                services.suggestion_accept(actor=request.user, account=account, year=year)
            else:
                services.suggestion_reject(
                    actor=request.user, account=account, year=year, reason=reason
                )
        except ValidationError as exc:
            suggestion = classification.suggestion_for(account, year=year)
            errors = exc.message_dict.get("reason") if hasattr(exc, "error_dict") else exc.messages
            row = _suggestion_rows(request.user, [suggestion])[0] if suggestion else None
            context = {"row": row, "year": year, "errors": errors, "reason": reason}
            return render_page(
                request, "portfolio/suggestions.html", context, partial="row", status=422
            )
        account.refresh_from_db()
        if accept:
            messages.success(
                request,
                _("%(name)s is now: %(status)s.")
                % {"name": account.name, "status": account.get_status_display()},
            )
        else:
            messages.success(request, _("The suggestion was rejected; the reason is kept."))
    if request.htmx:
        return render(request, "portfolio/suggestions.html#decided", {"account": account})
    return redirect(f"{reverse('portfolio:suggestions')}?year={year}")


@require_POST
@login_required
def suggestion_accept(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    return _decide(request, account_id, accept=True)


@require_POST
@login_required
def suggestion_reject(request: AuthedHttpRequest, account_id: int) -> HttpResponse:
    return _decide(request, account_id, accept=False)


def _health_chart(result: selectors.AccountHealth, current_week) -> kam_charts.Chart | None:
    weeks = [*result.history]
    if not weeks:
        return None
    categories = [f"{s.week:%d.%m.}" for s in weeks] + [f"{current_week:%d.%m.}"]
    values = [s.score for s in weeks] + [result.current.score]
    return kam_charts.line_chart(
        title=_("Health score per week"),
        description=_("The stored weekly health score, 0 to 100, and this week's score last."),
        categories=categories,
        series=[kam_charts.Series(_("Health score"), values)],
    )


@login_required
def account_health(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    account = get_account_for(request.user, pk)
    if not request.htmx:
        return redirect(f"{reverse('accounts:detail', args=[account.pk])}?tab=health")
    result = selectors.account_health(account)
    facts = AccountPortfolio.objects.filter(account=account).first()
    context = {
        "account": account,
        "health": result,
        "chart": _health_chart(result, health.week_of(timezone.localdate())),
        "contact_days": settings.PORTFOLIO_HEALTH_CONTACT_DAYS,
        "min_answers": settings.NPS_MIN_ANSWERS,
        "drop_limit": settings.PORTFOLIO_HEALTH_DROP,
        "facts": facts,
    }
    return render(request, "portfolio/account_health.html", context)


def _dashboard_scope(request: AuthedHttpRequest):
    form = dashboard.DashboardFilter(request.GET or None, regions=dashboard.regions(request.user))
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or current_year()
    accounts = form.apply(visible_accounts(request.user))
    return form, year, accounts


def _dashboard_figures(accounts, *, year: int) -> dict:
    """The dashboard's aggregates: eight queries over the filtered scope."""
    limits = concentration.thresholds()
    return {
        "totals": dashboard.totals(accounts, year=year),
        "bands": dashboard.health_distribution(accounts),
        "by_owner": dashboard.attainment_by(accounts, year=year, by="owner"),
        "by_region": dashboard.attainment_by(accounts, year=year, by="region"),
        "warnings": [
            unit
            for unit in concentration.ranked_units(
                year=year, visible_ids_sql=selectors.ids_sql(accounts), limit=10, limits=limits
            )
            if unit.warning
        ],
    }


@login_required
def dashboard_view(request: AuthedHttpRequest) -> HttpResponse:
    form, year, accounts = _dashboard_scope(request)
    figures = versioned_cache.cached(
        "dashboard",
        (versioned_cache.scope_key(request.user), year, versioned_cache.form_key(form)),
        lambda: _dashboard_figures(accounts, year=year),
    )
    totals, bands, warnings = figures["totals"], figures["bands"], figures["warnings"]
    query = request.GET.copy()
    query.pop("metric", None)
    query.pop("value", None)
    query.pop("page", None)
    context = {
        "nav": "portfolio",
        "form": form,
        "year": year,
        "totals": totals,
        "by_owner": figures["by_owner"],
        "by_region": figures["by_region"],
        "health_bands": list(zip(range(len(bands)), dashboard.HEALTH_BANDS, bands, strict=True)),
        "health_chart": kam_charts.histogram(
            title=_("Health distribution"),
            description=_("How many accounts have a latest health score in each band."),
            counts=bands,
            edges=dashboard.HEALTH_EDGES,
            series_label=_("Accounts"),
        ),
        "warnings": warnings,
        "limits": dict(settings.REMINDER_SILENCE_DAYS),
        "filter_query": query.urlencode(),
    }
    return render_page(request, "portfolio/dashboard.html", context, partial="results")


@login_required
def dashboard_accounts(request: AuthedHttpRequest) -> HttpResponse:
    form, year, accounts = _dashboard_scope(request)
    metric = request.GET.get("metric", "revenue")
    if metric not in dashboard.DRILLS:
        metric = "revenue"
    value = request.GET.get("value", "")
    rows = dashboard.drill_down(accounts, year=year, metric=metric, value=value)
    if fmt := export.requested(request):
        return export.response(exports.PORTFOLIO, rows, fmt=fmt, request=request)
    # Counting the matches reads every account of the scope: cached like the dashboard
    # whose figure was clicked, until any write in the apps it reads.
    count = versioned_cache.cached(
        "drill_down_count",
        (
            versioned_cache.scope_key(request.user),
            year,
            versioned_cache.form_key(form),
            metric,
            value,
        ),
        rows.count,
    )
    page = CountedPaginator(rows, 25, count=count).get_page(request.GET.get("page"))
    back = request.GET.copy()
    for key in ("metric", "value", "page"):
        back.pop(key, None)
    context = {
        "nav": "portfolio",
        "form": form,
        "year": year,
        "metric": metric,
        "value": value,
        "page": page,
        "back_query": back.urlencode(),
        "band": dashboard.HEALTH_BANDS[int(value)]
        if metric == "health" and value.isdigit() and int(value) < len(dashboard.HEALTH_BANDS)
        else None,
    }
    return render_page(request, "portfolio/dashboard_accounts.html", context, partial="results")


STATUS_GROUPS = [
    Account.Status.KEY_ACCOUNT,
    Account.Status.POTENTIAL,
    Account.Status.STANDARD,
    Account.Status.PROSPECT,
    Account.Status.FORMER,
]


@login_required
def matrix_view(request: AuthedHttpRequest) -> HttpResponse:
    year = _year(request) or current_year()
    scores = list(
        scoped(request.user, MatrixScore.objects.filter(year=year))
        .select_related("account")
        .order_by("-revenue", "account_id")[:MATRIX_BUBBLES]
    )
    trails: dict[int, list[tuple]] = {}
    earlier = MatrixScore.objects.filter(
        account_id__in=[s.account_id for s in scores], year__lt=year, year__gte=year - 4
    ).order_by("year")
    for old in earlier:
        trails.setdefault(old.account_id, []).append((old.attractiveness, old.position))
    chart = None
    if scores:
        chart = kam_charts.bubble_chart(
            title=_("Portfolio matrix %(year)s") % {"year": year},
            description=_(
                "Customer attractiveness (up) against our position (right), 0 to 100; the "
                "bubble's area grows with revenue, a dashed line shows where it stood in "
                "earlier years."
            ),
            bubbles=[
                kam_charts.Bubble(
                    label=s.account.name,
                    x=s.position,
                    y=s.attractiveness,
                    size=s.revenue,
                    group=STATUS_GROUPS.index(s.status) if s.status in STATUS_GROUPS else 0,
                    url=reverse("accounts:detail", args=[s.account_id]),
                    trail=[(p, a) for a, p in trails.get(s.account_id, [])],
                )
                for s in scores
            ],
            groups=[str(status.label) for status in STATUS_GROUPS],
            x_label=_("Our position"),
            y_label=_("Customer attractiveness"),
            size_label=_("Revenue"),
            size_format=kam_charts.plain_number,
        )
    context = {"nav": "portfolio", "year": year, "scores": scores, "chart": chart}
    return render_page(request, "portfolio/matrix.html", context)


class ReadinessForm(forms.ModelForm):
    class Meta:
        model = ReadinessAssessment
        fields = [*ReadinessAssessment.QUESTIONS, "notes"]
        widgets = {
            key: forms.Select(choices=[("", "–"), *[(n, n) for n in range(1, 6)]])
            for key in ReadinessAssessment.QUESTIONS
        }

    def service_fields(self) -> ReadinessFields:
        return as_fields(ReadinessFields, self.cleaned_data)


@login_required
def readiness(request: AuthedHttpRequest) -> HttpResponse:
    if not request.user.sees_all_accounts:
        raise PermissionDenied
    form = ReadinessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.readiness_assess(actor=request.user, **form.service_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect("portfolio:readiness")
    history = list(ReadinessAssessment.objects.select_related("assessed_by")[:20])
    context = {
        "nav": "portfolio",
        "form": form,
        "latest": history[0] if history else None,
        "history": history,
    }
    return render_page(
        request, "portfolio/readiness.html", context, status=422 if form.errors else 200
    )
