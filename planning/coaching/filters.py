"""List filters for coaching plans (the API list; the account section shows one account)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kam.filters import IdFilter, StableOrderingFilter
from planning.models import CoachingPlan


class CoachingPlanFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label=_("Account"))
    rep = IdFilter(method="filter_rep", label=_("Sales rep (user id)"))
    ordering = StableOrderingFilter(
        fields=(
            ("title", "title", _("Title")),
            ("account__name", "account", _("Account")),
            ("updated_at", "updated", _("Last changed")),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = CoachingPlan
        fields = ["account", "rep"]

    def filter_rep(self, queryset, name, value):
        # A subquery, not a join: a join on the m2m would repeat or regroup annotated rows.
        return queryset.filter(
            pk__in=CoachingPlan.reps.through.objects.filter(user_id=value).values("coachingplan_id")
        )
