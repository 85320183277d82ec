"""Blocks of the plans on the home page (kam.registry.home_blocks)."""

from django.db.models import Q

from accounts.access import scoped
from planning.action_plan import selectors as action_plan_selectors
from planning.models import BriefingConfirmation, CoachingPlan

LIMIT = 8


def objectives_at_risk(*, user) -> dict | None:
    """The user's revenue objectives (own or on their accounts) whose stored forecast is at
    risk or off track, weakest first: one query."""
    objectives = action_plan_selectors.objectives_needing_attention(user).filter(
        Q(owner=user) | Q(account__owner=user)
    )
    return {"objectives": list(objectives[:LIMIT])}


def briefings_to_confirm(*, user) -> dict | None:
    """Coaching plans that name the user as a sales rep and wait for their confirmation
    that they were briefed: one query."""
    plans = (
        scoped(user, CoachingPlan.objects.filter(reps=user))
        .exclude(pk__in=BriefingConfirmation.objects.filter(rep=user).values("plan_id"))
        .select_related("account")
        .order_by("account__name", "title", "pk")
    )
    return {"plans": list(plans[:LIMIT])}
