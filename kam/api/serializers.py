"""Serializer building blocks every app's API uses.

Serializers only parse and shape: they turn JSON into typed values and ids into objects
the user may see. They hold no rules of their own (no lengths, ranges, uniqueness or
e-mail checks): the model validation that the services run is the one set of rules, so
an API 400 and a form error say the same thing.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from users.models import User

# Only the keyword arguments that carry a rule; types, choices and nullability stay.
RULE_KWARGS = ("validators", "max_length", "min_length", "min_value", "max_value")


class Text(serializers.CharField):
    """Text, and only text: `{"name": 0}` is a 400, not the name "0"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.EMAIL)
class EmailText(Text):
    """An e-mail address as text; the model checks that it is one."""


@extend_schema_field(OpenApiTypes.URI)
class UrlText(Text):
    """A web address as text; the model checks that it is one."""


class ParseOnlyModelSerializer[M: models.Model](serializers.ModelSerializer[M]):
    # Parses what the model checks. The model's rules (lengths, ranges, "not blank") are
    # not checked here but stated in the schema: each field keeps its model field as
    # `model_field`, which kam.api.schema.AutoSchema reads.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: Text,
        models.TextField: Text,
        models.EmailField: EmailText,
        models.URLField: UrlText,
    }

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        for key in RULE_KWARGS:
            kwargs.pop(key, None)
        if issubclass(field_class, serializers.CharField):
            # "May not be blank" is the model's call (it answers "This field cannot be blank").
            kwargs["allow_blank"] = True
        return field_class, kwargs

    def get_validators(self):
        # No unique-together checks here: the services validate constraints.
        return []

    def get_fields(self):
        fields = super().get_fields()
        model = self.Meta.model
        for name, field in fields.items():
            source = field.source or name  # fields are bound (source set) later
            if field.read_only or not isinstance(source, str) or "." in source:
                continue
            try:
                field.model_field = model._meta.get_field(source)
            except FieldDoesNotExist:
                continue
        return fields


def read_only_money(label=None, *, allow_null: bool = True, decimal_places: int = 2, **kwargs):
    """A computed amount or percentage. No digit limit: a sum or a ratio of stored values
    may be larger than any one stored value (a share of wallet against a potential of
    one cent), and showing it must never fail."""
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=decimal_places,
        read_only=True,
        allow_null=allow_null,
        label=label,
        **kwargs,
    )


def active_users() -> models.QuerySet[User]:
    return User.objects.filter(is_active=True)


class UserIdField(serializers.PrimaryKeyRelatedField[User]):
    default_error_messages = {
        "does_not_exist": _("No active user with this id."),
        "incorrect_type": _("Expected an id, not {data_type}."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet[User]:
        return active_users()
