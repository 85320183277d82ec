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


BIGGEST_ID = 2**63 - 1  # the database's largest whole number


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGGEST_ID})
class IdFilter(django_filters.NumberFilter):
    """The id of a record: a whole number from 1. An id that does not exist, or that the
    user may not see, matches nothing: an empty list, which says nothing about the id (the
    list is filtered within the user's scope)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGGEST_ID)
        super().__init__(*args, **kwargs)


NO_MATCH = object()  # a well-formed id that names no record: the filter matches nothing


class IdChoiceField(forms.ModelChoiceField):
    """A select of records (stages, product lines, departments) whose value may also be any
    well-formed id: one that names no record (deleted since, or typed by an integration)
    matches nothing instead of being an error."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = forms.IntegerField(min_value=1, max_value=BIGGEST_ID).clean(value)
        return self.queryset.filter(pk=number).first() or NO_MATCH

    def validate(self, value):
        forms.Field.validate(self, value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": BIGGEST_ID})
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A ModelChoiceFilter whose unknown ids answer an empty list (see IdChoiceField)."""

    field_class = IdChoiceField

    def filter(self, qs, value):
        if value is NO_MATCH:
            return qs.none()
        return super().filter(qs, value)


def whole_number_filter(*, minimum: int, maximum: int, **kwargs) -> django_filters.NumberFilter:
    """A whole number from `minimum` to `maximum`, and the schema says so."""

    @extend_schema_field({"type": "integer", "minimum": minimum, "maximum": maximum})
    class WholeNumberFilter(django_filters.NumberFilter):
        field_class = forms.IntegerField

    return WholeNumberFilter(min_value=minimum, max_value=maximum, **kwargs)
