"""The values of an objective's target forecast that follow from its sums.

The sums (actual revenue and margin, last year's revenue, potential, the actuals' day,
won deals not yet invoiced, the open pipeline) are subqueries per objective, computed in
SQL by `planning.action_plan.selectors.with_forecast`. What follows from them (days to
come, run-rate, forecast total, percentages, verdict) is plain arithmetic on one row, done
here once per row: as SQL expressions every use of a derived value repeated the subqueries
it is made of, so the database ran each sum up to five times and Django compiled a query
of 40 KB for every list.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from deals.models import Opportunity

ON_TRACK, AT_RISK, OFF_TRACK = "on_track", "at_risk", "off_track"
REVENUE = "revenue"


def days_in_year(year: int) -> int:
    return (date(year, 12, 31) - date(year, 1, 1)).days + 1


def days_to_come(year: int, figures_as_of: date | None, today: date) -> int:
    """Days of the objective's year not covered by actuals: none for a past year, the
    days after the actuals' day, the whole year while it has none."""
    if year < today.year:
        return 0
    if figures_as_of is None or figures_as_of.year < year:
        return days_in_year(year)
    if figures_as_of.year > year:
        return 0
    return (date(year, 12, 31) - figures_as_of).days


def run_rate(actual: Decimal, last_year: Decimal, year: int, days: int) -> Decimal:
    """The yearly revenue the run-rate continues (settings.FORECAST_RUN_RATE), pro-rated
    by the days still to come: actuals standing at 7 December leave 24 days, not 0
    months."""
    share = Decimal(days) / days_in_year(year)
    method = settings.FORECAST_RUN_RATE
    if method == "last_year":
        base = last_year
    elif method == "trailing_year":
        # The twelve months up to the actuals' day: this year's actuals plus the share of
        # last year's revenue for the days not yet covered.
        base = actual + last_year * share
    else:
        return Decimal(0)
    return base * share


def percent_of(part: Decimal | None, target: Decimal | None) -> Decimal | None:
    if part is None or target is None or target <= 0:
        return None
    return Decimal(part) * 100 / target


def verdict(kind: str, target: Decimal | None, total: Decimal) -> str | None:
    """For revenue objectives with a target: on track, at risk or off track (thresholds
    settings.FORECAST_ON_TRACK_PERCENT and FORECAST_AT_RISK_PERCENT), compared as
    total × 100 >= target × threshold so that no division rounds."""
    if kind != REVENUE or target is None or target <= 0:
        return None
    if total * 100 >= target * Decimal(settings.FORECAST_ON_TRACK_PERCENT):
        return ON_TRACK
    if total * 100 >= target * Decimal(settings.FORECAST_AT_RISK_PERCENT):
        return AT_RISK
    return OFF_TRACK


class ForecastValues:
    """The derived values as properties of an Objective loaded through with_forecast (an
    objective loaded otherwise has no sums, and reading these raises AttributeError)."""

    # The sums with_forecast annotates.
    year: int
    kind: str
    target_value: Decimal | None
    actual_revenue: Decimal
    actual_margin: Decimal
    last_year_revenue: Decimal
    potential: Decimal | None
    covered_revenue: Decimal | None
    figures_as_of: date | None
    won_not_invoiced: Decimal
    weighted_pipeline: Decimal
    subsidiaries_revenue_target: Decimal | None
    group_members: int
    group_path: str
    open_pipeline: Decimal
    actions_total: int
    actions_done: int
    # Set on revenue objectives by planning.action_plan.selectors.attach_forecast_deals.
    forecast_deals: list[Opportunity]

    @property
    def is_group(self) -> bool:
        return self.group_members > 1

    @property
    def revenue_target_compared(self) -> Decimal | None:
        """Like with like: a group's revenue (the account and every subsidiary below it)
        against the group's target: the objective's target (the parent's own, which it
        sets in the figures) plus the subsidiaries' revenue targets of the year (README
        "Target forecast"); an account without subsidiaries against its own target."""
        if self.is_group and self.target_value is not None:
            return self.target_value + (self.subsidiaries_revenue_target or Decimal(0))
        return self.target_value

    @property
    def days_to_come(self) -> int:
        return days_to_come(self.year, self.figures_as_of, timezone.localdate())

    @property
    def run_rate(self) -> Decimal:
        return run_rate(self.actual_revenue, self.last_year_revenue, self.year, self.days_to_come)

    @property
    def share_of_wallet(self) -> Decimal | None:
        if self.potential is None or self.potential <= 0 or self.covered_revenue is None:
            return None
        return self.covered_revenue * 100 / self.potential

    @property
    def forecast_total(self) -> Decimal:
        return self.actual_revenue + self.won_not_invoiced + self.weighted_pipeline + self.run_rate

    @property
    def revenue_percent(self) -> Decimal | None:
        return percent_of(self.actual_revenue, self.revenue_target_compared)

    @property
    def margin_percent(self) -> Decimal | None:
        return percent_of(self.actual_margin, self.target_value)

    @property
    def share_percent(self) -> Decimal | None:
        return percent_of(self.share_of_wallet, self.target_value)

    @property
    def forecast_percent(self) -> Decimal | None:
        return percent_of(self.forecast_total, self.revenue_target_compared)

    @property
    def verdict(self) -> str | None:
        return verdict(self.kind, self.revenue_target_compared, self.forecast_total)
