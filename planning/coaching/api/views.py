"""REST API for coaching plans, their materials, sessions and briefing confirmations.

Reads start from the access scope (outside it: 404, also for downloads); writes go through
planning.coaching.services. Serializers only parse and shape.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.permissions import CanEditAccount
from kam.api.filters import FILTERS
from kam.api.parsers import JSONParser
from kam.http import actor
from kam.uploads import attachment_response
from planning.coaching import selectors, services
from planning.coaching.api.serializers import (
    CoachingPlanDetailSerializer,
    CoachingPlanSerializer,
    CoachingPlanUpdateSerializer,
    ConfirmationStatusSerializer,
    MaterialFileSerializer,
    MaterialLinkSerializer,
    MaterialSerializer,
    SessionSerializer,
)
from planning.coaching.filters import CoachingPlanFilter
from planning.models import CoachingPlan


@extend_schema_view(
    list=extend_schema(
        summary=_("List coaching plans"),
        description=_("Filters: account (id), rep (user id); ordering: title, account, updated."),
    ),
    create=extend_schema(
        summary=_("Create a coaching plan"), responses=CoachingPlanDetailSerializer
    ),
    retrieve=extend_schema(
        summary=_("A coaching plan with its materials, sessions and confirmations"),
        responses=CoachingPlanDetailSerializer,
    ),
    update=extend_schema(
        summary=_("Change a coaching plan"),
        request=CoachingPlanUpdateSerializer,
        responses=CoachingPlanDetailSerializer,
    ),
    partial_update=extend_schema(
        summary=_("Change some fields of a coaching plan"),
        request=CoachingPlanUpdateSerializer,
        responses=CoachingPlanDetailSerializer,
    ),
)
class CoachingPlanViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Reading needs the scope (404 outside it); changing a plan, its materials and
    sessions needs the "may change" predicate of the account (403); confirming needs to
    be a rep of the plan (403)."""

    permission_classes = [permissions.IsAuthenticated, CanEditAccount]
    filter_backends = FILTERS
    filterset_class = CoachingPlanFilter

    def get_queryset(self) -> QuerySet[CoachingPlan]:
        return selectors.plan_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return CoachingPlanDetailSerializer
        if self.action in ("update", "partial_update"):
            return CoachingPlanUpdateSerializer
        return CoachingPlanSerializer

    def _detail(self, plan: CoachingPlan, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.get_plan_for(actor(self.request), plan.pk)
        data = CoachingPlanDetailSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = CoachingPlanSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = services.coaching_plan_create(
            actor=actor(request),
            account=data["account"],
            reps=data.get("reps", ()),
            **serializer.service_fields(),
        )
        return self._detail(plan, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        plan = self.get_object()
        serializer = CoachingPlanUpdateSerializer(
            plan,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        plan = services.coaching_plan_update(
            actor=actor(request),
            plan=plan,
            reps=serializer.validated_data.get("reps"),
            **serializer.service_fields(),
        )
        return self._detail(plan)

    @extend_schema(
        methods=["GET"], summary=_("The plan's materials"), responses=MaterialSerializer(many=True)
    )
    @extend_schema(
        methods=["POST"],
        summary=_("Add a material: a link (JSON or form) or a file (multipart, field “file”)"),
        description=_(
            "PDF or Office files only, checked by their content; at most UPLOAD_MAX_BYTES "
            "(10 MB by default). A rejected file is not stored."
        ),
        request={
            "application/json": MaterialLinkSerializer,
            "application/x-www-form-urlencoded": MaterialLinkSerializer,
            "multipart/form-data": MaterialFileSerializer,
        },
        responses={201: MaterialSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        pagination_class=None,
        parser_classes=[JSONParser, FormParser, MultiPartParser],
    )
    def materials(self, request: Request, pk=None) -> Response:
        plan = self.get_object()
        if request.method == "GET":
            return Response(MaterialSerializer(selectors.materials_of(plan), many=True).data)
        # A link in JSON or a form; a file in a multipart body (a link sent as multipart
        # without a file is still read as a link, as before).
        with_file = "file" in request.FILES or (
            request.content_type.startswith("multipart/") and "url" not in request.data
        )
        serializer_class = MaterialFileSerializer if with_file else MaterialLinkSerializer
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        material = services.material_add(
            actor=actor(request),
            plan=plan,
            title=data.get("title", ""),
            url=data.get("url", ""),
            uploaded_file=data.get("file"),
        )
        return Response(MaterialSerializer(material).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Download a material's file"),
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, _("The file, as an attachment.")
            )
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"materials/(?P<material_id>[0-9]+)/download",
        url_name="download",
    )
    def download(self, request: Request, pk=None, material_id=None):
        material = selectors.get_material_for(actor(request), pk, material_id)
        return attachment_response(
            material.file,
            filename=material.original_name or material.title,
            content_type=material.content_type or "application/octet-stream",
        )

    @extend_schema(
        summary=_("Add a coaching session"),
        request=SessionSerializer,
        responses={201: SessionSerializer},
    )
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, pk=None) -> Response:
        plan = self.get_object()
        serializer = SessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        session = services.session_add(
            actor=actor(request),
            plan=plan,
            held_at=data.get("held_at"),
            participants=data.get("participants", ()),
            notes=data.get("notes", ""),
        )
        session = selectors.sessions_of(plan).get(pk=session.pk)
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Confirm the briefing (a sales rep of the plan)"),
        request=None,
        responses={201: ConfirmationStatusSerializer, 200: ConfirmationStatusSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def confirm(self, request: Request, pk=None) -> Response:
        plan = self.get_object()
        confirmation, created = services.briefing_confirm(actor=actor(request), plan=plan)
        data = ConfirmationStatusSerializer(
            selectors.RepStatus(rep=actor(request), confirmation=confirmation)
        ).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file, whatever the client's Accept header asks for.
        if getattr(self, "action", None) == "download":
            force = True
        return super().perform_content_negotiation(request, force=force)
