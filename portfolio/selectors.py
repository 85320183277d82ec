"""Reads of the portfolio view shared by pages, API and tasks. Each starts from the access
scope: a key account manager's portfolio is their accounts, but shares are always of the
whole company's revenue."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet

from accounts.access import visible_accounts
from accounts.selectors import current_year
from portfolio import concentration
from portfolio.concentration import Pareto, Thresholds, UnitRow, YearSummary
from users.models import User


def visible_ids_sql(user: User) -> tuple[str, list] | None:
    """The user's visible account ids as SQL for a subquery; None when they see all."""
    if user.sees_all_accounts:
        return None
    try:
        sql, params = visible_accounts(user).order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a user who sees no account at all
        return "SELECT NULL WHERE 1 = 0", []
    return sql, list(params)


@dataclass
class Cockpit:
    year: int
    years: list[int]
    summaries: list[YearSummary]
    summary: YearSummary | None
    units: list[UnitRow]
    pareto: Pareto | None
    limits: Thresholds

    @property
    def warnings(self) -> list[UnitRow]:
        return [unit for unit in self.units if unit.warning]


def cockpit(user: User, *, year: int | None = None, limit: int = 25) -> Cockpit:
    """Everything the cockpit shows: five queries (thresholds, years, the user's scope,
    the ranked units, the Pareto curve), whatever the number of accounts."""
    limits = concentration.thresholds()
    summaries = concentration.year_summaries()
    years = [s.year for s in summaries]
    if year is None:
        year = current_year() if current_year() in years or not years else years[-1]
    summary = next((s for s in summaries if s.year == year), None)
    units = concentration.ranked_units(
        year=year, visible_ids_sql=visible_ids_sql(user), limit=limit, limits=limits
    )
    curve = concentration.pareto(year=year) if summary else None
    return Cockpit(
        year=year,
        years=years,
        summaries=summaries,
        summary=summary,
        units=units,
        pareto=curve,
        limits=limits,
    )
