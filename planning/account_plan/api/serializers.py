"""API shapes of account plans: serializers only parse and shape (see views.py)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import visible_accounts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import Account
from kam.api.serializers import ParseOnlyModelSerializer
from kam.fields import as_fields
from planning.account_plan import selectors, services
from planning.account_plan.fields import AccountPlanFields
from planning.models import AccountPlan
from users.models import User


class AccountPlanSerializer(ParseOnlyModelSerializer[AccountPlan]):
    """An account plan. The SWOT fields are lists as text, one item per line."""

    account: serializers.PrimaryKeyRelatedField[Account] = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    account_name = serializers.CharField(source="account.name", read_only=True)
    is_stale = serializers.SerializerMethodField(label=_("stale"))
    last_reviewed_by_name = serializers.StringRelatedField[User](
        source="last_reviewed_by", read_only=True, allow_null=True, label=_("last reviewed by")
    )

    class Meta:
        model = AccountPlan
        fields = [
            "id", "account", "account_name", "year", "status", *services.CONTENT_FIELDS,
            "is_stale", "last_reviewed_at", "last_reviewed_by", "last_reviewed_by_name",
            "created_by", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "last_reviewed_at", "last_reviewed_by", "created_by", "created_at", "updated_at",
        ]  # fmt: skip

    def service_fields(self) -> AccountPlanFields:
        """The plan's texts; account, year and status are arguments of their own."""
        return as_fields(
            AccountPlanFields, self.validated_data, without=["account", "year", "status"]
        )

    def get_is_stale(self, plan: AccountPlan) -> bool:
        return selectors.is_stale(plan)


class AccountPlanUpdateSerializer(AccountPlanSerializer):
    """The account and year of a plan do not change."""

    account = serializers.PrimaryKeyRelatedField[Account](read_only=True, label=_("account"))

    class Meta(AccountPlanSerializer.Meta):
        read_only_fields = [*AccountPlanSerializer.Meta.read_only_fields, "year"]


class PlanCopySerializer(serializers.Serializer):
    account = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    year = serializers.IntegerField(
        label=_("year"),
        help_text=_("The year of the new plan; the plan of the year before is copied."),
    )
