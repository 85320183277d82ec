"""API shapes for activities and follow-ups. They parse and shape only; the services
validate (see kam.api.serializers for the pattern)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import visible_accounts, visible_contacts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import Account, Contact
from activities.fields import ActivityFields, ActivityLogFields, FollowUpFields
from activities.models import Activity, FollowUp
from kam.api.serializers import ParseOnlyModelSerializer, UserIdField
from kam.fields import as_fields
from users.models import User


class ActivitySerializer(ParseOnlyModelSerializer[Activity]):
    """An activity. The next step is given once, when the activity is logged, and then
    lives on as its follow-up (`follow_ups`)."""

    account: serializers.PrimaryKeyRelatedField[Account] = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    contacts = ScopedPrimaryKeyRelatedField(
        model=Contact,
        scope=visible_contacts,
        many=True,
        required=False,
        label=_("customer participants"),
        help_text=_("Contact ids of the account or its group."),
    )
    users = UserIdField(many=True, required=False, label=_("our participants"))
    next_step_owner: serializers.PrimaryKeyRelatedField[User] = UserIdField(
        allow_null=True, required=False, label=_("next step owner")
    )
    created_by = serializers.PrimaryKeyRelatedField[User](read_only=True, label=_("logged by"))
    follow_ups = serializers.PrimaryKeyRelatedField[FollowUp](
        many=True, read_only=True, label=_("follow-ups")
    )

    class Meta:
        model = Activity
        fields = [
            "id", "account", "kind", "occurred_at", "duration_minutes", "location", "subject",
            "notes", "outcome", "contacts", "users", "next_step", "next_step_owner",
            "next_step_due_on", "follow_ups", "created_by", "created_at", "updated_at",
        ]  # fmt: skip

    def log_fields(self) -> ActivityLogFields:
        """What activity_log takes besides account, contacts and users."""
        return as_fields(
            ActivityLogFields, self.validated_data, without=["account", "contacts", "users"]
        )


class ActivityUpdateSerializer(ActivitySerializer):
    """Changing an activity: account and next step are fixed once logged."""

    account = serializers.PrimaryKeyRelatedField[Account](read_only=True, label=_("account"))
    next_step_owner = serializers.PrimaryKeyRelatedField[User](
        read_only=True, label=_("next step owner")
    )

    class Meta(ActivitySerializer.Meta):
        read_only_fields = ["account", "next_step", "next_step_owner", "next_step_due_on"]

    def service_fields(self) -> ActivityFields:
        """What activity_update takes besides contacts and users."""
        return as_fields(ActivityFields, self.validated_data, without=["contacts", "users"])


class FollowUpSerializer(ParseOnlyModelSerializer[FollowUp]):
    account: serializers.PrimaryKeyRelatedField[Account] = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    owner = UserIdField(label=_("owner"))
    done = serializers.BooleanField(
        source="is_done",
        required=False,
        label=_("done"),
        help_text=_("PATCH true to mark done (keeps who and when), false to reopen."),
    )
    done_by = serializers.PrimaryKeyRelatedField[User](
        read_only=True, allow_null=True, label=_("done by")
    )
    activity = serializers.PrimaryKeyRelatedField[Activity](
        read_only=True, allow_null=True, label=_("activity")
    )
    created_by = serializers.PrimaryKeyRelatedField[User](
        read_only=True, allow_null=True, label=_("created by")
    )

    class Meta:
        model = FollowUp
        fields = [
            "id", "account", "title", "notes", "owner", "due_on", "activity", "source",
            "done", "done_at", "done_by", "created_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["done_at", "created_at"]
        extra_kwargs = {"due_on": {"required": True}}

    def service_fields(self) -> FollowUpFields:
        """The follow-up's fields; account, done (`is_done`) and source are arguments of
        their own."""
        return as_fields(
            FollowUpFields, self.validated_data, without=["account", "is_done", "source"]
        )


class FollowUpUpdateSerializer(FollowUpSerializer):
    """Changing a follow-up: it stays with its account."""

    account = serializers.PrimaryKeyRelatedField[Account](read_only=True, label=_("account"))

    class Meta(FollowUpSerializer.Meta):
        read_only_fields = ["account", "source", "done_at", "created_at"]
