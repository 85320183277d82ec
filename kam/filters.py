"""Building blocks of the list filters of pages and API endpoints."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting with the primary key as the last key, so that pages never repeat or skip
    rows whose sort values tie.

    `fields` are (model field, parameter, label) triples: every sort option has a label
    written for people (no "Follow up" made from a parameter name). The labels stay lazy
    up to the moment a page renders them: the filter sets are built once, at import, in
    whatever language was active then, and django-filter's own "%s (descending)" would
    fix the text of every descending option in that language for the life of the process.
    """

    descending_fmt = _("{label} (descending)")

    def __init__(self, *args, fields, nulls_smallest=(), resolved=None, **kwargs):
        # Fields whose empty values sort as the smallest, first ascending and last
        # descending, on every database: PostgreSQL puts NULL last ascending and first
        # descending (SQLite the other way), so "Revenue (descending)" began with every
        # account that has no figures for the year. An indexed field needs an index per
        # direction with this NULLS placement (e.g. accounts migrations 0007 and 0008):
        # any other placement than the index's own makes PostgreSQL sort.
        self.nulls_smallest = frozenset(nulls_smallest)
        # Fields whose column is picked when a list is sorted by them: name -> a function
        # returning the field to sort by (accounts.revenue_key.sort_field).
        self.resolved = dict(resolved or {})
        kwargs["fields"] = [(field, param) for field, param, _label in fields]
        kwargs["field_labels"] = {field: label for field, _param, label in fields}
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        choices = []
        for field, param in fields.items():
            label = labels[field]
            choices.append((param, label))
            choices.append((f"-{param}", format_lazy(self.descending_fmt, label=label)))
        return choices

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if not value:
            return qs
        return qs.order_by(*(self._placed(term) for term in qs.query.order_by), "pk")

    def _placed(self, term):
        if not isinstance(term, str):
            return term
        descending, name = term.startswith("-"), term.lstrip("-")
        field = self.resolved[name]() if name in self.resolved else name
        if name not in self.nulls_smallest:
            return f"-{field}" if descending else field
        if descending:
            return F(field).desc(nulls_last=True)
        return F(field).asc(nulls_first=True)


class YesNoSelect(forms.NullBooleanSelect):
    """Yes, no, or the filters' empty choice ("– all –"), not Django's "Unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", settings.FILTERS_EMPTY_CHOICE_LABEL),
            ("true", _("Yes")),
            ("false", _("No")),
        ]


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", YesNoSelect)
        super().__init__(*args, **kwargs)


MIN_YEAR, MAX_YEAR = 2000, 2100


@extend_schema_field({"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR})
class YearFilter(django_filters.NumberFilter):
    """A year: a whole number from 2000 to 2100; `?year=0.5` or `?year=0` is a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)
