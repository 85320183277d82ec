"""REST API for activities and follow-ups.

The same doors as the pages: reads start from the access scope (an outsider gets a 404),
writes go through activities.services. Lists take a constant number of queries.
"""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import scoped, visible_contacts
from activities import selectors, services
from activities.api.serializers import (
    ActivitySerializer,
    ActivityUpdateSerializer,
    FollowUpSerializer,
    FollowUpUpdateSerializer,
)
from activities.exports import ACTIVITIES, FOLLOW_UPS
from activities.filters import ActivityFilter, FollowUpFilter
from activities.models import Activity, FollowUp
from kam.api.export import ExportListMixin
from kam.api.filters import FILTERS
from kam.api.pagination import KeysetOrPageNumberPagination
from kam.http import actor
from users.models import User


def activity_queryset(user) -> QuerySet[Activity]:
    """Visible activities with the participant and follow-up ids prefetched: a page of any
    size takes the same five queries (count, page, contacts, users, follow-ups)."""
    return scoped(user, Activity.objects.all()).prefetch_related(
        # Only the participants the user may see; their account decides (see the field).
        Prefetch("contacts", queryset=visible_contacts(user).only("pk", "account_id")),
        Prefetch("users", queryset=User.objects.only("pk")),
        Prefetch("follow_ups", queryset=FollowUp.objects.only("pk", "activity_id")),
    )


def _read_back(request: Request, activity: Activity) -> dict:
    fresh = activity_queryset(actor(request)).get(pk=activity.pk)
    return ActivitySerializer(fresh, context={"request": request}).data


class ActivityPagination(KeysetOrPageNumberPagination):
    """By cursor unless `?page=` or `?ordering=` is given: counting millions of activities
    exactly on every page cost more than reading the page."""

    keyset_ordering = ("-occurred_at", "-pk")  # served by activity_time_idx
    keyset_by_default = True


@extend_schema_view(
    get=extend_schema(summary=_("List activities")),
    post=extend_schema(
        summary=_("Log an activity"),
        description=_(
            "A next step (with owner and due date) becomes a follow-up for its owner. "
            "Customer participants must belong to the account or its group."
        ),
    ),
)
class ActivityList(ExportListMixin, generics.ListCreateAPIView):
    serializer_class = ActivitySerializer
    filter_backends = FILTERS
    filterset_class = ActivityFilter
    export = ACTIVITIES
    pagination_class = ActivityPagination

    def get_queryset(self) -> QuerySet[Activity]:
        return activity_queryset(self.request.user).order_by("-occurred_at", "-pk")

    def get_export_queryset(self) -> QuerySet[Activity]:
        # The file names account, author and participants: joined and prefetched whole.
        return selectors.activity_list(actor(self.request)).order_by("-occurred_at", "-pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ActivitySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        activity = services.activity_log(
            actor=actor(request),
            account=data["account"],
            contacts=data.get("contacts", []),
            users=data.get("users", []),
            **serializer.log_fields(),
        )
        return Response(_read_back(request, activity), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary=_("An activity")),
    put=extend_schema(summary=_("Change an activity"), request=ActivityUpdateSerializer),
    patch=extend_schema(
        summary=_("Change some fields of an activity"), request=ActivityUpdateSerializer
    ),
    delete=extend_schema(
        summary=_("Delete an activity"),
        description=_(
            "Its author or an editor of the account. The history keeps it; its follow-ups stay."
        ),
    ),
)
class ActivityDetail(generics.RetrieveUpdateDestroyAPIView):
    """Changed and deleted by its author or an editor of the account (the service decides,
    as for the pages)."""

    serializer_class = ActivitySerializer

    def get_queryset(self) -> QuerySet[Activity]:
        return activity_queryset(self.request.user).select_related("account")

    def update(self, request: Request, *args, **kwargs) -> Response:
        activity = self.get_object()
        serializer = ActivityUpdateSerializer(
            activity,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        activity = services.activity_update(
            actor=actor(request),
            activity=activity,
            contacts=data.get("contacts"),
            users=data.get("users"),
            **serializer.service_fields(),
        )
        return Response(_read_back(request, activity))

    def perform_destroy(self, instance: Activity) -> None:
        services.activity_delete(actor=actor(self.request), activity=instance)


@extend_schema_view(
    get=extend_schema(
        summary=_("List follow-ups"),
        description=_("Filter with done=false for the open ones, owner=<id> for a person's."),
    ),
    post=extend_schema(summary=_("Create a follow-up")),
)
class FollowUpList(ExportListMixin, generics.ListCreateAPIView):
    serializer_class = FollowUpSerializer
    pagination_class = KeysetOrPageNumberPagination
    filter_backends = FILTERS
    filterset_class = FollowUpFilter
    export = FOLLOW_UPS

    def get_queryset(self) -> QuerySet[FollowUp]:
        return selectors.follow_up_list(self.request.user).order_by("due_on", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = FollowUpSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        follow_up = services.follow_up_create(
            actor=actor(request),
            account=data["account"],
            source=data.get("source", ""),
            done=data.get("is_done", False),
            **serializer.service_fields(),
        )
        return Response(self.get_serializer(follow_up).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary=_("A follow-up")),
    put=extend_schema(summary=_("Change a follow-up"), request=FollowUpUpdateSerializer),
    patch=extend_schema(
        summary=_("Change, complete or reopen a follow-up"),
        description=_('Send {"done": true} to mark it done, {"done": false} to reopen it.'),
        request=FollowUpUpdateSerializer,
    ),
)
class FollowUpDetail(generics.RetrieveUpdateAPIView):
    serializer_class = FollowUpSerializer

    def get_queryset(self) -> QuerySet[FollowUp]:
        return selectors.follow_up_list(self.request.user)

    def update(self, request: Request, *args, **kwargs) -> Response:
        follow_up = self.get_object()
        serializer = FollowUpUpdateSerializer(
            follow_up,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        follow_up = services.follow_up_update(
            actor=actor(request),
            follow_up=follow_up,
            done=serializer.validated_data.get("is_done"),
            **serializer.service_fields(),
        )
        fresh = selectors.follow_up_list(actor(request)).filter(pk=follow_up.pk).first()
        return Response(FollowUpSerializer(fresh or follow_up, context={"request": request}).data)
