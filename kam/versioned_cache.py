"""Aggregates kept in the cache until an event they rest on is published.

The cockpit, the dashboard and the home page's team figures sum every visible account's
figures (10,000 rows a year for 10,000 accounts): the same for every head of sales until
someone writes. So their results are cached under a *version*: a domain event the version
rests on (kam/events.py) raises it when its transaction commits, and the next request
computes afresh. Apps say what a version rests on in their `AppConfig.ready()`
(`rest_on(version, *event_types)`, checked: only event classes): the figures (FIGURES)
rest on accounts, their figures and teams, the users, the company totals and the rules,
so logging a contact leaves them cached; ALL (the dashboard, the status suggestions, the
drill-down counts) on every event of what they read; "pipeline" (deals.apps) the deals
and who sees them. Writes that publish no event (bulk updates of the nightly tasks, the
hourly "last contact" refresh) are covered by the time limit `VERSIONED_CACHE_SECONDS`
(300; 0 turns the cache off). Without a cache (Redis away) everything is computed as
before.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.cache import cache

from kam import events

log = logging.getLogger(__name__)
FIGURES, ALL = "figures", "all"


class _Raise:
    """The subscriber that raises one version (batch: once per transaction)."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.__qualname__ = f"versioned_cache.raise({version!r})"
        self.__module__ = "kam"

    def __call__(self, published: Sequence[events.Event]) -> None:
        invalidate((self.version,))

    def __repr__(self) -> str:
        return self.__qualname__


# Version -> its subscriber; filled by `rest_on`.
_versions: dict[str, _Raise] = {}


def rest_on(version: str, *event_types: type[events.Event]) -> None:
    """These events start a new `version` once committed (called from AppConfig.ready)."""
    raiser = _versions.setdefault(version, _Raise(version))
    for event_type in event_types:
        events.subscribe(event_type, raiser, batch=True)


def scope_key(user) -> str:
    """Who sees the same accounts: everyone who sees all of them, else each user alone."""
    return "all" if user.sees_all_accounts else f"user-{user.pk}"


def form_key(form) -> tuple:
    """The filters of a bound, valid filter form, as part of a cache key (records by id)."""
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    # Only the empty values are left out: 0 or False filter as much as any other value.
    return tuple(
        sorted(
            (name, getattr(value, "pk", value))
            for name, value in data.items()
            if value is not None and value not in ("", [], ())
        )
    )


def _key(version: str) -> str:
    return f"versioned:{version}"


def _version(version: str) -> int | None:
    try:
        value = cache.get(_key(version))
        if value is None:
            cache.add(_key(version), 1, None)
            value = cache.get(_key(version), 1)
        return int(value)
    except Exception:  # noqa: BLE001 - no cache: compute instead
        log.warning("figures cache unavailable", exc_info=True)
        return None


def invalidate(versions: tuple[str, ...] | None = None) -> None:
    """Start new versions (all without `versions`): what was cached under them before is
    no longer read."""
    for version in tuple(_versions) if versions is None else versions:
        try:
            cache.incr(_key(version))
        except ValueError:  # the key expired or was never set
            cache.add(_key(version), 1, None)
        except Exception:  # noqa: BLE001 - no cache, nothing to invalidate
            log.warning("figures cache unavailable", exc_info=True)


def cached[T](name: str, parts: tuple, compute: Callable[[], T], *, rests_on: str = ALL) -> T:
    """`compute()`, or its result for the same `name` and `parts` while the version it
    rests on (FIGURES or ALL) is unchanged."""
    seconds = settings.VERSIONED_CACHE_SECONDS
    version = _version(rests_on) if seconds > 0 else None
    if version is None:
        return compute()
    # Hashed: filter values (region names) may hold spaces and umlauts.
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"versioned:{rests_on}:{version}:{name}:{digest}"
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
        log.warning("figures cache unavailable", exc_info=True)
    return value
