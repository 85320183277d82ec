"""The list filter shared by the whitespace API endpoints."""

import django_filters
from django.utils.translation import gettext_lazy as _

from kam.filters import IdFilter
from planning.models import BusinessUnit


class BusinessUnitFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label=_("Account"))

    class Meta:
        model = BusinessUnit
        fields = ["account"]
