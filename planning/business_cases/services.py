"""Writes on business cases and their scenarios.

Every write checks that the actor may change the case's account, validates the model (the
one set of rules that forms and API share) and runs in one transaction.
"""

from typing import Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.access import require_edit
from accounts.models import Account
from kam.fields import given_fields
from kam.history import records_author
from kam.tombstones import bury
from kam.validators import require_room
from planning.business_cases.fields import BusinessCaseFields, ScenarioFields
from planning.models import BusinessCase, Scenario
from users.models import User


def _check_opportunity(case: BusinessCase) -> None:
    opportunity = case.opportunity if case.opportunity_id else None
    if opportunity is not None and opportunity.account_id != case.account_id:
        raise ValidationError({"opportunity": _("Choose an opportunity of this account.")})


@transaction.atomic
@records_author
def business_case_create(
    *,
    actor: User,
    account: Account,
    **given: Unpack[BusinessCaseFields],
) -> BusinessCase:
    fields = given_fields(BusinessCaseFields, given)
    require_edit(actor, account)
    case = BusinessCase(account=account, created_by=actor, **fields)
    case.full_clean()
    _check_opportunity(case)
    case.save()
    return case


@transaction.atomic
@records_author
def business_case_update(
    *,
    actor: User,
    case: BusinessCase,
    **given: Unpack[BusinessCaseFields],
) -> BusinessCase:
    """Change the given fields (the others stay as they are)."""
    fields = given_fields(BusinessCaseFields, given)
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
    bury(case, kind="business_case")
    case.delete()


@transaction.atomic
@records_author
def scenario_create(
    *,
    actor: User,
    case: BusinessCase,
    **given: Unpack[ScenarioFields],
) -> Scenario:
    """A new scenario, after the last one unless `position` is given."""
    fields = given_fields(ScenarioFields, given)
    require_edit(actor, case.account)
    # Lock the case so that two scenarios added at once get different positions.
    BusinessCase.objects.select_for_update().filter(pk=case.pk).first()
    require_room(case.scenarios.count())
    if "position" not in fields:
        last = case.scenarios.aggregate(last=Max("position"))["last"]
        fields["position"] = 0 if last is None else last + 1
    scenario = Scenario(case=case, **fields)
    scenario.full_clean()
    scenario.save()
    return scenario


@transaction.atomic
@records_author
def scenario_update(
    *,
    actor: User,
    scenario: Scenario,
    **given: Unpack[ScenarioFields],
) -> Scenario:
    """Change the given fields (the others stay as they are)."""
    fields = given_fields(ScenarioFields, given)
    require_edit(actor, scenario.case.account)
    for field_name, value in fields.items():
        setattr(scenario, field_name, value)
    scenario.full_clean()
    scenario.save()
    return scenario


@transaction.atomic
@records_author
def scenario_delete(*, actor: User, scenario: Scenario) -> None:
    require_edit(actor, scenario.case.account)
    bury(scenario, kind="scenario", account_id=scenario.case.account_id)
    scenario.delete()
