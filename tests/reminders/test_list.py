"""The reminder list: filters by kind and account, grouped by day, snooze, the date each
reminder is about, dates and days left as on the day it is read (issue 27 items 21 and
22), and only reminders of accounts the reader may see now (issue 29 item 6)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services as account_services
from reminders.digests import send_digests
from reminders.messages import reminder_message
from reminders.models import Reminder
from reminders.selectors import unread_count
from tests.factories import make_account

pytestmark = pytest.mark.django_db
LIST = reverse("reminders:list")


def remind(user, number: int, *, rule="follow_up_due", due_on=None, **fields) -> Reminder:
    return Reminder.objects.create(
        rule=rule, object_type="activities.followup", object_id=number,
        due_on=due_on or timezone.localdate(), recipient=user,
        subject=f"Angebot {number} nachfassen", url=f"/activities/my-work/#f{number}", **fields,
    )  # fmt: skip


def notice(user, number: int, deadline: date, **fields) -> Reminder:
    return remind(
        user, number, rule="contract_notice", due_on=deadline - timedelta(days=90),
        params={"deadline_on": deadline.isoformat(), "days": 90}, **fields,
    )  # fmt: skip


def test_english_dates_are_iso_and_days_left_are_counted_when_read(kam):
    reminder = notice(kam, 1, date(2027, 3, 31))
    with translation.override("en"):
        text = reminder_message(reminder, today=date(2027, 3, 21))
    assert "2027-03-31" in text and "03/31/2027" not in text
    # Scanned 90 days ahead; read ten days before the deadline.
    assert "in 10 days" in text and "90" not in text
    with translation.override("de"):
        text = reminder_message(reminder, today=date(2027, 3, 30))
    assert "31.03.2027" in text and "in 1 Tag" in text


def test_list_filters_by_kind_and_account_and_groups_by_day(
    kam, account, kam_client, django_assert_num_queries
):
    other = make_account(owner=kam, name="Zweite Kunde GmbH")
    today = timezone.localdate()
    remind(kam, 1, account=account, due_on=today)
    remind(kam, 2, account=other, due_on=today)
    remind(kam, 3, account=account, due_on=today - timedelta(days=1))
    notice(kam, 4, today + timedelta(days=60), account=account)
    # Session, user, scope, page, accounts of the filter.
    with django_assert_num_queries(6):
        page = kam_client.get(LIST).content.decode()
    assert page.count('data-testid="reminder-day"') == 3
    by_account = kam_client.get(LIST, {"account": account.pk}).content.decode()
    assert "Angebot 1 " in by_account and "Angebot 3 " in by_account
    assert "Angebot 2 " not in by_account
    by_kind = kam_client.get(LIST, {"rule": "contract_notice"}).content.decode()
    assert "Angebot 4 " in by_kind and "Angebot 1 " not in by_kind
    # The date each reminder is about: the deadline, or the day it fell due.
    deadline = (today + timedelta(days=60)).strftime("%d.%m.%Y")
    assert f"Frist {deadline}" in by_kind
    assert f"Fällig seit {today.strftime('%d.%m.%Y')}" in by_account


@pytest.mark.parametrize(("length", "days"), [("day", 1), ("week", 7)])
def test_snooze_for_a_day_or_a_week_hides_it_from_list_bell_and_digest(
    kam, kam_client, length, days
):
    reminder = remind(kam, 1)
    remind(kam, 2)
    response = kam_client.post(
        reverse("reminders:snooze", args=[reminder.pk]), {"for": length}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "kam:reminders"
    assert "Angebot 1 " not in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.snoozed_until == timezone.localdate() + timedelta(days=days)
    assert unread_count(kam) == 1
    shown = kam_client.get(LIST, {"show": "all"}).content.decode()
    assert 'data-testid="snoozed"' in shown
    # The digest sends only the awake one today.
    now = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    assert send_digests(now=now) == 1
    assert "Angebot 2" in mail.outbox[0].body and "Angebot 1" not in mail.outbox[0].body


def test_snooze_until_a_date_and_a_past_date_is_refused(kam, kam_client):
    reminder = remind(kam, 1)
    url = reverse("reminders:snooze", args=[reminder.pk])
    later = timezone.localdate() + timedelta(days=20)
    kam_client.post(url, {"for": "until", "until": later.isoformat()})
    reminder.refresh_from_db()
    assert reminder.snoozed_until == later
    response = kam_client.post(url, {"for": "until", "until": "2020-01-01"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Wählen Sie einen Tag nach heute." in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.snoozed_until == later


def test_another_users_reminder_cannot_be_snoozed(kam, other_kam, kam_client):
    reminder = remind(other_kam, 1)
    response = kam_client.post(reverse("reminders:snooze", args=[reminder.pk]), {"for": "day"})
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.snoozed_until is None


def test_after_an_account_moves_its_reminders_leave_the_old_owners_list_bell_and_digest(
    kam, other_kam, account, kam_client, head_of_sales
):
    remind(kam, 1, account=account)
    remind(kam, 2)  # no account
    assert unread_count(kam) == 2
    account_services.account_update(actor=head_of_sales, account=account, owner=other_kam)
    page = kam_client.get(LIST, {"show": "all"}).content.decode()
    assert "Angebot 1 " not in page and account.name not in page
    assert "Angebot 2 " in page
    assert unread_count(kam) == 1
    now = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    assert send_digests(now=now) == 1
    assert "Angebot 1" not in mail.outbox[0].body and account.name not in mail.outbox[0].body
    moved = Reminder.objects.get(object_id=1)
    response = kam_client.post(reverse("reminders:mark_read", args=[moved.pk]))
    assert response.status_code == 404
