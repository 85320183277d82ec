"""The portfolio's figures, kept in the cache until anything they rest on changes.

The cockpit and the dashboard aggregate every account's figures (50,000 rows of five
years for 10,000 accounts): a quarter of a second of SQL, the same for every head of sales
until someone writes. So their results are cached under a *version*: any save, delete or
many-to-many change of a model of this project raises it (on commit too, so that no
request caches what a transaction has not committed yet), and the next request computes
afresh. Writes that bypass model signals (bulk updates of the nightly tasks, the hourly
"last contact" refresh) are covered by the time limit `PORTFOLIO_CACHE_SECONDS` (300; 0
turns the cache off). Without a cache (Redis away) everything is computed as before.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

log = logging.getLogger(__name__)
VERSION_KEY = "portfolio:version"
# The apps whose records the portfolio reads, directly or through the access scope.
WATCHED_APPS = frozenset(
    {
        "users", "accounts", "activities", "deals", "contracts", "customer_care",
        "planning", "reviews", "portfolio",
    }
)  # fmt: skip


def _version() -> int | None:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, 1, None)
            version = cache.get(VERSION_KEY, 1)
        return int(version)
    except Exception:  # noqa: BLE001 - no cache: compute instead
        log.warning("portfolio cache unavailable", exc_info=True)
        return None


def invalidate() -> None:
    """Start a new version: everything cached before is no longer read."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # the key expired or was never set
        cache.add(VERSION_KEY, 1, None)
    except Exception:  # noqa: BLE001 - no cache, nothing to invalidate
        log.warning("portfolio cache unavailable", exc_info=True)


def cached[T](name: str, parts: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or its result for the same `name` and `parts` since the last change."""
    seconds = settings.PORTFOLIO_CACHE_SECONDS
    version = _version() if seconds > 0 else None
    if version is None:
        return compute()
    # Hashed: filter values (region names) may hold spaces and umlauts.
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"portfolio:{version}:{name}:{digest}"
    try:
        hit = cache.get(key)
    except Exception:  # noqa: BLE001
        return compute()
    if hit is not None:
        return hit
    value = compute()
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        log.warning("portfolio cache unavailable", exc_info=True)
    return value


def _changed(sender, **kwargs) -> None:
    if sender._meta.app_label in WATCHED_APPS:
        invalidate()
        transaction.on_commit(invalidate)


def connect() -> None:
    """Called from PortfolioConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"portfolio-cache-{id(signal)}")
