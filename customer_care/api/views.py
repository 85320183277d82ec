"""REST API for customer issues, surveys and departments.

The same doors as the pages: reads start from the access scope (an outsider gets a 404),
writes go through customer_care.services. Serializers only parse and shape.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import get_account_for
from accounts.api.permissions import CanEditAccount
from customer_care import selectors, services
from customer_care.api.serializers import (
    DepartmentSerializer,
    IssueSerializer,
    IssueUpdateSerializer,
    SurveySerializer,
)
from customer_care.exports import ISSUES
from customer_care.filters import IssueFilter, SurveyFilter
from customer_care.models import Department
from kam.api.export import ExportListMixin
from kam.api.filters import FILTERS
from kam.api.pagination import KeysetOrPageNumberPagination
from kam.http import actor


@extend_schema_view(
    get=extend_schema(summary=_("List customer issues")),
    post=extend_schema(summary=_("Open a customer issue")),
)
class IssueList(ExportListMixin, generics.ListCreateAPIView):
    serializer_class = IssueSerializer
    pagination_class = KeysetOrPageNumberPagination
    filter_backends = FILTERS
    filterset_class = IssueFilter
    export = ISSUES

    def get_queryset(self) -> QuerySet:
        return selectors.issue_list(self.request.user).order_by("-opened_at", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = IssueSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        issue = services.issue_create(
            actor=actor(request),
            account=serializer.validated_data["account"],
            **serializer.service_fields(),
        )
        return Response(self.get_serializer(issue).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary=_("A customer issue")),
    put=extend_schema(summary=_("Change a customer issue"), request=IssueUpdateSerializer),
    patch=extend_schema(
        summary=_("Change some fields of a customer issue"),
        description=_("Resolving or closing (status) needs a resolution."),
        request=IssueUpdateSerializer,
    ),
)
class IssueDetail(generics.RetrieveUpdateAPIView):
    serializer_class = IssueSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]

    def get_queryset(self) -> QuerySet:
        return selectors.issue_list(self.request.user)

    def update(self, request: Request, *args, **kwargs) -> Response:
        issue = self.get_object()
        serializer = IssueUpdateSerializer(
            issue,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        issue = services.issue_update(
            actor=actor(request), issue=issue, **serializer.service_fields()
        )
        return Response(self.get_serializer(issue).data)


@extend_schema_view(
    get=extend_schema(summary=_("List satisfaction surveys")),
    post=extend_schema(
        summary=_("Record a satisfaction survey"),
        description=_(
            "A detractor score (NPS 0-6 or CSAT 1-2) creates a follow-up for the account "
            "owner in the same transaction."
        ),
    ),
)
class SurveyList(generics.ListCreateAPIView):
    serializer_class = SurveySerializer
    pagination_class = KeysetOrPageNumberPagination
    filter_backends = FILTERS
    filterset_class = SurveyFilter

    def get_queryset(self) -> QuerySet:
        return selectors.survey_list(self.request.user).order_by("-surveyed_on", "-pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = SurveySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        survey = services.survey_record(
            actor=actor(request),
            account=serializer.validated_data["account"],
            **serializer.service_fields(),
        )
        return Response(self.get_serializer(survey).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(summary=_("A satisfaction survey")))
class SurveyDetail(generics.RetrieveAPIView):
    serializer_class = SurveySerializer

    def get_queryset(self) -> QuerySet:
        return selectors.survey_list(self.request.user)


@extend_schema_view(get=extend_schema(summary=_("The departments issues are assigned to")))
class DepartmentList(generics.ListAPIView):
    serializer_class = DepartmentSerializer
    pagination_class = None
    filter_backends = []
    queryset = Department.objects.order_by("position", "name", "pk")


class NpsYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    responses = serializers.IntegerField(help_text=_("NPS answers"))
    promoters = serializers.IntegerField()
    passives = serializers.IntegerField()
    detractors = serializers.IntegerField()
    nps = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(
        allow_null=True, help_text=_("Against the previous year with enough answers.")
    )
    trend = serializers.CharField(help_text=_("up, down, flat, or empty"))
    too_few_answers = serializers.BooleanField()
    csat_average = serializers.FloatField(allow_null=True)
    surveys = serializers.IntegerField()


class AccountNpsSerializer(serializers.Serializer):
    min_answers = serializers.IntegerField(help_text=_("A trend needs this many NPS answers."))
    account = NpsYearSerializer(many=True, help_text=_("The account's own answers, newest first"))
    group = NpsYearSerializer(
        many=True, help_text=_("The account and all its subsidiaries, newest first")
    )


class AccountNps(generics.GenericAPIView):
    """NPS per year of an account and of its group, with answers and trend."""

    serializer_class = AccountNpsSerializer

    @extend_schema(summary=_("NPS per year of an account and of its group"))
    def get(self, request: Request, pk: int) -> Response:
        account = get_account_for(actor(request), pk)
        data = {
            "min_answers": settings.NPS_MIN_ANSWERS,
            "account": selectors.nps_trend(account),
            "group": selectors.group_nps_trend(account),
        }
        return Response(AccountNpsSerializer(data).data)
