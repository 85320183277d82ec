"""API throttles that keep the API answering when the cache (Redis) is down.

The throttles keep their history in the cache. Without the cache a throttle cannot count,
and refusing every call would turn a cache outage into an API outage while the pages keep
working; so the call is let through and a warning is logged (once per request). /health/
names the cache as down meanwhile.
"""

import logging

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

logger = logging.getLogger("kam.api")


class _FailOpen(SimpleRateThrottle):
    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # noqa: BLE001 - any cache failure: redis, socket, timeout
            logger.warning("API throttle skipped, the cache is not reachable: %s", exc)
            return True


class AnonThrottle(_FailOpen, AnonRateThrottle):
    pass


class UserThrottle(_FailOpen, UserRateThrottle):
    pass
