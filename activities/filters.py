"""One set of list filters for the activity and follow-up pages and their API endpoints."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.filters import UserFilter
from activities.models import Activity, FollowUp
from kam.filters import IdFilter, StableOrderingFilter, YesNoFilter


class ActivityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    account = IdFilter(field_name="account_id", label=_("Account"))
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices, label=_("Kind"))
    date_from = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("From")
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("To")
    )
    participant = UserFilter(field_name="users", scope="all", label=_("Our participant"))
    contact = IdFilter(field_name="contacts", label=_("Customer participant"))
    ordering = StableOrderingFilter(
        fields=(
            ("occurred_at", "date", _("Date")),
            ("kind", "kind", _("Kind")),
            ("account__name", "account", _("Account")),
            ("subject", "subject", _("Subject")),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Activity
        fields: list[str] = []  # all declared above, in the order the page shows them

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(subject__icontains=value)
            | Q(outcome__icontains=value)
            | Q(account__name__icontains=value)
        )


class FollowUpFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label=_("Account"))
    owner = IdFilter(field_name="owner_id", label=_("Owner"))
    done = YesNoFilter(field_name="done_at", lookup_expr="isnull", exclude=True, label=_("Done"))
    due_from = django_filters.DateFilter(
        field_name="due_on", lookup_expr="gte", label=_("Due from")
    )
    due_to = django_filters.DateFilter(field_name="due_on", lookup_expr="lte", label=_("Due by"))
    ordering = StableOrderingFilter(
        fields=(
            ("due_on", "due", _("Due")),
            ("done_at", "done", _("Done")),
            ("account__name", "account", _("Account")),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = FollowUp
        fields: list[str] = []
