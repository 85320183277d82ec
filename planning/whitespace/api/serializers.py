"""API shapes of the whitespace matrix: serializers only parse and shape (see views.py)."""

from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from accounts.access import visible_accounts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.models import Account
from deals.api.serializers import OpportunitySerializer
from deals.models import Competitor, Opportunity
from kam.api.serializers import ParseOnlyModelSerializer
from kam.fields import as_fields
from planning.models import BusinessUnit, WhitespaceCell
from planning.whitespace.fields import CellFields


def _money(**kwargs):
    # No digit limit: a sum of stored amounts may be larger than any one of them.
    return serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True, **kwargs)


class TotalsSerializer(serializers.Serializer):
    potential = _money(help_text=_lazy("Open potential: open, competitor and unknown cells."))
    revenue = _money(help_text=_lazy("Revenue of the sold cells."))


class BusinessUnitSerializer(ParseOnlyModelSerializer):
    account = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_lazy("account")
    )

    class Meta:
        model = BusinessUnit
        fields = ["id", "account", "name", "position"]
        read_only_fields = ["position"]


class BusinessUnitRenameSerializer(BusinessUnitSerializer):
    class Meta(BusinessUnitSerializer.Meta):
        read_only_fields = ["account", "position"]


def _visible_opportunities(user):
    return Opportunity.objects.filter(account__in=visible_accounts(user))


class CellSerializer(ParseOnlyModelSerializer):
    opportunity = ScopedPrimaryKeyRelatedField(
        model=Opportunity,
        scope=_visible_opportunities,
        allow_null=True,
        required=False,
        label=_lazy("opportunity"),
    )
    competitor = serializers.PrimaryKeyRelatedField(
        queryset=Competitor.objects.all(), allow_null=True, required=False
    )
    competitor_name = serializers.CharField(source="competitor.name", read_only=True, default="")

    class Meta:
        model = WhitespaceCell
        fields = [
            "id", "business_unit", "product_line", "state", "revenue", "potential",
            "opportunity", "competitor", "competitor_name", "notes",
        ]  # fmt: skip
        read_only_fields = ["business_unit", "product_line"]
        extra_kwargs = {"state": {"required": True}}

    def service_fields(self) -> CellFields:
        """The given values (a PATCH may leave out the state: the view keeps the cell's)."""
        return as_fields(CellFields, self.validated_data)


class CellOpportunitySerializer(OpportunitySerializer):
    """A new opportunity started from a cell: its account is the unit's and its product
    line the cell's; the title is "<unit> – <product line>" when left out."""

    class Meta(OpportunitySerializer.Meta):
        extra_kwargs = {"title": {"required": False}}

    def get_fields(self) -> dict[str, serializers.Field]:
        # The cell decides these two: shown in the answer, never read from the request.
        fields = super().get_fields()
        fields["account"] = serializers.PrimaryKeyRelatedField(
            read_only=True, label=_lazy("account")
        )
        fields["product_lines"] = serializers.PrimaryKeyRelatedField(
            many=True, read_only=True, label=_lazy("product lines")
        )
        return fields


class MatrixUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="unit.pk")
    name = serializers.CharField(source="unit.name")
    position = serializers.IntegerField(source="unit.position")
    totals = TotalsSerializer()


class MatrixLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    totals = TotalsSerializer()


class MatrixSerializer(serializers.Serializer):
    account = serializers.IntegerField(source="account.pk")
    units = MatrixUnitSerializer(many=True, source="rows")
    product_lines = serializers.SerializerMethodField()
    cells = CellSerializer(many=True)
    totals = TotalsSerializer()

    @extend_schema_field(MatrixLineSerializer(many=True))
    def get_product_lines(self, matrix) -> list[dict]:
        return [
            {
                "id": line.pk,
                "name": line.name,
                "totals": TotalsSerializer(totals).data,
            }
            for line, totals in matrix.column_totals
        ]
