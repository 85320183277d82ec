"""One set of filters for the pipeline, the opportunity list and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.filters import UserFilter
from accounts.models import ProductLine
from deals.models import Competitor, Opportunity, Stage
from kam.filters import IdChoiceFilter, IdFilter, StableOrderingFilter


class OpportunityFilter(django_filters.FilterSet):
    STATUS_CHOICES = [
        ("open", _("Open")),
        ("closed", _("Closed")),
        ("won", _("Won")),
        ("lost", _("Lost")),
    ]

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    account = IdFilter(field_name="account_id", label=_("Account"), widget=forms.HiddenInput)
    owner = UserFilter(scope="all", label=_("Owner"))
    stage = IdChoiceFilter(queryset=Stage.objects.order_by("order", "pk"), label=_("Stage"))
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", label=_("Status")
    )
    product_line = IdChoiceFilter(
        field_name="product_lines",
        queryset=ProductLine.objects.order_by("name"),
        label=_("Product line"),
    )
    close_from = django_filters.DateFilter(
        field_name="expected_close_date",
        lookup_expr="gte",
        label=_("Closing from"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    close_to = django_filters.DateFilter(
        field_name="expected_close_date",
        lookup_expr="lte",
        label=_("Closing until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ordering = StableOrderingFilter(
        fields=(
            ("title", "title", _("Opportunity")),
            ("account__name", "account", _("Account")),
            ("stage__order", "stage", _("Stage")),
            ("value", "value", _("Value")),
            ("probability", "probability", _("Probability")),
            ("weighted", "weighted", _("Weighted")),
            ("expected_close_date", "close", _("Expected close")),
            ("next_follow_up_on", "follow_up", _("Next follow-up")),
            ("updated_at", "updated", _("Last changed")),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Opportunity
        fields = ["account", "owner", "stage", "product_line"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(account__name__icontains=value))

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(stage__is_won=False, stage__is_lost=False)
        if value == "closed":
            return queryset.filter(Q(stage__is_won=True) | Q(stage__is_lost=True))
        if value == "won":
            return queryset.filter(stage__is_won=True)
        if value == "lost":
            return queryset.filter(stage__is_lost=True)
        return queryset


class CompetitorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = Competitor
        fields = ["q"]
