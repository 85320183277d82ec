"""The portfolio's block on the home page (kam.registry.home_blocks)."""

from django.db.models import QuerySet

from accounts.access import scoped
from accounts.models import Account
from portfolio.models import HealthSnapshot

LIMIT = 8


def weakest_snapshots(user) -> QuerySet[HealthSnapshot]:
    """The latest scores of the visible key accounts, lowest first: read along the partial
    index of the latest scores, so that the first rows come without ranking them all."""
    return (
        scoped(user, HealthSnapshot.objects.filter(is_latest=True))
        .filter(account__status=Account.Status.KEY_ACCOUNT)
        .select_related("account")
        .only("score", "account__name", "account__tier")
        .order_by("score", "account__name", "account_id")
    )


def weakest_health(*, user) -> dict | None:
    """The visible key accounts with the lowest latest stored health score first (one
    query); None before any score was stored."""
    accounts = []
    for snapshot in weakest_snapshots(user)[:LIMIT]:
        snapshot.account.health_score = snapshot.score  # type: ignore[attr-defined]
        accounts.append(snapshot.account)
    return {"accounts": accounts} if accounts else None
