"""`GET /api/v1/changes/`: what was deleted, for integrations that mirror our data.

Changed and new rows come from each list with `updated_since`; deletions leave no row to
list, so the delete services write tombstones (kam.tombstones) and this endpoint lists
them within the user's scope: records that hung off an account the user sees, and records
of the company as a whole (no account) for users who see every account.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from accounts.access import visible_accounts
from kam.api.filters import parse_since
from kam.api.pagination import KeysetOrPageNumberPagination
from kam.models import Tombstone


class TombstoneSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="object_id", help_text=_("The deleted record's id."))
    kind = serializers.CharField(
        help_text=_(
            "What was deleted: account, contact, activity, financials, team_member, "
            "contract_document, opportunity_competitor, follow_up, review, agreement, "
            "agenda_item, topic, market_figure, joint_project, folder_version, "
            "business_case, scenario, coaching_material, business_unit, company_totals."
        )
    )
    external_id = serializers.SerializerMethodField()
    account = serializers.IntegerField(
        source="account_id", allow_null=True, help_text=_("The account it belonged to.")
    )

    class Meta:
        model = Tombstone
        fields = ["kind", "id", "external_id", "account", "deleted_at"]

    def get_external_id(self, tombstone: Tombstone) -> str | None:
        return tombstone.external_id or None


class ChangesPagination(KeysetOrPageNumberPagination):
    keyset_ordering = ("pk",)  # oldest first: a mirror applies deletions in order


def tombstones_visible_to(user) -> QuerySet[Tombstone]:
    if user.is_authenticated and user.is_active and user.sees_all_accounts:
        return Tombstone.objects.all()
    return Tombstone.objects.filter(account_id__in=visible_accounts(user).values("pk"))


@extend_schema(
    summary=_("Deleted records since a time"),
    description=_(
        "Tombstones of deleted records, oldest first, kept within your scope. Together "
        "with `updated_since` on the lists, an integration reads every change since its "
        "last run. The parts of a deleted record (a review's agenda, for example) go "
        "with it and are not listed one by one."
    ),
    parameters=[
        OpenApiParameter(
            "since",
            OpenApiTypes.DATETIME,
            description=_("Only deletions at or after this ISO 8601 timestamp."),
            examples=[OpenApiExample("since", value="2026-01-31T08:00:00Z")],
        ),
        OpenApiParameter("kind", str, description=_("Only deletions of this kind.")),
    ],
    examples=[
        OpenApiExample(
            "A deleted activity",
            response_only=True,
            value={
                "next": None,
                "previous": None,
                "results": [
                    {
                        "kind": "activity",
                        "id": 4711,
                        "external_id": None,
                        "account": 12,
                        "deleted_at": "2026-02-01T09:30:00Z",
                    }
                ],
            },
        )
    ],
)
class ChangeList(generics.ListAPIView):
    serializer_class = TombstoneSerializer
    pagination_class = ChangesPagination
    filter_backends = []

    def get_queryset(self) -> QuerySet[Tombstone]:
        queryset = tombstones_visible_to(self.request.user).order_by("pk")
        since = self.request.query_params.get("since")
        if since:
            queryset = queryset.filter(deleted_at__gte=parse_since(since, param="since"))
        kind = self.request.query_params.get("kind")
        if kind:
            queryset = queryset.filter(kind=kind)
        return queryset
