"""The writable fields of an account plan, declared once (kam.fields)."""

from typing import TypedDict


class AccountPlanFields(TypedDict, total=False):
    """The texts and the SWOT lists (one item per line; None counts as empty). The account
    and the year are the key of the plan, the status an argument of its own (a change of
    status goes through plan_set_status)."""

    business_goals: str | None
    customer_goals: str | None
    strategies: str | None
    growth_opportunities: str | None
    obstacles: str | None
    strengths: str | None
    weaknesses: str | None
    opportunities: str | None
    threats: str | None
