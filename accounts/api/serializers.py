"""API shapes for accounts, their team and figures, and contacts.

Serializers only parse and shape: they turn JSON into typed values and ids into objects
the user may see. They hold no rules of their own (no lengths, ranges, uniqueness or
e-mail checks): the model validation that the services run is the one set of rules, so
an API 400 and a form error say the same thing.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.access import visible_accounts, visible_contacts
from accounts.api.fields import ScopedPrimaryKeyRelatedField
from accounts.fields import AccountFields, ContactFields, FiguresFields, TeamMemberFields
from accounts.models import Account, Contact, ProductLine, TeamMembership, YearlyFigures
from kam.api.serializers import ParseOnlyModelSerializer, UserIdField, read_only_money
from kam.fields import as_fields


class AccountSerializer(ParseOnlyModelSerializer):
    """An account in lists, and the body for creating or changing one."""

    # DRF's metaclass moves declared fields off the class, so this never shadows
    # Field.parent at run time; only the type checker sees the clash of names.
    parent = ScopedPrimaryKeyRelatedField(  # type: ignore[assignment]
        model=Account,
        scope=visible_accounts,
        allow_null=True,
        required=False,
        label=_("parent account"),
    )
    owner = UserIdField(
        required=False,
        label=_("key account manager"),
        help_text=_("A user id; the creating user when left out."),
    )
    product_lines = serializers.PrimaryKeyRelatedField(
        many=True, queryset=ProductLine.objects.all(), required=False, label=_("product lines")
    )
    year_revenue = read_only_money(_("revenue this year"))
    year_revenue_target = read_only_money(_("revenue target this year"))
    year_revenue_potential = read_only_money(_("revenue potential this year"))

    class Meta:
        model = Account
        fields = [
            "id", "name", "legal_name", "external_id", "vat_id", "parent", "owner", "status",
            "tier", "industry", "customer_type", "country", "city", "region", "website",
            "individual_requirements", "product_lines", "year_revenue", "year_revenue_target",
            "year_revenue_potential", "last_contacted_at", "created_at", "updated_at",
        ]  # fmt: skip

    def service_fields(self) -> AccountFields:
        """The validated fields; product lines are an argument of their own."""
        return as_fields(AccountFields, self.validated_data, without=["product_lines"])


class GroupYearSerializer(serializers.Serializer):
    """One year of the figures of an account and every subsidiary below it."""

    year = serializers.IntegerField(read_only=True)
    revenue = read_only_money(allow_null=False)
    contribution_margin = read_only_money(allow_null=False)
    revenue_target = read_only_money()
    margin_target = read_only_money()
    revenue_potential = read_only_money()
    share_of_wallet = read_only_money(
        _("share of wallet (%); empty unless every member with revenue has a potential"),
        decimal_places=1,
    )
    accounts_without_potential = serializers.IntegerField(
        read_only=True, label=_("members with revenue but no potential")
    )
    share_of_wallet_covered = read_only_money(
        _("share of wallet (%) of the members that have a potential"), decimal_places=1
    )


class AccountDetailSerializer(AccountSerializer):
    """One account with its group roll-up. The view attaches `group_figures` and
    `subsidiary_ids` (see accounts.api.views.with_group) so that this stays a shape."""

    group_figures = GroupYearSerializer(
        many=True,
        read_only=True,
        help_text=_("Per year, the totals of this account and every subsidiary below it."),
    )
    subsidiaries = serializers.ListField(
        child=serializers.IntegerField(),
        source="subsidiary_ids",
        read_only=True,
        help_text=_("Ids of the direct subsidiaries."),
    )

    class Meta(AccountSerializer.Meta):
        fields = [*AccountSerializer.Meta.fields, "group_figures", "subsidiaries"]


class TeamMemberSerializer(ParseOnlyModelSerializer):
    user = UserIdField(label=_("user"))
    user_name: serializers.StringRelatedField = serializers.StringRelatedField(
        source="user", label=_("name")
    )

    class Meta:
        model = TeamMembership
        fields = ["id", "user", "user_name", "role", "can_edit"]
        extra_kwargs = {"role": {"required": True}, "can_edit": {"required": True}}

    def service_fields(self) -> TeamMemberFields:
        return as_fields(TeamMemberFields, self.validated_data)


class FiguresSerializer(ParseOnlyModelSerializer):
    """One year of figures. The ERP owns the actuals (revenue, contribution margin,
    actuals_as_of), the key account manager the targets and the potential: a PUT replaces
    the actuals (left out: 0) and keeps targets and potential unless they are sent; a PATCH
    changes only what is sent."""

    share_of_wallet = read_only_money(_("share of wallet (%)"), decimal_places=1)
    target_attainment = read_only_money(_("target attainment (%)"), decimal_places=1)

    class Meta:
        model = YearlyFigures
        fields = [
            "year", "revenue", "contribution_margin", "revenue_target", "margin_target",
            "revenue_potential", "share_of_wallet", "target_attainment", "actuals_as_of",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = ["year"]

    def service_fields(self) -> FiguresFields:
        return as_fields(FiguresFields, self.validated_data)


class ContactSerializer(ParseOnlyModelSerializer):
    name = serializers.CharField(read_only=True, label=_("name"))
    account = ScopedPrimaryKeyRelatedField(
        model=Account, scope=visible_accounts, label=_("account")
    )
    reports_to = ScopedPrimaryKeyRelatedField(
        model=Contact,
        scope=visible_contacts,
        allow_null=True,
        required=False,
        label=_("reports to"),
    )
    relationship_owner = UserIdField(
        allow_null=True, required=False, label=_("our relationship owner")
    )

    class Meta:
        model = Contact
        fields = [
            "id", "external_id", "account", "name", "first_name", "last_name", "job_title",
            "department", "email", "phone", "mobile", "preferred_language", "reports_to",
            "buying_role", "influence", "attitude", "relationship_strength", "relationship_owner",
            "is_active", "left_on", "legal_basis", "consent_on", "last_contacted_at",
            "created_at", "updated_at",
        ]  # fmt: skip

    def service_fields(self) -> ContactFields:
        """The validated fields; the account is an argument of its own."""
        return as_fields(ContactFields, self.validated_data, without=["account"])
