"""Dependency warnings as events: a unit (a group with its subsidiaries, or a single
account) that crosses a warning level of a year upwards publishes DependencyWarningRaised,
once per crossing. The levels last seen are kept (DependencyLevel); a unit that falls
below a level and crosses it again is announced again.

Runs after the commit of every transaction that changed figures or company totals (a
batch subscriber, portfolio.apps): one ranking query per year changed, as the cockpit's.
"""

from collections.abc import Sequence

from django.db import transaction

from kam import events
from portfolio import concentration
from portfolio.models import DependencyLevel

RANK = {"": 0, "amber": 1, "red": 2}
ALL_UNITS = 1_000_000


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
        levels_update(year=year)
