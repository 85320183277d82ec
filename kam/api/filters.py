"""Filter backends of the API list endpoints.

Every list whose model has `updated_at` also takes `updated_since` (an ISO 8601 timestamp:
rows changed at or after it) and `ordering=updated_at` / `-updated_at`, so that an
integration reads only what changed since its last run. Deletions are listed by
`/api/v1/changes/` (kam.tombstones).
"""

from datetime import UTC
from decimal import Decimal

from django.db.models import Model, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import CharFilter, OrderingFilter
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_parameter_type, get_view_model
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

UPDATED_SINCE = "updated_since"
ORDERING = "ordering"
UPDATED_ORDERINGS = ("updated_at", "-updated_at")


def has_updated_at(model: type[Model] | None) -> bool:
    return model is not None and any(f.name == "updated_at" for f in model._meta.concrete_fields)


def parse_since(raw: str, *, param: str = UPDATED_SINCE):
    """An aware datetime from an ISO 8601 timestamp (a date alone is midnight UTC; without
    an offset it is UTC), or a 400 naming the parameter."""
    text = raw.strip()
    if len(text) == 10:
        text += "T00:00:00"
    try:
        value = parse_datetime(text)
        if value is not None:
            # In UTC now: an offset that moves it off the calendar (year 1 or 9999) is a 400.
            value = (value.replace(tzinfo=UTC) if is_naive(value) else value).astimezone(UTC)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise ValidationError(
            {param: [_("Enter an ISO 8601 timestamp, e.g. 2026-01-31T08:00:00Z.")]}
        )
    return value


BIGGEST = 2**63 - 1  # the database's largest whole number


def _refuse_numbers_beyond_the_database(cleaned: dict) -> None:
    """A number filter (`?rep=5e44`) beyond what the database compares is a 400 naming it,
    not a 500 from the driver."""
    errors = {}
    for name, value in cleaned.items():
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            if value > BIGGEST:
                message = _("Ensure this value is less than or equal to %(limit_value)s.")
                errors[name] = [message % {"limit_value": BIGGEST}]
            elif value < -BIGGEST:
                message = _("Ensure this value is greater than or equal to %(limit_value)s.")
                errors[name] = [message % {"limit_value": -BIGGEST}]
    if errors:
        raise ValidationError(errors)


def _refuse_empty_values(filterset, params) -> None:
    """`?surveyed_to=` is no date (nor `?account=` an id): a 400 naming it. The pages'
    filter forms send empty fields, and there it means "not filtered"; in the API a
    parameter is left out instead. Text (`?q=`) and the sort order may be empty."""
    errors = {
        name: [_("Enter a value, or leave the parameter out.")]
        for name, field in filterset.filters.items()
        if name in params
        and not params[name].strip()
        and not isinstance(field, CharFilter | OrderingFilter)
    }
    if UPDATED_SINCE in params and not params[UPDATED_SINCE].strip():
        errors[UPDATED_SINCE] = [_("Enter a value, or leave the parameter out.")]
    if errors:
        raise ValidationError(errors)


def _terms(raw: str | None) -> list[str]:
    return [term.strip() for term in (raw or "").split(",") if term.strip()]


def _updated_terms(raw: str | None) -> list[str]:
    return [term for term in _terms(raw) if term in UPDATED_ORDERINGS]


class FilterBackend(DjangoFilterBackend):
    """The view's filterset, plus `updated_since` and `ordering=updated_at` on models with
    an `updated_at`. The filtersets' own sort options (shared with the pages) stay as they
    are; `updated_at` is taken out before the filterset sees the query."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = kwargs["data"]
        if has_updated_at(queryset.model) and _updated_terms(data.get(ORDERING)):
            others = [t for t in _terms(data.get(ORDERING)) if t not in UPDATED_ORDERINGS]
            data = data.copy()
            if others:
                data[ORDERING] = ",".join(others)
            else:
                data.pop(ORDERING)
            kwargs["data"] = data
        return kwargs

    def filter_queryset(self, request, queryset: QuerySet, view) -> QuerySet:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            _refuse_empty_values(filterset, request.query_params)
            if not filterset.is_valid():
                raise translate_validation(filterset.errors)
            _refuse_numbers_beyond_the_database(filterset.form.cleaned_data)
            queryset = filterset.qs
        if not has_updated_at(queryset.model):
            return queryset
        raw = request.query_params.get(UPDATED_SINCE)
        if raw:
            queryset = queryset.filter(updated_at__gte=parse_since(raw))
        if updated := _updated_terms(request.query_params.get(ORDERING)):
            # The last change first, then the filterset's own sort options if any were
            # given beside it; the id breaks ties, so pages never repeat or skip rows
            # changed together.
            ordering = updated[0]
            others = [t for t in queryset.query.order_by if t not in ("pk", "-pk")]
            queryset = queryset.order_by(
                ordering, *others, "-pk" if ordering.startswith("-") else "pk"
            )
        return queryset


class FilterBackendExtension(DjangoFilterExtension):
    """The schema of FilterBackend: the filterset's parameters, plus `updated_since` and
    the `updated_at` sort options where the model has the field."""

    target_class = "kam.api.filters.FilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        if not has_updated_at(get_view_model(auto_schema.view)):
            return parameters
        for parameter in parameters:
            if parameter["name"] == ORDERING:
                # The filterset's sort options are a list of names (`?ordering=a,-b`).
                schema = parameter["schema"]
                enum = schema.get("items", schema).setdefault("enum", [])
                enum += [value for value in UPDATED_ORDERINGS if value not in enum]
                break
        else:
            parameters.append(
                build_parameter_type(
                    name=ORDERING,
                    schema={"type": "string", "enum": list(UPDATED_ORDERINGS)},
                    location=OpenApiParameter.QUERY,
                    description=str(ORDERING_HELP),
                )
            )
        parameters.append(
            build_parameter_type(
                name=UPDATED_SINCE,
                schema={"type": "string", "format": "date-time"},
                location=OpenApiParameter.QUERY,
                description=str(UPDATED_SINCE_HELP),
                examples={
                    "since": {"value": "2026-01-31T08:00:00Z", "summary": "since a timestamp"}
                },
            )
        )
        return parameters


UPDATED_SINCE_HELP = gettext_lazy(
    "Only rows changed at or after this ISO 8601 timestamp (UTC without an offset). For "
    "incremental reads: keep the time you started the last read and send it next time; "
    "deleted rows are listed by /api/v1/changes/."
)
ORDERING_HELP = gettext_lazy("Sort order; updated_at and -updated_at sort by the last change.")

# The view's filterset and updated_since / ordering=updated_at. The filtersets carry their
# own `ordering` parameter (the same names as the pages use: name, status, tier, country,
# revenue, updated), so DRF's OrderingFilter stays out: it would reset an ordering it does
# not know, such as "revenue", to the default.
FILTERS = [FilterBackend]
