"""One set of list filters for the account and contact pages and their API endpoints."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from accounts import revenue_key
from accounts.models import Account, Contact
from accounts.search import MIN_LENGTH, search_accounts, search_contacts
from kam.filters import BIGGEST_ID, NO_MATCH, IdFilter, StableOrderingFilter, YesNoFilter
from kam.forms import UserField, UserTypeahead
from users.models import User


class UserFilterField(UserField):
    """A user as UserField reads one; a well-formed id that names no active user matches
    nothing (an empty list) instead of being an error, as every id filter does."""

    def to_python(self, value):
        text = (value or "").strip()
        if not text.isdigit():
            return super().to_python(value)
        number = forms.IntegerField(min_value=1, max_value=BIGGEST_ID).clean(text)
        return User.objects.filter(is_active=True, pk=number).first() or NO_MATCH


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGGEST_ID})
class UserFilter(django_filters.Filter):
    """One user, picked in a type-ahead box (kam.forms.UserTypeahead) instead of a select of
    every user; `?owner=` takes a username or a user id. `scope="all"` suggests every active
    user, otherwise the users who own accounts."""

    field_class = UserFilterField

    def __init__(self, *args, scope: str = "", **kwargs):
        kwargs.setdefault("widget", UserTypeahead("accounts:user_options", scope=scope))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is NO_MATCH:
            return qs.none()
        return super().filter(qs, value)


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=Account.Status.choices, label=_("Status"))
    tier = django_filters.ChoiceFilter(choices=Account.Tier.choices, label=_("Tier"))
    owner = UserFilter(label=_("Key account manager"))
    industry = django_filters.CharFilter(lookup_expr="iexact", label=_("Industry"))
    customer_type = django_filters.ChoiceFilter(
        choices=Account.CustomerType.choices, label=_("Customer type")
    )
    country = django_filters.CharFilter(lookup_expr="iexact", label=_("Country"))
    region = django_filters.CharFilter(lookup_expr="iexact", label=_("Region"))
    parent = IdFilter(field_name="parent_id", label=_("Parent account"))
    ordering = StableOrderingFilter(
        fields=(
            ("name", "name", _("Name")),
            ("status", "status", _("Status")),
            ("tier", "tier", _("Tier")),
            ("country", "country", _("Country")),
            ("year_revenue", "revenue", _("Revenue")),
            ("updated_at", "updated", _("Last changed")),
            ("last_contacted_at", "last_contact", _("Last contact")),
        ),
        # No figures for the year: after every revenue; never contacted: the oldest contact.
        nulls_smallest=("year_revenue", "last_contacted_at"),
        resolved={"year_revenue": revenue_key.sort_field},  # the stored key, when current
        label=_("Sort by"),
    )

    class Meta:
        model = Account
        fields = ["status", "tier", "owner", "industry", "customer_type", "country", "region"]

    def filter_q(self, queryset, name, value):
        """Best match first, unless the user sorts (`ordering` is applied after this)."""
        if len(value.strip()) < MIN_LENGTH:
            return queryset
        return search_accounts(queryset, value)


class ContactFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    account = IdFilter(field_name="account_id", label=_("Account"))
    buying_role = django_filters.ChoiceFilter(
        choices=Contact.BuyingRole.choices, label=_("Buying-center role")
    )
    attitude = django_filters.ChoiceFilter(choices=Contact.Attitude.choices, label=_("Attitude"))
    is_active = YesNoFilter(label=_("Still with the company"))
    ordering = StableOrderingFilter(
        fields=(
            ("last_name", "name", _("Name")),
            ("account__name", "account", _("Account")),
            ("updated_at", "updated", _("Last changed")),
            ("last_contacted_at", "last_contact", _("Last contact")),
        ),
        nulls_smallest=("last_contacted_at",),  # never contacted: the oldest contact
        label=_("Sort by"),
    )

    class Meta:
        model = Contact
        fields = ["account", "buying_role", "attitude", "is_active"]

    def filter_q(self, queryset, name, value):
        if len(value.strip()) < MIN_LENGTH:
            return queryset
        return search_contacts(queryset, value, account_name=True)
