"""One set of list filters for the issue and survey pages and their API endpoints."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import UserFilter
from customer_care.models import CustomerIssue, Department, Survey
from kam.filters import IdChoiceFilter, IdFilter, StableOrderingFilter, YesNoFilter

UNRESOLVED = "unresolved"
STATUS_CHOICES = [(UNRESOLVED, _("Not yet resolved")), *CustomerIssue.Status.choices]


class IssueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    account = IdFilter(field_name="account_id", label=_("Account"))
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status")
    )
    kind = django_filters.ChoiceFilter(choices=CustomerIssue.Kind.choices, label=_("Kind"))
    severity = django_filters.ChoiceFilter(
        choices=CustomerIssue.Severity.choices, label=_("Severity")
    )
    department = IdChoiceFilter(queryset=Department.objects.all(), label=_("Department"))
    owner = UserFilter(scope="all", label=_("Owner"))
    escalated = YesNoFilter(label=_("Escalated"))
    overdue = YesNoFilter(method="filter_overdue", label=_("Overdue"))
    ordering = StableOrderingFilter(
        fields=(
            ("opened_at", "opened", _("Opened")),
            ("due_on", "due", _("Due on")),
            ("severity_rank", "severity", _("Severity")),
            ("status", "status", _("Status")),
            ("title", "title", _("Title")),
            ("account__name", "account", _("Account")),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = CustomerIssue
        fields = ["account", "status", "kind", "severity", "department", "owner", "escalated"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(account__name__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        if value == UNRESOLVED:
            return queryset.filter(status__in=CustomerIssue.OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=CustomerIssue.OPEN_STATUSES, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class SurveyFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label=_("Account"))
    method = django_filters.ChoiceFilter(choices=Survey.Method.choices, label=_("Method"))
    surveyed_from = django_filters.DateFilter(
        field_name="surveyed_on", lookup_expr="gte", label=_("Surveyed from")
    )
    surveyed_to = django_filters.DateFilter(
        field_name="surveyed_on", lookup_expr="lte", label=_("Surveyed until")
    )
    ordering = StableOrderingFilter(
        fields=(
            ("surveyed_on", "date", _("Date")),
            ("nps", "nps", _("NPS")),
            ("csat", "csat", _("CSAT")),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Survey
        fields = ["account", "method"]
