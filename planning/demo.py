from planning.account_plan import demo as account_plan_demo
from planning.action_plan import demo as action_plan_demo
from planning.business_cases import demo as business_cases_demo
from planning.coaching import demo as coaching_demo
from planning.whitespace import demo as whitespace_demo


def seed(users) -> int:
    parts = (account_plan_demo, action_plan_demo, coaching_demo, business_cases_demo,
             whitespace_demo)  # fmt: skip
    return sum(part.seed(users) for part in parts)
