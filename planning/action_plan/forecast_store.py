"""The stored target forecast of objectives (Objective.stored_forecast_*).

`with_forecast` computes the forecast with a dozen subqueries per objective. The lists of
objectives needing attention (Plans page, home block, reminder rule) filter and sort on
the stored copy instead, so that those subqueries run only for the rows they show.
`refresh_forecasts` writes the values of `with_forecast` itself (no second formula):

- after commit of every write the forecast reads, once per transaction: the receivers
  below (connected in planning.apps) note what changed, and the objectives of the touched
  accounts and of every account above them (the group objectives) are refreshed;
- every night (planning.tasks), because the run-rate depends on today's date, and in
  the worker after a change of the pipeline's stages (every deal on a stage changes);
- by `manage.py refresh_forecasts` (after the migration that added the columns, and
  after data was loaded around the models' signals).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Account, YearlyFigures, path_ids
from deals.models import Opportunity
from planning.action_plan.selectors import CLOSED_OBJECTIVE, with_forecast
from planning.models import STORED_FORECAST_FIELDS, Objective

CHUNK = 1000
STORED = STORED_FORECAST_FIELDS  # total, percent, verdict
CENT = Decimal("0.01")
PERCENT_PLACES = Decimal("0.0001")


def _quantized(value, places: Decimal) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(places)


def refresh_forecasts(objectives: QuerySet[Objective]) -> int:
    """Store the forecast `with_forecast` computes for these objectives; null (and no
    verdict) where there is none: anything but a revenue objective with a target. One
    query reads them all; only rows whose stored values differ are written, in chunks.
    Returns how many were written."""
    rows = with_forecast(
        objectives.order_by().select_related(None).only("kind", "year", "target_value", *STORED)
    )
    changed = []
    for row in rows:
        verdict = row.verdict
        total, percent = (row.forecast_total, row.forecast_percent) if verdict else (None, None)
        fresh = [_quantized(total, CENT), _quantized(percent, PERCENT_PLACES), verdict or ""]
        if fresh != [getattr(row, name) for name in STORED]:
            changed.append(Objective(pk=row.pk, **dict(zip(STORED, fresh, strict=True))))
    with transaction.atomic():
        for start in range(0, len(changed), CHUNK):
            Objective.objects.bulk_update(changed[start : start + CHUNK], STORED)
    return len(changed)


def refresh_open_forecasts() -> int:
    """The nightly refresh: open objectives of this year and last year."""
    year = timezone.localdate().year
    return refresh_forecasts(
        Objective.objects.exclude(status__in=CLOSED_OBJECTIVE).filter(year__in=[year - 1, year])
    )


# --- refresh after commit ------------------------------------------------------------------

ALL_YEARS = None


@dataclass
class Pending:
    """What one transaction changed that the forecast reads."""

    objective_ids: set[int] = field(default_factory=set)
    # Touched account -> years (ALL_YEARS: every year); the account's path is read on
    # commit, so that a move refreshes the groups the account belongs to by then.
    accounts: dict[int, set[int] | None] = field(default_factory=dict)
    # Accounts whose objectives refresh as they are: the groups an account left.
    group_ids: set[int] = field(default_factory=set)

    def touch(self, account_id: int | None, years: Iterable[int] | None) -> None:
        if account_id is None:
            return
        current = self.accounts.get(account_id, set())
        if years is None or current is None:
            self.accounts[account_id] = ALL_YEARS
        else:
            self.accounts[account_id] = current | set(years)

    def objectives(self) -> QuerySet[Objective]:
        by_years: dict[frozenset[int] | None, set[int]] = {}
        paths = Account.objects.filter(pk__in=self.accounts).values_list("pk", "path")
        for pk, path in paths:
            touched = self.accounts[pk]
            key = None if touched is None else frozenset(touched)
            by_years.setdefault(key, set()).update(path_ids(path))
        condition = Q(pk__in=self.objective_ids) | Q(account_id__in=self.group_ids)
        for years, account_ids in by_years.items():
            in_years = Q() if years is None else Q(year__in=years)
            condition |= Q(in_years, account_id__in=account_ids)
        return Objective.objects.filter(condition)

    def flush(self) -> None:
        connection = transaction.get_connection()
        if getattr(connection, "pending_forecasts", None) is self:
            connection.pending_forecasts = None
        if self.objective_ids or self.accounts or self.group_ids:
            refresh_forecasts(self.objectives())


def schedule_on_commit(flush: Callable[[], None]) -> None:
    # Robust: a failed refresh must not turn a committed write into an error page; the
    # nightly refresh repairs the stored values.
    transaction.on_commit(flush, robust=True)


# Tests, which run in a transaction that never commits, replace this (tests/conftest.py).
schedule = schedule_on_commit


def _pending(note: Callable[[Pending], None]) -> None:
    """Note a change in the transaction's Pending, queued once per transaction."""
    connection = transaction.get_connection()
    pending: Pending | None = getattr(connection, "pending_forecasts", None)
    # Reused while its callback waits for the commit; a rollback discards the callback.
    if pending is not None and any(
        func == pending.flush for _sids, func, _robust in connection.run_on_commit
    ):
        note(pending)
        return
    pending = Pending()
    note(pending)
    if connection.in_atomic_block:
        connection.pending_forecasts = pending
    schedule(pending.flush)


def _years_of_deal(deal: Opportunity) -> set[int]:
    return {day.year for day in (deal.expected_close_date, deal.closed_on) if day is not None}


# --- receivers (planning.apps connects them) ----------------------------------------------

# Where pre_save leaves the row as it was, for post_save: a deal or a year of figures moved
# to another account or year changes the forecast there too.
BEFORE = "_forecast_before"


def figures_before_save(sender, instance: YearlyFigures, **kwargs) -> None:
    if instance.pk is not None and not kwargs.get("raw"):
        before = YearlyFigures.objects.filter(pk=instance.pk).values_list("account_id", "year")
        vars(instance)[BEFORE] = before.first()


def figures_saved(sender, instance: YearlyFigures, **kwargs) -> None:
    before = vars(instance).pop(BEFORE, None)

    def note(pending: Pending) -> None:
        # Last year's revenue is the run-rate base of next year's objectives.
        for account_id, year in filter(None, [before, (instance.account_id, instance.year)]):
            pending.touch(account_id, [year, year + 1])

    _pending(note)


def deal_before_save(sender, instance: Opportunity, **kwargs) -> None:
    if instance.pk is not None and not kwargs.get("raw"):
        vars(instance)[BEFORE] = (
            Opportunity.objects.filter(pk=instance.pk)
            .values_list("account_id", "expected_close_date", "closed_on")
            .first()
        )


def deal_saved(sender, instance: Opportunity, **kwargs) -> None:
    years = _years_of_deal(instance)
    before = vars(instance).pop(BEFORE, None)
    if before is not None:
        years |= {day.year for day in before[1:] if day is not None}

    def note(pending: Pending) -> None:
        pending.touch(instance.account_id, years)
        if before is not None:
            pending.touch(before[0], years)

    if years:
        _pending(note)


def objective_saved(sender, instance: Objective, **kwargs) -> None:
    _pending(lambda pending: pending.objective_ids.add(instance.pk))


def account_saved(sender, instance: Account, **kwargs) -> None:
    """A new parent: the groups the account left and the ones it joined. The services
    save the account with its old path and write the new one after (queryset update)."""
    chain = path_ids(instance.path)
    old_parent = chain[-2] if len(chain) > 1 else None
    if not chain or instance.parent_id == old_parent:
        return  # new (no path yet: no figures, deals or objectives) or not moved
    ids = set(chain)

    def note(pending: Pending) -> None:
        pending.group_ids |= ids - {instance.pk}
        pending.touch(instance.pk, ALL_YEARS)

    _pending(note)


def account_deleted(sender, instance: Account, **kwargs) -> None:
    ids = set(path_ids(instance.path)) - {instance.pk}
    if ids:
        _pending(lambda pending: pending.group_ids.update(ids))
