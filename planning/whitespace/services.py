"""Writes on the whitespace matrix: an account's business units (the rows) and the cells.

Every write checks that the actor may change the account, validates the model and the
rules below, and runs in one transaction.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.access import require_edit
from accounts.models import Account, ProductLine
from deals import services as deals_services
from deals.models import Competitor, Opportunity
from kam import events
from kam.fields import given_fields
from kam.history import records_author
from kam.tombstones import bury
from kam.validators import require_room
from planning.models import BusinessUnit, WhitespaceCell
from planning.whitespace.fields import CellFields
from users.models import User

State = WhitespaceCell.State


def _unique_name(unit: BusinessUnit) -> None:
    clash = BusinessUnit.objects.filter(account_id=unit.account_id, name__iexact=unit.name)
    if unit.pk:
        clash = clash.exclude(pk=unit.pk)
    if clash.exists():
        raise ValidationError(
            {"name": _("This account already has a business unit or site of this name.")}
        )


@transaction.atomic
@records_author
def unit_create(*, actor: User, account: Account, name: str) -> BusinessUnit:
    require_edit(actor, account)
    # Lock the account row: two units added at once get different positions.
    Account.objects.select_for_update().filter(pk=account.pk).first()
    require_room(BusinessUnit.objects.filter(account=account).count())
    last = BusinessUnit.objects.filter(account=account).aggregate(last=Max("position"))["last"]
    unit = BusinessUnit(
        account=account, name=(name or "").strip(), position=0 if last is None else last + 1
    )
    unit.full_clean(validate_constraints=False)
    _unique_name(unit)
    unit.save()
    return unit


@transaction.atomic
@records_author
def unit_rename(*, actor: User, unit: BusinessUnit, name: str) -> BusinessUnit:
    require_edit(actor, unit.account)
    unit.name = (name or "").strip()
    unit.full_clean(validate_constraints=False)
    _unique_name(unit)
    unit.save()
    return unit


@transaction.atomic
@records_author
def unit_delete(*, actor: User, unit: BusinessUnit) -> None:
    """Removes the unit with its cells (their history stays)."""
    require_edit(actor, unit.account)
    bury(unit, kind="business_unit")
    unit.delete()


@transaction.atomic
@records_author
def cell_set(
    *,
    actor: User,
    account: Account,
    business_unit: BusinessUnit,
    product_line: ProductLine,
    **given: Unpack[CellFields],
) -> tuple[WhitespaceCell, bool]:
    """Create or replace the cell of one business unit and product line.

    Rules: the unit and the opportunity belong to `account`; a cell on a product line no
    longer offered can only be changed, not created; "sold" needs the revenue and "held by
    a competitor" the competitor's name. Values that do not fit the state are cleared, so
    the totals never count them: revenue only for sold, potential not for sold or not
    relevant, the competitor only for "held by a competitor".
    """
    fields = given_fields(CellFields, given)
    state: str = fields["state"]
    revenue: Decimal | None = fields.get("revenue")
    potential: Decimal | None = fields.get("potential")
    opportunity: Opportunity | None = fields.get("opportunity")
    competitor: Competitor | None = fields.get("competitor")
    notes: str = fields.get("notes", "")
    require_edit(actor, account)
    if business_unit.account_id != account.pk:
        raise ValidationError(
            {"business_unit": _("Choose a business unit or site of this account.")}
        )
    found = (
        WhitespaceCell.objects.select_for_update()
        .filter(business_unit=business_unit, product_line=product_line)
        .first()
    )
    created = found is None
    errors: dict[str, str] = {}
    if found is None:
        if not product_line.active:
            errors["product_line"] = _("This product line is no longer offered.")
        found = WhitespaceCell(business_unit=business_unit, product_line=product_line)
    cell = found
    cell.state = state
    cell.revenue = revenue if state == State.SOLD else None
    cell.potential = None if state in (State.SOLD, State.NOT_RELEVANT) else potential
    cell.competitor = competitor if state == State.COMPETITOR else None
    cell.opportunity = opportunity
    cell.notes = (notes or "").strip()
    if state == State.SOLD and revenue is None:
        errors["revenue"] = _("Enter the revenue of what was sold.")
    if state == State.COMPETITOR and competitor is None:
        errors["competitor"] = _("Name the competitor who holds this business.")
    if opportunity is not None and opportunity.account_id != account.pk:
        errors["opportunity"] = _("Choose an opportunity of this account.")
    try:
        cell.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    cell.save()
    return cell, created


@transaction.atomic
@records_author
def cell_link_opportunity(
    *, actor: User, business_unit: BusinessUnit, product_line: ProductLine, opportunity: Opportunity
) -> WhitespaceCell:
    """Link an opportunity started from the matrix to its cell (for the deals app to call
    after creating it): the cell becomes an open opportunity, unless it is already sold."""
    account = business_unit.account
    cell = WhitespaceCell.objects.filter(
        business_unit=business_unit, product_line=product_line
    ).first()
    state = cell.state if cell is not None and cell.state == State.SOLD else State.OPEN
    linked, _created = cell_set(
        actor=actor,
        account=account,
        business_unit=business_unit,
        product_line=product_line,
        state=state,
        revenue=cell.revenue if cell is not None else None,
        potential=cell.potential if cell is not None else None,
        opportunity=opportunity,
        notes=cell.notes if cell is not None else "",
    )
    return linked


@transaction.atomic
@records_author
def cell_start_opportunity(
    *,
    actor: User,
    business_unit: BusinessUnit,
    account: Account,
    product_lines: Sequence[ProductLine],
    opportunity_fields: Mapping[str, Any],
) -> Opportunity:
    """Create an opportunity started from a whitespace cell and link it to the cell, in one
    transaction (the matrix page and the API both call this). The link is made only when
    the opportunity stays on the unit's account and names exactly one product line (the
    cell's column)."""
    opportunity = deals_services.opportunity_create(
        actor=actor, account=account, product_lines=product_lines, **opportunity_fields
    )
    lines = list(opportunity.product_lines.all())
    if business_unit.account_id == opportunity.account_id and len(lines) == 1:
        cell_link_opportunity(
            actor=actor, business_unit=business_unit, product_line=lines[0], opportunity=opportunity
        )
    return opportunity


def cells_follow_closed_deal(event: events.OpportunityStageChanged) -> None:
    """Subscriber of OpportunityStageChanged, inside the closing transaction (so that the
    history names who closed the deal): the open cells of a deal that was won or lost
    follow it. Won: sold, with the deal's value as the year's revenue (no open potential
    left). Lost: held by the competitor it was lost to, or unknown again when none is
    recorded."""
    if not event.closed:  # moves between open stages: no query
        return
    opportunity = Opportunity.objects.select_related("stage", "lost_to").get(
        pk=event.opportunity_id
    )
    if not opportunity.stage.is_closed:
        return
    cells = WhitespaceCell.objects.select_for_update().filter(
        opportunity=opportunity, state=State.OPEN
    )
    for cell in cells:
        if opportunity.stage.is_won:
            cell.state, cell.revenue, cell.potential = State.SOLD, opportunity.value, None
            cell.competitor = None
        else:
            cell.state = State.COMPETITOR if opportunity.lost_to_id else State.UNKNOWN
            cell.competitor, cell.revenue = opportunity.lost_to, None
        cell.full_clean(validate_constraints=False)
        cell.save()
