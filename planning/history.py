"""The history of account plans and coaching plans (kam.registry.history_kinds
"account_plan" and "coaching_plan")."""

from kam.history import Source
from planning.account_plan.services import SWOT_LABELS
from planning.models import AccountPlan, CoachingPlan


def account_plan_sources(plan: AccountPlan) -> list[Source]:
    rows = AccountPlan.history.filter(id=plan.pk)
    return [Source(AccountPlan, rows, labels=SWOT_LABELS, key="plan")]


def coaching_plan_sources(plan: CoachingPlan) -> list[Source]:
    return [Source(CoachingPlan, CoachingPlan.history.filter(id=plan.pk), key="plan")]
