"""The dashboards block on the home page: the pages registered in the navigation."""

from django.urls import reverse

from kam import registry


def dashboards(*, user) -> dict | None:
    """No query: the navigation links apps registered (kam.registry.nav_links)."""
    return {
        "links": [
            {"label": link.label, "url": reverse(link.url_name)} for link in registry.nav_links
        ]
    }
