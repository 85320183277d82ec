"""What an OPTIONS request answers."""

from rest_framework.metadata import SimpleMetadata


class Metadata(SimpleMetadata):
    """Name, description, renders and parses; no `actions`. Describing the writable
    fields would need the object (views fetch it through the scope, some have no plain
    queryset) and would repeat the OpenAPI schema at /api/v1/schema/, which documents
    every body."""

    def determine_actions(self, request, view):
        return {}
