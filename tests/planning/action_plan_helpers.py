"""Shared set-up for the action plan tests: objectives and actions through the services,
opportunities and figures through their apps' services."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from accounts import services as account_services
from planning.action_plan import services
from planning.models import Action, Objective
from tests.deals.helpers import make_opportunity

YEAR = timezone.localdate().year
HTMX = {"HTTP_HX_REQUEST": "true"}


def make_objective(account, *, actor=None, **fields) -> Objective:
    fields.setdefault("kind", Objective.Kind.REVENUE)
    fields.setdefault("title", "Umsatz steigern")
    if fields["kind"] in (Objective.Kind.REVENUE, Objective.Kind.MARGIN):
        fields.setdefault("target_value", Decimal("800000"))
    fields.setdefault("due_on", date(YEAR, 12, 31))
    return services.objective_create(
        actor=actor or account.owner, account=account, year=fields.pop("year", YEAR), **fields
    )


def make_action(objective, *, actor=None, **fields) -> Action:
    make_action.counter += 1
    fields.setdefault("title", f"Maßnahme {make_action.counter}")
    fields.setdefault("due_on", date(YEAR, 12, 1))
    return services.action_create(
        actor=actor or objective.account.owner, objective=objective, **fields
    )


make_action.counter = 0


def set_revenue(account, revenue, *, margin=Decimal("0"), year=YEAR):
    account_services.figures_put(
        actor=account.owner,
        account=account,
        year=year,
        revenue=Decimal(revenue),
        contribution_margin=Decimal(margin),
    )


def open_deal(account, value, probability, *, close=None, stage="proposal"):
    return make_opportunity(
        account=account,
        stage=stage,
        value=Decimal(value),
        probability=probability,
        expected_close_date=close or date(YEAR, 12, 15),
    )
