"""What changed in the pipeline over a period: reads for the "Pipeline changes" page and
its API endpoint, both calling pipeline_changes().

The opening state of each deal is its row in the snapshot of the period's first day
(deals.snapshots) when that snapshot exists, else the deal as it stood at the start of
that day in its change history (the "as of" reconstruction), so the comparison works
from the first week. The closing state is the deal as it is now. Every figure is an
aggregate in SQL over the user's scope (accounts.access.scoped); each bar lists its
biggest deals. The query count does not depend on the number of deals.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Abs, Coalesce, Lag
from django.utils import timezone

from accounts.access import scoped
from deals.models import Opportunity, OpportunitySnapshot, Stage
from deals.snapshots import week_start

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
ZERO = Decimal("0")
DEALS_PER_BAR = 25
PERIODS = ("week", "quarter")

# The deal was open at the start (its opening stage order is only set for an open stage),
# is open now, and what it became in between.
WAS_OPEN = Q(open_order__isnull=False)
IS_OPEN = Q(stage__is_won=False, stage__is_lost=False)


def period_start(period: str, today: date) -> date:
    """The first day of the period, a Monday, so that the week's snapshot is its base:
    "week" since last week's Monday, "quarter" since the Monday of the week the quarter
    begins in (the page names the date)."""
    if period == "quarter":
        return week_start(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1))
    return week_start(today) - timedelta(days=7)


@dataclass
class ChangeBar:
    key: str
    count: int
    amount: Decimal
    # The bar's biggest deals (at most DEALS_PER_BAR), each with `open_value`,
    # `open_stage_id`, `open_close` and, for pushed deals, `slips`.
    deals: list[Opportunity] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.deals)


@dataclass
class PipelineChanges:
    period: str
    start: date
    end: date
    # "snapshot" or "history": where the opening state comes from.
    base: str
    opening: Decimal
    opening_count: int
    closing: Decimal
    closing_count: int
    # new, won, lost and value: the changes between the opening and the closing value.
    flows: list[ChangeBar]
    # forward, back and pushed: deals that moved without leaving the pipeline.
    movements: list[ChangeBar]
    stages: dict[int, Stage]

    @property
    def bars(self) -> list[ChangeBar]:
        return self.flows + self.movements


def _opening_rows(start: date) -> QuerySet:
    """The deal's history rows before the start, the latest first (as of the start)."""
    start_at = timezone.make_aware(datetime.combine(start, time.min))
    return Opportunity.history.filter(id=OuterRef("pk"), history_date__lt=start_at).order_by(
        "-history_date", "-history_id"
    )


def _with_opening(deals: QuerySet[Opportunity], rows: QuerySet) -> QuerySet[Opportunity]:
    """Each deal with its opening state: `open_order` (the opening stage's order, None
    unless the stage was open), `open_stage_id`, `open_value` and `open_close`."""
    order_if_open = rows.annotate(
        order_if_open=Case(
            When(stage__is_won=False, stage__is_lost=False, then=F("stage__order")),
            default=None,
        )
    )
    return deals.annotate(
        open_order=Subquery(order_if_open.values("order_if_open")[:1]),
        open_stage_id=Subquery(rows.values("stage_id")[:1]),
        open_value=Subquery(rows.values("value")[:1], output_field=MONEY_FIELD),
        open_close=Subquery(rows.values("expected_close_date")[:1]),
    )


def _conditions(start: date) -> dict[str, Q]:
    new = ~WAS_OPEN & (IS_OPEN | Q(closed_on__gte=start))
    kept = WAS_OPEN & IS_OPEN
    return {
        "new": new,
        "won": Q(stage__is_won=True) & (WAS_OPEN | new),
        "lost": Q(stage__is_lost=True) & (WAS_OPEN | new),
        "value": kept & ~Q(value=F("open_value")),
        "forward": kept & Q(stage__order__gt=F("open_order")),
        "back": kept & Q(stage__order__lt=F("open_order")),
        "pushed": kept & Q(expected_close_date__gt=F("open_close")),
    }


def _money(expression) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=MONEY_FIELD)


# What leaves the pipeline with a won or lost deal: its opening value, or for a deal
# opened in the period, the value it came in with (the "new" bar counts it in).
LEAVING = _money(Case(When(WAS_OPEN, then=F("open_value")), default=F("value")))
AMOUNTS = {
    "new": F("value"),
    "won": LEAVING,
    "lost": LEAVING,
    "value": _money(F("value") - F("open_value")),
    "forward": F("value"),
    "back": F("value"),
    "pushed": F("value"),
}
SIGN = {"won": -1, "lost": -1}


def pipeline_changes(user, *, period: str = "week", today: date | None = None) -> PipelineChanges:
    """The pipeline's changes in the user's scope since the period's start (period_start):
    opening and closing value, new, won, lost and value changed deals (the waterfall),
    deals moved forward, back or with their close date pushed out, each bar with its
    biggest deals (account, stage and owner preloaded). Queries: the scope's own, one for
    the snapshot's existence, one aggregate, one per bar, the stages and the slips."""
    today = today or timezone.localdate()
    start = period_start(period, today)
    from_snapshot = start.weekday() == 0 and OpportunitySnapshot.objects.filter(week=start).exists()
    # Only deals that can have changed: open now, closed or created in the period. Every
    # deal open at the start is one of them, and the years of closed deals are left out
    # before the per-deal lookups of the opening state.
    start_at = timezone.make_aware(datetime.combine(start, time.min))
    candidates = scoped(user, Opportunity.objects.all()).filter(
        IS_OPEN | Q(closed_on__gte=start) | Q(created_at__gte=start_at)
    )
    if from_snapshot:
        # A join with the week's rows: each opening field is read once per deal, where a
        # correlated subquery would run again in every aggregate that names it.
        deals = candidates.annotate(
            base=FilteredRelation("snapshots", condition=Q(snapshots__week=start))
        ).annotate(
            open_order=F("base__stage__order"),
            open_stage_id=F("base__stage_id"),
            open_value=F("base__value"),
            open_close=F("base__expected_close_date"),
        )
    else:
        deals = _with_opening(candidates, _opening_rows(start))
    conditions = _conditions(start)
    aggregates: dict = {
        "opening": Coalesce(Sum("open_value", filter=WAS_OPEN), ZERO, output_field=MONEY_FIELD),
        "opening_count": Count("pk", filter=WAS_OPEN),
        "closing": Coalesce(Sum("value", filter=IS_OPEN), ZERO, output_field=MONEY_FIELD),
        "closing_count": Count("pk", filter=IS_OPEN),
    }
    for key, condition in conditions.items():
        aggregates[f"{key}_count"] = Count("pk", filter=condition)
        aggregates[f"{key}_amount"] = Coalesce(
            Sum(AMOUNTS[key], filter=condition), ZERO, output_field=MONEY_FIELD
        )
    totals = deals.order_by().aggregate(**aggregates)
    bars = {}
    for key, condition in conditions.items():
        rows: list[Opportunity] = []
        if totals[f"{key}_count"]:
            rows = list(
                deals.filter(condition)
                .select_related("account", "stage", "owner")
                .annotate(impact=Abs(AMOUNTS[key]))
                .order_by("-impact", "pk")[:DEALS_PER_BAR]
            )
        bars[key] = ChangeBar(
            key=key,
            count=totals[f"{key}_count"],
            amount=SIGN.get(key, 1) * totals[f"{key}_amount"],
            deals=rows,
        )
    _add_slips(bars["pushed"].deals)
    stages = {stage.pk: stage for stage in Stage.objects.all()}
    for bar in bars.values():
        for deal in bar.deals:
            deal.open_stage = stages.get(deal.open_stage_id)  # type: ignore[attr-defined]
    return PipelineChanges(
        period=period,
        start=start,
        end=today,
        base="snapshot" if from_snapshot else "history",
        opening=totals["opening"],
        opening_count=totals["opening_count"],
        closing=totals["closing"],
        closing_count=totals["closing_count"],
        flows=[bars["new"], bars["won"], bars["lost"], bars["value"]],
        movements=[bars["forward"], bars["back"], bars["pushed"]],
        stages=stages,
    )


def _add_slips(deals: list[Opportunity]) -> None:
    """`slips` on each deal: how often its expected close date was pushed out, counted
    across its weekly snapshots and from the last snapshot to now. One query."""
    if not deals:
        return
    rows = (
        OpportunitySnapshot.objects.filter(opportunity__in=[deal.pk for deal in deals])
        .annotate(
            previous=Window(
                Lag("expected_close_date"), partition_by=[F("opportunity_id")], order_by=F("week")
            )
        )
        .order_by("opportunity_id", "week")
        .values_list("opportunity_id", "expected_close_date", "previous")
    )
    slips: dict[int, int] = {}
    last: dict[int, date | None] = {}
    for deal_id, close, previous in rows:
        if close and previous and close > previous:
            slips[deal_id] = slips.get(deal_id, 0) + 1
        last[deal_id] = close
    for deal in deals:
        count = slips.get(deal.pk, 0)
        before = last.get(deal.pk)
        if before and deal.expected_close_date and deal.expected_close_date > before:
            count += 1
        # In the pushed bar, it slipped at least once, snapshots or not.
        deal.slips = max(count, 1)  # type: ignore[attr-defined]
