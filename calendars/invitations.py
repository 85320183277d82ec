"""The `.ics` invitation of a planned visit or meeting, or of an annual review meeting,
with the customer's contacts and our participants as attendees; and the e-mail that
carries it, written in each recipient's language."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from activities.models import Activity
from calendars.feed import Attendee, Item, activity_item, calendar, review_item
from calendars.models import CalendarFeed
from reviews.models import AnnualReview
from users.models import User


def attendees(record: Activity | AnnualReview) -> tuple[Attendee, ...]:
    if isinstance(record, Activity):
        contacts, users = record.contacts.all(), record.users.all()
    else:
        contacts, users = record.customer_participants.all(), record.our_participants.all()
    people = [
        Attendee(
            name=f"{contact.first_name} {contact.last_name}".strip(),
            email=contact.email,
            language=contact.preferred_language,
            customer=True,
        )
        for contact in contacts
        if contact.email
    ]
    people += [
        Attendee(name=str(user), email=user.email, language=user.language, customer=False)
        for user in users
        if user.email
    ]
    return tuple(people)


def invitation_item(record: Activity | AnnualReview) -> Item:
    """The record's event with its attendees; the notes stay out (they are internal)."""
    item = activity_item(record) if isinstance(record, Activity) else review_item(record)
    return Item(**{**item.__dict__, "description": "", "attendees": attendees(record)})


def invitation_ics(
    record: Activity | AnnualReview, *, organizer: User, base_url: str, language: str = ""
) -> bytes:
    """The invitation in `language` (the organizer's without)."""
    feed = CalendarFeed.objects.filter(user=organizer).first()
    zone = feed.time_zone if feed else settings.TIME_ZONE
    sender = Attendee(
        name=str(organizer),
        email=organizer.email or "",
        language=organizer.language,
        customer=False,
    )
    with translation.override(language or organizer.language):
        return calendar(
            [invitation_item(record)],
            zone_name=zone,
            base_url=base_url,
            method="REQUEST",
            organizer=sender if organizer.email else None,
        )


def send(record: Activity | AnnualReview, *, organizer: User, base_url: str) -> int:
    """One e-mail per participant with an address, in their language; how many were sent.
    Customer contacts get the invitation without our internal links."""
    sent = 0
    for person in attendees(record):
        with translation.override(person.language):
            item = invitation_item(record)
            link = "" if person.customer else base_url
            ics = invitation_ics(
                record, organizer=organizer, base_url=link, language=person.language
            )
            subject = _("Invitation: %(summary)s") % {"summary": item.summary}
            body = render_to_string(
                "calendars/email/invitation.txt",
                {
                    "item": item,
                    "person": person,
                    "organizer": organizer,
                    "url": link and link + item.path,
                    "all_day": not isinstance(item.start, datetime),
                },
            )
        message = EmailMessage(
            subject=subject,
            body=body,
            to=[person.email],
            reply_to=[organizer.email] if organizer.email else None,
        )
        message.attach("invitation.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")
        message.send()
        sent += 1
    return sent
