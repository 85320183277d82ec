from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import MONEY
from kam.api.serializers import Text
from kam.fields import as_fields
from kam.validators import BoundedText
from portfolio.fields import CompanyTotalsFields
from portfolio.models import CompanyTotals


class CompanyTotalsSerializer(serializers.ModelSerializer[CompanyTotals]):
    revenue = serializers.DecimalField(min_value=0, **MONEY)
    contribution_margin = serializers.DecimalField(**MONEY)

    class Meta:
        model = CompanyTotals
        fields = ["year", "revenue", "contribution_margin", "updated_at"]
        read_only_fields = ["year", "updated_at"]

    def service_fields(self) -> CompanyTotalsFields:
        return as_fields(CompanyTotalsFields, self.validated_data)


class RejectSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    reason = Text(
        validators=[BoundedText()],
        help_text=_("Why the suggestion does not fit (required)."),
        error_messages={
            "required": _("Say why the suggestion does not fit."),
            "blank": _("Say why the suggestion does not fit."),
        },
    )


class AcceptSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class PortfolioAccountSerializer(serializers.Serializer):
    """A row of the portfolio table: an account behind a figure of the dashboard."""

    id = serializers.IntegerField(read_only=True)
    external_id = serializers.CharField(read_only=True, allow_null=True)
    name = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    tier = serializers.CharField(read_only=True)
    region = serializers.CharField(read_only=True)
    owner = serializers.IntegerField(source="owner_id", read_only=True)
    year_revenue = serializers.DecimalField(
        max_digits=None, decimal_places=2, read_only=True, allow_null=True
    )
    year_target = serializers.DecimalField(
        max_digits=None, decimal_places=2, read_only=True, allow_null=True
    )
    attainment = serializers.DecimalField(
        max_digits=None, decimal_places=2, read_only=True, allow_null=True
    )
    last_contacted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    health_score = serializers.IntegerField(read_only=True, allow_null=True)
