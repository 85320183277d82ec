"""Writes on business cases and their scenarios.

Every write checks that the actor may change the case's account, validates the model (the
one set of rules that forms and API share) and runs in one transaction.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.access import require_edit
from accounts.models import Account
from deals.models import Opportunity
from kam.history import records_author
from kam.tombstones import bury
from kam.unset import UNSET, Unset, given
from kam.validators import require_room
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
    title: str | Unset = UNSET,
    opportunity: Opportunity | None | Unset = UNSET,
    horizon_years: int | Unset = UNSET,
    discount_rate_pct: Decimal | Unset = UNSET,
) -> BusinessCase:
    fields = given(
        title=title, opportunity=opportunity, horizon_years=horizon_years,
        discount_rate_pct=discount_rate_pct,
    )  # fmt: skip
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
    title: str | Unset = UNSET,
    opportunity: Opportunity | None | Unset = UNSET,
    horizon_years: int | Unset = UNSET,
    discount_rate_pct: Decimal | Unset = UNSET,
) -> BusinessCase:
    """Change the given fields (the others stay as they are)."""
    fields = given(
        title=title, opportunity=opportunity, horizon_years=horizon_years,
        discount_rate_pct=discount_rate_pct,
    )  # fmt: skip
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
    name: str | Unset = UNSET,
    yearly_volume: Decimal | Unset = UNSET,
    unit_price: Decimal | Unset = UNSET,
    process_cost: Decimal | Unset = UNSET,
    price_change_pct: Decimal | Unset = UNSET,
    volume_change_pct: Decimal | Unset = UNSET,
    one_off_cost: Decimal | Unset = UNSET,
    yearly_saving: Decimal | Unset = UNSET,
    margin_pct: Decimal | Unset = UNSET,
    position: int | Unset = UNSET,
) -> Scenario:
    """A new scenario, after the last one unless `position` is given."""
    fields = given(
        name=name, yearly_volume=yearly_volume, unit_price=unit_price, process_cost=process_cost,
        price_change_pct=price_change_pct, volume_change_pct=volume_change_pct,
        one_off_cost=one_off_cost, yearly_saving=yearly_saving, margin_pct=margin_pct,
        position=position,
    )  # fmt: skip
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
    name: str | Unset = UNSET,
    yearly_volume: Decimal | Unset = UNSET,
    unit_price: Decimal | Unset = UNSET,
    process_cost: Decimal | Unset = UNSET,
    price_change_pct: Decimal | Unset = UNSET,
    volume_change_pct: Decimal | Unset = UNSET,
    one_off_cost: Decimal | Unset = UNSET,
    yearly_saving: Decimal | Unset = UNSET,
    margin_pct: Decimal | Unset = UNSET,
    position: int | Unset = UNSET,
) -> Scenario:
    """Change the given fields (the others stay as they are)."""
    fields = given(
        name=name, yearly_volume=yearly_volume, unit_price=unit_price, process_cost=process_cost,
        price_change_pct=price_change_pct, volume_change_pct=volume_change_pct,
        one_off_cost=one_off_cost, yearly_saving=yearly_saving, margin_pct=margin_pct,
        position=position,
    )  # fmt: skip
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
