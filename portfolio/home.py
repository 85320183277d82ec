"""The portfolio's block on the home page (kam.registry.home_blocks)."""

from django.db.models import F

from accounts.access import visible_accounts
from accounts.models import Account
from portfolio.dashboard import latest_health

LIMIT = 8


def weakest_health(*, user) -> dict | None:
    """The visible key accounts with the lowest latest stored health score first (one
    query); None before any score was stored."""
    accounts = list(
        visible_accounts(user)
        .filter(status=Account.Status.KEY_ACCOUNT)
        .annotate(health_score=latest_health())
        .filter(health_score__isnull=False)
        .order_by(F("health_score").asc(), "name", "pk")
        .only("pk", "name", "tier")[:LIMIT]
    )
    return {"accounts": accounts} if accounts else None
