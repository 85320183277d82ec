"""The OpenAPI schema tells the truth: what drf-spectacular cannot see by itself.

Every operation may answer 400 (bad input or query), 401 (not signed in), 403 (not
allowed) and 404 (not there, or outside the user's scope), all in the one error shape of
kam.api.errors; `document_errors` (a postprocessing hook) adds those answers to every
operation that does not describe them itself.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


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
