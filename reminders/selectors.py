"""Reads of a user's reminders (nobody sees another user's). A reminder of an account is
shown only while its recipient may see that account (accounts.access decides): after an
account moves to another KAM, its reminders leave the old owner's list, bell and digest."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.access import visible_accounts
from accounts.models import Account
from reminders.models import Reminder, ReminderQuerySet
from users.models import User


def in_scope(user: User, reminders: QuerySet[Reminder]) -> QuerySet[Reminder]:
    """The reminders without an account, or of an account the user may see now."""
    if user.is_authenticated and user.is_active and user.sees_all_accounts:
        return reminders
    return reminders.filter(Q(account__isnull=True) | Q(account__in=visible_accounts(user)))


def _own(user: User) -> ReminderQuerySet:
    return in_scope(user, Reminder.objects.filter(recipient=user))  # type: ignore[return-value]


def reminders_of(
    user: User,
    *,
    unread_only: bool = False,
    rule: str = "",
    account_id: int | None = None,
    today: date | None = None,
) -> QuerySet[Reminder]:
    """The user's reminders in scope, newest due date first, with the account preloaded;
    `unread_only` leaves out read, settled and snoozed ones; `rule` and `account_id`
    filter by kind and account."""
    return _filtered(
        _own(user), unread_only=unread_only, rule=rule, account_id=account_id, today=today
    )


def _filtered(
    own: ReminderQuerySet,
    *,
    unread_only: bool,
    rule: str,
    account_id: int | None,
    today: date | None,
) -> QuerySet[Reminder]:
    reminders = own.select_related("account")
    if unread_only:
        reminders = reminders.awake(today or timezone.localdate())
    if rule:
        reminders = reminders.filter(rule=rule)
    if account_id is not None:
        reminders = reminders.filter(account_id=account_id)
    return reminders.order_by("-due_on", "-pk")


def reminder_page_data(
    user: User, *, unread_only: bool, rule: str, account_id: int | None
) -> tuple[QuerySet[Reminder], QuerySet[Account]]:
    """The list page's reminders (as reminders_of) and the accounts of all the user's
    reminders in scope, by name, for the account filter; the scope is read once."""
    own = _own(user)
    reminders = _filtered(
        own, unread_only=unread_only, rule=rule, account_id=account_id, today=None
    )
    accounts = Account.objects.filter(pk__in=own.values("account_id")).order_by("name", "pk")
    return reminders, accounts


def get_reminder_for(user: User, pk: int) -> Reminder:
    """One of the user's reminders in scope; 404 for any other id."""
    reminder = _own(user).filter(pk=pk).first()
    if reminder is None:
        raise Http404
    return reminder


def unread_count(user: User) -> int:
    return _own(user).awake(timezone.localdate()).count()
