"""Responses with customer data are never kept by browsers or proxies."""

from django.utils.cache import patch_cache_control


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
