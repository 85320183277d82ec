"""Blocks of the accounts on the home page (kam.registry.home_blocks)."""

from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import Coalesce

from accounts.access import scoped
from accounts.models import Account, YearlyFigures
from accounts.selectors import MONEY_FIELD, current_year
from kam import versioned_cache

LIMIT = 10


def my_key_accounts(*, user) -> dict | None:
    """The user's own key accounts, the longest silence first (never contacted leads), with
    the last contact: one query on the indexed last_contacted_at."""
    accounts = (
        Account.objects.filter(owner=user, status=Account.Status.KEY_ACCOUNT)
        .order_by(F("last_contacted_at").asc(nulls_first=True), "name", "pk")
        .only("pk", "name", "tier", "last_contacted_at")
    )
    return {"accounts": list(accounts[:LIMIT])}


def team_figures(*, user) -> dict | None:
    """This year's revenue and contribution margin of every visible account against their
    targets: one aggregate query over the year's figures (for a head of sales without
    joining the accounts: `scoped`), kept in the figures cache until figures, accounts,
    teams or users change (the same for every head of sales)."""
    year = current_year()
    totals = versioned_cache.cached(
        "team_figures",
        (versioned_cache.scope_key(user), year),
        lambda: _year_totals(user, year),
        rests_on=versioned_cache.FIGURES,
    )

    def percent(actual, target):
        return actual * 100 / target if target else None

    return {
        "year": year,
        **totals,
        "revenue_percent": percent(totals["revenue"], totals["revenue_target"]),
        "margin_percent": percent(totals["margin"], totals["margin_target"]),
    }


def _year_totals(user, year: int) -> dict:
    return scoped(user, YearlyFigures.objects.filter(year=year)).aggregate(
        revenue=Coalesce(Sum("revenue"), Decimal("0"), output_field=MONEY_FIELD),
        revenue_target=Sum("revenue_target"),
        margin=Coalesce(Sum("contribution_margin"), Decimal("0"), output_field=MONEY_FIELD),
        margin_target=Sum("margin_target"),
    )
