"""API shapes for opportunities, their competitors, the competitor register and stages.

Serializers only parse and shape; the model validation run by deals.services is the one
set of rules.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import visible_accounts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import Account, ProductLine
from deals.fields import CompetitorFields, CompetitorLinkFields, OpportunityFields
from deals.models import Competitor, Opportunity, OpportunityCompetitor, Stage
from kam.api.serializers import ParseOnlyModelSerializer, UserIdField, read_only_money
from kam.fields import as_fields


class StageSerializer(serializers.ModelSerializer[Stage]):
    # A declared field (DRF's metaclass takes it off the class); the stubs see Field.label.
    label = serializers.CharField(read_only=True, label=_("label"))  # type: ignore[assignment]

    class Meta:
        model = Stage
        fields = ["id", "key", "name", "label", "order", "default_probability", "is_won", "is_lost"]
        read_only_fields = fields


class CompetitorSerializer(ParseOnlyModelSerializer[Competitor]):
    class Meta:
        model = Competitor
        fields = ["id", "name", "website", "notes", "created_at"]

    def service_fields(self) -> CompetitorFields:
        return as_fields(CompetitorFields, self.validated_data)


class OpportunityCompetitorSerializer(ParseOnlyModelSerializer[OpportunityCompetitor]):
    """A competitor on a deal. To add one, send `competitor` (an id from the register) or
    `competitor_name` (registered if new)."""

    competitor = serializers.PrimaryKeyRelatedField(
        queryset=Competitor.objects.all(), required=False, allow_null=True, label=_("competitor")
    )
    competitor_name = serializers.CharField(
        write_only=True, required=False, allow_blank=True, label=_("new competitor")
    )
    name = serializers.CharField(source="competitor.name", read_only=True, label=_("name"))

    class Meta:
        model = OpportunityCompetitor
        fields = ["competitor", "competitor_name", "name", "position", "notes"]

    def service_fields(self) -> CompetitorLinkFields:
        return as_fields(CompetitorLinkFields, self.validated_data)


class OpportunitySerializer(ParseOnlyModelSerializer[Opportunity]):
    account = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    product_lines = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ProductLine.objects.all(), required=False, label=_("product lines")
    )
    stage = serializers.PrimaryKeyRelatedField(
        queryset=Stage.objects.all(),
        required=False,
        label=_("stage"),
        help_text=_("A stage id; the first open stage when left out."),
    )
    stage_key = serializers.CharField(source="stage.key", read_only=True)
    probability = serializers.IntegerField(
        required=False,
        allow_null=True,
        label=_("probability (%)"),
        help_text=_("Left out or null: the stage's default."),
    )
    owner = UserIdField(required=False, label=_("owner"), help_text=_("The creator if left out."))
    weighted_value = read_only_money(_("weighted value"), source="weighted")
    competitors = OpportunityCompetitorSerializer(
        many=True, read_only=True, source="competitor_links"
    )

    class Meta:
        model = Opportunity
        fields = [
            "id", "external_id", "account", "title", "description", "product_lines", "value",
            "expected_margin", "stage", "stage_key", "probability", "weighted_value",
            "expected_close_date", "next_follow_up_on", "next_follow_up_action",
            "close_reason", "lost_to", "owner", "closed_on", "closed_at", "competitors",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["closed_on", "closed_at"]

    def service_fields(self) -> OpportunityFields:
        """The fields besides account and product lines (arguments of their own)."""
        return as_fields(
            OpportunityFields, self.validated_data, without=["account", "product_lines"]
        )


class ChangedDealSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    account = serializers.IntegerField(source="account_id", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    stage = serializers.CharField(source="stage.key", read_only=True)
    value = read_only_money()
    expected_close_date = serializers.DateField(read_only=True)
    opening_stage = serializers.CharField(
        source="open_stage.key", read_only=True, allow_null=True, default=None
    )
    opening_value = read_only_money(source="open_value")
    opening_close_date = serializers.DateField(source="open_close", read_only=True)
    slips = serializers.IntegerField(
        read_only=True, required=False, help_text=_("Pushed deals: how often it slipped.")
    )


class ChangeBarSerializer(serializers.Serializer):
    key = serializers.ChoiceField(
        choices=["new", "won", "lost", "value", "forward", "back", "pushed"], read_only=True
    )
    count = serializers.IntegerField(read_only=True)
    amount = read_only_money(
        help_text=_(
            "The change of the open pipeline value (new, won, lost, value), or the value of "
            "the deals moved (forward, back, pushed)."
        )
    )
    more = serializers.IntegerField(read_only=True)
    deals = ChangedDealSerializer(many=True, read_only=True)


class PipelineChangesSerializer(serializers.Serializer):
    period = serializers.ChoiceField(choices=["week", "quarter"], read_only=True)
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)
    base = serializers.ChoiceField(
        choices=["snapshot", "history"],
        read_only=True,
        help_text=_("Where the opening state comes from: the week's snapshot or the history."),
    )
    opening = read_only_money()
    opening_count = serializers.IntegerField(read_only=True)
    closing = read_only_money()
    closing_count = serializers.IntegerField(read_only=True)
    bars = ChangeBarSerializer(many=True, read_only=True)


class WinLossReasonSerializer(serializers.Serializer):
    opportunity = serializers.IntegerField(source="opportunity_id", read_only=True)
    title = serializers.CharField(read_only=True)
    won = serializers.BooleanField(read_only=True)
    closed_on = serializers.DateField(read_only=True)
    text = serializers.CharField(read_only=True)


class WinLossSerializer(serializers.Serializer):
    competitor = serializers.IntegerField(source="competitor.pk", read_only=True)
    competitor_name = serializers.CharField(source="competitor.name", read_only=True)
    won_count = serializers.IntegerField(read_only=True)
    won_value = read_only_money()
    lost_count = serializers.IntegerField(read_only=True)
    lost_value = read_only_money()
    lost_to_them = serializers.IntegerField(read_only=True)
    win_rate = read_only_money(decimal_places=1)
    reasons = WinLossReasonSerializer(many=True, read_only=True)
