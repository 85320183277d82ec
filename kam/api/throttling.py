"""API throttles: per token when a token authenticates, per user otherwise, per address
for anonymous calls; a refused call answers 429 with `Retry-After` (seconds).

Each API token has a budget of its own, so that one busy integration does not use up the
budget of another integration of the same user, or of the user's browser session.

The throttles keep their history in the cache. Without the cache a throttle cannot count,
and refusing every call would turn a cache outage into an API outage while the pages keep
working; so the call is let through and a warning is logged (once per request). /health/
names the cache as down meanwhile.
"""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from users.models import ApiToken

logger = logging.getLogger("kam.api")


class _FailOpen(SimpleRateThrottle):
    def get_rate(self):
        # Read when the throttle is made, not when the class was: settings may change.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # noqa: BLE001 - any cache failure: redis, socket, timeout
            logger.warning("API throttle skipped, the cache is not reachable: %s", exc)
            return True


class AnonThrottle(_FailOpen, AnonRateThrottle):
    pass


class UserThrottle(_FailOpen, UserRateThrottle):
    """Counted per API token when one authenticates, per user otherwise (session)."""

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        else:
            ident = f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
