"""REST API of the internal account plan: /api/v1/account-plans/.

The same doors as the pages: reads start from the access scope (an outsider gets a 404),
writes go through planning.account_plan.services. Serializers only parse and shape.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.permissions import CanEditAccount
from kam.api.filters import FILTERS
from kam.concurrency import VersionedAPIMixin
from kam.http import actor
from planning.account_plan import selectors, services
from planning.account_plan.api.serializers import (
    AccountPlanSerializer,
    AccountPlanUpdateSerializer,
    PlanCopySerializer,
)
from planning.account_plan.filters import AccountPlanFilter
from planning.models import AccountPlan


@extend_schema_view(
    list=extend_schema(summary=_("List account plans")),
    create=extend_schema(summary=_("Create an account plan")),
    retrieve=extend_schema(summary=_("An account plan")),
    update=extend_schema(summary=_("Change an account plan"), request=AccountPlanUpdateSerializer),
    partial_update=extend_schema(
        summary=_("Change some fields of an account plan"), request=AccountPlanUpdateSerializer
    ),
)
class AccountPlanViewSet(
    VersionedAPIMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = AccountPlanSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]
    filter_backends = FILTERS
    filterset_class = AccountPlanFilter

    def get_queryset(self) -> QuerySet[AccountPlan]:
        # Newest year first, then in the order of creation: served by accountplan_year_idx.
        # Sorting by account name (`ordering=account`) joins the accounts and sorts them all.
        return selectors.plan_list(self.request.user).order_by("-year", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = AccountPlanSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = services.plan_create(
            actor=actor(request),
            account=data["account"],
            year=data["year"],
            status=data.get("status", AccountPlan.Status.DRAFT),
            **serializer.service_fields(),
        )
        return Response(self._data(plan), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        plan = self.get_object()
        serializer = AccountPlanUpdateSerializer(
            plan,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        # plan_update runs the status change (if any) in the same transaction.
        plan = services.plan_update(
            actor=actor(request),
            plan=plan,
            status=serializer.validated_data.get("status"),
            **serializer.service_fields(),
        )
        return Response(self._data(plan))

    @extend_schema(summary=_("Mark an account plan as reviewed"), request=None)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk=None) -> Response:
        plan = services.plan_mark_reviewed(actor=actor(request), plan=self.get_object())
        return Response(self._data(plan))

    @extend_schema(
        summary=_("Start a plan from last year's"),
        description=_(
            "Copies the texts and SWOT of the account's plan of `year - 1` into a new draft "
            "for `year`. Refused when there is no such plan or `year` already has one."
        ),
        request=PlanCopySerializer,
        responses={201: AccountPlanSerializer},
    )
    @action(detail=False, methods=["post"])
    def copy(self, request: Request) -> Response:
        serializer = PlanCopySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = services.plan_copy_from_last_year(
            actor=actor(request), account=data["account"], year=data["year"]
        )
        return Response(self._data(plan), status=status.HTTP_201_CREATED)

    def _data(self, plan: AccountPlan) -> dict:
        fresh = self.get_queryset().filter(pk=plan.pk).first() or plan
        return AccountPlanSerializer(fresh, context=self.get_serializer_context()).data
