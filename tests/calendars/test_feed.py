"""The calendar feed: what a KAM's calendar program reads from the secret address."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.services import team_member_set
from activities.services import activity_log, follow_up_create, follow_up_update
from calendars import services
from contracts.services import contract_create
from planning.action_plan.services import action_create, objective_create
from reviews.services import review_create
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


def _feed(client, user):
    response = client.get(reverse("calendars:feed", args=[services.feed_of(user).token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _summaries(cal) -> set[str]:
    return {str(event["SUMMARY"]) for event in cal.walk("VEVENT")}


@pytest.fixture
def world(kam, other_kam, account):
    """The KAM's account with one of everything, and another team's account with the
    same things, which the KAM must never see."""
    today = timezone.localdate()
    soon = timezone.now().replace(microsecond=0) + timedelta(days=3)
    theirs = make_account(owner=other_kam, name="Fremdfirma GmbH")
    records = {}
    for owner, acct, tag in ((kam, account, "mine"), (other_kam, theirs, "theirs")):
        contact = make_contact(
            account=acct, first_name="Eva", last_name=f"Kunde {tag}",
            email=f"eva.{tag}@example.com", preferred_language="en",
        )  # fmt: skip
        visit = activity_log(
            actor=owner, account=acct, kind="visit", occurred_at=soon, duration_minutes=90,
            subject=f"Visit {tag}", location="Stuttgart", contacts=[contact], users=[owner],
        )  # fmt: skip
        follow_up = follow_up_create(
            actor=owner, account=acct, owner=owner, title=f"Call back {tag}",
            due_on=today + timedelta(days=5),
        )  # fmt: skip
        objective = objective_create(
            actor=owner, account=acct, year=today.year, title=f"Grow {tag}", kind="revenue",
            target_value=Decimal("1000"), due_on=today + timedelta(days=200),
        )  # fmt: skip
        action = action_create(
            actor=owner, objective=objective, title=f"Workshop {tag}",
            due_on=today + timedelta(days=20),
        )  # fmt: skip
        contract = contract_create(
            actor=owner, account=acct, number=f"V-{tag}", title=f"Supply {tag}",
            start_on=today - timedelta(days=300), end_on=today + timedelta(days=150),
            notice_period_months=3, status="active", owner=owner,
        )  # fmt: skip
        meeting_on = today + timedelta(days=10)
        review = review_create(
            actor=owner, account=acct, year=meeting_on.year, meeting_on=meeting_on,
            place="Werk 2", our_participants=[owner], customer_participants=[contact],
        )  # fmt: skip
        records[tag] = {
            "visit": visit, "follow_up": follow_up, "action": action,
            "contract": contract, "review": review, "contact": contact,
        }  # fmt: skip
    return records


def test_feed_parses_and_holds_exactly_the_users_items(kam, world, client):
    cal = _feed(client, kam)
    summaries = _summaries(cal)
    assert len(summaries) == 5, summaries
    assert any("Visit mine" in s for s in summaries)
    assert any("Call back mine" in s for s in summaries)
    assert any("Workshop mine" in s for s in summaries)
    assert any("V-mine" in s for s in summaries)
    # In the user's language (German).
    assert any("Jahresgespräch" in s and "Müller" in s for s in summaries)
    assert not any("theirs" in s or "Fremdfirma" in s for s in summaries)


def test_visit_has_its_time_in_the_users_zone_with_a_vtimezone(kam, world, client):
    services.feed_set_time_zone(user=kam, time_zone="America/New_York")
    cal = _feed(client, kam)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["America/New_York"]
    visit = next(e for e in cal.walk("VEVENT") if "Visit mine" in str(e["SUMMARY"]))
    start = visit.decoded("DTSTART")
    assert str(start.tzinfo) == "America/New_York"
    assert start == world["mine"]["visit"].occurred_at
    assert visit.decoded("DTEND") - start == timedelta(minutes=90)
    assert str(visit["LOCATION"]) == "Stuttgart"


def test_due_dates_are_whole_day_events(kam, world, client):
    cal = _feed(client, kam)
    follow_up = next(e for e in cal.walk("VEVENT") if "Call back" in str(e["SUMMARY"]))
    start = follow_up.decoded("DTSTART")
    assert type(start) is date
    assert start == world["mine"]["follow_up"].due_on


def test_an_updated_follow_up_keeps_its_uid_and_moves(kam, world, client):
    follow_up = world["mine"]["follow_up"]
    before = next(e for e in _feed(client, kam).walk("VEVENT") if "Call back" in str(e["SUMMARY"]))
    new_day = follow_up.due_on + timedelta(days=7)
    follow_up_update(actor=kam, follow_up=follow_up, due_on=new_day)
    after = [e for e in _feed(client, kam).walk("VEVENT") if "Call back" in str(e["SUMMARY"])]
    assert len(after) == 1
    assert str(after[0]["UID"]) == str(before["UID"])
    assert after[0].decoded("DTSTART") == new_day


def test_a_done_follow_up_leaves_the_feed(kam, world, client):
    follow_up_update(actor=kam, follow_up=world["mine"]["follow_up"], done=True)
    assert not any("Call back" in s for s in _summaries(_feed(client, kam)))


def test_head_of_sales_sees_only_their_own_dates_not_everyones(head_of_sales, world, client):
    assert _summaries(_feed(client, head_of_sales)) == set()


def test_a_team_member_sees_a_visit_they_take_part_in(kam, sales_rep, world, client):
    account = world["mine"]["visit"].account
    team_member_set(actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False)
    activity_log(
        actor=kam, account=account, kind="meeting", occurred_at=timezone.now() + timedelta(days=1),
        subject="Kick-off", users=[sales_rep],
    )  # fmt: skip
    assert any("Kick-off" in s for s in _summaries(_feed(client, sales_rep)))


def test_feed_costs_a_constant_number_of_queries(
    kam, world, client, django_assert_max_num_queries, settings
):
    settings.VERSIONED_CACHE_SECONDS = 0  # measure the computation itself
    account = world["mine"]["visit"].account
    for number in range(3):
        follow_up_create(
            actor=kam, account=account, owner=kam, title=f"Extra {number}",
            due_on=timezone.localdate() + timedelta(days=number + 1),
        )  # fmt: skip
        activity_log(
            actor=kam, account=account, kind="visit", subject=f"Extra visit {number}",
            occurred_at=timezone.now() + timedelta(days=number + 1), users=[kam],
        )  # fmt: skip
    url = reverse("calendars:feed", args=[services.feed_of(kam).token])
    # The token, the user's accounts (two), one per kind of record (five), and the day's
    # first look for contracts whose stored dates went stale (contracts.terms.bring_up_to).
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200


def test_a_cached_feed_reads_only_the_token_and_follows_a_change(
    kam, world, client, django_assert_num_queries, settings
):
    settings.VERSIONED_CACHE_SECONDS = 300
    url = reverse("calendars:feed", args=[services.feed_of(kam).token])
    client.get(url)
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200
    follow_up_update(actor=kam, follow_up=world["mine"]["follow_up"], title="Call back later")
    assert any("Call back later" in s for s in _summaries(_feed(client, kam)))


def test_wrong_token_is_404(client, kam):
    services.feed_of(kam)
    assert client.get(reverse("calendars:feed", args=["not-the-token"])).status_code == 404


def test_renewed_token_makes_the_old_address_404(kam, kam_client, client, world):
    old = services.feed_of(kam).token
    response = kam_client.post(reverse("calendars:renew"))
    assert response.status_code == 302
    new = services.feed_of(kam).token
    assert new != old
    assert client.get(reverse("calendars:feed", args=[old])).status_code == 404
    assert client.get(reverse("calendars:feed", args=[new])).status_code == 200


def test_deactivated_users_feed_is_404(kam, client):
    token = services.feed_of(kam).token
    kam.is_active = False
    kam.save()
    assert client.get(reverse("calendars:feed", args=[token])).status_code == 404


def test_profile_page_shows_the_webcal_address(kam, kam_client):
    page = kam_client.get(reverse("profile")).content.decode()
    token = services.feed_of(kam).token
    assert f'href="webcal://testserver/calendar/feed/{token}.ics"' in page
    assert f"http://testserver/calendar/feed/{token}.ics" in page


def test_time_zone_from_the_profile_page(kam, kam_client):
    kam_client.post(reverse("calendars:time_zone"), {"time_zone": "Asia/Tokyo"})
    assert services.feed_of(kam).time_zone == "Asia/Tokyo"
    kam_client.post(reverse("calendars:time_zone"), {"time_zone": "Mars/Olympus"})
    assert services.feed_of(kam).time_zone == "Asia/Tokyo"


def test_visit_invitation_lists_the_customer_as_attendee(kam, kam_client, world):
    visit = world["mine"]["visit"]
    response = kam_client.get(reverse("calendars:invitation", args=["activity", visit.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["METHOD"]) == "REQUEST"
    (event,) = cal.walk("VEVENT")
    attendees = event.get("ATTENDEE")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    customer = next(a for a in attendees if "eva.mine" in str(a))
    assert customer.params["LANGUAGE"] == "en"
    assert customer.params["CN"] == "Eva Kunde mine"
    # The same UID as in the feed: the calendar knows it is the same visit.
    feed_uids = {str(e["UID"]) for e in _feed(kam_client, kam).walk("VEVENT")}
    assert str(event["UID"]) in feed_uids


def test_review_invitation_is_a_whole_day_event(kam, kam_client, world):
    review = world["mine"]["review"]
    response = kam_client.get(reverse("calendars:invitation", args=["review", review.pk]))
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("DTSTART") == review.meeting_on
    assert str(event["LOCATION"]) == "Werk 2"


def test_outsider_gets_404_for_an_invitation(outsider_client, world):
    visit = world["mine"]["visit"]
    url = reverse("calendars:invitation", args=["activity", visit.pk])
    assert outsider_client.get(url).status_code == 404
    send = reverse("calendars:invitation_send", args=["activity", visit.pk])
    assert outsider_client.post(send).status_code == 404
    assert mail.outbox == []


def test_sending_the_invitation_mails_each_participant_in_their_language(
    kam, kam_client, world, django_capture_on_commit_callbacks
):
    kam.email = "kam@example.com"
    kam.language = "de"
    kam.save()
    visit = world["mine"]["visit"]
    with django_capture_on_commit_callbacks(execute=True):
        response = kam_client.post(
            reverse("calendars:invitation_send", args=["activity", visit.pk])
        )
    assert response.status_code == 302
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"eva.mine@example.com", "kam@example.com"}
    customer = by_address["eva.mine@example.com"]
    assert customer.subject.startswith("Invitation: Customer visit: Visit mine")
    assert "Hello Eva Kunde mine" in customer.body
    ours = by_address["kam@example.com"]
    assert ours.subject.startswith("Einladung: Kundenbesuch: Visit mine")
    (name, content, mimetype) = customer.attachments[0]
    assert mimetype.startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(content)
    (event,) = cal.walk("VEVENT")
    # The customer gets no link into our CRM.
    assert "URL" not in event
    assert isinstance(event.decoded("DTSTART"), datetime)


def test_visit_and_review_pages_offer_the_invitation(kam_client, world):
    visit, review = world["mine"]["visit"], world["mine"]["review"]
    page = kam_client.get(reverse("activities:detail", args=[visit.pk])).content.decode()
    assert reverse("calendars:invitation", args=["activity", visit.pk]) in page
    assert reverse("calendars:invitation_send", args=["activity", visit.pk]) in page
    page = kam_client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert reverse("calendars:invitation", args=["review", review.pk]) in page


def test_a_call_offers_no_invitation(kam, kam_client, account):
    call = activity_log(
        actor=kam, account=account, kind="call", subject="Kurz telefoniert",
        occurred_at=timezone.now(),
    )  # fmt: skip
    page = kam_client.get(reverse("activities:detail", args=[call.pk])).content.decode()
    assert "invitation.ics" not in page
