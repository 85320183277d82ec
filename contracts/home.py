"""The notice deadlines block on the home page (kam.registry.home_blocks)."""

from django.db.models import Q
from django.utils import timezone

from contracts import selectors

LIMIT = 8
WITHIN_DAYS = 90


def notice_deadlines(*, user) -> dict | None:
    """Notice deadlines in the next 90 days: a key account manager's own contracts and
    accounts, everything in scope for the head of sales; soonest first, one query."""
    today = timezone.localdate()
    contracts = selectors.notice_within(selectors.contract_list(user, today=today), WITHIN_DAYS)
    if not user.sees_all_accounts:
        contracts = contracts.filter(Q(owner=user) | Q(account__owner=user))
    return {
        "contracts": list(contracts.order_by("next_notice_deadline", "pk")[:LIMIT]),
        "today": today,
        "days": WITHIN_DAYS,
    }
