from rest_framework import serializers

from accounts.models import MONEY
from portfolio.models import CompanyTotals


class CompanyTotalsSerializer(serializers.ModelSerializer):
    revenue = serializers.DecimalField(min_value=0, **MONEY)
    contribution_margin = serializers.DecimalField(**MONEY)

    class Meta:
        model = CompanyTotals
        fields = ["year", "revenue", "contribution_margin", "updated_at"]
        read_only_fields = ["year", "updated_at"]


class RejectSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class AcceptSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
