"""One due item for every rule, on a key account of its own: `build()` it, then scan at
`SCAN_DAY` days from today, when all of them are due."""

from datetime import date, timedelta
from decimal import Decimal

from activities import services as activity_services
from contracts import services as contract_services
from contracts.terms import add_months
from customer_care import services as care_services
from customer_care.models import Department
from deals import services as deal_services
from planning.account_plan import services as plan_services
from planning.action_plan import services as objective_services
from reviews import services as review_services
from tests.factories import make_account
from users.models import User

SCAN_DAY = 100


def build(*, owner: User, today: date, number: int) -> None:
    account = make_account(owner=owner, status="key_account", tier="A", name=f"Welt {number}")
    soon = today + timedelta(days=1)
    activity_services.follow_up_create(
        actor=owner, account=account, owner=owner, title="Nachfassen", due_on=soon
    )
    deal_services.opportunity_create(
        actor=owner, account=account, title="Projekt", next_follow_up_on=soon
    )
    # Notice deadline 150 days ahead: within 90 days of the scan day.
    contract_services.contract_create(
        actor=owner, account=account, number=f"A-{number}", title="Rahmenvertrag",
        start_on=today, end_on=add_months(today + timedelta(days=150), 3),
        notice_period_months=3, auto_renewal=True, status="active",
    )  # fmt: skip
    # Notice deadline 60 days ahead: missed on the scan day.
    contract_services.contract_create(
        actor=owner, account=account, number=f"B-{number}", title="Liefervertrag",
        start_on=today, end_on=add_months(today + timedelta(days=60), 3),
        notice_period_months=3, auto_renewal=True, status="active",
    )  # fmt: skip
    # A fixed-term contract ending 20 days after the scan day.
    contract_services.contract_create(
        actor=owner, account=account, number=f"C-{number}", title="Projektvertrag",
        start_on=today, end_on=today + timedelta(days=SCAN_DAY + 20), status="active",
    )  # fmt: skip
    plan_services.plan_create(actor=owner, account=account, year=today.year, status="active")
    objective = objective_services.objective_create(
        actor=owner, account=account, year=today.year, kind="revenue", title="Umsatz",
        target_value=Decimal("100000"), due_on=today.replace(month=12, day=31),
    )  # fmt: skip
    objective_services.action_create(actor=owner, objective=objective, title="CFO", due_on=soon)
    care_services.issue_create(
        actor=owner, account=account, title="Reklamation", severity="high",
        department=Department.objects.get(key="logistics"), due_on=soon,
    )  # fmt: skip
    # The last review was held in January: twelve months are over by the scan day.
    review = review_services.review_create(
        actor=owner, account=account, year=today.year, meeting_on=date(today.year, 1, 15)
    )
    review_services.review_update(actor=owner, review=review, status="held")
    # Another key account's review is planned a few days after the scan day.
    planned = make_account(owner=owner, status="key_account", tier="B", name=f"Plan {number}")
    meeting = today + timedelta(days=SCAN_DAY + 10)
    review_services.review_create(
        actor=owner, account=planned, year=meeting.year, meeting_on=meeting
    )
    # A third key account's review was planned before the scan day and is still open.
    late = make_account(owner=owner, status="key_account", tier="B", name=f"Verzug {number}")
    missed = today + timedelta(days=SCAN_DAY - 10)
    review_services.review_create(actor=owner, account=late, year=missed.year, meeting_on=missed)
