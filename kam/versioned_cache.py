"""Aggregates kept in the cache until anything they rest on changes.

The cockpit, the dashboard and the home page's team figures sum every visible account's
figures (10,000 rows a year for 10,000 accounts): the same for every head of sales until
someone writes. So their results are cached under a *version*: a save, delete or
many-to-many change of a model the version rests on raises it (on commit too, so that no
request caches what a transaction has not committed yet), and the next request computes
afresh. Apps say what a version rests on in their `AppConfig.ready()` (`rest_on`): the
figures ("figures") rest on accounts, their figures and teams, the users, the company
totals and the rules, so logging a contact leaves them cached; "all" follows every model
of the apps the dashboard reads; "pipeline" (deals.apps) the deals and who sees them.
Writes that bypass model signals (bulk updates of the
nightly tasks, the hourly "last contact" refresh) are covered by the time limit
`PORTFOLIO_CACHE_SECONDS` (300; 0 turns the cache off). Without a cache (Redis away)
everything is computed as before.
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
FIGURES, ALL = "figures", "all"
# A save of only these fields changes nothing cached: a sign-in saves the user's last_login.
IGNORED_FIELDS = frozenset({"last_login"})
# Version -> the labels of the apps ("accounts") and models ("accounts.account") whose
# writes start a new one; filled by `rest_on`.
_resting_on: dict[str, set[str]] = {FIGURES: set(), ALL: set()}


def rest_on(version: str, *labels: str) -> None:
    """Writes to these apps or models start a new `version` (called from AppConfig.ready)."""
    _resting_on.setdefault(version, set()).update(label.lower() for label in labels)


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
    for version in tuple(_resting_on) if versions is None else versions:
        try:
            cache.incr(_key(version))
        except ValueError:  # the key expired or was never set
            cache.add(_key(version), 1, None)
        except Exception:  # noqa: BLE001 - no cache, nothing to invalidate
            log.warning("figures cache unavailable", exc_info=True)


def cached[T](name: str, parts: tuple, compute: Callable[[], T], *, rests_on: str = ALL) -> T:
    """`compute()`, or its result for the same `name` and `parts` while the version it
    rests on (FIGURES or ALL) is unchanged."""
    seconds = settings.PORTFOLIO_CACHE_SECONDS
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


def _changed(sender, update_fields=None, **kwargs) -> None:
    if update_fields is not None and update_fields <= IGNORED_FIELDS:
        return
    meta = sender._meta
    labels = {meta.app_label, meta.label_lower}
    versions = tuple(v for v, watched in _resting_on.items() if labels & watched)
    if not versions:
        return
    invalidate(versions)
    transaction.on_commit(lambda: invalidate(versions))


def connect() -> None:
    """Called from KamConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"versioned-cache-{id(signal)}")
