"""REST API for the whitespace matrix: the matrix of an account, its cells (set by unit and
product line) and its business units.

Reads start from the access scope (outside it: 404); writes go through
planning.whitespace.services.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import get_account_for, scoped
from accounts.api.permissions import CanEditAccount
from accounts.models import ProductLine
from deals import selectors as deals_selectors
from deals.api.serializers import OpportunitySerializer
from kam.api.filters import FILTERS
from kam.http import actor
from planning.models import BusinessUnit, WhitespaceCell
from planning.whitespace import selectors, services
from planning.whitespace.api.serializers import (
    BusinessUnitRenameSerializer,
    BusinessUnitSerializer,
    CellOpportunitySerializer,
    CellSerializer,
    MatrixSerializer,
)
from planning.whitespace.fields import CellFields
from planning.whitespace.filters import BusinessUnitFilter


class _OneObjectSchema(AutoSchema):
    """`list` here answers one object (the matrix), not a list of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class WhitespaceViewSet(viewsets.ViewSet):
    """GET /whitespace/?account=<id>: the matrix of one account."""

    schema = _OneObjectSchema()

    @extend_schema(
        summary=_lazy("The whitespace matrix of an account"),
        parameters=[OpenApiParameter("account", OpenApiTypes.INT, required=True)],
        responses=MatrixSerializer,
    )
    def list(self, request: Request) -> Response:
        account_id = request.query_params.get("account", "")
        if not account_id.isdigit():
            raise ValidationError({"account": [_("Give the account's id.")]})
        account = get_account_for(actor(request), int(account_id))
        return Response(MatrixSerializer(selectors.whitespace_matrix(account)).data)


class BusinessUnitViewSet(viewsets.ModelViewSet):
    """The customer's business units and sites: the rows of the matrix."""

    serializer_class = BusinessUnitSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]
    filter_backends = FILTERS
    filterset_class = BusinessUnitFilter

    def get_queryset(self):
        return scoped(self.request.user, BusinessUnit.objects.select_related("account")).order_by(
            "account_id", "position", "name", "pk"
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return BusinessUnitRenameSerializer
        if self.action == "cell":
            return CellSerializer
        if self.action == "start_opportunity":
            return CellOpportunitySerializer
        return BusinessUnitSerializer

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        unit = services.unit_create(
            actor=actor(request),
            account=serializer.validated_data["account"],
            name=serializer.validated_data.get("name", ""),
        )
        return Response(BusinessUnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        unit = self.get_object()
        serializer = self.get_serializer(
            unit, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        name = serializer.validated_data.get("name", unit.name)
        unit = services.unit_rename(actor=actor(request), unit=unit, name=name)
        return Response(BusinessUnitSerializer(unit).data)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.unit_delete(actor=actor(request), unit=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        summary=_lazy("One cell of the matrix (404 while it is unknown and unset)"),
        responses=CellSerializer,
    )
    @extend_schema(
        methods=["PUT", "PATCH"],
        summary=_lazy("Set the cell of a business unit and product line"),
        request=CellSerializer,
        responses={
            200: OpenApiResponse(CellSerializer, _lazy("The cell was changed.")),
            201: OpenApiResponse(CellSerializer, _lazy("The cell was created.")),
        },
    )
    @action(
        detail=True,
        methods=["get", "put", "patch"],
        url_path=r"cells/(?P<product_line_id>\d+)",
    )
    def cell(self, request: Request, pk=None, product_line_id=None) -> Response:
        unit = self.get_object()
        line = get_object_or_404(ProductLine, pk=product_line_id)
        cell = (
            WhitespaceCell.objects.filter(business_unit=unit, product_line=line)
            .select_related("competitor")
            .first()
        )
        if request.method == "GET":
            if cell is None:
                raise Http404
            return Response(CellSerializer(cell, context=self.get_serializer_context()).data)
        serializer = CellSerializer(
            cell,
            data=request.data,
            partial=request.method == "PATCH",
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        # PATCH keeps the values left out, PUT empties them (the state is required there).
        kept = cell if request.method == "PATCH" else None
        fields: CellFields = {
            "state": getattr(kept, "state", WhitespaceCell.State.UNKNOWN),
            "revenue": getattr(kept, "revenue", None),
            "potential": getattr(kept, "potential", None),
            "opportunity": getattr(kept, "opportunity", None),
            "competitor": getattr(kept, "competitor", None),
            "notes": getattr(kept, "notes", ""),
        }
        fields.update(serializer.service_fields())
        cell, created = services.cell_set(
            actor=actor(request),
            account=unit.account,
            business_unit=unit,
            product_line=line,
            **fields,
        )
        cell = WhitespaceCell.objects.select_related("competitor").get(pk=cell.pk)
        return Response(
            CellSerializer(cell, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary=_lazy("Start an opportunity from a cell"),
        description=_lazy(
            "Creates an opportunity on the unit's account for the cell's product line and "
            "links it to the cell, in one step: the cell becomes an open opportunity (a sold "
            "cell stays sold). The same as “Start opportunity” in the matrix."
        ),
        request=CellOpportunitySerializer,
        responses={201: OpenApiResponse(OpportunitySerializer, _lazy("The opportunity."))},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"cells/(?P<product_line_id>\d+)/opportunity",
        url_name="cell-opportunity",
    )
    def start_opportunity(self, request: Request, pk=None, product_line_id=None) -> Response:
        unit = self.get_object()
        line = get_object_or_404(ProductLine, pk=product_line_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        fields.setdefault("title", f"{unit.name} – {line.name}")
        opportunity = services.cell_start_opportunity(
            actor=actor(request),
            business_unit=unit,
            account=unit.account,
            product_lines=[line],
            opportunity_fields=fields,
        )
        fresh = deals_selectors.opportunity_list(actor(request)).get(pk=opportunity.pk)
        return Response(
            OpportunitySerializer(fresh, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )
