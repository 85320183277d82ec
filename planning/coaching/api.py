"""REST API for coaching plans, their materials, sessions and briefing confirmations.

Reads start from the access scope (outside it: 404, also for downloads); writes go through
planning.coaching.services. Serializers only parse and shape.
"""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.access import visible_accounts
from accounts.api.serializers import (
    ParseOnlyModelSerializer,
    ScopedPrimaryKeyRelatedField,
    UserIdField,
)
from accounts.api.views import CanEditAccount
from accounts.models import Account
from planning.coaching import selectors, services
from planning.coaching.filters import CoachingPlanFilter
from planning.coaching.views import material_file_response
from planning.models import CoachingMaterial, CoachingPlan, CoachingSession

# Serializers ----------------------------------------------------------------------------


class CoachingPlanSerializer(ParseOnlyModelSerializer):
    account = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    account_name = serializers.CharField(source="account.name", read_only=True)
    reps = UserIdField(many=True, required=False, label=_("sales reps"))
    material_count = serializers.IntegerField(read_only=True, label=_("materials"))
    session_count = serializers.IntegerField(read_only=True, label=_("sessions"))
    confirmation_count = serializers.IntegerField(read_only=True, label=_("confirmations"))
    briefing_url = serializers.SerializerMethodField()

    class Meta:
        model = CoachingPlan
        fields = [
            "id", "account", "account_name", "title", "reps", "measures", "topics",
            "dos_and_donts", "created_by", "created_at", "updated_at", "material_count",
            "session_count", "confirmation_count", "briefing_url",
        ]  # fmt: skip
        read_only_fields = ["created_by"]

    def get_briefing_url(self, plan: CoachingPlan) -> str:
        return reverse("planning:briefing_sheet", args=[plan.pk])


class CoachingPlanUpdateSerializer(CoachingPlanSerializer):
    """A plan stays with its account: `account` is read-only on change."""

    account = serializers.PrimaryKeyRelatedField(read_only=True)


class MaterialSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = CoachingMaterial
        fields = [
            "id", "title", "url", "original_name", "content_type", "size", "uploaded_by",
            "uploaded_at", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, material: CoachingMaterial) -> str | None:
        if not material.file:
            return None
        return reverse("api-coaching-plan-download", args=[material.plan_id, material.pk])


class MaterialCreateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, label=_("title"))
    url = serializers.CharField(
        required=False, allow_blank=True, label=_("link"), help_text=_("A link, or …")
    )
    file = serializers.FileField(
        required=False, label=_("file"), help_text=_("… a PDF or Office file (multipart).")
    )


class SessionSerializer(ParseOnlyModelSerializer):
    participants = UserIdField(many=True, required=False, label=_("participants"))

    class Meta:
        model = CoachingSession
        fields = ["id", "held_at", "participants", "notes"]


class ConfirmationStatusSerializer(serializers.Serializer):
    rep = serializers.IntegerField(source="rep.pk", read_only=True)
    rep_name = serializers.SerializerMethodField()
    confirmed = serializers.BooleanField(read_only=True)
    confirmed_at = serializers.DateTimeField(
        source="confirmation.confirmed_at", read_only=True, allow_null=True, default=None
    )

    def get_rep_name(self, status) -> str:
        return status.rep.get_full_name() or status.rep.username


class CoachingPlanDetailSerializer(CoachingPlanSerializer):
    materials = serializers.SerializerMethodField()
    sessions = serializers.SerializerMethodField()
    confirmations = serializers.SerializerMethodField()

    class Meta(CoachingPlanSerializer.Meta):
        fields = [*CoachingPlanSerializer.Meta.fields, "materials", "sessions", "confirmations"]

    @extend_schema_field(MaterialSerializer(many=True))
    def get_materials(self, plan: CoachingPlan) -> list[dict]:
        return MaterialSerializer(selectors.materials_of(plan), many=True).data

    @extend_schema_field(SessionSerializer(many=True))
    def get_sessions(self, plan: CoachingPlan) -> list[dict]:
        return SessionSerializer(selectors.sessions_of(plan), many=True).data

    @extend_schema_field(ConfirmationStatusSerializer(many=True))
    def get_confirmations(self, plan: CoachingPlan) -> list[dict]:
        return ConfirmationStatusSerializer(selectors.confirmation_status(plan), many=True).data


# Views ----------------------------------------------------------------------------------


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
    filter_backends = [DjangoFilterBackend]
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
        fresh = selectors.get_plan_for(self.request.user, plan.pk)
        data = CoachingPlanDetailSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = CoachingPlanSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        plan = services.coaching_plan_create(
            actor=request.user,
            account=fields.pop("account"),
            reps=fields.pop("reps", ()),
            **fields,
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
        fields = dict(serializer.validated_data)
        plan = services.coaching_plan_update(
            actor=request.user, plan=plan, reps=fields.pop("reps", None), **fields
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
            "multipart/form-data": MaterialCreateSerializer,
            "application/json": MaterialCreateSerializer,
        },
        responses={201: MaterialSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def materials(self, request: Request, pk=None) -> Response:
        plan = self.get_object()
        if request.method == "GET":
            return Response(MaterialSerializer(selectors.materials_of(plan), many=True).data)
        serializer = MaterialCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        material = services.material_add(
            actor=request.user,
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
        material = selectors.get_material_for(request.user, pk, material_id)
        return material_file_response(material)

    @extend_schema(
        summary=_("Add a coaching session"), request=SessionSerializer, responses=SessionSerializer
    )
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, pk=None) -> Response:
        plan = self.get_object()
        serializer = SessionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        session = services.session_add(
            actor=request.user,
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
        confirmation, created = services.briefing_confirm(actor=request.user, plan=plan)
        data = ConfirmationStatusSerializer(
            selectors.RepStatus(rep=request.user, confirmation=confirmation)
        ).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def perform_content_negotiation(self, request, force=False):
        # A download answers with the file, whatever the client's Accept header asks for.
        if getattr(self, "action", None) == "download":
            force = True
        return super().perform_content_negotiation(request, force=force)
