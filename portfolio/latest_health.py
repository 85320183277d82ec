"""Which health snapshot is each account's newest, kept as `HealthSnapshot.is_latest`.

The home block "Key accounts by health" ranks key accounts by their latest score. Found by
a subquery, that is one backward index probe per account (5,000 key accounts for a head of
sales) before the lowest eight can be shown; as a flag with a partial index on the score,
the lowest come first along the index. Every write of snapshots marks it: a single save
by signal, the weekly bulk store by calling `mark_latest` itself (the demo's earlier weeks
are older than the stored one and need no mark). Snapshots are deleted only with their
account, so a delete needs no mark.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.signals import post_save

from portfolio.models import HealthSnapshot


def mark_latest(account_ids: Iterable[int], *, since: date = date.min) -> int:
    """Flag the newest snapshot of each of these accounts and unflag the one before.
    Only rows that were flagged or are of week `since` or later can change, so a weekly
    store touches two rows per account, not its whole history."""
    newest_week = Subquery(
        HealthSnapshot.objects.filter(account=OuterRef("account"))
        .order_by("-week")
        .values("week")[:1]
    )
    return (
        HealthSnapshot.objects.filter(account_id__in=list(account_ids))
        .filter(Q(is_latest=True) | Q(week__gte=since))
        .update(is_latest=Case(When(week=newest_week, then=Value(True)), default=Value(False)))
    )


def _saved(sender, instance: HealthSnapshot, raw: bool = False, **kwargs) -> None:
    if not raw:
        mark_latest([instance.account_id], since=instance.week)


def connect() -> None:
    """Called from PortfolioConfig.ready()."""
    post_save.connect(_saved, sender=HealthSnapshot, dispatch_uid="portfolio-latest-health")
