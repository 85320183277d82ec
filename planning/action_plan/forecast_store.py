"""The stored target forecast of objectives (Objective.stored_forecast_*).

`with_forecast` computes the forecast with subqueries per objective (actions, deals) and one
query for the group figures of the rows fetched. The lists of
objectives needing attention (Plans page, home block, reminder rule) filter and sort on
the stored copy instead, so that those subqueries run only for the rows they show.
`refresh_forecasts` writes the values of `with_forecast` itself (no second formula):

- after commit of every write the forecast reads, once per transaction: the domain
  events the services publish (`FOLLOWS`, subscribed in planning.apps) say what changed,
  and the objectives of the touched accounts and of every account above them (the group
  objectives) are refreshed by a task (planning.tasks.refresh_objective_forecasts; in
  process when tasks run in process or the broker cannot be reached);
- every night (planning.tasks), because the run-rate depends on today's date, and in
  the worker after a change of the pipeline's stages (every deal on a stage changes);
- by `manage.py refresh_forecasts` (after the migration that added the columns, and
  after data was loaded around the services).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Account, path_ids
from kam import events, queue
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

    def note(self, event: events.Event) -> None:
        match event:
            case events.FiguresChanged(account_id=account_id, year=year):
                # Last year's revenue is the run-rate base of next year's objectives.
                self.touch(account_id, [year, year + 1])
            case events.OpportunityEvent(account_id=account_id, years=years) if years:
                self.touch(account_id, years)
            case events.ObjectiveChanged(objective_id=objective_id):
                self.objective_ids.add(objective_id)
            case events.AccountMoved(account_id=account_id, old_parent_id=old_parent_id):
                # The groups it left (the old parent's path, itself included) as they
                # are; the account and the groups it joined by its new path.
                if old_parent_id is not None:
                    old_path = Account.objects.filter(pk=old_parent_id).values_list(
                        "path", flat=True
                    )
                    self.group_ids.update(path_ids(old_path.first() or ""))
                self.touch(account_id, ALL_YEARS)
            case events.AccountDeleted(ancestor_ids=ancestor_ids):
                self.group_ids.update(ancestor_ids)
            case events.AccountsMerged(account_id=account_id):
                # The merged account's deals and figures are the survivor's now.
                self.touch(account_id, ALL_YEARS)


# The events the stored forecast follows (planning.apps subscribes `refresh_after`).
FOLLOWS: tuple[type[events.Event], ...] = (
    events.FiguresChanged,
    events.OpportunityCreated,
    events.OpportunityChanged,
    events.ObjectiveChanged,
    events.AccountMoved,
    events.AccountDeleted,
    events.AccountsMerged,
)


def refresh_after(published: Sequence[events.Event]) -> None:
    """The objectives a committed transaction's events touch, refreshed once (a batch
    subscriber: an import of a thousand rows refreshes once)."""
    pending = Pending()
    for event in published:
        pending.note(event)
    if not (pending.objective_ids or pending.accounts or pending.group_ids):
        return
    # Which objectives, here (one light query; most accounts have none); their forecast,
    # several subqueries each, in the worker (a figures push or a deal move answers
    # without it). With the broker away it is computed here.
    from planning.tasks import refresh_objective_forecasts

    ids = sorted(pending.objectives().values_list("pk", flat=True))
    if ids and not queue.send(refresh_objective_forecasts, ids):
        refresh_forecasts(Objective.objects.filter(pk__in=ids))
