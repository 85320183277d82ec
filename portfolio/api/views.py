"""The portfolio under /api/v1/: the same selectors and services as the pages, within the
access scope (a key account manager's portfolio is their accounts; shares stay shares of
the whole company)."""

from contextlib import contextmanager
from dataclasses import asdict
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_account_for, visible_accounts
from accounts.models import Account
from accounts.selectors import current_year
from kam.api.export import ExportListMixin
from kam.api.schema import ErrorSerializer
from kam.filters import BIGGEST_ID
from kam.http import actor
from portfolio import classification, dashboard, exports, selectors, services
from portfolio.api.serializers import (
    AcceptSerializer,
    CompanyTotalsSerializer,
    PortfolioAccountSerializer,
    RejectSerializer,
)
from portfolio.models import CompanyTotals
from portfolio.sentences import suggestion_sentence

YEAR = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": 2000, "maximum": 2100},
    description=_("The year (default: this year)."),
)

LIMIT = OpenApiParameter(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": 10**6},
    description=_("At most 200 (more is cut)."),
)
ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": BIGGEST_ID}
PAGE = OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": 10**6})


def decimal_strings(data):
    """Decimals as strings, as every other endpoint gives money and percentages (DRF's
    encoder would write floats: 0.30000000000000004)."""
    if isinstance(data, Decimal):
        return str(data)
    if isinstance(data, dict):
        return {key: decimal_strings(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [decimal_strings(value) for value in data]
    return data


def _whole_number(request: Request, name: str, low: int, high: int) -> int | None:
    """The query parameter as a number within [low, high]; None when it is not given.
    Anything else is refused with 400, not silently replaced by the default."""
    value = request.query_params.get(name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
        raise ValidationError(
            {name: [_("Enter a whole number from %(low)s to %(high)s.") % {"low": low,
                                                                            "high": high}]}
        )  # fmt: skip
    return int(value)


def _year(request: Request) -> int | None:
    return _whole_number(request, "year", 2000, 2100)


def _limit(request: Request, default: int = 25) -> int:
    value = _whole_number(request, "limit", 1, 10**6)
    return default if value is None else min(value, 200)


class PortfolioView(APIView):
    @extend_schema(
        summary=_("Shares, HHI, Pareto curve and ABC classes"),
        parameters=[YEAR, LIMIT],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        cockpit = selectors.cockpit(actor(request), year=_year(request), limit=_limit(request))
        return Response(
            decimal_strings(
                {
                    "year": cockpit.year,
                    "years": [
                        {
                            **asdict(s),
                            "uses_company_totals": s.uses_company_totals,
                            "company_totals_below_accounts": s.company_totals_below_accounts,
                            "key_share_typical": s.key_share_typical,
                        }
                        for s in cockpit.summaries
                    ],
                    "thresholds": asdict(cockpit.limits),
                    "units": [{**asdict(u), "is_group": u.is_group} for u in cockpit.units],
                    "pareto": {
                        "units": cockpit.pareto.units,
                        "points": [
                            {"rank": r, "cumulative_share": v} for r, v in cockpit.pareto.points
                        ],
                        "classes": [asdict(c) for c in cockpit.pareto.classes],
                    }
                    if cockpit.pareto
                    else None,
                }
            )
        )


@extend_schema(
    summary=_("The portfolio table: the accounts behind a figure of the dashboard"),
    description=_(
        "The same rows as the dashboard's drill-down, with its filters (year, region, "
        "owner, status, tier) and its figure (metric: revenue, below_target, no_contact, "
        "health, owner or region; value: the band, owner or region). `?format=csv` or "
        "`?format=xlsx` answers every row as a file."
    ),
    parameters=[
        YEAR,
        OpenApiParameter("metric", str, enum=sorted(dashboard.DRILLS)),
        OpenApiParameter("value", str),
        OpenApiParameter("region", str),
        OpenApiParameter("owner", ID_SCHEMA),
        OpenApiParameter("status", str, enum=Account.Status.values),
        OpenApiParameter("tier", str, enum=Account.Tier.values),
    ],
)
class PortfolioAccountList(ExportListMixin, generics.ListAPIView):
    serializer_class = PortfolioAccountSerializer
    export = exports.PORTFOLIO
    filter_backends: list = []

    def get_queryset(self):
        request = self.request
        form = dashboard.DashboardFilter(
            request.query_params or None, regions=dashboard.regions(actor(request))
        )
        if request.query_params and not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        year = (form.cleaned_data.get("year") if form.is_bound else None) or current_year()
        metric = request.query_params.get("metric", "revenue")
        if metric not in dashboard.DRILLS:
            raise ValidationError({"metric": [_("Choose one of the dashboard's figures.")]})
        accounts = form.apply(visible_accounts(actor(request)))
        return dashboard.drill_down(
            accounts, year=year, metric=metric, value=request.query_params.get("value", "")
        )


class CompanyTotalsList(APIView):
    @extend_schema(
        summary=_("The company's totals per year"), responses=CompanyTotalsSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        rows = CompanyTotals.objects.order_by("-year")
        return Response(CompanyTotalsSerializer(rows, many=True).data)


class CompanyTotalsYear(APIView):
    serializer_class = CompanyTotalsSerializer

    @extend_schema(summary=_("The company's totals of one year"))
    def get(self, request: Request, year: int) -> Response:
        totals = CompanyTotals.objects.filter(year=year).first()
        if totals is None:
            raise Http404
        return Response(CompanyTotalsSerializer(totals).data)

    @extend_schema(
        summary=_("Create or replace the company's totals of one year"),
        description=_("Idempotent, for ERP pushes. Administrators and heads of sales only."),
    )
    def put(self, request: Request, year: int) -> Response:
        serializer = CompanyTotalsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        totals, created = services.company_totals_put(
            actor=actor(request), year=year, **serializer.service_fields()
        )
        return Response(
            CompanyTotalsSerializer(totals).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(summary=_("Delete the company's totals of one year"), responses={204: None})
    def delete(self, request: Request, year: int) -> Response:
        if not services.company_totals_delete(actor=actor(request), year=year):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


def _suggestion_data(suggestion) -> dict:
    return decimal_strings(
        {
            "account": suggestion.account_id,
            "name": suggestion.name,
            "year": suggestion.year,
            "status": suggestion.status,
            "suggested_status": suggestion.suggested_status,
            "rule": suggestion.rule.name,
            "sentence": suggestion_sentence(suggestion),
            "revenue": suggestion.revenue,
            "revenue_share": suggestion.revenue_share,
            "margin_share": suggestion.margin_share,
            "share_of_wallet": suggestion.share_of_wallet,
            "open_potential": suggestion.open_wallet,
            "whitespace_potential": suggestion.whitespace,
            "strategic_fit": suggestion.strategic_fit,
            "needs_advice": suggestion.needs_advice,
        }
    )


class SuggestionList(APIView):
    @extend_schema(
        summary=_("Pending status suggestions"),
        parameters=[YEAR, PAGE, LIMIT],
        responses={200: dict},
    )
    def get(self, request: Request) -> Response:
        year = _year(request) or current_year()
        page = _whole_number(request, "page", 1, 10**6) or 1
        size = _limit(request)
        found, total = classification.suggestions(
            year=year,
            visible_ids_sql=selectors.visible_ids_sql(actor(request)),
            limit=size,
            offset=(page - 1) * size,
        )
        return Response({"count": total, "results": [_suggestion_data(s) for s in found]})


class NoSuggestionConflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "no_suggestion"


@contextmanager
def _conflict_without_suggestion():
    """No suggestion (any more) for the account and year: 409, the state of the account
    and not the request is the matter."""
    try:
        yield
    except services.NoSuggestion as error:
        raise NoSuggestionConflict(error.messages[0]) from None


SUGGESTION_ANSWERS = {
    200: dict,
    409: OpenApiResponse(
        ErrorSerializer,
        description=_(
            "There is no status suggestion for this account (any more). Or: a request with "
            "this Idempotency-Key is still running."
        ),
    ),
}


class SuggestionAccept(APIView):
    @extend_schema(
        summary=_("Accept the suggested status"),
        request=AcceptSerializer,
        responses=SUGGESTION_ANSWERS,
    )
    def post(self, request: Request, account_id: int) -> Response:
        account = get_account_for(actor(request), account_id)
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        year = serializer.validated_data.get("year") or current_year()
        with _conflict_without_suggestion():
            decision = services.suggestion_accept(actor=actor(request), account=account, year=year)
        return Response(
            {
                "account": account.pk,
                "status": decision.suggested_status,
                "decision": decision.decision,
            }
        )


class SuggestionReject(APIView):
    @extend_schema(
        summary=_("Reject the suggested status with a reason"),
        request=RejectSerializer,
        responses=SUGGESTION_ANSWERS,
    )
    def post(self, request: Request, account_id: int) -> Response:
        account = get_account_for(actor(request), account_id)
        serializer = RejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        year = serializer.validated_data.get("year") or current_year()
        with _conflict_without_suggestion():
            decision = services.suggestion_reject(
                actor=actor(request),
                account=account,
                year=year,
                reason=serializer.validated_data["reason"],
            )
        return Response(
            {
                "account": account.pk,
                "status": account.status,
                "decision": decision.decision,
                "reason": decision.reason,
            }
        )


class AccountHealth(APIView):
    @extend_schema(
        summary=_("An account's health score, its parts and history"), responses={200: dict}
    )
    def get(self, request: Request, pk: int) -> Response:
        account = get_account_for(actor(request), pk)
        result = selectors.account_health(account)
        return Response(
            {
                "account": account.pk,
                "score": result.current.score,
                "parts": result.current.as_json(),
                "drop": result.drop,
                "dropped": result.dropped,
                "history": [{"week": s.week, "score": s.score} for s in result.history],
            }
        )
