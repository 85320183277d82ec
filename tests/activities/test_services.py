"""Logging activities and handling follow-ups: the rules a user meets on page and API."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Contact
from activities import selectors, services
from activities.models import Activity, FollowUp
from tests.activities.conftest import follow_up, log
from tests.factories import UserFactory, make_account, make_contact

NEEDS_DUE_DATE = "Ein nächster Schritt benötigt ein Fälligkeitsdatum."  # German UI default


def test_logging_a_visit_with_a_next_step_creates_its_follow_up(kam, account, contact):
    due = timezone.localdate() + timedelta(days=7)
    activity = log(
        account,
        kind="visit",
        subject="Werksbesuch",
        contacts=[contact],
        users=[kam],
        next_step="Angebot schicken",
        next_step_owner=kam,
        next_step_due_on=due,
    )
    assert list(activity.contacts.all()) == [contact]
    assert list(activity.users.all()) == [kam]
    follow_up = FollowUp.objects.get()
    assert (follow_up.title, follow_up.owner, follow_up.due_on) == ("Angebot schicken", kam, due)
    assert follow_up.activity == activity and follow_up.account == account
    assert activity.history.count() == 1 and follow_up.history.count() == 1


def test_next_step_without_due_date_or_owner_is_refused_and_nothing_is_saved(kam, account):
    with pytest.raises(ValidationError) as exc:
        log(account, next_step="Angebot schicken", next_step_owner=None)
    assert set(exc.value.message_dict) == {"next_step_owner", "next_step_due_on"}
    assert exc.value.message_dict["next_step_due_on"] == [NEEDS_DUE_DATE]
    assert not Activity.objects.exists() and not FollowUp.objects.exists()


def test_owner_and_date_without_a_next_step_are_refused(kam, account):
    with pytest.raises(ValidationError) as exc:
        log(account, next_step_owner=kam, next_step_due_on=timezone.localdate())
    assert "next_step" in exc.value.message_dict


def test_participant_from_another_account_is_refused(admin_user, account, contact, foreign_contact):
    with pytest.raises(ValidationError) as exc:
        log(account, actor=admin_user, contacts=[contact, foreign_contact])
    assert exc.value.message_dict["contacts"] == ["Otto Fremd: Teilnehmer eines anderen Kunden."]
    assert not Activity.objects.exists()


def test_participant_outside_the_scope_is_refused_without_a_name(account, contact, foreign_contact):
    with pytest.raises(ValidationError) as exc:
        log(account, contacts=[contact, foreign_contact])
    assert exc.value.message_dict["contacts"] == ["Nicht gefunden."]
    assert not Activity.objects.exists()


def test_participants_from_the_same_group_are_accepted(kam, account):
    subsidiary = make_account(owner=kam, parent=account, name="Werk Ulm GmbH")
    sibling = make_contact(account=subsidiary, last_name="Tochter")
    activity = log(account, contacts=[sibling])
    assert list(activity.contacts.all()) == [sibling]
    # and the other way round: the parent's contact at a subsidiary's meeting
    parent_contact = make_contact(account=account, last_name="Mutter")
    assert list(log(subsidiary, contacts=[parent_contact]).contacts.all()) == [parent_contact]


def test_bad_duration_and_missing_subject_are_field_errors(account):
    with pytest.raises(ValidationError) as exc:
        log(account, subject="  ", duration_minutes=0)
    assert set(exc.value.message_dict) >= {"subject", "duration_minutes"}


def test_a_reader_may_not_log_activities(account, reader):
    with pytest.raises(PermissionDenied):
        log(account, actor=reader)
    assert not Activity.objects.exists()


def test_next_step_owner_must_see_the_account(kam, account, outsider):
    with pytest.raises(ValidationError) as exc:
        log(
            account,
            next_step="Nachfassen",
            next_step_owner=outsider,
            next_step_due_on=timezone.localdate(),
        )
    assert "next_step_owner" in exc.value.message_dict
    assert not Activity.objects.exists()


def test_system_may_create_a_follow_up_without_an_actor(account, kam):
    created = services.follow_up_create(
        actor=None,
        account=account,
        owner=kam,
        title="Kritiker anrufen",
        due_on=timezone.localdate(),
        source="survey",
    )
    assert created.source == "survey" and created.created_by is None
    assert list(selectors.open_follow_ups_of(kam)) == [created]


def test_an_outsider_may_not_create_follow_ups(account, outsider):
    with pytest.raises(PermissionDenied):
        services.follow_up_create(
            actor=outsider, account=account, owner=account.owner, title="x",
            due_on=timezone.localdate(),
        )  # fmt: skip


def test_complete_keeps_who_and_when_and_reopen_clears_it(account, kam):
    item = follow_up(account)
    done = services.follow_up_complete(actor=kam, follow_up=item)
    assert done.done_by == kam and done.done_at is not None
    first_done_at = done.done_at
    again = services.follow_up_complete(actor=kam, follow_up=item)
    assert again.done_at == first_done_at  # done twice keeps the first closing
    reopened = services.follow_up_reopen(actor=kam, follow_up=item)
    assert reopened.done_at is None and reopened.done_by is None
    assert item.history.count() == 3


def test_the_owner_may_close_their_follow_up_even_as_a_reader(account, reader, kam):
    item = follow_up(account, owner=reader)
    assert services.follow_up_complete(actor=reader, follow_up=item).done_by == reader


def test_a_reader_may_not_close_someone_elses_follow_up(account, reader, kam):
    item = follow_up(account, owner=kam)
    with pytest.raises(PermissionDenied):
        services.follow_up_complete(actor=reader, follow_up=item)
    item.refresh_from_db()
    assert item.done_at is None


def test_last_contacted_at_is_the_latest_past_activity(account, contact):
    never = make_contact(account=account, last_name="Nie")
    log(account, contacts=[contact], days_ago=40)
    latest = log(account, contacts=[contact], days_ago=10)
    log(account, contacts=[contact], days_ago=-5)  # planned: not yet a contact
    contact.refresh_from_db()
    never.refresh_from_db()
    account.refresh_from_db()
    assert contact.last_contacted_at == latest.occurred_at
    assert never.last_contacted_at is None
    assert account.last_contacted_at == latest.occurred_at


def test_correcting_an_activity_recomputes_the_last_contact(kam, account, contact):
    other = make_contact(account=account, last_name="Weber")
    earlier = log(account, contacts=[contact], days_ago=30)
    latest = log(account, contacts=[contact, other], days_ago=2)
    services.activity_update(
        actor=kam,
        activity=latest,
        contacts=[contact],
        occurred_at=timezone.now() - timedelta(days=50),
    )
    contact.refresh_from_db()
    other.refresh_from_db()
    account.refresh_from_db()
    assert contact.last_contacted_at == earlier.occurred_at  # moved back behind the other one
    assert other.last_contacted_at is None  # no longer a participant
    assert account.last_contacted_at == earlier.occurred_at


def test_a_planned_activity_counts_once_its_time_has_come(account, contact):
    planned = log(account, contacts=[contact], days_ago=-0.5)
    contact.refresh_from_db()
    assert contact.last_contacted_at is None
    later = timezone.now() + timedelta(days=1)
    refreshed = services.refresh_last_contacted_since(since=later - timedelta(days=2), now=later)
    contact.refresh_from_db()
    account.refresh_from_db()
    assert refreshed == 1
    assert contact.last_contacted_at == planned.occurred_at == account.last_contacted_at


def test_the_hourly_task_refreshes_planned_activities_that_have_passed(account, contact):
    from activities.tasks import refresh_due_last_contacts

    passed = log(account, contacts=[contact], days_ago=0.1)
    Contact.objects.update(last_contacted_at=None)  # as if it had been planned when logged
    assert refresh_due_last_contacts() == 1  # the task's body, as beat runs it
    contact.refresh_from_db()
    assert contact.last_contacted_at == passed.occurred_at


def test_stale_contacts_are_key_account_contacts_silent_for_90_days(kam, account, contact):
    from accounts import services as account_services

    account_services.account_update(actor=kam, account=account, status="key_account")
    recent = make_contact(account=account, last_name="Aktuell")
    never = make_contact(account=account, last_name="Nie")
    log(account, contacts=[contact], days_ago=120)
    log(account, contacts=[recent], days_ago=5)
    other = make_account(owner=UserFactory(), status="key_account")
    make_contact(account=other, last_name="Unsichtbar")
    stale = list(selectors.stale_contacts(kam))
    assert stale == [never, contact]
    assert stale[1].last_contacted_at < timezone.now() - timedelta(days=90)
