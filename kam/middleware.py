"""Responses with customer data are never kept by browsers or proxies."""

from django.utils.cache import patch_cache_control

from kam.views import bad_request


class PrivateNoStoreMiddleware:
    """`Cache-Control: private, no-store` on every page and API answer for a signed-in
    user (session or token) and on every API answer: a shared proxy must not serve one
    user's accounts to another, and a browser must not keep them on disk after sign-out.
    Static files are served before this (WhiteNoise) and keep their long cache times."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class RefuseNulMiddleware:
    """A NUL character in the address is refused with a 400 before any view runs: no text
    search, filter or lookup may send it to the database (PostgreSQL refuses it with an
    error). Form and API fields refuse NUL in bodies themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request)
        return self.get_response(request)
