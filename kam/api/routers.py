"""The router of the API's viewsets."""

from rest_framework.routers import DefaultRouter


class IdRouter(DefaultRouter):
    """Ids in URLs are numbers: `/business-cases/AAA/` is a 404 from the URL resolver, never
    a lookup that fails on the text (a 500). A viewset with other keys sets
    `lookup_value_regex` itself."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        own = any(
            "lookup_value_regex" in vars(cls)
            for cls in viewset.__mro__
            if not cls.__module__.startswith("rest_framework")
        )
        regex = super().get_lookup_regex(viewset, lookup_prefix)
        return regex if own else regex.replace("[^/.]+", "[0-9]+")
