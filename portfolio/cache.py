"""The portfolio's figures, kept in the cache until anything they rest on changes.

The cockpit and the dashboard aggregate every account's figures (50,000 rows of five
years for 10,000 accounts): nearly half a second of SQL, the same for every head of sales
until someone writes. So their results are cached under a *version*: a save, delete or
many-to-many change of a model they rest on raises it (on commit too, so that no request
caches what a transaction has not committed yet), and the next request computes afresh.
Two versions: the cockpit's ("figures") rests on accounts, their figures and teams, the
users, the company totals and the rules, so logging a contact leaves it cached; the
dashboard's ("all") follows every model of the apps it reads. Writes that bypass model
signals (bulk updates of the nightly tasks, the hourly "last contact" refresh) are covered
by the time limit `PORTFOLIO_CACHE_SECONDS` (300; 0 turns the cache off). Without a cache
(Redis away) everything is computed as before.
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
# The apps whose records the dashboard reads, directly or through the access scope.
WATCHED_APPS = frozenset(
    {
        "users", "accounts", "activities", "deals", "contracts", "customer_care",
        "planning", "reviews", "portfolio",
    }
)  # fmt: skip
# The models the cockpit's shares, ranks and scope rest on.
FIGURE_MODELS = frozenset(
    {
        "accounts.account", "accounts.yearlyfigures", "accounts.teammembership",
        "users.user", "portfolio.companytotals", "portfolio.classificationrule",
    }
)  # fmt: skip


def _key(version: str) -> str:
    return f"portfolio:version:{version}"


def _version(version: str) -> int | None:
    try:
        value = cache.get(_key(version))
        if value is None:
            cache.add(_key(version), 1, None)
            value = cache.get(_key(version), 1)
        return int(value)
    except Exception:  # noqa: BLE001 - no cache: compute instead
        log.warning("portfolio cache unavailable", exc_info=True)
        return None


def invalidate(versions: tuple[str, ...] = (FIGURES, ALL)) -> None:
    """Start new versions: everything cached under them before is no longer read."""
    for version in versions:
        try:
            cache.incr(_key(version))
        except ValueError:  # the key expired or was never set
            cache.add(_key(version), 1, None)
        except Exception:  # noqa: BLE001 - no cache, nothing to invalidate
            log.warning("portfolio cache unavailable", exc_info=True)


def cached[T](name: str, parts: tuple, compute: Callable[[], T], *, rests_on: str = ALL) -> T:
    """`compute()`, or its result for the same `name` and `parts` while the version it
    rests on (FIGURES or ALL) is unchanged."""
    seconds = settings.PORTFOLIO_CACHE_SECONDS
    version = _version(rests_on) if seconds > 0 else None
    if version is None:
        return compute()
    # Hashed: filter values (region names) may hold spaces and umlauts.
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"portfolio:{rests_on}:{version}:{name}:{digest}"
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
    meta = sender._meta
    if meta.app_label not in WATCHED_APPS:
        return
    versions = (FIGURES, ALL) if meta.label_lower in FIGURE_MODELS else (ALL,)
    invalidate(versions)
    transaction.on_commit(lambda: invalidate(versions))


def connect() -> None:
    """Called from PortfolioConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"portfolio-cache-{id(signal)}")
