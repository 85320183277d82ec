"""REST API for opportunities, their competitors, the competitor register and stages.

Reads start from the access scope (an outsider gets a 404); writes go through
deals.services, the same functions the pages call.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, permissions, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.permissions import CanEditAccount
from deals import changes, selectors, services, win_loss
from deals.api.serializers import (
    CompetitorSerializer,
    OpportunityCompetitorSerializer,
    OpportunitySerializer,
    PipelineChangesSerializer,
    StageSerializer,
    WinLossSerializer,
)
from deals.exports import OPPORTUNITIES
from deals.filters import CompetitorFilter, OpportunityFilter
from deals.forms import WinLossFilterForm
from deals.models import Competitor, Opportunity, Stage
from kam.api.export import ExportListMixin
from kam.api.filters import FILTERS
from kam.api.pagination import KeysetOrPageNumberPagination
from kam.api.schema import ErrorSerializer
from kam.concurrency import VersionedAPIMixin
from kam.http import actor
from kam.unset import UNSET


def _read_back(request: Request, opportunity: Opportunity) -> dict:
    # Through the scope, for `weighted` and the prefetched competitors. A user who just
    # moved the deal to an account they cannot see gets what they wrote.
    fresh = selectors.opportunity_list(actor(request)).filter(pk=opportunity.pk).first()
    if fresh is None:
        opportunity.weighted = opportunity.weighted_value  # type: ignore[attr-defined]
        fresh = opportunity
    return OpportunitySerializer(fresh, context={"request": request}).data


@extend_schema_view(
    get=extend_schema(
        summary=_("List opportunities"),
        description=_(
            "Filter by account, stage, owner, product_line and status (open, closed, won, lost)."
        ),
    ),
    post=extend_schema(summary=_("Create an opportunity")),
)
class OpportunityList(ExportListMixin, generics.ListCreateAPIView):
    serializer_class = OpportunitySerializer
    pagination_class = KeysetOrPageNumberPagination
    filter_backends = FILTERS
    filterset_class = OpportunityFilter
    export = OPPORTUNITIES

    def get_queryset(self) -> QuerySet[Opportunity]:
        return selectors.opportunity_list(self.request.user).order_by("expected_close_date", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = OpportunitySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        opportunity = services.opportunity_create(
            actor=actor(request),
            account=data["account"],
            product_lines=data.get("product_lines", ()),
            **serializer.service_fields(),
        )
        return Response(_read_back(request, opportunity), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary=_("An opportunity with its competitors")),
    put=extend_schema(summary=_("Change an opportunity")),
    patch=extend_schema(
        summary=_("Change some fields of an opportunity"),
        description=_(
            "A new stage sets the stage's default probability unless a probability is sent "
            "with it; won and lost need close_reason."
        ),
    ),
)
class OpportunityDetail(VersionedAPIMixin, generics.RetrieveUpdateAPIView):
    serializer_class = OpportunitySerializer
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]

    def get_queryset(self) -> QuerySet[Opportunity]:
        return selectors.opportunity_list(self.request.user)

    def update(self, request: Request, *args, **kwargs) -> Response:
        opportunity = self.get_object()
        serializer = OpportunitySerializer(
            opportunity,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        opportunity = services.opportunity_update(
            actor=actor(request),
            opportunity=opportunity,
            product_lines=data.get("product_lines"),
            account=data.get("account", UNSET),
            **serializer.service_fields(),
        )
        return Response(_read_back(request, opportunity))


class OpportunityChildView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]
    serializer_class = OpportunityCompetitorSerializer
    pagination_class = None
    filter_backends = []

    def get_opportunity(self) -> Opportunity:
        opportunity = (
            selectors.opportunity_list(actor(self.request)).filter(pk=self.kwargs["pk"]).first()
        )
        if opportunity is None:
            raise Http404
        self.check_object_permissions(self.request, opportunity)
        return opportunity


class OpportunityCompetitors(OpportunityChildView):
    @extend_schema(
        summary=_("The competitors on a deal"),
        responses=OpportunityCompetitorSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        links = self.get_opportunity().competitor_links.all()
        return Response(self.get_serializer(links, many=True).data)

    @extend_schema(
        summary=_("Put a competitor on a deal or change their position"),
        responses={
            200: OpenApiResponse(OpportunityCompetitorSerializer, _("The entry was changed.")),
            201: OpenApiResponse(OpportunityCompetitorSerializer, _("The competitor was added.")),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        opportunity = self.get_opportunity()
        serializer = OpportunityCompetitorSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        link, created = services.opportunity_competitor_set(
            actor=actor(request), opportunity=opportunity, **serializer.service_fields()
        )
        return Response(
            self.get_serializer(link).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class OpportunityCompetitor(OpportunityChildView):
    @extend_schema(summary=_("Take a competitor off a deal"), responses={204: None})
    def delete(self, request: Request, pk: int, competitor_id: int) -> Response:
        opportunity = self.get_opportunity()
        competitor = Competitor.objects.filter(pk=competitor_id).first()
        if competitor is None or not services.opportunity_competitor_remove(
            actor=actor(request), opportunity=opportunity, competitor=competitor
        ):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


class CompetitorExists(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("A competitor of this name is registered already.")
    default_code = "competitor_exists"


@extend_schema_view(
    get=extend_schema(summary=_("The competitor register")),
    post=extend_schema(
        summary=_("Register a competitor"),
        responses={
            201: CompetitorSerializer,
            409: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "A competitor of this name is registered already. Or: a request with "
                    "this Idempotency-Key is still running."
                ),
            ),
        },
    ),
)
class CompetitorList(generics.ListCreateAPIView):
    serializer_class = CompetitorSerializer
    filter_backends = FILTERS
    filterset_class = CompetitorFilter

    def get_queryset(self) -> QuerySet[Competitor]:
        return Competitor.objects.order_by("name", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = CompetitorSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        try:
            competitor = services.competitor_create(
                actor=actor(request), **serializer.service_fields()
            )
        except DjangoValidationError as error:
            codes = {e.code for e in getattr(error, "error_dict", {}).get("name", [])}
            if "unique" in codes:
                # The name is taken: a conflict with the register, not a bad request.
                raise CompetitorExists from None
            raise
        return Response(self.get_serializer(competitor).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(summary=_("The pipeline stages, in order")))
class StageList(generics.ListAPIView):
    serializer_class = StageSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self) -> QuerySet[Stage]:
        return Stage.objects.order_by("order", "pk")


class PipelineChangesView(generics.GenericAPIView):
    serializer_class = PipelineChangesSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary=_("What changed in the pipeline"),
        description=_(
            "Since last week (period=week) or the start of the quarter (period=quarter): "
            "the open pipeline value then and now, new, won, lost and value-changed deals, "
            "deals moved forward or back and deals whose close date was pushed out, each "
            "with its biggest deals. Only deals of accounts the user may see."
        ),
        parameters=[
            OpenApiParameter(
                "period", str, enum=list(changes.PERIODS), required=False, default="week"
            )
        ],
    )
    def get(self, request: Request) -> Response:
        period = request.query_params.get("period", "week")
        if period not in changes.PERIODS:
            raise ValidationError({"period": _("Choose week or quarter.")})
        result = changes.pipeline_changes(actor(request), period=period)
        return Response(self.get_serializer(result).data)


class WinLossView(generics.GenericAPIView):
    serializer_class = WinLossSerializer
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary=_("Win/loss by competitor"),
        description=_(
            "Per competitor named on deals won or lost from start to end (ISO dates; the "
            "last 365 days by default): deals and value won and lost, deals lost to them, "
            "the win rate and the latest reasons given. Filters: competitor (id), region, "
            "industry. Only deals of accounts the user may see."
        ),
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=False),
            OpenApiParameter("end", OpenApiTypes.DATE, required=False),
            OpenApiParameter("competitor", int, required=False),
            OpenApiParameter("region", str, required=False),
            OpenApiParameter("industry", str, required=False),
        ],
        responses=WinLossSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        form = WinLossFilterForm(request.query_params, user=actor(request))
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        results = win_loss.win_loss(actor(request), **form.filters())
        return Response(self.get_serializer(results, many=True).data)
