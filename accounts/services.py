"""Writes on accounts, their team, profile, figures and contacts.

Every write validates the model (the one set of rules that forms and API share), checks
the "may change" predicate from accounts.access, and runs in one transaction.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import hierarchy
from accounts.access import (
    is_visible_account_id,
    is_visible_contact_id,
    require_edit,
    visible_accounts,
)
from accounts.fields import AccountFields, ContactFields, FiguresFields, TeamMemberFields
from accounts.models import (
    Account,
    Contact,
    ProductLine,
    ProfileSection,
    TeamMembership,
    YearlyFigures,
    year_validators,
)
from kam import events
from kam.fields import given_fields
from kam.history import records_author
from kam.tombstones import bury
from kam.unset import UNSET, Unset
from kam.validators import require_room
from users.models import User


def _check_parent(actor: User, parent: Account | None) -> None:
    if parent is not None and not visible_accounts(actor).filter(pk=parent.pk).exists():
        raise ValidationError({"parent": _("Choose a parent account you can see.")})


@transaction.atomic
@records_author
def account_create(
    *,
    actor: User,
    product_lines: Iterable[ProductLine] = (),
    **given: Unpack[AccountFields],
) -> Account:
    fields = given_fields(AccountFields, given)
    fields.setdefault("owner", actor)
    account = Account(**fields)
    _check_parent(actor, account.parent)
    if account.parent is not None:
        # Adding a subsidiary to a group changes the group.
        require_edit(actor, account.parent, message=_("You may not add accounts to this group."))
    account.full_clean()
    account.save()
    account_place_new(account=account)
    if product_lines:
        account.product_lines.set(product_lines)
    events.publish(events.AccountCreated(account_id=account.pk))
    return account


def account_place_new(*, account: Account) -> None:
    """Give a just saved account its path under its parent and its first placement (the
    admin's "add" saves the row itself, then calls this)."""
    account.path = f"{account.parent.path if account.parent else '/'}{account.pk}/"
    Account.objects.filter(pk=account.pk).update(path=account.path)
    hierarchy.placement_open(account)


@transaction.atomic
@records_author
def account_update(
    *,
    actor: User,
    account: Account,
    product_lines: Iterable[ProductLine] | None = None,
    **given: Unpack[AccountFields],
) -> Account:
    """Change the given fields (the others stay as they are)."""
    fields = given_fields(AccountFields, given)
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
    for field_name, value in fields.items():
        setattr(account, field_name, value)
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
        subtree = Account.objects.filter(path__startswith=old_path)
        if not old_path:  # a row saved around the services has no path yet
            subtree = Account.objects.filter(pk=account.pk)
        before = dict(subtree.values_list("pk", "path"))
        subtree.update(path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1)))
        account.path = new_path
        # Past years keep the groups as they stood (accounts.hierarchy).
        hierarchy.placements_moved(before=before)
    if product_lines is not None:
        account.product_lines.set(product_lines)
    events.publish(events.AccountChanged(account_id=account.pk))
    old_parent_id = _parent_id_of(old_path)
    if account.parent_id != old_parent_id:
        events.publish(
            events.AccountMoved(
                account_id=account.pk, old_parent_id=old_parent_id, new_parent_id=account.parent_id
            )
        )
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
    *, actor: User, account: Account, **given: Unpack[TeamMemberFields]
) -> tuple[TeamMembership, bool]:
    """Add a user to the team or change their role; one row per user and account."""
    fields = given_fields(TeamMemberFields, given)
    user, role, can_edit = fields["user"], fields["role"], fields["can_edit"]
    require_edit(actor, account)
    membership = TeamMembership.objects.filter(account=account, user=user).first()
    created = membership is None
    if membership is None:
        require_room(account.team.count(), field="user")
        membership = TeamMembership(account=account, user=user)
    membership.role = role
    membership.can_edit = can_edit
    membership.full_clean(validate_constraints=False)
    membership.save()
    events.publish(events.TeamChanged(account_id=account.pk))
    return membership, created


@transaction.atomic
@records_author
def team_member_remove(*, actor: User, account: Account, membership_id: int) -> None:
    require_edit(actor, account)
    for membership in TeamMembership.objects.filter(account=account, pk=membership_id):
        bury(membership, kind="team_member")
        membership.delete()
        events.publish(events.TeamChanged(account_id=account.pk))


def actuals_moment(actuals_as_of: date | None) -> datetime | None:
    """The moment actuals standing at a day stand at: now for today (a push during the day
    holds what was booked until then), the end of the day for an earlier day."""
    if actuals_as_of is None:
        return None
    if actuals_as_of >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(actuals_as_of, time.max))


def figures_apply(figures: YearlyFigures, changes: Mapping[str, object]) -> None:
    """Set the given values (UNSET: left as they are) and the moment the actuals stand at;
    the services and the batch writes of imports (imports.bulk) share it."""
    for name, value in changes.items():
        if value is not UNSET:
            setattr(figures, name, value)
    as_of = changes.get("actuals_as_of", UNSET)
    if as_of is not UNSET:
        figures.actuals_at = actuals_moment(as_of)  # type: ignore[arg-type]


def _figures_save(figures: YearlyFigures, changes: Mapping[str, object]) -> YearlyFigures:
    figures_apply(figures, changes)
    figures.full_clean(validate_constraints=False)
    figures.save()
    events.publish(events.FiguresChanged(account_id=figures.account_id, year=figures.year))
    return figures


def _refuse_future_actuals(year: int, actuals: Mapping[str, object]) -> bool:
    """Actuals (revenue, margin, their day) for a year that has not begun are refused;
    targets and potential are planning and stay allowed. True for such a year."""
    if year <= timezone.localdate().year:
        return False
    try:  # a year out of range is the year's error, not the actuals'
        for validator in year_validators():
            validator(year)
    except ValidationError as error:
        raise ValidationError({"year": error.messages}) from error
    given_actuals = [name for name, value in actuals.items() if value not in (UNSET, None, 0)]
    if given_actuals:
        message = _(
            "%(year)s has not begun yet: it can have targets and a potential, but no actuals."
        )
        raise ValidationError(dict.fromkeys(given_actuals, message % {"year": year}))
    return True


@transaction.atomic
@records_author
def figures_put(
    *,
    actor: User,
    account: Account,
    year: int,
    **given: Unpack[FiguresFields],
) -> tuple[YearlyFigures, bool]:
    """Create or replace the actuals of one year (idempotent, as ERP pushes need).

    Field ownership: the actuals (revenue, contribution margin) come from the ERP and are
    replaced as a whole (left out: 0), stamped with the day they stand at (`actuals_as_of`,
    today when left out). Targets and potential belong to the key account manager: they
    change only when given (None clears), so an ERP push never wipes planning data.
    """
    require_edit(actor, account)
    fields = given_fields(FiguresFields, given)
    changes = figures_put_changes(
        year=year,
        revenue=fields.get("revenue", Decimal("0")),
        contribution_margin=fields.get("contribution_margin", Decimal("0")),
        actuals_as_of=fields.get("actuals_as_of"),
        revenue_target=fields.get("revenue_target", UNSET),
        margin_target=fields.get("margin_target", UNSET),
        revenue_potential=fields.get("revenue_potential", UNSET),
    )
    figures = YearlyFigures.objects.select_for_update().filter(account=account, year=year).first()
    created = figures is None
    if figures is None:
        figures = YearlyFigures(account=account, year=year)
    return _figures_save(figures, changes), created


def figures_put_changes(
    *,
    year: int,
    revenue: Decimal | None = Decimal("0"),
    contribution_margin: Decimal | None = Decimal("0"),
    actuals_as_of: date | None = None,
    revenue_target: Decimal | None | Unset = UNSET,
    margin_target: Decimal | None | Unset = UNSET,
    revenue_potential: Decimal | None | Unset = UNSET,
) -> dict[str, object]:
    """What `figures_put` writes on a year (for figures_apply): the actuals as a whole,
    the planning values only where given. Raises ValidationError for a future year's
    actuals."""
    future = _refuse_future_actuals(
        year,
        {
            "revenue": revenue,
            "contribution_margin": contribution_margin,
            "actuals_as_of": actuals_as_of,
        },
    )
    return {
        "revenue": Decimal("0") if revenue is None else revenue,
        "contribution_margin": Decimal("0") if contribution_margin is None else contribution_margin,
        "actuals_as_of": None if future else actuals_as_of or timezone.localdate(),
        "revenue_target": revenue_target,
        "margin_target": margin_target,
        "revenue_potential": revenue_potential,
    }


@transaction.atomic
@records_author
def figures_patch(
    *,
    actor: User,
    figures: YearlyFigures,
    **given: Unpack[FiguresFields],
) -> YearlyFigures:
    """Change only the given values of an existing year. New actuals without a date stand
    at today."""
    require_edit(actor, figures.account)
    figures = YearlyFigures.objects.select_for_update().get(pk=figures.pk)
    fields = given_fields(FiguresFields, given)
    changes = figures_patch_changes(
        year=figures.year,
        revenue=fields.get("revenue", UNSET),
        contribution_margin=fields.get("contribution_margin", UNSET),
        actuals_as_of=fields.get("actuals_as_of", UNSET),
        revenue_target=fields.get("revenue_target", UNSET),
        margin_target=fields.get("margin_target", UNSET),
        revenue_potential=fields.get("revenue_potential", UNSET),
    )
    return _figures_save(figures, changes)


def figures_patch_changes(
    *,
    year: int,
    revenue: Decimal | Unset = UNSET,
    contribution_margin: Decimal | Unset = UNSET,
    actuals_as_of: date | None | Unset = UNSET,
    revenue_target: Decimal | None | Unset = UNSET,
    margin_target: Decimal | None | Unset = UNSET,
    revenue_potential: Decimal | None | Unset = UNSET,
) -> dict[str, object]:
    """What `figures_patch` writes on a year (for figures_apply): the given values; new
    actuals without a date stand at today. Raises ValidationError for a future year's
    actuals."""
    future = _refuse_future_actuals(
        year,
        {
            "revenue": revenue,
            "contribution_margin": contribution_margin,
            "actuals_as_of": actuals_as_of,
        },
    )
    new_actuals = revenue is not UNSET or contribution_margin is not UNSET
    if new_actuals and actuals_as_of is UNSET and not future:
        actuals_as_of = timezone.localdate()
    return {
        "revenue": revenue,
        "contribution_margin": contribution_margin,
        "actuals_as_of": actuals_as_of,
        "revenue_target": revenue_target,
        "margin_target": margin_target,
        "revenue_potential": revenue_potential,
    }


@transaction.atomic
@records_author
def figures_plan_set(
    *,
    actor: User,
    account: Account,
    year: int,
    revenue_target: Decimal | None,
    margin_target: Decimal | None,
    revenue_potential: Decimal | None,
) -> tuple[YearlyFigures, bool]:
    """Set the targets and the potential of a year and leave its actuals as they are: a
    new year has none (actuals not known are not 0 €)."""
    require_edit(actor, account)
    figures, created = YearlyFigures.objects.select_for_update().get_or_create(
        account=account, year=year
    )
    changes = {
        "revenue_target": revenue_target,
        "margin_target": margin_target,
        "revenue_potential": revenue_potential,
    }
    return _figures_save(figures, changes), created


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
    figures = YearlyFigures.objects.filter(account=account, year=year).first()
    if figures is None:
        return False
    bury(figures, kind="financials")
    figures.delete()
    events.publish(events.FiguresChanged(account_id=account.pk, year=year))
    return True


def _check_reports_to(actor: User, contact: Contact) -> None:
    if contact.reports_to_id is not None and not is_visible_contact_id(
        actor, contact.reports_to_id
    ):
        # Answered like an id that does not exist: no name, no hint.
        raise ValidationError({"reports_to": _("Not found.")})


@transaction.atomic
@records_author
def contact_create(
    *,
    actor: User,
    account: Account,
    **given: Unpack[ContactFields],
) -> Contact:
    fields = given_fields(ContactFields, given)
    require_edit(actor, account)
    contact = Contact(account=account, **fields)
    _check_reports_to(actor, contact)
    contact.full_clean()
    contact.save()
    events.publish(events.ContactCreated(contact_id=contact.pk, account_id=contact.account_id))
    return contact


@transaction.atomic
@records_author
def contact_update(
    *,
    actor: User,
    contact: Contact,
    account: Account | Unset = UNSET,
    **given: Unpack[ContactFields],
) -> Contact:
    """Change the given fields (the others stay as they are); `account` moves the contact."""
    fields: dict[str, Any] = given_fields(ContactFields, given)
    if account is not UNSET:
        fields = {"account": account, **fields}
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
    events.publish(events.ContactChanged(contact_id=contact.pk, account_id=contact.account_id))
    return contact


@transaction.atomic
@records_author
def contact_mark_left(*, actor: User, contact: Contact, left_on=None) -> Contact:
    """People leave; their record stays, with the date, so history is never lost."""
    return contact_update(
        actor=actor, contact=contact, is_active=False, left_on=left_on or timezone.localdate()
    )
