"""Filters of objectives and actions, for the API (and any list page)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.filters import UserFilter
from kam.filters import IdFilter, StableOrderingFilter, YearFilter
from planning.models import Action, Objective


class ObjectiveFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label=_("Account"))
    year = YearFilter(label=_("Year"))
    kind = django_filters.ChoiceFilter(choices=Objective.Kind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=Objective.Status.choices, label=_("Status"))
    owner = UserFilter(scope="all", label=_("Owner"))
    ordering = StableOrderingFilter(
        fields=(
            ("due_on", "due", _("Due")),
            ("title", "title", _("Title")),
            # The stored copy (forecast_store): a column, where the forecast is arithmetic
            # on the fetched row (planning.forecast_math).
            ("stored_forecast_percent", "forecast", _("Forecast")),
        ),
        nulls_smallest=("stored_forecast_percent",),  # no forecast: first, on every database
        label=_("Sort by"),
    )

    class Meta:
        model = Objective
        fields = ["account", "year", "kind", "status", "owner"]


class ActionFilter(django_filters.FilterSet):
    objective = IdFilter(field_name="objective_id", label=_("Objective"))
    account = IdFilter(field_name="objective__account_id", label=_("Account"))
    owner = UserFilter(scope="all", label=_("Owner"))
    status = django_filters.ChoiceFilter(choices=Action.Status.choices, label=_("Status"))

    class Meta:
        model = Action
        fields = ["objective", "account", "owner", "status"]
