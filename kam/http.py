"""The request a signed-in page view gets, typed for mypy.

`login_required` guarantees a real user and django_htmx's middleware sets `request.htmx`;
plain `HttpRequest` knows neither (`request.user` would be `User | AnonymousUser`). Views
behind `login_required` annotate their request with `AuthedHttpRequest`; API views ask
`actor(request)` for the signed-in user.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from users.models import User


class AuthedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def actor(request: HttpRequest | Request) -> User:
    """The user of an API request, typed: the API's permission classes let no anonymous
    request reach a view, so this only refuses what cannot happen (401, not a 500)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user
