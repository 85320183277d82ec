"""Choose the interface language: the user's own choice, else the cookie (the switch on
the sign-in page sets it), else the browser's Accept-Language when it prefers English,
else German.

Once signed in, the profile's language wins over the browser: a user who wants the
other language picks it once and keeps it on every device.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def language_for(request) -> str:
    supported = {code for code, _ in settings.LANGUAGES}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language in supported:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in supported:
        return cookie
    # Django's parser of Accept-Language: the best supported language, else German.
    return translation.get_language_from_request(request)


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response
