"""A user's calendar feed (iCalendar, RFC 5545): what the user has to be at or to do.

Planned visits and meetings the user takes part in or entered, the user's open
follow-ups and plan actions by their due dates, the next notice deadlines of the
contracts the user is responsible for (or whose account the user owns), and the annual
reviews the user takes part in (meeting day and next review day). Only records of
accounts the user sees (accounts.access), in a window from WINDOW_BEFORE days back to
WINDOW_AFTER days ahead.

Every record keeps its UID (`<kind>-<id>@<UID_DOMAIN>`), so a calendar program moves an
event when its date changes instead of adding a second one; the invitation of a visit
(calendars.invitations) carries the same UID. The whole feed costs a constant number of
queries (one per kind of record, one for the scope) and is cached under the "calendar"
version (kam.versioned_cache), which the events of those records raise.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import icalendar
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.access import visible_accounts
from activities.models import Activity, FollowUp
from calendars.models import CalendarFeed
from contracts.models import Contract
from contracts.terms import holding_on, next_notice_between
from kam import versioned_cache
from planning.models import Action
from reviews.models import AnnualReview
from users.models import User

VERSION = "calendar"
UID_DOMAIN = "kam-crm"
PRODID = "-//KAM CRM//Calendar feed//EN"
WINDOW_BEFORE = 60
WINDOW_AFTER = 400
DEFAULT_MINUTES = 60
PLANNED_KINDS = (
    Activity.Kind.VISIT,
    Activity.Kind.MEETING,
    Activity.Kind.PRESENTATION,
    Activity.Kind.EVENT,
)


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    language: str
    customer: bool


@dataclass(frozen=True)
class Item:
    """One calendar event: `start` is a date for whole-day events, else aware."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime
    modified: datetime
    description: str = ""
    location: str = ""
    path: str = ""
    categories: tuple[str, ...] = ()
    attendees: tuple[Attendee, ...] = field(default=())


def uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{UID_DOMAIN}"


class _Scope:
    """The user's accounts, read once (one query) and used by every kind of record."""

    def __init__(self, user: User) -> None:
        self.all = user.is_active and user.sees_all_accounts
        self.accounts = (
            None if self.all else list(visible_accounts(user).values_list("pk", flat=True))
        )

    def __call__(self, queryset: QuerySet, via: str = "account") -> QuerySet:
        if self.accounts is None:
            return queryset
        return queryset.filter(**{f"{via}__in": self.accounts})


def _day_item(kind, pk, summary, day, modified, **extra) -> Item:
    return Item(
        uid=uid(kind, pk),
        summary=summary,
        start=day,
        end=day + timedelta(days=1),
        modified=modified,
        **extra,
    )


def activity_item(activity: Activity) -> Item:
    minutes = activity.duration_minutes or DEFAULT_MINUTES
    return Item(
        uid=uid("activity", activity.pk),
        summary=f"{activity.get_kind_display()}: {activity.subject} ({activity.account.name})",
        start=activity.occurred_at,
        end=activity.occurred_at + timedelta(minutes=minutes),
        modified=activity.updated_at,
        description=activity.notes,
        location=activity.location,
        path=reverse("activities:detail", args=[activity.pk]),
        categories=(str(activity.get_kind_display()),),
    )


def review_item(review: AnnualReview) -> Item:
    assert review.meeting_on is not None
    return _day_item(
        "review",
        review.pk,
        _("Annual review %(year)s: %(account)s")
        % {"year": review.year, "account": review.account.name},
        review.meeting_on,
        review.updated_at,
        location=review.place,
        path=reverse("reviews:detail", args=[review.pk]),
        categories=(_("Annual review"),),
    )


def items_for(user: User, *, today: date | None = None) -> list[Item]:
    """Everything of the user's calendar in the window, soonest first (six queries)."""
    today = today or timezone.localdate()
    first, last = today - timedelta(days=WINDOW_BEFORE), today + timedelta(days=WINDOW_AFTER)
    scope = _Scope(user)
    items: list[Item] = []

    activities = (
        scope(Activity.objects.filter(kind__in=PLANNED_KINDS))
        .filter(
            Q(pk__in=Activity.users.through.objects.filter(user=user).values("activity_id"))
            | Q(created_by=user),
            occurred_at__date__gte=first,
            occurred_at__date__lte=last,
        )
        .select_related("account")
    )
    items += [activity_item(activity) for activity in activities]

    follow_ups = (
        scope(FollowUp.objects.open())
        .filter(owner=user, due_on__gte=first, due_on__lte=last)
        .select_related("account")
    )
    items += [
        _day_item(
            "follow-up",
            follow_up.pk,
            _("Follow-up: %(title)s (%(account)s)")
            % {"title": follow_up.title, "account": follow_up.account.name},
            follow_up.due_on,
            follow_up.updated_at,
            description=follow_up.notes,
            path=reverse("activities:my_work"),
            categories=(_("Follow-up"),),
        )
        for follow_up in follow_ups
    ]

    actions = (
        scope(
            Action.objects.filter(status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS]),
            via="objective__account",
        )
        .filter(owner=user, due_on__gte=first, due_on__lte=last)
        .select_related("objective__account")
    )
    items += [
        _day_item(
            "plan-action",
            action.pk,
            _("Plan action: %(title)s (%(account)s)")
            % {"title": action.title, "account": action.objective.account.name},
            action.due_on,
            action.updated_at,
            description=action.objective.title,
            path=reverse("accounts:detail", args=[action.objective.account_id]),
            categories=(_("Action plan"),),
        )
        for action in actions
    ]

    contracts = (
        holding_on(
            scope(Contract.objects.filter(Q(owner=user) | Q(account__owner=user))), today=today
        )
        .filter(next_notice_between(today, last))
        .select_related("account")
    )
    items += [
        _day_item(
            "notice",
            contract.pk,
            _("Notice deadline: %(number)s %(title)s (%(account)s)")
            % {
                "number": contract.number,
                "title": contract.title,
                "account": contract.account.name,
            },
            contract.next_notice_deadline,
            contract.updated_at,
            path=reverse("contracts:detail", args=[contract.pk]),
            categories=(_("Notice deadline"),),
        )
        for contract in contracts
        if contract.next_notice_deadline
    ]

    reviews = (
        scope(AnnualReview.objects.all())
        .filter(
            Q(
                pk__in=AnnualReview.our_participants.through.objects.filter(user=user).values(
                    "annualreview_id"
                )
            )
            | Q(account__owner=user)
            | Q(created_by=user),
            Q(meeting_on__gte=first, meeting_on__lte=last)
            | Q(next_review_on__gte=first, next_review_on__lte=last),
        )
        .select_related("account")
    )
    for review in reviews:
        if review.meeting_on and first <= review.meeting_on <= last:
            items.append(review_item(review))
        if review.next_review_on and first <= review.next_review_on <= last:
            items.append(
                _day_item(
                    "next-review",
                    review.pk,
                    _("Next annual review due: %(account)s") % {"account": review.account.name},
                    review.next_review_on,
                    review.updated_at,
                    path=reverse("accounts:detail", args=[review.account_id]),
                    categories=(_("Annual review"),),
                )
            )

    return sorted(items, key=lambda item: (_sort_key(item.start), item.uid))


def _sort_key(start: date | datetime) -> datetime:
    if isinstance(start, datetime):
        return start
    return datetime.combine(start, datetime.min.time(), tzinfo=zoneinfo.ZoneInfo("UTC"))


def _event(item: Item, *, zone: zoneinfo.ZoneInfo, base_url: str, stamp: datetime):
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", item.modified.astimezone(zoneinfo.ZoneInfo("UTC")))
    # The sequence grows with every change, so programs that keep an invitation accept
    # the moved date (seconds since 2020 fit the 31 bits calendars expect for years).
    event.add("sequence", max(0, int(item.modified.timestamp()) - 1_577_836_800))
    event.add("summary", item.summary)
    if isinstance(item.start, datetime):
        assert isinstance(item.end, datetime)
        event.add("dtstart", item.start.astimezone(zone))
        event.add("dtend", item.end.astimezone(zone))
    else:
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("transp", "TRANSPARENT")  # a due date does not block the day
    if item.location:
        event.add("location", item.location)
    url = base_url + item.path if item.path and base_url else ""
    description = "\n\n".join(part for part in (item.description, url) if part)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    if item.categories:
        event.add("categories", list(item.categories))
    return event


def calendar(
    items: list[Item],
    *,
    zone_name: str,
    base_url: str,
    name: str = "",
    method: str = "",
    organizer: Attendee | None = None,
) -> bytes:
    """The iCalendar text of `items`, times in `zone_name` with its VTIMEZONE."""
    zone = zoneinfo.ZoneInfo(zone_name)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", zone_name)
    stamp = timezone.now().replace(microsecond=0).astimezone(zoneinfo.ZoneInfo("UTC"))
    for item in items:
        event = _event(item, zone=zone, base_url=base_url, stamp=stamp)
        if organizer:
            event.add("organizer", _address(organizer, organizer=True))
        for attendee in item.attendees:
            event.add("attendee", _address(attendee))
        cal.add_component(event)
    if any(isinstance(item.start, datetime) for item in items):
        cal.add_missing_timezones()
    return cal.to_ical()


def _address(person: Attendee, *, organizer: bool = False) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    if not organizer:
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "TRUE"
        address.params["CUTYPE"] = "INDIVIDUAL"
    if person.language:
        address.params["LANGUAGE"] = person.language
    return address


def feed_for(feed: CalendarFeed, *, base_url: str) -> bytes:
    """The feed's calendar, cached until one of its records (or who sees what) changes."""
    user = feed.user
    today = timezone.localdate()

    def compute() -> bytes:
        with translation.override(user.language):
            return calendar(
                items_for(user, today=today),
                zone_name=feed.time_zone,
                base_url=base_url,
                name=_("KAM CRM: %(name)s") % {"name": user},
            )

    parts = (user.pk, feed.token, feed.time_zone, user.language, today.isoformat(), base_url)
    return versioned_cache.cached("calendar-feed", parts, compute, rests_on=VERSION)
