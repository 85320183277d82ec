"""Writes on the action plan: objectives, their actions and the adjustments of targets.

Every write checks the "may change" predicate of accounts.access, validates the model (the
one set of rules that forms and API share) and runs in one transaction. A change of a
target value or a due date needs a reason and leaves an ObjectiveAdjustment behind.
"""

from datetime import date
from decimal import Decimal
from typing import Any, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require_edit, visible_accounts
from accounts.models import Account
from accounts.services import figures_target_set
from kam import events
from kam.fields import given_fields
from kam.history import records_author
from kam.validators import require_room
from planning.action_plan.fields import ActionFields, ObjectiveFields
from planning.models import Action, Objective, ObjectiveAdjustment
from users.models import User

# Changing these needs a reason; each change is kept as an ObjectiveAdjustment.
ADJUSTED_FIELDS = ("target_value", "due_on")
MEASURED_KINDS = {Objective.Kind.REVENUE, Objective.Kind.MARGIN}


def _check_owner(owner: User | None, account: Account, errors: dict[str, str]) -> None:
    """The owner is reminded of the objective or action with the account's name: they must
    be an active user who may see the account (accounts.access decides)."""
    if owner is None:
        return
    if not owner.is_active or not visible_accounts(owner).filter(pk=account.pk).exists():
        errors["owner"] = _("The owner must be an active user who sees this account.")


def _check_objective(objective: Objective, *, check_due: bool, check_owner: bool) -> None:
    errors: dict[str, str] = {}
    this_year = timezone.localdate().year
    if check_due and objective.due_on and objective.due_on.year < this_year:
        errors["due_on"] = _("%(year)s is a closed year: choose a due date from %(now)s on.") % {
            "year": objective.due_on.year,
            "now": this_year,
        }
    elif objective.due_on and objective.year and objective.due_on.year < objective.year:
        errors["due_on"] = _("The due date cannot lie before the objective's year.")
    if objective.kind in MEASURED_KINDS and not objective.target_value:
        errors["target_value"] = _("Revenue and margin objectives need a target value above 0.")
    if objective.owner_id and not objective.owner.is_active:
        errors["owner"] = _("Choose an active user as the owner.")
    elif check_owner and objective.owner_id:
        _check_owner(objective.owner, objective.account, errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
@records_author
def objective_create(
    *,
    actor: User,
    account: Account,
    year: int,
    **given: Unpack[ObjectiveFields],
) -> Objective:
    fields = given_fields(ObjectiveFields, given)
    require_edit(actor, account)
    fields.setdefault("owner", actor)
    objective = Objective(account=account, year=year, **fields)
    if year and year < timezone.localdate().year:
        raise ValidationError(
            {"year": _("%(year)s is a closed year: plan objectives for this year or later.")
             % {"year": year}}
        )  # fmt: skip
    objective.full_clean()
    _check_objective(objective, check_due=True, check_owner=True)
    objective.save()
    _sync_figures_target(actor, objective)
    events.publish(
        events.ObjectiveChanged(objective_id=objective.pk, account_id=objective.account_id)
    )
    return objective


def _sync_figures_target(actor: User, objective: Objective) -> None:
    """One target per account and year: the revenue objective of the year sets the
    revenue target of the yearly figures (the account header shows that number)."""
    if objective.kind == Objective.Kind.REVENUE and objective.target_value:
        figures_target_set(
            actor=actor,
            account=objective.account,
            year=objective.year,
            revenue_target=objective.target_value,
        )


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@transaction.atomic
@records_author
def objective_update(
    *,
    actor: User,
    objective: Objective,
    reason: str = "",
    **given: Unpack[ObjectiveFields],
) -> Objective:
    """Change the given fields of an objective. A new target value or due date needs
    `reason`; each such change is recorded with the old and the new value, who and why."""
    fields = given_fields(ObjectiveFields, given)
    require_edit(actor, objective.account)
    objective = Objective.objects.select_for_update().select_related("account").get(pk=objective.pk)
    old = {name: getattr(objective, name) for name in {*ADJUSTED_FIELDS, *fields}}
    old_owner_id = objective.owner_id
    for name, value in fields.items():
        setattr(objective, name, value)
    if all(getattr(objective, name) == old[name] for name in fields):
        return objective  # nothing changed: no history row, no adjustment
    changed = [name for name in ADJUSTED_FIELDS if getattr(objective, name) != old[name]]
    reason = (reason or "").strip()
    if changed and not reason:
        raise ValidationError(
            {"reason": _("Say why the target or the due date changes: a reason is required.")}
        )
    objective.full_clean()
    _check_objective(
        objective,
        check_due="due_on" in changed,
        check_owner=objective.owner_id != old_owner_id,
    )
    objective.save()
    _sync_figures_target(actor, objective)
    events.publish(
        events.ObjectiveChanged(objective_id=objective.pk, account_id=objective.account_id)
    )
    for name in changed:
        ObjectiveAdjustment.objects.create(
            objective=objective,
            field=name,
            old_value=_display(old[name]),
            new_value=_display(getattr(objective, name)),
            reason=reason,
            changed_by=actor,
        )
    return objective


def _check_action(action: Action, *, check_owner: bool) -> None:
    if action.owner_id and not action.owner.is_active:
        raise ValidationError({"owner": _("Choose an active user as the owner.")})
    errors: dict[str, str] = {}
    if check_owner and action.owner_id:
        _check_owner(action.owner, action.objective.account, errors)
    if errors:
        raise ValidationError(errors)


def _apply_status(action: Action, done_on: date | None = None) -> None:
    """Done and the done date go together: done sets it (today unless given), any other
    status clears it."""
    if action.status == Action.Status.DONE:
        action.done_on = done_on or action.done_on or timezone.localdate()
    else:
        action.done_on = None


@transaction.atomic
@records_author
def action_create(
    *,
    actor: User,
    objective: Objective,
    done_on: date | None = None,
    **given: Unpack[ActionFields],
) -> Action:
    fields = given_fields(ActionFields, given)
    require_edit(actor, objective.account)
    require_room(objective.actions.count())
    fields.setdefault("owner", actor)
    action = Action(objective=objective, **fields)
    _apply_status(action, done_on)
    action.full_clean()
    _check_action(action, check_owner=True)
    action.save()
    events.publish(
        events.ActionChanged(action_id=action.pk, account_id=action.objective.account_id)
    )
    return action


@transaction.atomic
@records_author
def action_update(
    *,
    actor: User,
    action: Action,
    done_on: date | None = None,
    **given: Unpack[ActionFields],
) -> Action:
    """Change the given fields; done and the done date go together (see _apply_status)."""
    fields = given_fields(ActionFields, given)
    require_edit(actor, action.objective.account)
    action = (
        Action.objects.select_for_update().select_related("objective__account").get(pk=action.pk)
    )
    old_owner_id = action.owner_id
    for name, value in fields.items():
        setattr(action, name, value)
    _apply_status(action, done_on)
    action.full_clean()
    # Checked when it changes: an owner who lost the account since keeps the action until
    # someone hands it on (the reminders leave their list meanwhile).
    _check_action(action, check_owner=action.owner_id != old_owner_id)
    action.save()
    events.publish(
        events.ActionChanged(action_id=action.pk, account_id=action.objective.account_id)
    )
    return action


@records_author
def action_complete(*, actor: User, action: Action, done_on: date | None = None) -> Action:
    return action_update(actor=actor, action=action, status=Action.Status.DONE, done_on=done_on)


@records_author
def action_reopen(*, actor: User, action: Action) -> Action:
    return action_update(actor=actor, action=action, status=Action.Status.OPEN)
