"""Reads of a user's reminders (nobody sees another user's)."""

from django.db.models import QuerySet

from reminders.models import Reminder
from users.models import User


def reminders_of(user: User, *, unread_only: bool = False) -> QuerySet[Reminder]:
    """The user's reminders, newest due date first, with the account preloaded."""
    reminders = Reminder.objects.filter(recipient=user).select_related("account")
    if unread_only:
        reminders = reminders.unread()
    return reminders.order_by("-due_on", "-pk")


def unread_count(user: User) -> int:
    return Reminder.objects.filter(recipient=user).unread().count()
