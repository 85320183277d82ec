"""Writes on the contact log and follow-ups.

Each write validates the model, checks the "may change" predicate of accounts.access and
runs in one transaction: an activity whose next step fails validation leaves nothing behind.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Unpack, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import (
    can_edit_account,
    group_contacts,
    is_visible_account_id,
    require_edit,
    visible_accounts,
    visible_contacts,
)
from accounts.models import Account, Contact
from activities.fields import ActivityFields, ActivityLogFields, FollowUpFields
from activities.models import Activity, FollowUp
from kam import events
from kam.fields import given_fields
from kam.history import records_author
from kam.tombstones import bury
from users.models import User


def refresh_last_contacted(
    *,
    contact_ids: Iterable[int] | None = None,
    account_ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> None:
    """Recompute `last_contacted_at` (the latest activity at or before `now`) of the given
    contacts and accounts; None means all of them. Two UPDATE statements whatever the
    number of rows. Recomputing rather than comparing keeps it right when an activity is
    moved back in time or a participant is removed."""
    now = now or timezone.now()
    through = Activity.contacts.through
    contacts = Contact.objects.all()
    if contact_ids is not None:
        contacts = contacts.filter(pk__in=list(contact_ids))
    latest_of_contact = (
        through.objects.filter(contact_id=OuterRef("pk"), activity__occurred_at__lte=now)
        .order_by("-activity__occurred_at")
        .values("activity__occurred_at")[:1]
    )
    contacts.update(last_contacted_at=Subquery(latest_of_contact))
    accounts = Account.objects.all()
    if account_ids is not None:
        accounts = accounts.filter(pk__in=list(account_ids))
    latest_of_account = (
        Activity.objects.filter(account_id=OuterRef("pk"), occurred_at__lte=now)
        .order_by("-occurred_at")
        .values("occurred_at")[:1]
    )
    accounts.update(last_contacted_at=Subquery(latest_of_account))


def refresh_last_contacted_since(*, since: datetime, now: datetime | None = None) -> int:
    """Planned activities whose time has come (occurred_at in (since, now]) now count as
    contact: refresh their participants and accounts. Returns the number of activities."""
    now = now or timezone.now()
    due = Activity.objects.filter(occurred_at__gt=since, occurred_at__lte=now)
    rows = list(due.values_list("pk", "account_id"))
    if not rows:
        return 0
    through = Activity.contacts.through
    activity_ids = [pk for pk, account_id in rows]
    contact_ids = set(
        through.objects.filter(activity_id__in=activity_ids).values_list("contact_id", flat=True)
    )
    account_ids = {account_id for pk, account_id in rows}
    refresh_last_contacted(contact_ids=contact_ids, account_ids=account_ids, now=now)
    return len(rows)


def _check_contacts(actor: User, account: Account, contacts: Iterable[Contact]) -> list[Contact]:
    """Customer participants come from the account or its group (same top account), and
    only from the part of it the actor can see."""
    contacts = list(contacts)
    ids = [c.pk for c in contacts]
    allowed = set(group_contacts(actor, account).filter(pk__in=ids).values_list("pk", flat=True))
    visible = set(visible_contacts(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if set(ids) - visible:
        # Answered like an id that does not exist: no name, no hint.
        raise ValidationError({"contacts": _("Not found.")})
    foreign = [contact for contact in contacts if contact.pk not in allowed]
    if foreign:
        names = ", ".join(str(c) for c in foreign)
        raise ValidationError(
            {"contacts": _("%(names)s: a participant from another account.") % {"names": names}}
        )
    return contacts


def _check_users(users: Iterable[User]) -> list[User]:
    users = list(users)
    if any(not user.is_active for user in users):
        raise ValidationError({"users": _("Only active users can take part.")})
    return users


def _check_owner(owner: User | None, account: Account, field: str) -> None:
    """An owner who cannot open the account could never work on the follow-up."""
    if owner is None:
        return
    if not owner.is_active or not visible_accounts(owner).filter(pk=account.pk).exists():
        raise ValidationError({field: _("The owner must be an active user who sees this account.")})


@transaction.atomic
@records_author
def activity_log(
    *,
    actor: User,
    account: Account,
    contacts: Iterable[Contact] = (),
    users: Iterable[User] = (),
    **given: Unpack[ActivityLogFields],
) -> Activity:
    """Log a contact with the customer; a next step becomes a follow-up for its owner.
    Occurred at and subject are required (model validation)."""
    fields = given_fields(ActivityLogFields, given)
    occurred_at = fields.get("occurred_at")
    next_step_owner = fields.get("next_step_owner")
    next_step_due_on = fields.get("next_step_due_on")
    require_edit(actor, account)
    contacts, users = list(contacts), list(users)
    if occurred_at is not None and timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    activity = Activity(
        account=account,
        kind=fields.get("kind", Activity.Kind.MEETING),
        occurred_at=cast(datetime, occurred_at),  # None is refused by full_clean below
        subject=(fields.get("subject") or "").strip(),
        duration_minutes=fields.get("duration_minutes"),
        location=(fields.get("location") or "").strip(),
        notes=(fields.get("notes") or "").replace("\r\n", "\n").strip(),
        outcome=(fields.get("outcome") or "").replace("\r\n", "\n").strip(),
        next_step=(fields.get("next_step") or "").strip(),
        next_step_owner=next_step_owner,
        next_step_due_on=next_step_due_on,
        created_by=actor,
    )
    errors: dict[str, list[str]] = {}
    try:
        activity.full_clean()
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for check in (
        lambda: _check_contacts(actor, account, contacts),
        lambda: _check_users(users),
        lambda: _check_owner(next_step_owner, account, "next_step_owner"),
    ):
        try:
            check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    activity.save()
    activity.contacts.set(contacts)
    activity.users.set(users)
    if activity.occurred_at <= timezone.now():
        refresh_last_contacted(contact_ids=[c.pk for c in contacts], account_ids=[account.pk])
    # The model's validation made sure a next step has its owner and due date.
    if activity.next_step and next_step_owner is not None and next_step_due_on is not None:
        _follow_up_save(
            actor=actor,
            account=account,
            owner=next_step_owner,
            title=activity.next_step,
            due_on=next_step_due_on,
            activity=activity,
        )
    events.publish(events.ActivityLogged(activity_id=activity.pk, account_id=account.pk))
    return activity


def can_change_activity(user: User, activity: Activity) -> bool:
    """Its author (while still seeing the account) and whoever may change the account may
    correct or delete an activity."""
    if not user.is_authenticated or not user.is_active:
        return False
    if activity.created_by_id == user.pk and is_visible_account_id(user, activity.account_id):
        return True
    return can_edit_account(user, activity.account)


def _require_activity_change(actor: User, activity: Activity) -> None:
    if not can_change_activity(actor, activity):
        raise PermissionDenied(_("Only its author or an editor of the account may change this."))


@transaction.atomic
@records_author
def activity_update(
    *,
    actor: User,
    activity: Activity,
    contacts: Iterable[Contact] | None = None,
    users: Iterable[User] | None = None,
    **given: Unpack[ActivityFields],
) -> Activity:
    """Correct what was logged (its author or an editor of the account; the given fields).
    The next step is not changed here: once given, it lives on as its follow-up, which is
    changed, closed or reopened on its own."""
    fields = given_fields(ActivityFields, given)
    _require_activity_change(actor, activity)
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").strip()
        setattr(activity, name, value)
    activity.full_clean()
    if contacts is not None:
        contacts = _check_contacts(actor, activity.account, contacts)
        # Participants the actor cannot see stay: nobody removes what they cannot see.
        # (Read from the table: `activity.contacts` may be preloaded with the visible ones.)
        hidden = Contact.objects.filter(activities=activity).exclude(
            pk__in=visible_contacts(actor).values("pk")
        )
        contacts = [*contacts, *hidden]
    if users is not None:
        users = _check_users(users)
    before = set(activity.contacts.values_list("pk", flat=True))
    activity.save()
    if contacts is not None:
        activity.contacts.set(contacts)
    if users is not None:
        activity.users.set(users)
    # The date may have moved either way and participants may have left: recompute for
    # everyone the activity touched, before and after.
    after = before if contacts is None else {c.pk for c in contacts}
    refresh_last_contacted(contact_ids=before | after, account_ids=[activity.account_id])
    events.publish(events.ActivityLogged(activity_id=activity.pk, account_id=activity.account_id))
    return activity


@transaction.atomic
@records_author
def activity_delete(*, actor: User, activity: Activity) -> None:
    """Delete a logged activity (its author or an editor of the account). The history keeps
    it (a "deleted" row naming the actor); follow-ups that came out of it stay open with
    their owners, and the last contact dates of its participants and account are
    recomputed without it."""
    _require_activity_change(actor, activity)
    contact_ids = list(activity.contacts.values_list("pk", flat=True))
    account_id, activity_id = activity.account_id, activity.pk
    bury(activity, kind="activity")
    activity.delete()
    refresh_last_contacted(contact_ids=contact_ids, account_ids=[account_id])
    events.publish(events.ActivityLogged(activity_id=activity_id, account_id=account_id))


def _follow_up_save(
    *,
    actor: User | None,
    account: Account,
    owner: User | None,
    title: str,
    due_on: date | None,
    notes: str = "",
    source: str = "",
    activity: Activity | None = None,
) -> FollowUp:
    follow_up = FollowUp(
        account=account,
        owner=owner,
        title=(title or "").strip(),
        due_on=cast(date, due_on),  # None is refused by full_clean below
        notes=(notes or "").replace("\r\n", "\n").strip(),
        source=source,
        activity=activity,
        created_by=actor,
    )
    follow_up.full_clean()
    _check_owner(owner, account, "owner")
    follow_up.save()
    _publish_follow_up(follow_up)
    return follow_up


def _publish_follow_up(follow_up: FollowUp) -> None:
    events.publish(
        events.FollowUpChanged(follow_up_id=follow_up.pk, account_id=follow_up.account_id)
    )


@transaction.atomic
@records_author
def follow_up_create(
    *,
    actor: User | None,
    account: Account,
    source: str = "",
    done: bool = False,
    **given: Unpack[FollowUpFields],
) -> FollowUp:
    """A follow-up for `owner`; with `done`, recorded as done by the actor right away, in
    the same transaction. `actor=None` means the system (e.g. a detractor survey that came
    in): no edit check then, the caller has decided."""
    if actor is not None:
        require_edit(actor, account)
    fields = given_fields(FollowUpFields, given)
    follow_up = _follow_up_save(
        actor=actor,
        account=account,
        owner=fields.get("owner"),
        title=fields.get("title", ""),
        due_on=fields.get("due_on"),
        notes=fields.get("notes", ""),
        source=source,
    )
    if done and actor is not None:
        follow_up = follow_up_complete(actor=actor, follow_up=follow_up)
    return follow_up


@transaction.atomic
@records_author
def follow_up_update(
    *,
    actor: User,
    follow_up: FollowUp,
    done: bool | None = None,
    **given: Unpack[FollowUpFields],
) -> FollowUp:
    """Change the given fields; `done` True marks the follow-up done, False reopens it,
    None leaves it as it is. All of it in one transaction."""
    fields = given_fields(FollowUpFields, given)
    if not fields and done is None:
        return follow_up
    _require_change(actor, follow_up)
    if fields:
        follow_up = _follow_up_change(follow_up, fields)
    if done is True:
        follow_up = follow_up_complete(actor=actor, follow_up=follow_up)
    elif done is False:
        follow_up = follow_up_reopen(actor=actor, follow_up=follow_up)
    return follow_up


def _follow_up_change(follow_up: FollowUp, fields: dict[str, Any]) -> FollowUp:
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").strip()
        setattr(follow_up, name, value)
    follow_up.full_clean()
    if "owner" in fields:
        _check_owner(follow_up.owner, follow_up.account, "owner")
    follow_up.save()
    _publish_follow_up(follow_up)
    return follow_up


def _require_change(actor: User, follow_up: FollowUp) -> None:
    """Its owner may close their own follow-up, even as a reader of the account."""
    if actor.pk == follow_up.owner_id and actor.is_active:
        return
    if not can_edit_account(actor, follow_up.account):
        raise PermissionDenied(_("Only its owner or an editor of the account may change this."))


@transaction.atomic
@records_author
def follow_up_complete(
    *, actor: User, follow_up: FollowUp, done_at: datetime | None = None
) -> FollowUp:
    """Mark done, keeping who and when. Done twice keeps the first closing.
    `done_at` is for imports and demo data; pages and API leave it out."""
    _require_change(actor, follow_up)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_at is None:
        follow_up.done_at = done_at or timezone.now()
        follow_up.done_by = actor
        follow_up.save(update_fields=["done_at", "done_by"])
        _publish_follow_up(follow_up)
    return follow_up


@transaction.atomic
@records_author
def follow_up_reopen(*, actor: User, follow_up: FollowUp) -> FollowUp:
    _require_change(actor, follow_up)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_at is not None:
        follow_up.done_at = None
        follow_up.done_by = None
        follow_up.save(update_fields=["done_at", "done_by"])
        _publish_follow_up(follow_up)
    return follow_up
