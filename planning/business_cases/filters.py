"""The list filter shared by the business-case pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kam.filters import IdFilter
from planning.models import BusinessCase


class BusinessCaseFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label=_("Account"))
    opportunity = IdFilter(field_name="opportunity_id", label=_("Opportunity"))

    class Meta:
        model = BusinessCase
        fields = ["account", "opportunity"]
