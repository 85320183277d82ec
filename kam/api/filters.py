"""Filter backends of the API list endpoints."""

from django_filters.rest_framework import DjangoFilterBackend

# The filtersets carry their own `ordering` parameter (the same names as the pages use:
# name, status, tier, country, revenue, updated), so DRF's OrderingFilter stays out: it
# would reset an ordering it does not know, such as "revenue", to the default.
FILTERS = [DjangoFilterBackend]
