"""Dependency warnings as events: a unit (a group with its subsidiaries, or a single
account) that crosses a warning level of a year upwards publishes DependencyWarningRaised,
once per crossing. The levels last seen are kept (DependencyLevel); a unit that falls
below a level and crosses it again is announced again.

The ranking is one query per year over every unit (as the cockpit's), too slow for the
request of every figures write. After the commit of a transaction that changed figures or
company totals (a batch subscriber, portfolio.apps) each year changed is only marked
"queued" in the cache and a Celery task (portfolio.tasks.rank_dependency_levels) is queued
to rank it DEPENDENCY_RANK_DELAY_SECONDS later; while the mark stands, further writes of
that year queue nothing: a burst of writes is ranked once. The task takes the mark away
before it ranks, so a write committed after that queues the next ranking, and a lock per
year keeps two rankings of one year from running at once. Without Redis (tasks run in
process) the task runs at once, in the request, as before; when the cache or the broker
cannot be reached the year is ranked in the request, too. The nightly scores rank this
year again (a queued ranking lost with Redis).
"""

import logging
import time
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from kam import events
from portfolio import concentration
from portfolio.models import DependencyLevel

log = logging.getLogger(__name__)

RANK = {"": 0, "amber": 1, "red": 2}
ALL_UNITS = 1_000_000
# A queued mark outlives its task's countdown by far; should the task be lost with
# Redis, the next write after this queues a new one.
QUEUED_SECONDS = 300
LOCK_WAIT_STEP = 0.05


def _key(kind: str, year: int) -> str:
    return f"portfolio:dependency:{kind}:{year}"


def levels_update(*, year: int) -> list[events.DependencyWarningRaised]:
    """Compare the year's warning levels with those last seen, keep the new ones and
    publish a DependencyWarningRaised for each unit whose level rose."""
    limits = concentration.thresholds()
    rows = concentration.ranked_units(year=year, limit=ALL_UNITS, limits=limits)
    warned = {row.unit_id: row for row in rows if row.warning}
    with transaction.atomic():
        stored = dict(
            DependencyLevel.objects.select_for_update()
            .filter(year=year)
            .values_list("account_id", "level")
        )
        DependencyLevel.objects.filter(year=year).exclude(account_id__in=list(warned)).delete()
        raised = []
        for unit_id, row in warned.items():
            before = stored.get(unit_id, "")
            if before == row.warning:
                continue
            DependencyLevel.objects.update_or_create(
                account_id=unit_id, year=year, defaults={"level": row.warning}
            )
            if RANK[row.warning] > RANK[before]:
                raised.append(
                    events.DependencyWarningRaised(
                        account_id=unit_id,
                        year=year,
                        level=row.warning,
                        revenue_share=str(row.revenue_share),
                        margin_share=str(row.margin_share),
                    )
                )
        for event in raised:
            events.publish(event)
    return raised


def after_figures(
    published: Sequence[events.FiguresChanged | events.CompanyTotalsChanged],
) -> None:
    for year in sorted({event.year for event in published}):
        queue_ranking(year)


def queue_ranking(year: int) -> None:
    """Have the year ranked soon, once for a burst of writes (see the module's text)."""
    from portfolio.tasks import rank_dependency_levels

    try:
        fresh = cache.add(_key("queued", year), 1, timeout=QUEUED_SECONDS)
    except Exception as exc:  # noqa: BLE001 - no cache: rank here, as without a queue
        log.warning("Cache unreachable (%s); ranking the dependency levels of %s now", exc, year)
        levels_update(year=year)
        return
    if not fresh:
        return  # a ranking queued and not started yet will see this write
    countdown = settings.DEPENDENCY_RANK_DELAY_SECONDS
    if rank_dependency_levels.app.conf.task_always_eager:
        rank_dependency_levels.apply_async((year,), countdown=countdown)
        return
    try:
        rank_dependency_levels.apply_async((year,), countdown=countdown)
    except Exception as exc:  # noqa: BLE001 - not queued: rank here
        log.warning("Could not queue the dependency ranking of %s (%s); ranking now", year, exc)
        cache.delete(_key("queued", year))
        levels_update(year=year)


def rank(year: int, *, wait: bool) -> bool:
    """The queued ranking of a year: take the mark away, then rank, under the year's lock.
    False when another ranking of the year holds the lock (`wait`: wait for it instead)."""
    lock = _key("ranking", year)
    lock_seconds = settings.CELERY_TASK_TIME_LIMIT
    deadline = time.monotonic() + lock_seconds
    while not cache.add(lock, 1, timeout=lock_seconds):
        if not wait or time.monotonic() > deadline:
            return False
        time.sleep(LOCK_WAIT_STEP)
    try:
        cache.delete(_key("queued", year))
        levels_update(year=year)
    finally:
        cache.delete(lock)
    return True
