"""Writes on accounts, their team, profile, figures and contacts.

Every write validates the model (the one set of rules that forms and API share), checks
the "may change" predicate from accounts.access, and runs in one transaction.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import (
    is_visible_account_id,
    is_visible_contact_id,
    require_edit,
    visible_accounts,
)
from accounts.models import Account, Contact, ProfileSection, TeamMembership, YearlyFigures
from kam.history import records_author
from users.models import User

ACCOUNT_FIELDS = {
    "name", "legal_name", "external_id", "parent", "industry", "customer_type", "country",
    "city", "region", "website", "status", "tier", "owner", "individual_requirements",
}  # fmt: skip


def _check_parent(actor: User, parent: Account | None) -> None:
    if parent is not None and not visible_accounts(actor).filter(pk=parent.pk).exists():
        raise ValidationError({"parent": _("Choose a parent account you can see.")})


@transaction.atomic
@records_author
def account_create(*, actor: User, product_lines=(), **fields: Any) -> Account:
    unknown = set(fields) - ACCOUNT_FIELDS
    if unknown:
        raise TypeError(f"unknown account fields: {sorted(unknown)}")
    fields.setdefault("owner", actor)
    account = Account(**fields)
    _check_parent(actor, account.parent)
    if account.parent is not None:
        # Adding a subsidiary to a group changes the group.
        require_edit(actor, account.parent, message=_("You may not add accounts to this group."))
    account.full_clean()
    account.save()
    account.path = f"{account.parent.path if account.parent else '/'}{account.pk}/"
    Account.objects.filter(pk=account.pk).update(path=account.path)
    if product_lines:
        account.product_lines.set(product_lines)
    return account


@transaction.atomic
@records_author
def account_update(*, actor: User, account: Account, product_lines=None, **fields: Any) -> Account:
    unknown = set(fields) - ACCOUNT_FIELDS
    if unknown:
        raise TypeError(f"unknown account fields: {sorted(unknown)}")
    require_edit(actor, account)
    # Lock the row so two moves of the same subtree cannot interleave.
    account = Account.objects.select_for_update().get(pk=account.pk)
    old_path = account.path
    if (
        "parent" in fields
        and fields["parent"] is None
        and account.parent_id is not None
        and not is_visible_account_id(actor, account.parent_id)
    ):
        # A parent the actor cannot see is shown as none (pages and API): sending "none"
        # back keeps it, so saving never moves a subsidiary out of its group by accident.
        fields.pop("parent")
    for name, value in fields.items():
        setattr(account, name, value)
    if "parent" in fields and account.parent_id != _parent_id_of(old_path):
        _check_parent(actor, account.parent)
        if account.parent is not None:
            # Moving an account into a group changes the group, as creating one there does.
            require_edit(
                actor, account.parent, message=_("You may not add accounts to this group.")
            )
    account.full_clean()
    account.save()
    new_path = f"{account.parent.path if account.parent else '/'}{account.pk}/"
    if new_path != old_path:
        Account.objects.filter(path__startswith=old_path).update(
            path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
        )
        account.path = new_path
    if product_lines is not None:
        account.product_lines.set(product_lines)
    return account


def _parent_id_of(path: str) -> int | None:
    parts = [p for p in path.strip("/").split("/") if p]
    return int(parts[-2]) if len(parts) > 1 else None


@transaction.atomic
@records_author
def profile_section_update(
    *, actor: User, account: Account, kind: str, text: str
) -> ProfileSection:
    require_edit(actor, account)
    if kind not in ProfileSection.Kind.values:
        raise ValidationError({"kind": _("Unknown profile section.")})
    # Built unsaved when new, so that history records one creation, not a blank row first.
    section = ProfileSection.objects.filter(account=account, kind=kind).first() or ProfileSection(
        account=account, kind=kind
    )
    section.text = text.replace("\r\n", "\n").strip()
    section.updated_by = actor
    section.full_clean()
    section.save()
    return section


@transaction.atomic
@records_author
def team_member_set(
    *, actor: User, account: Account, user: User, role: str, can_edit: bool
) -> tuple[TeamMembership, bool]:
    """Add a user to the team or change their role; one row per user and account."""
    require_edit(actor, account)
    membership = TeamMembership.objects.filter(account=account, user=user).first()
    created = membership is None
    if membership is None:
        membership = TeamMembership(account=account, user=user)
    membership.role = role
    membership.can_edit = can_edit
    membership.full_clean(validate_constraints=False)
    membership.save()
    return membership, created


@transaction.atomic
@records_author
def team_member_remove(*, actor: User, account: Account, membership_id: int) -> None:
    require_edit(actor, account)
    TeamMembership.objects.filter(account=account, pk=membership_id).delete()


class _Unset:
    """A keyword left out (as opposed to None, which clears a value)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def _figures_save(figures: YearlyFigures, changes: dict[str, Any]) -> YearlyFigures:
    for name, value in changes.items():
        if value is not UNSET:
            setattr(figures, name, value)
    figures.full_clean(validate_constraints=False)
    figures.save()
    return figures


@transaction.atomic
@records_author
def figures_put(
    *,
    actor: User,
    account: Account,
    year: int,
    revenue: Decimal = Decimal("0"),
    contribution_margin: Decimal = Decimal("0"),
    actuals_as_of: date | None = None,
    revenue_target: Decimal | None = UNSET,
    margin_target: Decimal | None = UNSET,
    revenue_potential: Decimal | None = UNSET,
) -> tuple[YearlyFigures, bool]:
    """Create or replace the actuals of one year (idempotent, as ERP pushes need).

    Field ownership: the actuals (revenue, contribution margin) come from the ERP and are
    replaced as a whole (left out: 0), stamped with the day they stand at (`actuals_as_of`,
    today when left out). Targets and potential belong to the key account manager: they
    change only when given (None clears), so an ERP push never wipes planning data.
    """
    require_edit(actor, account)
    figures = YearlyFigures.objects.select_for_update().filter(account=account, year=year).first()
    created = figures is None
    if figures is None:
        figures = YearlyFigures(account=account, year=year)
    changes = {
        "revenue": Decimal("0") if revenue is None else revenue,
        "contribution_margin": Decimal("0") if contribution_margin is None else contribution_margin,
        "actuals_as_of": actuals_as_of or timezone.localdate(),
        "revenue_target": revenue_target,
        "margin_target": margin_target,
        "revenue_potential": revenue_potential,
    }
    return _figures_save(figures, changes), created


@transaction.atomic
@records_author
def figures_patch(
    *,
    actor: User,
    figures: YearlyFigures,
    revenue: Decimal = UNSET,
    contribution_margin: Decimal = UNSET,
    actuals_as_of: date | None = UNSET,
    revenue_target: Decimal | None = UNSET,
    margin_target: Decimal | None = UNSET,
    revenue_potential: Decimal | None = UNSET,
) -> YearlyFigures:
    """Change only the given values of an existing year. New actuals without a date stand
    at today."""
    require_edit(actor, figures.account)
    figures = YearlyFigures.objects.select_for_update().get(pk=figures.pk)
    new_actuals = revenue is not UNSET or contribution_margin is not UNSET
    if new_actuals and actuals_as_of is UNSET:
        actuals_as_of = timezone.localdate()
    changes = {
        "revenue": revenue,
        "contribution_margin": contribution_margin,
        "actuals_as_of": actuals_as_of,
        "revenue_target": revenue_target,
        "margin_target": margin_target,
        "revenue_potential": revenue_potential,
    }
    return _figures_save(figures, changes)


@transaction.atomic
@records_author
def figures_target_set(
    *, actor: User, account: Account, year: int, revenue_target: Decimal | None
) -> YearlyFigures:
    """Set the revenue target of a year, creating the year without actuals if needed (the
    revenue objective of the year sets it, see planning.action_plan.services)."""
    require_edit(actor, account)
    figures, _created = YearlyFigures.objects.select_for_update().get_or_create(
        account=account, year=year
    )
    return _figures_save(figures, {"revenue_target": revenue_target})


@transaction.atomic
@records_author
def figures_delete(*, actor: User, account: Account, year: int) -> bool:
    require_edit(actor, account)
    deleted, _ = YearlyFigures.objects.filter(account=account, year=year).delete()
    return bool(deleted)


CONTACT_FIELDS = {
    "first_name", "last_name", "job_title", "department", "email", "phone", "mobile",
    "preferred_language", "reports_to", "buying_role", "influence", "attitude",
    "relationship_strength", "relationship_owner", "is_active", "left_on", "legal_basis",
    "consent_on",
}  # fmt: skip


def _check_reports_to(actor: User, contact: Contact) -> None:
    if contact.reports_to_id is not None and not is_visible_contact_id(
        actor, contact.reports_to_id
    ):
        # Answered like an id that does not exist: no name, no hint.
        raise ValidationError({"reports_to": _("Not found.")})


@transaction.atomic
@records_author
def contact_create(*, actor: User, account: Account, **fields: Any) -> Contact:
    unknown = set(fields) - CONTACT_FIELDS
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    require_edit(actor, account)
    contact = Contact(account=account, **fields)
    _check_reports_to(actor, contact)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
@records_author
def contact_update(*, actor: User, contact: Contact, **fields: Any) -> Contact:
    unknown = set(fields) - CONTACT_FIELDS - {"account"}
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    require_edit(actor, contact.account)
    # A fresh row: the caller's may carry `reports_to` preloaded as None where the actor
    # cannot see the manager.
    contact = Contact.objects.select_related("account").get(pk=contact.pk)
    if "account" in fields and fields["account"].pk != contact.account_id:
        require_edit(actor, fields["account"])
    if (
        "reports_to" in fields
        and fields["reports_to"] is None
        and contact.reports_to_id is not None
        and not is_visible_contact_id(actor, contact.reports_to_id)
    ):
        # A manager the actor cannot see is shown as none: sending "none" back keeps it.
        fields.pop("reports_to")
    old_reports_to_id = contact.reports_to_id
    for name, value in fields.items():
        setattr(contact, name, value)
    if contact.reports_to_id != old_reports_to_id:
        _check_reports_to(actor, contact)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
@records_author
def contact_mark_left(*, actor: User, contact: Contact, left_on=None) -> Contact:
    """People leave; their record stays, with the date, so history is never lost."""
    return contact_update(
        actor=actor, contact=contact, is_active=False, left_on=left_on or timezone.localdate()
    )
