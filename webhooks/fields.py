"""The writable fields of webhook endpoints, declared once (kam.fields)."""

from typing import TypedDict


class EndpointFields(TypedDict, total=False):
    """On change, a field left out (or None) stays as it is."""

    url: str
    description: str
    event_types: list[str]
    active: bool
