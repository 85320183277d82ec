"""One set of list filters for the contract pages and the contracts API."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from contracts.selectors import notice_within
from kam.filters import IdFilter, StableOrderingFilter, whole_number_filter


class ContractOrderingFilter(StableOrderingFilter):
    """Open-ended contracts (no end, no deadline) sort last either way, on every database."""

    NULLABLE = {"end_on", "notice_deadline"}

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        name = value.lstrip("-")
        if name not in self.NULLABLE:
            return value
        field = F(name)
        return field.desc(nulls_last=True) if value.startswith("-") else field.asc(nulls_last=True)


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    account = IdFilter(field_name="account_id", label=_("Account"))
    kind = django_filters.ChoiceFilter(choices=Contract.Kind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=Contract.Status.choices, label=_("Status"))
    notice_within = whole_number_filter(
        minimum=0,
        maximum=3650,
        method="filter_notice_within",
        label=_("Notice deadline within (days)"),
    )
    ordering = ContractOrderingFilter(
        fields=(
            ("number", "number", _("Number")),
            ("title", "title", _("Title")),
            ("account__name", "account", _("Account")),
            ("start_on", "start", _("Start")),
            ("end_on", "end", _("End")),
            ("notice_deadline", "notice_deadline", _("Notice deadline")),
            ("annual_value", "value", _("Annual value")),
            ("status", "status", _("Status")),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Contract
        fields = ["account", "kind", "status"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(account__name__icontains=value)
        )

    def filter_notice_within(self, queryset, name, value):
        if value is None:
            return queryset
        return notice_within(queryset, int(value))
