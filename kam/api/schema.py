"""The OpenAPI schema tells the truth: what drf-spectacular cannot see by itself.

Every operation may answer 400 (bad input or query), 401 (not signed in), 403 (not
allowed) and 404 (not there, or outside the user's scope), all in the one error shape of
kam.api.errors; `document_errors` (a postprocessing hook) adds those answers to every
operation that does not describe them itself.
"""

import re
from types import SimpleNamespace

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from rest_framework import serializers

from kam.filters import MAX_YEAR, MIN_YEAR


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus the model's rules of fields that the serializers
    leave to the model (kam.api.serializers.ParseOnlyModelSerializer): maximum lengths,
    number ranges and "may not be blank", so that the schema says what the API refuses."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and _at_least_zero(field):
            # A decimal sent as text: its pattern is what states "no minus sign".
            pattern = schema.get("pattern")
            if isinstance(pattern, str) and pattern.startswith("^-?"):
                schema["pattern"] = "^" + pattern[3:]
        if direction == "request" and _non_blank_text(field) and schema.get("type") == "string":
            schema["minLength"] = max(schema.get("minLength", 0), 1)
        return schema

    def _insert_field_validators(self, field, schema):
        model_field = getattr(field, "model_field", None)
        if model_field is None or getattr(model_field, "choices", None):
            return super()._insert_field_validators(field, schema)
        stand_in = SimpleNamespace(
            validators=[*field.validators, *model_field.validators],
            allow_blank=getattr(field, "allow_blank", False) and not _non_blank_text(field),
        )
        return super()._insert_field_validators(stand_in, schema)


def _at_least_zero(field) -> bool:
    model_field = getattr(field, "model_field", None)
    minimums = [field.min_value] if field.min_value is not None else []
    minimums += [
        v.limit_value
        for v in getattr(model_field, "validators", [])
        if isinstance(v, MinValueValidator) and not callable(v.limit_value)
    ]
    return bool(minimums) and max(minimums) >= 0


def _non_blank_text(field) -> bool:
    model_field = getattr(field, "model_field", None)
    return (
        isinstance(model_field, models.CharField | models.TextField)
        and not model_field.blank
        and not model_field.choices
    )


class ErrorSerializer(serializers.Serializer):
    """{"detail": "...", "code": "...", "errors": {"field": ["message"]}}"""

    detail = serializers.CharField()
    code = serializers.CharField()

    def get_fields(self):
        # Not a class attribute: `errors` is also the name of Serializer.errors.
        fields = super().get_fields()
        fields["errors"] = serializers.DictField(
            child=serializers.JSONField(), required=False, help_text=_("Field errors (400 only).")
        )
        return fields


ERROR_COMPONENT = "Error"
ERROR_ANSWERS = {
    "400": _("The input or a query parameter is not valid."),
    "401": _("Not signed in (no valid session or token)."),
    "403": _("Not allowed for this user."),
    "404": _("Not found, or outside the user's scope."),
}


def document_errors(result, generator, request, public):
    """Postprocessing hook: the error answers on every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        ERROR_COMPONENT,
        {
            "type": "object",
            "properties": {
                "detail": {"type": "string"},
                "code": {"type": "string"},
                "errors": {
                    "type": "object",
                    "additionalProperties": {},
                    "description": str(ERROR_ANSWERS["400"]),
                },
            },
            "required": ["detail", "code"],
        },
    )
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "patch", "post", "delete", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_ANSWERS.items():
                responses.setdefault(
                    code,
                    {
                        "description": str(description),
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result


IDEMPOTENCY_HELP = _(
    "Makes a retry safe: the same key with the same request (same user, method, path and "
    "body) within 24 hours answers the stored answer again (`Idempotent-Replayed: true`) "
    "without acting twice; the same key with another request answers 422, and 409 while "
    "the first request is still running. Use a new random key (a UUID) for each new write."
)
REQUEST_ID_HELP = _(
    "Your id of this request, sent back in the answer's X-Request-ID and written in our "
    "logs (letters, digits and ._:=+/@-, at most 128 characters; otherwise, or when left "
    "out, the server makes one)."
)
REQUEST_ID_ANSWER = _("The request's id (yours when sane, else a new one); also in our logs.")
RETRY_AFTER_HELP = _("Seconds to wait before retrying.")


def _header_parameters() -> tuple[dict, dict]:
    """The Idempotency-Key and X-Request-ID parameters, in the language of the request."""
    idempotency = {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": str(IDEMPOTENCY_HELP),
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
        "examples": {"uuid": {"value": "0b6c4e2a-3f1d-4b7e-9a65-2f0d8c1e7a44"}},
    }
    request_id = {
        "name": "X-Request-ID",
        "in": "header",
        "required": False,
        "description": str(REQUEST_ID_HELP),
        # Any value is taken (one that is not sane is replaced, as the description says).
        "schema": {"type": "string"},
        "examples": {"trace": {"value": "erp-nightly-2026-02-01:4711"}},
    }
    return idempotency, request_id


WRITE_ANSWERS = {
    "409": _("A request with this Idempotency-Key is still running; retry after Retry-After."),
    "422": _("This Idempotency-Key was used for another request."),
}
STALE_ANSWER = _("Or: If-Match names an older version of the record (changed since).")
THROTTLED = _(
    "Too many requests: each API token (or, signed in without a token, each user) has a "
    "budget per minute; retry after Retry-After seconds."
)
WRITE_METHODS = {"post", "put", "patch"}


def document_integration(result, generator, request, public):
    """Postprocessing hook: the X-Request-ID header everywhere, Idempotency-Key with its
    409 and 422 on every write, 429 with Retry-After on every operation."""
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    idempotency, request_id = _header_parameters()
    retry_after = {"description": str(RETRY_AFTER_HELP), "schema": {"type": "integer"}}
    answer_id = {"description": str(REQUEST_ID_ANSWER), "schema": {"type": "string"}}

    def error(description, **headers):
        answer = {
            "description": str(description),
            "content": {"application/json": {"schema": reference}},
        }
        if headers:
            answer["headers"] = headers
        return answer

    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "patch", "post", "delete", "head", "options"}:
                continue
            parameters = operation.setdefault("parameters", [])
            parameters.append(dict(request_id))
            responses = operation.setdefault("responses", {})
            if method in WRITE_METHODS:
                parameters.append(dict(idempotency))
                conflict = str(WRITE_ANSWERS["409"])
                if any(parameter.get("name") == "If-Match" for parameter in parameters):
                    conflict = f"{conflict} {STALE_ANSWER}"
                responses.setdefault("409", error(conflict, **{"Retry-After": dict(retry_after)}))
                responses.setdefault("422", error(WRITE_ANSWERS["422"]))
            elif any(parameter.get("name") == "If-Match" for parameter in parameters):
                responses.setdefault("409", error(STALE_ANSWER))
            responses.setdefault("429", error(THROTTLED, **{"Retry-After": dict(retry_after)}))
            for answer in responses.values():
                answer.setdefault("headers", {})["X-Request-ID"] = dict(answer_id)
    return result


_DECIMAL_PATTERN = re.compile(r"^\^(-\?)?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$$")


def state_rules(result, generator, request, public):
    """Postprocessing hook: rules drf-spectacular leaves out. A decimal sent as text has
    at least one digit (its pattern allowed "" and "-"); a year in a path is one the API
    takes (2000 to 2100, as every year field)."""

    def walk(node):
        if isinstance(node, dict):
            pattern = node.get("pattern") if node.get("format") == "decimal" else None
            if isinstance(pattern, str) and (match := _DECIMAL_PATTERN.match(pattern)):
                sign, whole, places = match.group(1) or "", match.group(2), match.group(3)
                node["pattern"] = (
                    rf"^{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"
                )
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result.get("components", {}))
    walk(result.get("paths", {}))
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "year":
                    parameter["schema"] = {
                        "type": "integer",
                        "minimum": MIN_YEAR,
                        "maximum": MAX_YEAR,
                    }
    return result
