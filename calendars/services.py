"""The calendar feed's address and time zone, and invitations sent to participants."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from accounts.access import require_edit
from activities.models import Activity
from calendars import tasks
from calendars.forms import TimeZoneForm
from calendars.models import CalendarFeed, new_token
from kam import queue
from reviews.models import AnnualReview
from users.models import User


def feed_of(user: User) -> CalendarFeed:
    """The user's feed, made on first use (a new user has an address at once)."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def feed_renew(*, user: User) -> CalendarFeed:
    """A new secret address: the old one answers 404 from now on."""
    feed = feed_of(user)
    feed.token = new_token()
    feed.save(update_fields=["token"])
    return feed


def feed_set_time_zone(*, user: User, time_zone: str) -> CalendarFeed:
    feed = feed_of(user)
    feed.time_zone = time_zone
    feed.full_clean(exclude=["user", "token"])
    feed.save(update_fields=["time_zone"])
    return feed


def profile_section(*, user: User) -> dict:
    feed = feed_of(user)
    return {
        "feed": feed,
        "path": reverse("calendars:feed", args=[feed.token]),
        "form": TimeZoneForm(initial={"time_zone": feed.time_zone}),
    }


def invitation_send(*, actor: User, record: Activity | AnnualReview) -> None:
    """Mail the record's invitation to its participants once the transaction commits
    (calendars.tasks.send_invitation). Sending to the customer speaks for the account, so
    only who may change the account may send."""
    require_edit(actor, record.account)
    kind = "activity" if isinstance(record, Activity) else "review"
    transaction.on_commit(queue.sender(tasks.send_invitation, kind, record.pk, actor.pk))
