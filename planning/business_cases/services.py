"""Writes on business cases and their scenarios.

Every write checks that the actor may change the case's account, validates the model (the
one set of rules that forms and API share) and runs in one transaction.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.access import require_edit
from accounts.models import Account
from kam.history import records_author
from planning.models import BusinessCase, Scenario
from users.models import User

CASE_FIELDS = {"title", "opportunity", "horizon_years", "discount_rate_pct"}
SCENARIO_FIELDS = {
    "name", "yearly_volume", "unit_price", "process_cost", "price_change_pct",
    "volume_change_pct", "one_off_cost", "yearly_saving", "margin_pct", "position",
}  # fmt: skip


def _check_fields(fields: dict, allowed: set[str], what: str) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown {what} fields: {sorted(unknown)}")


def _check_opportunity(case: BusinessCase) -> None:
    if case.opportunity_id and case.opportunity.account_id != case.account_id:
        raise ValidationError({"opportunity": _("Choose an opportunity of this account.")})


@transaction.atomic
@records_author
def business_case_create(*, actor: User, account: Account, **fields: Any) -> BusinessCase:
    _check_fields(fields, CASE_FIELDS, "business case")
    require_edit(actor, account)
    case = BusinessCase(account=account, created_by=actor, **fields)
    case.full_clean()
    _check_opportunity(case)
    case.save()
    return case


@transaction.atomic
@records_author
def business_case_update(*, actor: User, case: BusinessCase, **fields: Any) -> BusinessCase:
    _check_fields(fields, CASE_FIELDS, "business case")
    require_edit(actor, case.account)
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    _check_opportunity(case)
    case.save()
    return case


@transaction.atomic
@records_author
def business_case_delete(*, actor: User, case: BusinessCase) -> None:
    require_edit(actor, case.account)
    case.delete()


@transaction.atomic
@records_author
def scenario_create(*, actor: User, case: BusinessCase, **fields: Any) -> Scenario:
    _check_fields(fields, SCENARIO_FIELDS, "scenario")
    require_edit(actor, case.account)
    # Lock the case so that two scenarios added at once get different positions.
    BusinessCase.objects.select_for_update().filter(pk=case.pk).first()
    if "position" not in fields:
        last = case.scenarios.aggregate(last=Max("position"))["last"]
        fields["position"] = 0 if last is None else last + 1
    scenario = Scenario(case=case, **fields)
    scenario.full_clean()
    scenario.save()
    return scenario


@transaction.atomic
@records_author
def scenario_update(*, actor: User, scenario: Scenario, **fields: Any) -> Scenario:
    _check_fields(fields, SCENARIO_FIELDS, "scenario")
    require_edit(actor, scenario.case.account)
    for name, value in fields.items():
        setattr(scenario, name, value)
    scenario.full_clean()
    scenario.save()
    return scenario


@transaction.atomic
@records_author
def scenario_delete(*, actor: User, scenario: Scenario) -> None:
    require_edit(actor, scenario.case.account)
    scenario.delete()
