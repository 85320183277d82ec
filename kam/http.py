"""The request a signed-in page view gets, typed for mypy.

`login_required` guarantees a real user and django_htmx's middleware sets `request.htmx`;
plain `HttpRequest` knows neither (`request.user` would be `User | AnonymousUser`). Views
behind `login_required` annotate their request with `AuthedHttpRequest`.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from users.models import User


class AuthedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
