from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kam.fields import as_fields
from webhooks.catalog import EVENT_TYPES
from webhooks.fields import EndpointFields
from webhooks.models import Attempt, Endpoint, Message


class EndpointSerializer(serializers.ModelSerializer):
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=list(EVENT_TYPES)),
        help_text=_("The events this endpoint receives."),
    )

    class Meta:
        model = Endpoint
        fields = [
            "id", "url", "description", "event_types", "active", "owner", "created_at",
            "updated_at", "failing_since", "disabled_at",
        ]  # fmt: skip
        read_only_fields = [
            "id", "owner", "created_at", "updated_at", "failing_since", "disabled_at",
        ]  # fmt: skip
        extra_kwargs: dict[str, dict] = {"url": {"validators": []}}

    def service_fields(self) -> EndpointFields:
        return as_fields(EndpointFields, self.validated_data)


class EndpointWithSecretSerializer(EndpointSerializer):
    """The answer to a registration or a rotation: the only time the secret is shown."""

    secret = serializers.CharField(read_only=True)

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["at", "status_code", "duration_ms", "response", "error", "succeeded"]


class MessageSerializer(serializers.ModelSerializer):
    attempts_made = AttemptSerializer(source="attempt_log", many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id", "msg_id", "event_type", "body", "created_at", "status", "attempts",
            "next_attempt_at", "delivered_at", "attempts_made",
        ]  # fmt: skip
