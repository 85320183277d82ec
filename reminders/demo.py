"""The reminders' demo step (last of all): what the demo data makes due shows in the bell
at once, and one reminder of each demo user with several is snoozed for a week, so that
the list shows how snoozing looks."""

from datetime import timedelta

from django.utils import timezone

from reminders import services
from reminders.models import Reminder
from users.models import User


def seed(users: dict[str, User]) -> int:
    created = sum(services.run_all().values())
    until = timezone.localdate() + timedelta(days=7)
    for user in users.values():
        unread = Reminder.objects.filter(recipient=user).unread()
        if unread.filter(snoozed_until__isnull=False).exists() or unread.count() < 2:
            continue
        reminder = unread.order_by("due_on", "pk").first()
        if reminder is not None:
            services.reminder_snooze(user=user, reminder=reminder, until=until)
    return created
