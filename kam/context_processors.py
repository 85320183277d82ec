from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from kam import registry


def installation(request: HttpRequest) -> dict:
    return {"CURRENCY": settings.CURRENCY}


def navigation(request: HttpRequest) -> dict:
    """The header links that apps registered (kam.registry.nav_links), in order."""
    return {
        "nav_links": [
            {"label": link.label, "url": reverse(link.url_name), "nav": link.nav or link.key}
            for link in registry.nav_links
        ]
    }
