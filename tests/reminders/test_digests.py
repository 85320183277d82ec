"""The e-mail digest: at the configured hour, in the user's language, daily or weekly,
never twice, and nothing for users without address or who left."""

from datetime import date, datetime, time

import pytest
from django.core import mail
from django.utils import timezone

from reminders.digests import _claim, send_digests
from reminders.models import Digest, Reminder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 11, 27)
MONDAY = date(2026, 11, 30)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def remind(user, number: int = 1, **fields) -> Reminder:
    fields.setdefault("rule", "follow_up_due")
    return Reminder.objects.create(
        object_type="activities.followup", object_id=number, due_on=FRIDAY, recipient=user,
        subject=f"Angebot {number} nachfassen", url="/activities/my-work/", **fields,
    )  # fmt: skip


def test_daily_digest_waits_for_the_hour_and_goes_out_once(kam, settings):
    settings.REMINDER_DIGEST_HOUR = 7
    remind(kam, 1)
    remind(kam, 2)
    assert send_digests(now=local(FRIDAY, 6, 59)) == 0
    assert send_digests(now=local(FRIDAY, 7, 0)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [kam.email]
    assert message.subject == "KAM: 2 Erinnerungen"
    assert "Nachfassen „Angebot 1 nachfassen“ ist am 27.11.2026 fällig." in message.body
    assert "http://localhost:8000/activities/my-work/" in message.body
    # Later the same day: nothing new, and a reminder that comes up waits for tomorrow.
    assert send_digests(now=local(FRIDAY, 9)) == 0
    remind(kam, 3)
    assert send_digests(now=local(FRIDAY, 10)) == 0
    assert send_digests(now=local(date(2026, 11, 28), 7)) == 1
    assert "Angebot 3" in mail.outbox[1].body
    assert "Angebot 1" not in mail.outbox[1].body


def test_digest_is_written_in_the_users_language(db):
    user = UserFactory(language="en")
    remind(user)
    send_digests(now=local(FRIDAY, 12))
    assert mail.outbox[0].subject == "KAM: 1 reminder"
    assert "Follow-up “Angebot 1 nachfassen” is due on" in mail.outbox[0].body


def test_weekly_digest_goes_out_on_the_configured_weekday_once_a_week(kam, settings):
    settings.REMINDER_DIGEST_WEEKDAY = 2  # Wednesday
    kam.digest_frequency = "weekly"
    kam.save()
    remind(kam)
    assert send_digests(now=local(MONDAY, 12)) == 0
    assert send_digests(now=local(date(2026, 12, 2), 12)) == 1
    remind(kam, 2)
    assert send_digests(now=local(date(2026, 12, 4), 12)) == 0  # same week
    # A week whose Wednesday run was missed (Redis down) catches up later that week.
    assert send_digests(now=local(date(2026, 12, 11), 12)) == 1


def test_no_digest_when_switched_off_read_or_settled(kam):
    remind(kam, 1, read_at=timezone.now())
    remind(kam, 2, cleared_at=timezone.now())
    assert send_digests(now=local(FRIDAY, 12)) == 0
    kam.digest_frequency = "off"
    kam.save()
    remind(kam, 3)
    assert send_digests(now=local(FRIDAY, 12)) == 0
    assert mail.outbox == []


def test_users_without_address_or_who_left_are_skipped_with_a_log_line(db, caplog):
    without = UserFactory(email="")
    left = UserFactory(is_active=False)
    remind(without, 1)
    remind(left, 2)
    with caplog.at_level("INFO", logger="reminders"):
        assert send_digests(now=local(FRIDAY, 12)) == 0
    assert f"user {without.pk} has no e-mail address" in caplog.text
    assert f"user {left.pk} is inactive" in caplog.text


def test_a_digest_claimed_by_a_killed_run_is_not_sent_again(kam):
    remind(kam)
    # A run committed the digest and was killed before confirming the e-mail.
    assert _claim(kam, FRIDAY.isoformat()) is not None
    assert send_digests(now=local(FRIDAY, 13)) == 0
    assert mail.outbox == []
    assert Reminder.objects.get().digest.sent_at is None


def test_a_refused_digest_is_sent_by_the_next_run(kam, settings):
    remind(kam)
    settings.MAILERS = {"default": {"BACKEND": "tests.reminders.mailers.RefusingBackend"}}
    assert send_digests(now=local(FRIDAY, 12)) == 0
    assert Digest.objects.count() == 0
    assert Reminder.objects.get().digest is None
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert send_digests(now=local(FRIDAY, 13)) == 1
    assert len(mail.outbox) == 1
