"""API shapes for issues, surveys and departments. Serializers only parse and shape; the
model validation that the services run is the one set of rules."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import visible_accounts, visible_contacts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import Account, Contact
from customer_care.fields import IssueFields, SurveyFields
from customer_care.models import CustomerIssue, Department, Survey
from kam.api.serializers import ParseOnlyModelSerializer, UserIdField
from kam.fields import as_fields


class DepartmentSerializer(serializers.ModelSerializer[Department]):
    # A declared field (DRF's metaclass takes it off the class); the stubs see Field.label.
    label = serializers.CharField(read_only=True, label=_("label"))  # type: ignore[assignment]

    class Meta:
        model = Department
        fields = ["id", "key", "name", "label", "active"]


class ActiveDepartmentField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("No active department with this id."),
        "incorrect_type": _("Expected an id, not {data_type}."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Department.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return Department.objects.filter(active=True)


class IssueSerializer(ParseOnlyModelSerializer[CustomerIssue]):
    """An issue. On create, `due_on` left out follows from the severity and `owner` left
    out is the calling user. Setting `status` to resolved or closed needs a `resolution`."""

    account: serializers.PrimaryKeyRelatedField[Account] = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    department = ActiveDepartmentField(label=_("responsible department"))
    owner = UserIdField(required=False, label=_("owner"))
    due_on = serializers.DateField(required=False, allow_null=True, label=_("due on"))
    is_overdue = serializers.BooleanField(read_only=True, label=_("overdue"))

    class Meta:
        model = CustomerIssue
        fields = [
            "id", "account", "title", "description", "kind", "severity", "department",
            "owner", "opened_at", "due_on", "status", "resolution", "resolved_at", "escalated",
            "is_overdue", "created_by", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["resolved_at", "created_by", "updated_at"]
        extra_kwargs = {"opened_at": {"required": False}}

    def service_fields(self) -> IssueFields:
        """The fields besides the account (an argument of its own)."""
        return as_fields(IssueFields, self.validated_data, without=["account"])


class IssueUpdateSerializer(IssueSerializer):
    """The account of an issue does not change."""

    account = serializers.PrimaryKeyRelatedField[Account](read_only=True, label=_("account"))
    department = ActiveDepartmentField(required=False, label=_("responsible department"))


class SurveySerializer(ParseOnlyModelSerializer[Survey]):
    """A survey. A detractor score (NPS 0-6 or CSAT 1-2) creates a follow-up for the
    account owner; `follow_up_created` says so in the answer to the POST."""

    account = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    contact = ScopedPrimaryKeyRelatedField(
        model=Contact, scope=visible_contacts, allow_null=True, required=False, label=_("contact")
    )
    is_detractor = serializers.BooleanField(read_only=True, label=_("detractor"))
    follow_up_created = serializers.SerializerMethodField(label=_("follow-up created"))

    class Meta:
        model = Survey
        fields = [
            "id", "account", "contact", "surveyed_on", "method", "nps", "csat", "comment",
            "is_detractor", "follow_up_created", "recorded_by", "created_at",
        ]  # fmt: skip
        read_only_fields = ["recorded_by", "created_at"]
        extra_kwargs = {"surveyed_on": {"required": False}}

    def service_fields(self) -> SurveyFields:
        """The fields besides the account (an argument of its own)."""
        return as_fields(SurveyFields, self.validated_data, without=["account"])

    def get_follow_up_created(self, survey: Survey) -> bool:
        return getattr(survey, "follow_up", None) is not None
