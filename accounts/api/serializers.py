"""API shapes for accounts, their team and figures, and contacts.

Serializers only parse and shape: they turn JSON into typed values and ids into objects
the user may see. They hold no rules of their own (no lengths, ranges, uniqueness or
e-mail checks): the model validation that the services run is the one set of rules, so
an API 400 and a form error say the same thing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.access import visible_accounts, visible_contacts
from accounts.models import Account, Contact, ProductLine, TeamMembership, YearlyFigures
from users.models import User

# Only the keyword arguments that carry a rule; types, choices and nullability stay.
RULE_KWARGS = ("validators", "max_length", "min_length", "min_value", "max_value")


@extend_schema_field(OpenApiTypes.EMAIL)
class EmailText(serializers.CharField):
    """An e-mail address as text; the model checks that it is one."""


@extend_schema_field(OpenApiTypes.URI)
class UrlText(serializers.CharField):
    """A web address as text; the model checks that it is one."""


class ParseOnlyModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.EmailField: EmailText,
        models.URLField: UrlText,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        for key in RULE_KWARGS:
            kwargs.pop(key, None)
        if issubclass(field_class, serializers.CharField):
            # "May not be blank" is the model's call (it answers "This field cannot be blank").
            kwargs["allow_blank"] = True
        return field_class, kwargs

    def get_validators(self):
        # No unique-together checks here: the services validate constraints.
        return []


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id resolved inside the requesting user's access scope.

    An id outside the scope answers exactly like an id that does not exist, so the API
    never confirms that somebody else's account or contact is there.
    """

    default_error_messages = {
        "does_not_exist": _("Not found."),
        "incorrect_type": _("Expected an id, not {data_type}."),
    }

    def __init__(self, *, model: type[models.Model], scope, **kwargs):
        self.scope = scope
        self.model = model
        # An empty queryset as the fallback: if the scope is ever bypassed, nothing resolves.
        kwargs.setdefault("queryset", model.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)

    @classmethod
    def many_init(cls, *args, **kwargs):
        field = super().many_init(*args, **kwargs)
        field.__class__ = _ScopedManyRelatedField
        return field

    def use_pk_only_optimization(self):
        # An account is judged by its id; any other record by its account, so it is read
        # (list querysets preload it).
        return self.model is Account

    def to_representation(self, value):
        if not self.is_visible(value):
            return None
        return value.pk

    def is_visible(self, value) -> bool:
        """Whether the requesting user may see `value`: a record outside the scope that a
        visible one points to (a parent, a manager, a participant) is shown as null or
        left out, never by id. The visible account ids are read once per request."""
        if self.model is Account and self.source == "account":
            # The record's own account: the record was read through the scope of it.
            return True
        request = self.context.get("request")
        if request is None:
            return False
        user = request.user
        if user.is_authenticated and user.sees_all_accounts:
            return True
        ids = getattr(request, "_visible_account_ids", None)
        if ids is None:
            ids = set(visible_accounts(user).values_list("pk", flat=True))
            request._visible_account_ids = ids
        account_id = value.pk if self.model is Account else value.account_id
        return account_id in ids


class _ScopedManyRelatedField(serializers.ManyRelatedField):
    def to_representation(self, iterable):
        return [
            self.child_relation.to_representation(value)
            for value in iterable
            if self.child_relation.is_visible(value)
        ]


def read_only_money(label=None, *, allow_null: bool = True, decimal_places: int = 2, **kwargs):
    """A computed amount or percentage. No digit limit: a sum or a ratio of stored values
    may be larger than any one stored value (a share of wallet against a potential of
    one cent), and showing it must never fail."""
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=decimal_places,
        read_only=True,
        allow_null=allow_null,
        label=label,
        **kwargs,
    )


def active_users():
    return User.objects.filter(is_active=True)


class UserIdField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("No active user with this id."),
        "incorrect_type": _("Expected an id, not {data_type}."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", User.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self):
        return active_users()


class AccountSerializer(ParseOnlyModelSerializer):
    """An account in lists, and the body for creating or changing one."""

    parent = ScopedPrimaryKeyRelatedField(
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
            "id", "name", "legal_name", "external_id", "parent", "owner", "status", "tier",
            "industry", "customer_type", "country", "city", "region", "website",
            "individual_requirements", "product_lines", "year_revenue", "year_revenue_target",
            "year_revenue_potential", "last_contacted_at", "created_at", "updated_at",
        ]  # fmt: skip


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
    user_name = serializers.StringRelatedField(source="user", label=_("name"))

    class Meta:
        model = TeamMembership
        fields = ["id", "user", "user_name", "role", "can_edit"]
        extra_kwargs = {"role": {"required": True}, "can_edit": {"required": True}}


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
            "id", "account", "name", "first_name", "last_name", "job_title", "department",
            "email", "phone", "mobile", "preferred_language", "reports_to", "buying_role",
            "influence", "attitude", "relationship_strength", "relationship_owner",
            "is_active", "left_on", "legal_basis", "consent_on", "last_contacted_at",
            "created_at", "updated_at",
        ]  # fmt: skip
