"""The notifications page, the bell and marking read; the digest choice on the profile."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from reminders.models import Reminder

pytestmark = pytest.mark.django_db


def remind(user, number: int, **fields) -> Reminder:
    return Reminder.objects.create(
        rule="follow_up_due", object_type="activities.followup", object_id=number,
        due_on=date(2026, 11, 27), recipient=user, subject=f"Angebot {number} nachfassen",
        url=f"/activities/my-work/#f{number}", **fields,
    )  # fmt: skip


def test_list_shows_own_unread_reminders_with_links_in_constant_queries(
    kam, other_kam, account, kam_client, django_assert_num_queries
):
    for number in range(3):
        remind(kam, number, account=account)
    remind(kam, 7, read_at=timezone.now())
    remind(other_kam, 9)
    # Session, user, the scope's paths, count, the account filter's accounts, page.
    with django_assert_num_queries(6):
        response = kam_client.get(reverse("reminders:list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('href="/activities/my-work/#f') == 3
    assert "Angebot 7" not in page
    assert "Angebot 9" not in page
    assert "Müller Maschinenbau AG" in page
    page_all = kam_client.get(reverse("reminders:list") + "?show=all").content.decode()
    assert "Angebot 7" in page_all


def test_bell_shows_the_unread_count(kam, kam_client):
    assert 'data-testid="reminder-count"' not in kam_client.get(reverse("reminders:bell")).text
    remind(kam, 1)
    remind(kam, 2)
    remind(kam, 3, cleared_at=timezone.now())
    assert (
        '<span class="badge badge-bad" data-testid="reminder-count" aria-hidden="true">2</span>'
        in (kam_client.get(reverse("reminders:bell")).text)
    )


def test_every_page_loads_the_bell(kam_client):
    page = kam_client.get(reverse("accounts:list")).content.decode()
    assert f'hx-get="{reverse("reminders:bell")}"' in page


def test_mark_read_with_htmx_updates_the_list_and_the_bell(kam, kam_client):
    reminder = remind(kam, 1)
    response = kam_client.post(
        reverse("reminders:mark_read", args=[reminder.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.headers["HX-Trigger"] == "kam:reminders"
    assert "Angebot 1" not in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_another_users_reminder_cannot_be_marked_read(other_kam, kam, kam_client):
    reminder = remind(other_kam, 1)
    response = kam_client.post(reverse("reminders:mark_read", args=[reminder.pk]))
    assert response.status_code == 404
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_mark_all_read(kam, other_kam, kam_client):
    remind(kam, 1)
    remind(kam, 2)
    remind(other_kam, 3)
    kam_client.post(reverse("reminders:mark_all_read"))
    assert Reminder.objects.unread().filter(recipient=kam).count() == 0
    assert Reminder.objects.unread().filter(recipient=other_kam).count() == 1


def test_signed_out_visitor_is_sent_to_the_login(client):
    response = client.get(reverse("reminders:list"))
    assert response.status_code == 302
    assert "/login/" in response.url


def _profile(user, **changes) -> dict:
    data = {
        "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "language": user.language, "digest_frequency": user.digest_frequency,
    }  # fmt: skip
    return {**data, **changes}


def test_profile_sets_the_digest_frequency(kam, kam_client):
    response = kam_client.post(reverse("profile"), _profile(kam, digest_frequency="weekly"))
    assert response.status_code == 302
    kam.refresh_from_db()
    assert kam.digest_frequency == "weekly"


def test_profile_rejects_an_unknown_frequency_and_saves_nothing(kam, kam_client):
    response = kam_client.post(
        reverse("profile"), _profile(kam, digest_frequency="hourly", first_name="Neu")
    )
    assert "hourly ist keine gültige Auswahl" in response.content.decode()
    kam.refresh_from_db()
    assert kam.digest_frequency == "daily"
    assert kam.first_name != "Neu"


def test_bell_says_how_many_reminders_are_unread_in_the_users_language(kam, kam_client):
    assert (
        'aria-label="Erinnerungen, keine ungelesen"'
        in kam_client.get(reverse("reminders:bell")).text
    )
    remind(kam, 1)
    assert 'aria-label="1 ungelesene Erinnerung"' in kam_client.get(reverse("reminders:bell")).text
    remind(kam, 2)
    kam.language = "en"
    kam.save(update_fields=["language"])
    text = kam_client.get(reverse("reminders:bell")).text
    assert 'aria-label="2 unread reminders"' in text
    assert "<svg" in text and "🔔" not in text
