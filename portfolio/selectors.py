"""Reads of the portfolio view shared by pages, API and tasks. Each starts from the access
scope: a key account manager's portfolio is their accounts, but shares are always of the
whole company's revenue."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils import timezone

from accounts.access import visible_accounts
from accounts.models import Account
from accounts.selectors import current_year
from kam import versioned_cache
from portfolio import concentration, health
from portfolio.concentration import Pareto, Thresholds, UnitRow, YearSummary
from portfolio.health import HealthScore
from portfolio.models import HealthSnapshot
from users.models import User


def visible_ids_sql(user: User) -> tuple[str, list] | None:
    """The user's visible account ids as SQL for a subquery; None when they see all."""
    if user.sees_all_accounts:
        return None
    return ids_sql(visible_accounts(user))


def ids_sql(accounts: QuerySet[Account]) -> tuple[str, list]:
    """The ids of `accounts` as SQL for a subquery in the raw portfolio queries."""
    try:
        sql, params = accounts.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # nothing visible: an empty set of the ids' type
        return "SELECT CAST(NULL AS bigint) WHERE 1 = 0", []
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
    """Everything the cockpit shows, from the cache while nothing changed (kam.versioned_cache);
    else five queries (thresholds, years, the user's scope, the ranked units, the Pareto
    curve), whatever the number of accounts."""
    return versioned_cache.cached(
        "cockpit",
        (versioned_cache.scope_key(user), year, limit),
        lambda: _cockpit(user, year=year, limit=limit),
        rests_on=versioned_cache.FIGURES,
    )


def _cockpit(user: User, *, year: int | None, limit: int) -> Cockpit:
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


@dataclass
class AccountHealth:
    current: HealthScore
    history: list[HealthSnapshot]  # oldest first
    drop: int | None  # points lost against the best of the previous four stored weeks

    @property
    def dropped(self) -> bool:
        return self.drop is not None and self.drop >= settings.PORTFOLIO_HEALTH_DROP


def account_health(
    account: Account, *, today: date | None = None, weeks: int = 26
) -> AccountHealth:
    """The live score with its parts and facts, the stored weekly scores, and the drop
    flag: three queries (facts, weights, history)."""
    today = today or timezone.localdate()
    annotated = health.health_facts(Account.objects.filter(pk=account.pk), today=today).get()
    current = health.score(annotated, weights=health.weights(), today=today)
    this_week = health.week_of(today)
    history = list(
        HealthSnapshot.objects.filter(account=account, week__lt=this_week).order_by("-week")[:weeks]
    )[::-1]
    previous = [snapshot.score for snapshot in history[-4:]]
    drop = max(previous) - current.score if previous else None
    return AccountHealth(current=current, history=history, drop=drop)


def health_header(*, account: Account, group_ids, user) -> dict | None:
    """The account header's portfolio facts: the dependency warning of the account's
    group (or the account alone) and the latest stored health score with its drop flag.
    Three queries; one more when the year's sums over all accounts are not cached, and
    one to check the group's top account is in the user's scope."""
    year = current_year()
    share = concentration.unit_share(account, year=year)
    if (
        share is not None
        and share.unit_id != account.pk
        and not visible_accounts(user).filter(pk=share.unit_id).exists()
    ):
        # The group's top account is outside the user's scope: its share, not its name.
        share = replace(share, unit_name="")
    latest = list(HealthSnapshot.objects.filter(account=account).order_by("-week")[:5])
    if share is None and not latest:
        return None
    score = latest[0].score if latest else None
    drop = (
        max(s.score for s in latest[1:]) - score if score is not None and len(latest) > 1 else None
    )
    return {
        "share": share if share and share.warning else None,
        "health": score,
        "health_dropped": drop is not None and drop >= settings.PORTFOLIO_HEALTH_DROP,
        "health_drop": drop,
        "account": account,
    }
