"""API shapes of business cases: serializers only parse and shape (see views.py)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import visible_accounts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import Account
from deals.models import Opportunity
from kam.api.serializers import ParseOnlyModelSerializer
from kam.fields import as_fields
from planning.business_cases.fields import BusinessCaseFields, ScenarioFields
from planning.models import BusinessCase, Scenario


def _money(**kwargs):
    return serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True, **kwargs)


def _tenth(**kwargs):
    return serializers.DecimalField(max_digits=12, decimal_places=1, read_only=True, **kwargs)


class ResultSerializer(serializers.Serializer):
    """planning.business_cases.arithmetic.ScenarioResult: every result with its parts."""

    baseline_spend = _money(help_text=_("volume × unit price"))
    new_volume = _money()
    new_unit_price = _money()
    new_spend = _money(help_text=_("new volume × new unit price"))
    price_effect = _money(help_text=_("new volume × (unit price − new unit price)"))
    upgrade_saving = _money()
    yearly_saving = _money(help_text=_("price effect + upgrade saving"))
    process_cost = _money()
    process_cost_after = _money()
    horizon_years = serializers.IntegerField(read_only=True)
    horizon_saving_gross = _money(help_text=_("yearly saving × horizon years"))
    one_off_cost = _money()
    horizon_saving = _money(help_text=_("yearly saving × horizon years − one-off cost"))
    roi_pct = _tenth(allow_null=True, help_text=_("Empty when there is no one-off cost."))
    payback_months = _tenth(
        allow_null=True, help_text=_("Empty when the yearly saving is zero or less.")
    )
    payback_reached = serializers.BooleanField(read_only=True)
    payback_within_horizon = serializers.BooleanField(read_only=True)
    payback_note = serializers.CharField(read_only=True)
    discount_rate_pct = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)
    npv = _money(
        help_text=_("net present value: − one-off cost + yearly saving discounted per year")
    )
    irr_pct = _tenth(
        allow_null=True,
        help_text=_(
            "internal rate of return; empty without a one-off cost or a saving, or above"
            " 1,000 % (see irr_above_limit)"
        ),
    )
    irr_above_limit = serializers.BooleanField(read_only=True)
    irr_note = serializers.CharField(read_only=True)
    revenue_effect = _money(help_text=_("new spend − baseline spend"))
    revenue_effect_first_year = _money(help_text=_("revenue effect + the one-off price"))
    revenue_effect_horizon = _money(
        help_text=_("revenue effect × horizon years + the one-off price")
    )
    baseline_margin = _money()
    new_margin = _money()
    margin_effect = _money(help_text=_("new margin − baseline margin"))


class ScenarioSerializer(ParseOnlyModelSerializer[Scenario]):
    results = ResultSerializer(source="result", read_only=True, allow_null=True)

    class Meta:
        model = Scenario
        fields = [
            "id", "name", "yearly_volume", "unit_price", "process_cost", "price_change_pct",
            "volume_change_pct", "one_off_cost", "yearly_saving", "margin_pct", "position",
            "results",
        ]  # fmt: skip
        extra_kwargs = {"position": {"required": False}}

    def service_fields(self) -> ScenarioFields:
        return as_fields(ScenarioFields, self.validated_data)


def _visible_opportunities(user):
    return Opportunity.objects.filter(account__in=visible_accounts(user))


class BusinessCaseSerializer(ParseOnlyModelSerializer[BusinessCase]):
    account: serializers.PrimaryKeyRelatedField[Account] = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    opportunity = ScopedPrimaryKeyRelatedField(
        model=Opportunity,
        scope=_visible_opportunities,
        allow_null=True,
        required=False,
        label=_("opportunity"),
    )
    scenarios = ScenarioSerializer(many=True, read_only=True)

    class Meta:
        model = BusinessCase
        fields = [
            "id", "account", "opportunity", "title", "horizon_years", "discount_rate_pct",
            "created_by", "created_at", "scenarios",
        ]  # fmt: skip
        read_only_fields = ["created_by", "created_at"]

    def service_fields(self) -> BusinessCaseFields:
        """The fields besides the account (an argument of its own)."""
        return as_fields(BusinessCaseFields, self.validated_data, without=["account"])


class BusinessCaseUpdateSerializer(BusinessCaseSerializer):
    """Changing a case: it stays with its account (an `account` sent along is ignored)."""

    account = serializers.PrimaryKeyRelatedField[Account](read_only=True, label=_("account"))

    class Meta(BusinessCaseSerializer.Meta):
        read_only_fields = ["account", "created_by", "created_at"]
