"""API shapes for annual reviews. Serializers only parse and shape; the services validate."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import editable_accounts, visible_contacts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import Account, Contact
from kam.api.serializers import ParseOnlyModelSerializer, UserIdField
from kam.fields import as_fields
from reviews import notes
from reviews.fields import ReviewFields
from reviews.models import (
    FOLDER_LANGUAGES,
    AgendaItem,
    Agreement,
    AnnualReview,
    FolderVersion,
    JointProject,
    MarketFigure,
    Section,
    Topic,
)


class ReviewSerializer(ParseOnlyModelSerializer[AnnualReview]):
    account = ScopedPrimaryKeyRelatedField(
        model=Account, scope=editable_accounts, label=_("account")
    )
    account_name = serializers.CharField(source="account.name", read_only=True)
    language = serializers.ChoiceField(
        choices=FOLDER_LANGUAGES,
        required=False,
        allow_blank=True,
        help_text=_("Left out: the preferred language of the account's main contact."),
    )
    our_participants = UserIdField(many=True, required=False)
    customer_participants = ScopedPrimaryKeyRelatedField(
        model=Contact, scope=visible_contacts, many=True, required=False
    )

    class Meta:
        model = AnnualReview
        fields = [
            "id", "account", "account_name", "year", "meeting_on", "place", "status",
            "language", "backdate_reason", "our_participants", "customer_participants",
            "minutes", "next_review_on", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["status", "minutes", "next_review_on", "created_at", "updated_at"]


class ReviewUpdateSerializer(ReviewSerializer):
    class Meta(ReviewSerializer.Meta):
        read_only_fields = ["account", "year", "created_at", "updated_at"]

    def service_fields(self) -> ReviewFields:
        """The account is declared on the list's serializer, so it stays writable here;
        a review keeps its account: a given one is left out."""
        return as_fields(ReviewFields, self.validated_data, without=["account"])


class NotesField(serializers.ReadOnlyField):
    """Stored notes (reviews.notes) as text in the language of the request."""

    def to_representation(self, value):
        return notes.render_all(value)


class SectionSerializer(serializers.ModelSerializer[Section]):
    # A declared field (DRF's metaclass takes it off the class); the stubs see Field.label.
    label = serializers.CharField(source="get_kind_display", read_only=True)  # type: ignore[assignment]
    changes = NotesField()
    internal = serializers.BooleanField(source="is_internal", read_only=True)

    class Meta:
        model = Section
        fields = [
            "kind",
            "label",
            "internal",
            "text",
            "data",
            "changes",
            "shown",
            "refreshed_at",
            "updated_at",
        ]
        read_only_fields = ["shown"]
        read_only_fields = ["kind", "data", "changes", "refreshed_at", "updated_at"]


class AgendaItemSerializer(ParseOnlyModelSerializer[AgendaItem]):
    class Meta:
        model = AgendaItem
        fields = ["id", "title", "duration_minutes", "presenter", "position"]
        read_only_fields = ["position"]


class TopicSerializer(ParseOnlyModelSerializer[Topic]):
    owner = UserIdField(required=False, allow_null=True)

    class Meta:
        model = Topic
        fields = ["id", "title", "goal", "owner", "customer_side", "renegotiate", "contract",
                  "position"]  # fmt: skip
        read_only_fields = ["contract", "position"]


class MarketFigureSerializer(ParseOnlyModelSerializer[MarketFigure]):
    class Meta:
        model = MarketFigure
        fields = ["id", "topic", "figure", "source", "year", "position"]
        read_only_fields = ["position"]


class ProjectSerializer(ParseOnlyModelSerializer[JointProject]):
    class Meta:
        model = JointProject
        fields = ["id", "area", "title", "goal", "target", "objective", "position"]
        read_only_fields = ["objective", "position"]


class AgreementSerializer(ParseOnlyModelSerializer[Agreement]):
    owner = UserIdField(required=False, allow_null=True)

    class Meta:
        model = Agreement
        fields = ["id", "text", "owner", "due_on", "follow_up", "created_at"]
        read_only_fields = ["follow_up", "created_at"]


class VersionSerializer(serializers.ModelSerializer[FolderVersion]):
    download_url = serializers.SerializerMethodField()
    changes = NotesField()

    class Meta:
        model = FolderVersion
        fields = [
            "id", "number", "internal", "language", "status", "error", "attempts", "pages",
            "size", "checksum", "changes", "requested_by", "requested_at", "finished_at",
            "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, version: FolderVersion) -> str | None:
        if version.status != FolderVersion.Status.DONE:
            return None
        return reverse("api-review-download", args=[version.review_id, version.pk])


class ReviewDetailSerializer(ReviewSerializer):
    sections = SectionSerializer(many=True, read_only=True)
    agenda = AgendaItemSerializer(many=True, read_only=True)
    topics = TopicSerializer(many=True, read_only=True)
    market_data = MarketFigureSerializer(many=True, read_only=True)
    projects = ProjectSerializer(many=True, read_only=True)
    agreements = AgreementSerializer(many=True, read_only=True)
    versions = VersionSerializer(many=True, read_only=True)

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "sections", "agenda", "topics", "market_data",
                  "projects", "agreements", "versions"]  # fmt: skip


class RenderSerializer(serializers.Serializer):
    internal = serializers.BooleanField(required=False, default=False)


class CustomerItemSerializer(serializers.Serializer):
    """One item of a section's live data and whether the customer's folder shows it."""

    key = serializers.CharField(read_only=True)
    list = serializers.CharField(source="list_name", read_only=True)
    # A declared field (DRF's metaclass takes it off the class); the stubs see Field.label.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    shown = serializers.BooleanField(read_only=True)


class CustomerChoicesSerializer(serializers.Serializer):
    shown = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        help_text=_("Item key -> shown to the customer"),
    )
    all = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text=_("Show (true) or hide (false) every item of the section"),
    )  # fmt: skip

    def validate(self, attrs):
        if not attrs.get("shown") and attrs.get("all") is None:
            raise serializers.ValidationError(
                {"shown": _("Name the items to show or hide, or send “all”.")}
            )
        return attrs
