"""API shapes of coaching plans: serializers only parse and shape (see views.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from accounts.access import visible_accounts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import Account
from kam.api.serializers import ParseOnlyModelSerializer, Text, UrlText, UserIdField
from kam.fields import as_fields
from planning.coaching import selectors
from planning.coaching.fields import CoachingPlanFields
from planning.models import CoachingMaterial, CoachingPlan, CoachingSession


class CoachingPlanSerializer(ParseOnlyModelSerializer[CoachingPlan]):
    account: serializers.PrimaryKeyRelatedField[Account] = ScopedPrimaryKeyRelatedField(
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

    def service_fields(self) -> CoachingPlanFields:
        """The plan's fields; account and reps are arguments of their own."""
        return as_fields(CoachingPlanFields, self.validated_data, without=["account", "reps"])

    def get_briefing_url(self, plan: CoachingPlan) -> str:
        return reverse("planning:briefing_sheet", args=[plan.pk])


class CoachingPlanUpdateSerializer(CoachingPlanSerializer):
    """A plan stays with its account: `account` is read-only on change."""

    account = serializers.PrimaryKeyRelatedField[Account](read_only=True)


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class _NullableLink(serializers.CharField):
    """A web address, or null (never an empty string) when there is none."""

    # The stubs fix a CharField's output to str; this one answers null for "no link".
    def to_representation(self, value: str) -> str | None:  # type: ignore[override]
        return value or None


class MaterialSerializer(serializers.ModelSerializer[CoachingMaterial]):
    url = _NullableLink(read_only=True, label=_("link"), help_text=_("Null for a file."))
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = CoachingMaterial
        fields = [
            "id", "title", "url", "original_name", "content_type", "size", "uploaded_by",
            "uploaded_at", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri-reference", "nullable": True})
    def get_download_url(self, material: CoachingMaterial) -> str | None:
        if not material.file:
            return None
        return reverse("api-coaching-plan-download", args=[material.plan_id, material.pk])


class MaterialLinkSerializer(serializers.Serializer):
    """A link as material (JSON or form): a title and the address."""

    title = Text(max_length=200, label=_("title"))
    url = UrlText(max_length=200, label=_("link"), help_text=_("A web address."))


class MaterialFileSerializer(serializers.Serializer):
    """A file as material (multipart): the file, and a title (the file's name without)."""

    title = Text(required=False, allow_blank=True, max_length=200, label=_("title"))
    file = serializers.FileField(label=_("file"), help_text=_("A PDF or Office file."))


class SessionSerializer(ParseOnlyModelSerializer[CoachingSession]):
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

    # `many_init` is what `many=True` calls; the stubs type `X(rows, many=True)` as a single
    # serializer, whose `.data` is a dict.
    @extend_schema_field(MaterialSerializer(many=True))
    def get_materials(self, plan: CoachingPlan) -> list[dict]:
        return MaterialSerializer.many_init(selectors.materials_of(plan)).data

    @extend_schema_field(SessionSerializer(many=True))
    def get_sessions(self, plan: CoachingPlan) -> list[dict]:
        return SessionSerializer.many_init(selectors.sessions_of(plan)).data

    @extend_schema_field(ConfirmationStatusSerializer(many=True))
    def get_confirmations(self, plan: CoachingPlan) -> list[dict]:
        return ConfirmationStatusSerializer.many_init(selectors.confirmation_status(plan)).data


# Views ----------------------------------------------------------------------------------
