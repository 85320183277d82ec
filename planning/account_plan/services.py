"""Writes on the internal account plan: create, change, review, status, copy last year's.

Every write checks the "may change" predicate of accounts.access, validates the model and
runs in one transaction, so the page and the API refuse the same input with the same words.
"""

from datetime import datetime
from typing import Any, Unpack

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.access import require_edit
from accounts.models import Account
from kam import events
from kam.fields import given_fields
from kam.history import records_author
from planning.account_plan.fields import AccountPlanFields
from planning.models import AccountPlan
from users.models import User

TEXT_FIELDS = (
    "business_goals", "customer_goals", "strategies", "growth_opportunities", "obstacles",
)  # fmt: skip
SWOT_FIELDS = ("strengths", "weaknesses", "opportunities", "threats")
# Own labels with a context: "opportunities" alone is already translated for deals
# ("Verkaufschancen"); in a SWOT it means "Chancen".
SWOT_LABELS = {
    "strengths": pgettext_lazy("SWOT", "Strengths"),
    "weaknesses": pgettext_lazy("SWOT", "Weaknesses"),
    "opportunities": pgettext_lazy("SWOT", "Opportunities"),
    "threats": pgettext_lazy("SWOT", "Threats"),
}
CONTENT_FIELDS = (*TEXT_FIELDS, *SWOT_FIELDS)

Status = AccountPlan.Status


def _clean_text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _clean_list(value: str | None) -> str:
    """A SWOT list: one item per line, no blank lines, no stray spaces or bullets."""
    items = (line.strip().lstrip("-•*").strip() for line in _clean_text(value).split("\n"))
    return "\n".join(item for item in items if item)


def _set_content(plan: AccountPlan, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(plan, name, _clean_list(value) if name in SWOT_FIELDS else _clean_text(value))


def _duplicate_year_error(year: int) -> ValidationError:
    return ValidationError(
        {"year": _("This account already has a plan for %(year)s.") % {"year": year}}
    )


def _save_new(plan: AccountPlan) -> AccountPlan:
    plan.full_clean(validate_constraints=False)
    if AccountPlan.objects.filter(account=plan.account, year=plan.year).exists():
        raise _duplicate_year_error(plan.year)
    try:
        # A savepoint, so that losing a race against a second request leaves the outer
        # transaction usable and the user gets the same message as above.
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise _duplicate_year_error(plan.year) from None
    _publish(plan)
    return plan


def _publish(plan: AccountPlan) -> None:
    events.publish(events.AccountPlanChanged(plan_id=plan.pk, account_id=plan.account_id))


@transaction.atomic
@records_author
def plan_create(
    *,
    actor: User,
    account: Account,
    year: int,
    status: str = Status.DRAFT,
    **given: Unpack[AccountPlanFields],
) -> AccountPlan:
    """A new plan of `account` for `year` (one per account and year)."""
    fields = given_fields(AccountPlanFields, given)
    require_edit(actor, account, message=_("You may not change the plans of this account."))
    plan = AccountPlan(account=account, year=year, status=status, created_by=actor)
    _set_content(plan, fields)
    plan = _save_new(plan)
    if plan.status == Status.ACTIVE:
        _archive_older(plan)
    return plan


@transaction.atomic
@records_author
def plan_update(
    *,
    actor: User,
    plan: AccountPlan,
    status: str | None = None,
    **given: Unpack[AccountPlanFields],
) -> AccountPlan:
    """Change the given texts and SWOT lists; `status`, when given, goes through
    plan_set_status."""
    fields = given_fields(AccountPlanFields, given)
    require_edit(actor, plan.account, message=_("You may not change the plans of this account."))
    plan = AccountPlan.objects.select_for_update().select_related("account").get(pk=plan.pk)
    _set_content(plan, fields)
    plan.full_clean(validate_constraints=False)
    plan.save()
    _publish(plan)
    if status is not None and status != plan.status:
        plan = plan_set_status(actor=actor, plan=plan, status=status)
    return plan


@transaction.atomic
@records_author
def plan_mark_reviewed(
    *, actor: User, plan: AccountPlan, at: datetime | None = None
) -> AccountPlan:
    """The plan was looked at and still holds: remember when and by whom."""
    require_edit(actor, plan.account, message=_("You may not change the plans of this account."))
    plan = AccountPlan.objects.select_for_update().select_related("account").get(pk=plan.pk)
    if plan.status == Status.ARCHIVED:
        raise ValidationError(
            {"status": _("An archived plan is not reviewed any more. Reactivate it first.")}
        )
    when = at or timezone.now()
    if when > timezone.now():
        raise ValidationError({"last_reviewed_at": _("A review cannot lie in the future.")})
    plan.last_reviewed_at = when
    plan.last_reviewed_by = actor
    plan.save()
    _publish(plan)
    return plan


@transaction.atomic
@records_author
def plan_set_status(*, actor: User, plan: AccountPlan, status: str) -> AccountPlan:
    """Draft, active or archived. Activating a plan archives the account's active plans of
    earlier years: one living plan per account, not a pile of old ones that go stale."""
    require_edit(actor, plan.account, message=_("You may not change the plans of this account."))
    if status not in Status.values:
        raise ValidationError({"status": _("Choose draft, active or archived.")})
    plan = AccountPlan.objects.select_for_update().select_related("account").get(pk=plan.pk)
    plan.status = status
    plan.full_clean(validate_constraints=False)
    plan.save()
    _publish(plan)
    if status == Status.ACTIVE:
        _archive_older(plan)
    return plan


def _archive_older(plan: AccountPlan) -> None:
    older = AccountPlan.objects.filter(
        account_id=plan.account_id, year__lt=plan.year, status=Status.ACTIVE
    )
    # One by one (there are one or two), so that history records each change.
    for old in older.select_for_update():
        old.status = Status.ARCHIVED
        old.save()
        _publish(old)


@transaction.atomic
@records_author
def plan_copy_from_last_year(*, actor: User, account: Account, year: int) -> AccountPlan:
    """A new draft for `year` with the texts and SWOT of the plan of `year - 1`."""
    require_edit(actor, account, message=_("You may not change the plans of this account."))
    previous = AccountPlan.objects.filter(account=account, year=year - 1).first()
    if previous is None:
        raise ValidationError(
            {"year": _("There is no plan for %(year)s to start from.") % {"year": year - 1}}
        )
    if AccountPlan.objects.filter(account=account, year=year).exists():
        raise _duplicate_year_error(year)
    plan = AccountPlan(account=account, year=year, status=Status.DRAFT, created_by=actor)
    for name in CONTENT_FIELDS:
        setattr(plan, name, getattr(previous, name))
    return _save_new(plan)
