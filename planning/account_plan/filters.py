"""List filters of account plans, for the API (and any page that lists plans)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kam.filters import IdFilter, StableOrderingFilter, YearFilter
from planning.models import AccountPlan


class AccountPlanFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label=_("Account"))
    year = YearFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=AccountPlan.Status.choices, label=_("Status"))
    ordering = StableOrderingFilter(
        fields=(
            ("year", "year", _("Year")),
            ("account__name", "account", _("Account")),
            ("last_reviewed_at", "reviewed", _("Last reviewed")),
            ("updated_at", "updated", _("Last changed")),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = AccountPlan
        fields = ["account", "year", "status"]
