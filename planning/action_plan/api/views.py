"""REST API of the action plan: objectives (with progress and the target forecast computed
by the server) and their actions.

Reads start from the access scope (an outsider gets a 404); writes go through
planning.action_plan.services, the same functions the pages call. Serializers only parse
and shape.
"""

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.permissions import CanEditAccount
from kam.api.export import ExportListMixin
from kam.api.filters import FILTERS
from kam.api.pagination import KeysetOrPageNumberPagination
from kam.concurrency import VersionedAPIMixin
from kam.http import actor
from planning.action_plan import selectors, services
from planning.action_plan.api.serializers import (
    ActionSerializer,
    ObjectiveSerializer,
)
from planning.action_plan.exports import OBJECTIVES
from planning.action_plan.filters import ActionFilter, ObjectiveFilter
from planning.models import Action, Objective


def _objective_data(request: Request, pk: int) -> dict:
    objective = selectors.objectives_with_details(actor(request)).filter(pk=pk).first()
    return ObjectiveSerializer(
        selectors.decorate([objective])[0], context={"request": request}
    ).data


if TYPE_CHECKING:  # the mixin sits on GenericAPIView subclasses
    _ListBase = GenericAPIView
else:
    _ListBase = object


class DecoratedListMixin(_ListBase):
    """Lists get progress and forecast attached to the page of objectives."""

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = selectors.decorate(page if page is not None else queryset)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        objective = selectors.decorate([self.get_object()])[0]
        return Response(self.get_serializer(objective).data)


@extend_schema_view(
    list=extend_schema(
        summary=_("List objectives"),
        description=_(
            "Filter by account, year, kind, status and owner. Each objective carries its "
            "progress and, for revenue objectives, the target forecast with its parts, both "
            "computed by the server."
        ),
    ),
    create=extend_schema(summary=_("Create an objective")),
    retrieve=extend_schema(summary=_("An objective with progress, forecast and adjustments")),
    update=extend_schema(summary=_("Change an objective")),
    partial_update=extend_schema(
        summary=_("Change some fields of an objective"),
        description=_("A new target_value or due_on needs `reason`; the change is recorded."),
    ),
)
class ObjectiveViewSet(
    VersionedAPIMixin,
    ExportListMixin,
    DecoratedListMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ObjectiveSerializer
    pagination_class = KeysetOrPageNumberPagination
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]
    filter_backends = FILTERS
    filterset_class = ObjectiveFilter
    export = OBJECTIVES

    def get_queryset(self) -> QuerySet[Objective]:
        return selectors.objectives_with_details(self.request.user).order_by("due_on", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ObjectiveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        objective = services.objective_create(
            actor=actor(request),
            account=data["account"],
            year=data["year"],
            **serializer.service_fields(),
        )
        return Response(_objective_data(request, objective.pk), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        objective = self.get_object()
        serializer = ObjectiveSerializer(
            objective,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        account = data.get("account", objective.account)
        year = data.get("year", objective.year)
        if account.pk != objective.account_id or year != objective.year:
            raise serializers.ValidationError(
                {"account": [_("An objective stays with its account and year.")]}
            )
        services.objective_update(
            actor=actor(request),
            objective=objective,
            reason=data.get("reason", ""),
            **serializer.service_fields(),
        )
        return Response(_objective_data(request, objective.pk))


class ActionPermission(CanEditAccount):
    def has_object_permission(self, request: Request, view, obj) -> bool:
        return super().has_object_permission(request, view, obj.objective)


@extend_schema_view(
    list=extend_schema(
        summary=_("List actions of objectives"),
        description=_("Filter by objective, account, owner and status."),
    ),
    create=extend_schema(summary=_("Add an action to an objective")),
    retrieve=extend_schema(summary=_("An action")),
    update=extend_schema(summary=_("Change an action")),
    partial_update=extend_schema(
        summary=_("Change some fields of an action"),
        description=_("status done sets done_on to today; any other status clears it."),
    ),
)
class ActionViewSet(
    VersionedAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ActionSerializer
    pagination_class = KeysetOrPageNumberPagination
    permission_classes = [permissions.IsAuthenticated, ActionPermission]
    filter_backends = FILTERS
    filterset_class = ActionFilter

    def get_queryset(self) -> QuerySet[Action]:
        return selectors.action_list(self.request.user).order_by("due_on", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ActionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        action = services.action_create(
            actor=actor(request),
            objective=serializer.validated_data["objective"],
            **serializer.service_fields(),
        )
        fresh = self.get_queryset().get(pk=action.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        action = self.get_object()
        serializer = ActionSerializer(
            action,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        objective = serializer.validated_data.get("objective", action.objective)
        if objective.pk != action.objective_id:
            raise serializers.ValidationError(
                {"objective": [_("An action stays with its objective.")]}
            )
        services.action_update(actor=actor(request), action=action, **serializer.service_fields())
        return Response(self.get_serializer(self.get_queryset().get(pk=action.pk)).data)
