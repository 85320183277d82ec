"""REST API for business cases and their scenarios, with results computed by the server.

Reads start from the access scope (outside it: 404); writes go through
planning.business_cases.services, whose model validation is the one set of rules.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.permissions import CanEditAccount
from kam.api.filters import FILTERS
from kam.http import actor
from planning.business_cases import selectors, services
from planning.business_cases.api.serializers import (
    BusinessCaseSerializer,
    BusinessCaseUpdateSerializer,
    ScenarioSerializer,
)
from planning.business_cases.filters import BusinessCaseFilter
from planning.models import BusinessCase, Scenario


@extend_schema_view(
    list=extend_schema(summary=_("List business cases, with scenarios and results")),
    retrieve=extend_schema(summary=_("A business case with its scenarios and their results")),
    create=extend_schema(summary=_("Create a business case")),
    update=extend_schema(summary=_("Change a business case")),
    partial_update=extend_schema(summary=_("Change some fields of a business case")),
    destroy=extend_schema(summary=_("Delete a business case with its scenarios")),
)
class BusinessCaseViewSet(viewsets.ModelViewSet):
    serializer_class = BusinessCaseSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]
    filter_backends = FILTERS
    filterset_class = BusinessCaseFilter

    def get_queryset(self):
        return selectors.visible_cases(self.request.user).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return BusinessCaseUpdateSerializer
        return BusinessCaseSerializer

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        assert page is not None, "business cases are always paged"
        for case in page:
            selectors.with_results(case)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(self.get_serializer(selectors.with_results(self.get_object())).data)

    def _detail(self, case: BusinessCase, code=status.HTTP_200_OK) -> Response:
        case = selectors.get_case_for(actor(self.request), case.pk)
        data = BusinessCaseSerializer(case, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = BusinessCaseSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        case = services.business_case_create(
            actor=actor(request),
            account=serializer.validated_data["account"],
            **serializer.service_fields(),
        )
        return self._detail(case, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        case = self.get_object()
        serializer = BusinessCaseUpdateSerializer(
            case,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        case = services.business_case_update(
            actor=actor(request),
            case=BusinessCase.objects.get(pk=case.pk),
            **serializer.service_fields(),
        )
        return self._detail(case)

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.business_case_delete(actor=actor(request), case=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Add a scenario to a business case"),
        request=ScenarioSerializer,
        responses={201: ScenarioSerializer},
    )
    @action(detail=True, methods=["post"], url_path="scenarios")
    def scenarios(self, request: Request, pk=None) -> Response:
        case = self.get_object()
        serializer = ScenarioSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        scenario = services.scenario_create(
            actor=actor(request), case=case, **serializer.service_fields()
        )
        return self._scenario(case, scenario.pk, status.HTTP_201_CREATED)

    def _scenario(self, case: BusinessCase, scenario_id: int, code=status.HTTP_200_OK):
        case = selectors.get_case_for(actor(self.request), case.pk)
        scenario = next(s for s in case.scenarios.all() if s.pk == scenario_id)
        return Response(ScenarioSerializer(scenario).data, status=code)

    @extend_schema(
        methods=["PUT", "PATCH"],
        summary=_("Change a scenario"),
        request=ScenarioSerializer,
        responses=ScenarioSerializer,
    )
    @extend_schema(methods=["DELETE"], summary=_("Delete a scenario"), responses={204: None})
    @action(
        detail=True,
        methods=["put", "patch", "delete"],
        url_path=r"scenarios/(?P<scenario_id>\d+)",
    )
    def scenario(self, request: Request, pk=None, scenario_id=None) -> Response:
        case = self.get_object()
        scenario = (
            Scenario.objects.filter(case=case, pk=scenario_id)
            .select_related("case__account")
            .first()
        )
        if scenario is None:
            raise Http404
        if request.method == "DELETE":
            services.scenario_delete(actor=actor(request), scenario=scenario)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = ScenarioSerializer(
            scenario, data=request.data, partial=request.method == "PATCH"
        )
        serializer.is_valid(raise_exception=True)
        services.scenario_update(
            actor=actor(request), scenario=scenario, **serializer.service_fields()
        )
        return self._scenario(case, scenario.pk)
