"""An account's timeline: activities and the events of deals, contracts, issues and
surveys, newest first.

Each app registers a source (`kam.registry.timeline_sources`) whose function
`events(account_ids, *, before, limit)` returns at most `limit` TimelineEvents older
than `before` (None: up to AHEAD_DAYS ahead, what is planned included), newest first,
in a constant number of queries. The timeline merges them and keeps the newest `limit`.
"""

import heapq
from dataclasses import dataclass
from datetime import datetime

from kam import registry

# How far the first page (before=None) looks ahead: what is planned within these days (a
# visit, a meeting) sits in the timeline's "Coming up" group on top.
AHEAD_DAYS = 90


@dataclass(frozen=True)
class TimelineEvent:
    when: datetime  # timezone-aware
    kind: str  # machine name, e.g. "activity.visit", "deal.won", "contract.ending"
    label: str  # translated kind, e.g. "Kundenbesuch", "Auftrag gewonnen"
    title: str
    account_id: int
    detail: str = ""
    url: str = ""
    all_day: bool = False  # an event of a date, not of a time (a contract's end): no time shown


def account_timeline(
    account_ids: list[int], *, before: datetime | None = None, limit: int = 20
) -> list[TimelineEvent]:
    streams = [
        source.events(account_ids, before=before, limit=limit)
        for source in registry.timeline_sources
    ]
    merged = heapq.merge(*streams, key=lambda event: event.when, reverse=True)
    return [event for _, event in zip(range(limit), merged, strict=False)]
