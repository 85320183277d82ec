"""Reads of the action plan. Each starts from the access scope.

The sums of progress and target forecast of objectives are computed in SQL (subqueries per
row), and the group figures for the fetched rows in one more query (attach_group_figures),
so a list of any length takes two queries; what follows from them is arithmetic on
the row (planning.forecast_math); `Forecast` and `Progress` round the values and put them
into words.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import hierarchy
from accounts.access import scoped
from accounts.models import Account, AccountPlacement, YearlyFigures, path_ids
from deals.models import Opportunity
from deals.selectors import WEIGHTED
from kam.formats import money
from planning.models import Action, ForecastVerdict, Objective, ObjectiveAdjustment
from users.models import User

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
PERCENT_FIELD = DecimalField(max_digits=12, decimal_places=4)
ZERO = Value(Decimal("0"), output_field=MONEY_FIELD)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")
OPEN_ACTION = [Action.Status.OPEN, Action.Status.IN_PROGRESS]
MY_WORK_LIMIT = 50
CLOSED_OBJECTIVE = [Objective.Status.ACHIEVED, Objective.Status.MISSED, Objective.Status.DROPPED]

ON_TRACK, AT_RISK, OFF_TRACK = (
    ForecastVerdict.ON_TRACK.value,
    ForecastVerdict.AT_RISK.value,
    ForecastVerdict.OFF_TRACK.value,
)
VERDICT_LABELS: dict[str, str | Promise] = {
    ON_TRACK: ForecastVerdict.ON_TRACK.label,
    AT_RISK: ForecastVerdict.AT_RISK.label,
    OFF_TRACK: ForecastVerdict.OFF_TRACK.label,
}
VERDICT_BADGES: dict[str, str] = {
    ON_TRACK: "badge-ok",
    AT_RISK: "badge-warn",
    OFF_TRACK: "badge-bad",
}


def _in_group(outer: str = "account__path") -> Q:
    """The objective's account and every subsidiary below it (a group objective rolls up
    its group, as the group figures do)."""
    return Q(account__path__in_subtree_of=OuterRef(outer))


def _group_members() -> Subquery:
    """How many accounts the objective's group holds (1: an account without subsidiaries)."""
    members = (
        Account.objects.filter(path__in_subtree_of=OuterRef("account__path"))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(members, output_field=IntegerField())


def _open_deals() -> QuerySet[Opportunity, Mapping[str, object]]:
    """Open deals of the group expected to close in the objective's year, grouped on a
    column that is the same for all of them, so that a sum is one row."""
    return (
        Opportunity.objects.filter(
            _in_group(),
            stage__is_won=False,
            stage__is_lost=False,
            expected_close_date__year=OuterRef("year"),
        )
        .order_by()
        .values("stage__is_won")
    )


def _weighted_pipeline() -> Subquery:
    """value × probability / 100 of the open deals, summed."""
    return Subquery(
        _open_deals().annotate(total=Sum(WEIGHTED)).values("total"), output_field=MONEY_FIELD
    )


def _open_pipeline() -> Subquery:
    return Subquery(
        _open_deals().annotate(total=Sum("value")).values("total"), output_field=MONEY_FIELD
    )


def _won_not_invoiced() -> Subquery:
    """Won deals of the group closed in the objective's year after the moment their
    account's actuals of that year stand at (`actuals_at`: the time of the push, or the end
    of an earlier day); all of them while the year has no actuals (an ERP that sends
    figures only at year end). Rows or deals without a moment (loaded around the services)
    compare days."""
    figures = YearlyFigures.objects.filter(
        account=OuterRef("account_id"), year=OuterRef(OuterRef("year"))
    )
    by_day = figures.filter(actuals_as_of__gte=OuterRef("closed_on"))
    invoiced = (
        Exists(figures.filter(actuals_at__gte=OuterRef("closed_at")))
        | Exists(by_day.filter(actuals_at__isnull=True))
        | Q(closed_at__isnull=True) & Exists(by_day)
    )
    deals = Opportunity.objects.filter(
        _in_group(), stage__is_won=True, closed_on__year=OuterRef("year")
    ).exclude(invoiced)
    return Subquery(
        deals.order_by().values("stage__is_won").annotate(total=Sum("value")).values("total"),
        output_field=MONEY_FIELD,
    )


def _action_count(condition: Q) -> Coalesce:
    counted = (
        Action.objects.filter(condition, objective=OuterRef("pk"))
        .order_by()
        .values("objective")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# --- group figures, read for the fetched rows --------------------------------------------

# Objectives whose group figures one query reads (a page is 25-100; the nightly refresh
# reads all open objectives in batches of this size).
GROUP_FIGURES_BATCH = 500


@dataclass
class _GroupFigures:
    """The sums of one objective's group figures (see attach_group_figures)."""

    actual_revenue: Decimal = Decimal("0")
    actual_margin: Decimal = Decimal("0")
    last_year_revenue: Decimal = Decimal("0")
    potential: Decimal | None = None
    subsidiaries_revenue_target: Decimal | None = None
    covered_revenue: Decimal | None = None
    figures_as_of: date | None = None


def _plus(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    """SQL's SUM: null values left out, null when there is nothing to add."""
    if value is None:
        return total
    return value if total is None else total + value


def attach_group_figures(objectives: list[Objective]) -> None:
    """Set the group figures on objectives annotated by with_forecast, in one query for
    all of them: actual_revenue and actual_margin (the figures of the objective's year of
    the accounts in its group), last_year_revenue (the year before, of the same members),
    potential, subsidiaries_revenue_target (the members' targets but the objective's
    account's own), covered_revenue (the revenue of the members with a potential) and
    figures_as_of (the latest day the actuals stand at).

    The members of a year are the accounts whose path at the end of the objective's year
    runs through the objective's account (accounts.hierarchy): a past year's objective
    keeps its members, also in the run-rate base. The query reads the figures of the
    years wanted of the accounts in these groups now or once (closed placements), with
    each one's path at the end of every objective year of the rows; the sums are added
    here, per group and year, instead of in a subquery per objective that reads every
    yearly figure."""
    if not objectives:
        return
    years = {objective.year for objective in objectives}
    groups = {objective.account_id: objective.group_path for objective in objectives}
    now_in = Q()
    once_in = Q()
    for group_id, path in groups.items():
        now_in |= Q(path__in_subtree_of=path)
        once_in |= Q(path__contains=f"/{group_id}/")
    # One semi-join (not two IN lists in an OR), so that the figures are read along their
    # account index.
    placed = AccountPlacement.objects.filter(once_in, valid_to__isnull=False)
    candidates = Q(
        account_id__in=Account.objects.filter(now_in | Q(pk__in=placed.values("account_id")))
        .order_by()
        .values("pk")
    )
    path_at = {
        year: Coalesce(
            Subquery(
                hierarchy.closed_placements_at(date(year, 12, 31))
                .filter(account_id=OuterRef("account_id"))
                .order_by("-pk")
                .values("path")[:1]
            ),
            F("account__path"),
            output_field=CharField(),
        )
        for year in years
    }
    rows = (
        YearlyFigures.objects.filter(candidates, year__in=years | {year - 1 for year in years})
        .order_by()
        .annotate(**{f"path_{year}": expression for year, expression in path_at.items()})
        .values(
            "account_id",
            "year",
            "revenue",
            "contribution_margin",
            "revenue_potential",
            "revenue_target",
            "actuals_as_of",
            *(f"path_{year}" for year in years),
        )
    )
    # (group account, objective year, figures year) -> sums. A row counts for every
    # account on its path at the end of each objective year.
    sums: dict[tuple[int, int, int], _GroupFigures] = {}
    wanted = set(groups)
    for row in rows:
        for year in years:
            if row["year"] not in (year, year - 1):
                continue
            for group_id in wanted.intersection(path_ids(row[f"path_{year}"])):
                figures = sums.setdefault((group_id, year, row["year"]), _GroupFigures())
                _add(figures, row, own=row["account_id"] == group_id)
    for objective in objectives:
        this_year = sums.get((objective.account_id, objective.year, objective.year))
        last_year = sums.get((objective.account_id, objective.year, objective.year - 1))
        figures = this_year or _GroupFigures()
        objective.actual_revenue = figures.actual_revenue
        objective.actual_margin = figures.actual_margin
        objective.last_year_revenue = last_year.actual_revenue if last_year else Decimal("0")
        objective.potential = figures.potential
        objective.subsidiaries_revenue_target = figures.subsidiaries_revenue_target
        objective.covered_revenue = figures.covered_revenue
        objective.figures_as_of = figures.figures_as_of


def _add(figures: _GroupFigures, row: Mapping, *, own: bool) -> None:
    figures.actual_revenue += row["revenue"]
    figures.actual_margin += row["contribution_margin"]
    figures.potential = _plus(figures.potential, row["revenue_potential"])
    if row["revenue_potential"] is not None:
        figures.covered_revenue = _plus(figures.covered_revenue, row["revenue"])
    if not own:
        figures.subsidiaries_revenue_target = _plus(
            figures.subsidiaries_revenue_target, row["revenue_target"]
        )
    as_of = row["actuals_as_of"]
    if as_of is not None and (figures.figures_as_of is None or as_of > figures.figures_as_of):
        figures.figures_as_of = as_of


class _WithGroupFigures(ModelIterable):
    """Objectives as fetched, with attach_group_figures run on them in batches: a page
    of any length reads its group figures in one more query."""

    def __iter__(self) -> Iterator[Objective]:
        batch: list[Objective] = []
        for objective in super().__iter__():
            batch.append(objective)
            if len(batch) == GROUP_FIGURES_BATCH:
                attach_group_figures(batch)
                yield from batch
                batch = []
        attach_group_figures(batch)
        yield from batch


def with_forecast(objectives: QuerySet[Objective]) -> QuerySet[Objective]:
    """Annotate the sums of progress and forecast, each a subquery per objective:

    - actions_total (dropped ones left out) and actions_done;
    - group_path (the path of the objective's account) and group_members;
    - won_not_invoiced, weighted_pipeline and open_pipeline (unweighted);

    and, set on the rows once they are fetched (attach_group_figures, one more query for
    the page): actual_revenue and actual_margin (the figures of the objective's year of
    the account and every subsidiary below it), last_year_revenue, potential,
    subsidiaries_revenue_target, covered_revenue (the revenue of the members with a
    potential) and figures_as_of (the actuals' day). They are not columns of the query:
    nothing filters or sorts on them in SQL.

    What follows from them (days_to_come, run_rate, share_of_wallet, forecast_total,
    revenue_percent, margin_percent, share_percent, forecast_percent and the verdict;
    README "Target forecast") are properties of the objective (planning.forecast_math),
    computed once per row instead of repeating the subqueries in SQL.
    """
    # The names are declared on the model (ForecastValues), which the stubs take for a clash.
    annotated = objectives.annotate(  # type: ignore[no-redef]
        actions_total=_action_count(~Q(status=Action.Status.DROPPED)),
        actions_done=_action_count(Q(status=Action.Status.DONE)),
        group_path=F("account__path"),
        group_members=Coalesce(_group_members(), 1),
        won_not_invoiced=Coalesce(_won_not_invoiced(), ZERO),
        weighted_pipeline=Coalesce(_weighted_pipeline(), ZERO),
        open_pipeline=Coalesce(_open_pipeline(), ZERO),
    )
    # The group figures are read once the rows are fetched (a values() query leaves them
    # out, as it leaves out every field it does not name).
    annotated._iterable_class = _WithGroupFigures
    return annotated


def objective_list(user: User | AnonymousUser) -> QuerySet[Objective]:
    """Visible objectives with account and owner joined and progress and forecast annotated
    (see with_forecast): two queries for a list of any length."""
    return with_forecast(scoped(user, Objective.objects.all()).select_related("account", "owner"))


def objectives_with_details(user: User | AnonymousUser) -> QuerySet[Objective]:
    """objective_list plus the actions (with owner) and adjustments (with author)
    prefetched: two more queries for the whole list."""
    return objective_list(user).prefetch_related(
        Prefetch(
            "actions", queryset=Action.objects.select_related("owner").order_by("due_on", "pk")
        ),
        Prefetch(
            "adjustments",
            queryset=ObjectiveAdjustment.objects.select_related("changed_by").order_by(
                "-changed_at", "-pk"
            ),
        ),
    )


def action_list(user: User | AnonymousUser) -> QuerySet[Action]:
    """Visible actions with objective, account and owner joined."""
    return scoped(user, Action.objects.all(), via="objective__account").select_related(
        "objective", "objective__account", "owner"
    )


def open_actions_of(user: User) -> QuerySet[Action]:
    """The user's open and in-progress actions within their scope, earliest due first."""
    return action_list(user).filter(owner=user, status__in=OPEN_ACTION).order_by("due_on", "pk")


def overdue_actions(user: User) -> QuerySet[Action]:
    """Open actions past their due date, oldest first."""
    today = timezone.localdate()
    return (
        action_list(user).filter(status__in=OPEN_ACTION, due_on__lt=today).order_by("due_on", "pk")
    )


def objectives_needing_attention(user: User) -> QuerySet[Objective]:
    """Open objectives whose stored forecast verdict is at risk or off track, the weakest
    first, with the live forecast annotated for display (see objective_list).

    The stored forecast (planning.action_plan.forecast_store) decides which rows and in
    which order, so that the forecast subqueries run only for the rows fetched, not for
    every open objective of the year; a row shows the exact forecast of the moment.
    """
    return (
        objective_list(user)
        .exclude(status__in=CLOSED_OBJECTIVE)
        .filter(stored_forecast_verdict__in=[AT_RISK, OFF_TRACK])
        # The verdict is only stored with a percent; ascending and nulls last, as the
        # objective_attention_order index reads.
        .order_by("stored_forecast_percent", "due_on", "pk")
    )


# --- rounding and words --------------------------------------------------------------


def _money(value) -> Decimal:
    return Decimal(value if value is not None else 0).quantize(CENT, rounding=ROUND_HALF_EVEN)


def _percent(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Forecast:
    """The target forecast of a revenue objective, with its parts."""

    actual: Decimal
    weighted_pipeline: Decimal
    total: Decimal
    target: Decimal
    percent: Decimal | None
    verdict: str | None
    won_not_invoiced: Decimal = Decimal("0.00")
    # "group": the group's forecast against the group's target (the sum of its accounts'
    # targets); "own": an account without subsidiaries, against its own.
    target_scope: str = field(default="own", compare=False)
    group_members: int = field(default=1, compare=False)
    run_rate: Decimal = Decimal("0.00")
    # Not compared: the Python reference takes the run-rate as given.
    days_to_come: int = field(default=0, compare=False)
    open_pipeline: Decimal = Decimal("0.00")
    # The open deals behind the weighted pipeline, where attached.
    deals: tuple = field(default=(), compare=False)

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS.get(self.verdict or "", ""))

    @property
    def badge(self) -> str:
        return VERDICT_BADGES.get(self.verdict or "", "")

    @property
    def gap(self) -> Decimal:
        """What the forecast lacks to reach the target (0 when it reaches it)."""
        return max(self.target - self.total, Decimal("0.00"))

    @property
    def average_probability(self) -> Decimal | None:
        """The open deals' weighted value against their value, in %."""
        if not self.open_pipeline:
            return None
        return _percent(self.weighted_pipeline * 100 / self.open_pipeline)

    @property
    def pipeline_needed(self) -> Decimal:
        """New open pipeline that would close the gap at the open deals' average
        probability (the gap itself when there are no open deals)."""
        if not self.gap or not self.weighted_pipeline:
            return self.gap
        return _money(self.gap * self.open_pipeline / self.weighted_pipeline)


def verdict_for(percent: Decimal | None) -> str | None:
    """The verdict of a forecast percent, as a reference for tests (the objective's own
    verdict, planning.forecast_math, compares without dividing)."""
    if percent is None:
        return None
    if percent >= settings.FORECAST_ON_TRACK_PERCENT:
        return ON_TRACK
    if percent >= settings.FORECAST_AT_RISK_PERCENT:
        return AT_RISK
    return OFF_TRACK


def forecast_reference(
    *,
    actual: Decimal,
    open_deals: list[tuple[Decimal, int]],
    target: Decimal,
    won_not_invoiced: Decimal = Decimal("0"),
    run_rate: Decimal = Decimal("0"),
) -> Forecast:
    """The forecast computed in Python from its parts: open_deals are (value, probability)
    of the open deals closing in the objective's year. Tests hold the objective's forecast
    (SQL sums, planning.forecast_math) against it."""
    weighted = sum((value * probability / 100 for value, probability in open_deals), Decimal(0))
    total = actual + won_not_invoiced + weighted + run_rate
    percent = total * 100 / target if target else None
    return Forecast(
        actual=_money(actual),
        weighted_pipeline=_money(weighted),
        total=_money(total),
        target=_money(target),
        percent=_percent(percent),
        verdict=verdict_for(percent),
        won_not_invoiced=_money(won_not_invoiced),
        run_rate=_money(run_rate),
        open_pipeline=_money(sum((value for value, _p in open_deals), Decimal(0))),
    )


def forecast_of(objective: Objective) -> Forecast | None:
    """The forecast of an objective annotated by with_forecast; None unless it is a revenue
    objective with a target."""
    if objective.kind != Objective.Kind.REVENUE or not objective.target_value:
        return None
    return Forecast(
        actual=_money(objective.actual_revenue),
        weighted_pipeline=_money(objective.weighted_pipeline),
        total=_money(objective.forecast_total),
        target=_money(objective.revenue_target_compared),
        percent=_percent(objective.forecast_percent),
        verdict=objective.verdict,
        won_not_invoiced=_money(objective.won_not_invoiced),
        target_scope="group" if objective.is_group else "own",
        group_members=objective.group_members,
        run_rate=_money(objective.run_rate),
        days_to_come=objective.days_to_come,
        open_pipeline=_money(objective.open_pipeline),
        deals=tuple(getattr(objective, "forecast_deals", ())),
    )


def attach_forecast_deals(objectives: list[Objective]) -> None:
    """Set `forecast_deals` on revenue objectives: the open deals of their group closing
    in their year, biggest weighted value first (one query for all of them)."""
    wanted = {
        (o.account.path, o.year)
        for o in objectives
        if o.kind == Objective.Kind.REVENUE and o.target_value
    }
    if not wanted:
        return
    condition = Q()
    for path, year in wanted:
        condition |= Q(account__path__startswith=path, expected_close_date__year=year)
    deals = list(
        Opportunity.objects.filter(condition, stage__is_won=False, stage__is_lost=False)
        .select_related("account", "stage")
        .annotate(weighted=WEIGHTED)
        .order_by("-weighted", "pk")
    )
    for objective in objectives:
        objective.forecast_deals = [
            deal
            for deal in deals
            if deal.account.path.startswith(objective.account.path)
            and deal.expected_close_date
            and deal.expected_close_date.year == objective.year
        ]


@dataclass(frozen=True)
class Progress:
    actions_done: int
    actions_total: int
    actions_percent: Decimal | None
    actual: Decimal | None  # revenue or margin (money), or the share of wallet (%)
    figures_percent: Decimal | None
    unit: str = "money"  # "money", "percent", or "" for objectives without a figure

    @property
    def percent(self) -> Decimal | None:
        """The headline: the real figures where the objective has them, else the actions."""
        return self.figures_percent if self.figures_percent is not None else self.actions_percent

    @property
    def bar_value(self) -> Decimal:
        return min(self.percent or Decimal(0), Decimal(100))

    @property
    def actions_bar_value(self) -> Decimal:
        return self.actions_percent or Decimal(0)


# The unit of an objective's target value.
UNITS: dict[str, str] = {
    Objective.Kind.REVENUE: "money",
    Objective.Kind.MARGIN: "money",
    Objective.Kind.SHARE_OF_WALLET: "percent",
}


def progress_of(objective: Objective) -> Progress:
    total, done = objective.actions_total, objective.actions_done
    actual = figures_percent = None
    if objective.kind == Objective.Kind.REVENUE:
        actual, figures_percent = _money(objective.actual_revenue), objective.revenue_percent
    elif objective.kind == Objective.Kind.MARGIN:
        actual, figures_percent = _money(objective.actual_margin), objective.margin_percent
    elif objective.kind == Objective.Kind.SHARE_OF_WALLET and objective.share_of_wallet is not None:
        actual, figures_percent = _percent(objective.share_of_wallet), objective.share_percent
    return Progress(
        actions_done=done,
        actions_total=total,
        actions_percent=_percent(Decimal(done) * 100 / total) if total else None,
        actual=actual,
        figures_percent=_percent(figures_percent),
        unit=UNITS.get(objective.kind, ""),
    )


def decorate(objectives, *, with_deals: bool = False) -> list[Objective]:
    """Attach `forecast` and `progress` to annotated objectives (for templates); with
    `with_deals`, the forecast lists its open deals (one more query)."""
    rows = list(objectives)
    if with_deals:
        attach_forecast_deals(rows)
    for objective in rows:
        objective.forecast = forecast_of(objective)
        objective.progress = progress_of(objective)
        if "adjustments" in getattr(objective, "_prefetched_objects_cache", {}):
            for adjustment in objective.adjustments.all():
                adjustment.old_display = adjustment_value(adjustment.field, adjustment.old_value)
                adjustment.new_display = adjustment_value(adjustment.field, adjustment.new_value)
    return rows


ADJUSTED_LABELS = {"target_value": _("Target value"), "due_on": _("Due date")}


def adjustment_value(field: str, raw: str) -> str:
    """An adjustment's stored old or new value (plain text) as the user reads it."""
    if not raw:
        return "–"
    try:
        if field == "target_value":
            return money(Decimal(raw))
        if field == "due_on":
            return date_format(date.fromisoformat(raw), "SHORT_DATE_FORMAT")
    except (ValueError, ArithmeticError):
        pass
    return raw


def my_work_actions(*, user: User) -> dict:
    """The user's open plan actions, for "My work" (at most MY_WORK_LIMIT)."""
    return {"plan_actions": list(open_actions_of(user)[:MY_WORK_LIMIT])}
