"""The weekly snapshot of the open pipeline: every open deal's stage, value, probability,
expected close date, owner and account, one row per deal and week (the week's Monday).

Written in one INSERT … SELECT, so a pipeline of any size costs one statement, and
idempotent per week: a second run in the same week keeps the rows of the first
(ON CONFLICT DO NOTHING on the deal and week). Snapshots older than two years are
deleted by the same task (deals.tasks.take_snapshots).
"""

from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from deals.models import Opportunity, OpportunitySnapshot, Stage

KEEP_DAYS = 2 * 365 + 1


def week_start(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


@transaction.atomic
def snapshot_take(*, on: date | None = None) -> int:
    """Snapshot every open deal for the week of `on` (today by default); returns how many
    rows were written (0 when this week's snapshot exists already)."""
    day = on or timezone.localdate()
    snapshot, deal, stage = (
        OpportunitySnapshot._meta.db_table,
        Opportunity._meta.db_table,
        Stage._meta.db_table,
    )
    # The WHERE before ON CONFLICT is required by SQLite to parse INSERT … SELECT … ON CONFLICT.
    sql = (
        f"INSERT INTO {snapshot} (week, taken_at, opportunity_id, account_id, stage_id, "  # noqa: S608 - table names from the models
        "value, probability, expected_close_date, owner_id) "
        "SELECT %s, %s, o.id, o.account_id, o.stage_id, o.value, o.probability, "
        "o.expected_close_date, o.owner_id "
        f"FROM {deal} o INNER JOIN {stage} s ON s.id = o.stage_id "
        "WHERE s.is_won = %s AND s.is_lost = %s "
        "ON CONFLICT (opportunity_id, week) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [week_start(day), timezone.now(), False, False])
        return max(cursor.rowcount, 0)


def snapshot_purge(*, today: date | None = None) -> int:
    """Delete the snapshots older than two years; returns how many went."""
    cutoff = (today or timezone.localdate()) - timedelta(days=KEEP_DAYS)
    deleted, _by_model = OpportunitySnapshot.objects.filter(week__lt=cutoff).delete()
    return deleted


def snapshot_weeks_exist(weeks: list[date]) -> set[date]:
    """Which of these weeks have a snapshot (one query)."""
    return set(
        OpportunitySnapshot.objects.filter(week__in=weeks)
        .order_by()
        .values_list("week", flat=True)
        .distinct()
    )
