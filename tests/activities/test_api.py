"""The activities and follow-ups API: scope, validation through the services, filters and
query counts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from activities import services
from activities.models import Activity, FollowUp
from tests.activities.conftest import follow_up, log
from tests.factories import make_account, make_contact
from users.services import api_token_create

NEEDS_DUE_DATE = "Ein nächster Schritt benötigt ein Fälligkeitsdatum."  # German UI default

ACTIVITIES = reverse("api-activity-list")
FOLLOW_UPS = reverse("api-follow-up-list")


def activity_url(activity) -> str:
    return reverse("api-activity-detail", args=[activity.pk])


def follow_up_url(item) -> str:
    return reverse("api-follow-up-detail", args=[item.pk])


def api_as(user) -> APIClient:
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def body(account, **overrides) -> dict:
    data = {
        "account": account.pk,
        "kind": "call",
        "occurred_at": (timezone.now() - timedelta(hours=2)).isoformat(),
        "subject": "Telefonat Einkauf",
    }
    return data | overrides


# --- activities ------------------------------------------------------------------------


def test_log_an_activity_with_participants_and_next_step(kam, account, contact):
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = api_as(kam).post(
        ACTIVITIES,
        body(
            account,
            contacts=[contact.pk],
            users=[kam.pk],
            next_step="Angebot",
            next_step_owner=kam.pk,
            next_step_due_on=due,
            duration_minutes=30,
        ),  # fmt: skip
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["contacts"] == [contact.pk] and data["users"] == [kam.pk]
    item = FollowUp.objects.get()
    assert data["follow_ups"] == [item.pk]
    assert (item.title, item.owner, item.due_on.isoformat()) == ("Angebot", kam, due)


def test_next_step_without_due_date_is_a_400_with_field_errors(kam, account):
    response = api_as(kam).post(
        ACTIVITIES, body(account, next_step="Angebot", next_step_owner=kam.pk)
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"next_step_due_on": [NEEDS_DUE_DATE]}
    assert not Activity.objects.exists() and not FollowUp.objects.exists()


def test_participant_from_another_visible_account_is_a_400(kam, account):
    other = make_account(owner=kam, name="Andere AG")
    stranger = make_contact(account=other, first_name="Paul", last_name="Anders")
    response = api_as(kam).post(ACTIVITIES, body(account, contacts=[stranger.pk]))
    assert response.status_code == 400
    assert response.json()["errors"]["contacts"] == [
        "Paul Anders: Teilnehmer eines anderen Kunden."
    ]
    assert not Activity.objects.exists()


def test_participant_outside_the_scope_is_not_found(kam, account, foreign_contact):
    response = api_as(kam).post(ACTIVITIES, body(account, contacts=[foreign_contact.pk]))
    assert response.status_code == 400
    assert "contacts" in response.json()["errors"]
    assert "Fremd" not in str(response.json())  # nothing told about the other account


def test_account_outside_the_scope_is_a_400_not_a_hint(outsider, account):
    client = api_as(outsider)
    response = client.post(ACTIVITIES, body(account))
    assert response.status_code == 400
    missing = client.post(ACTIVITIES, body(account) | {"account": 999999})
    assert response.json()["errors"]["account"] == missing.json()["errors"]["account"]
    assert not Activity.objects.exists()


def test_a_reader_gets_403_when_logging(reader, account):
    response = api_as(reader).post(ACTIVITIES, body(account))
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_list_is_scoped_and_filtered(kam, account, other_account):
    mine = log(account, kind="visit", days_ago=3)
    call = log(account, kind="call", days_ago=40)
    log(other_account)
    client = api_as(kam)
    assert ids(client.get(ACTIVITIES)) == [mine.pk, call.pk]
    assert ids(client.get(ACTIVITIES, {"kind": "call"})) == [call.pk]
    assert ids(client.get(ACTIVITIES, {"account": other_account.pk})) == []
    since = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert ids(client.get(ACTIVITIES, {"date_from": since})) == [mine.pk]
    assert ids(client.get(ACTIVITIES, {"ordering": "date"})) == [call.pk, mine.pk]


def test_detail_outsider_gets_404(outsider, account):
    activity = log(account)
    client = api_as(outsider)
    assert client.get(activity_url(activity)).status_code == 404
    assert client.patch(activity_url(activity), {"subject": "x"}).status_code == 404


def test_patch_changes_subject_and_participants(kam, account, contact):
    activity = log(account, subject="Alt")
    response = api_as(kam).patch(
        activity_url(activity), {"subject": "Neu", "contacts": [contact.pk]}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["subject"] == "Neu" and response.json()["contacts"] == [contact.pk]
    assert activity.history.count() == 2


def test_patch_cannot_move_an_activity_to_another_account(kam, account):
    other = make_account(owner=kam)
    activity = log(account)
    response = api_as(kam).patch(activity_url(activity), {"account": other.pk})
    assert response.status_code == 200 and response.json()["account"] == account.pk
    activity.refresh_from_db()
    assert activity.account == account


@pytest.mark.parametrize("rows", [3, 15])
def test_activity_list_query_count_is_constant(kam, account, django_assert_num_queries, rows):
    contact = make_contact(account=account)
    for day in range(rows):
        log(
            account, days_ago=day + 1, contacts=[contact], users=[kam], next_step="x",
            next_step_owner=kam, next_step_due_on=timezone.localdate(),
        )  # fmt: skip
    client = api_as(kam)
    with django_assert_num_queries(11):  # page numbers: with the count
        response = client.get(ACTIVITIES, {"page": 1})
    assert len(response.json()["results"]) == rows
    with django_assert_num_queries(9):  # by cursor; the token stamped its last use already
        response = client.get(ACTIVITIES)
    assert len(response.json()["results"]) == rows


def test_keyset_pages_walk_the_whole_list_newest_first_without_a_count(kam, account):
    for day in range(7):
        log(account, days_ago=day + 1, subject=f"Tag {day}")
    client = api_as(kam)
    seen, url, params = [], ACTIVITIES, {"cursor": "", "page_size": 3}
    while url:
        body = client.get(url, params).json()
        assert "count" not in body
        seen += [row["subject"] for row in body["results"]]
        url, params = body["next"], None
    assert seen == [f"Tag {day}" for day in range(7)]


# --- follow-ups ------------------------------------------------------------------------


def test_create_a_follow_up(kam, account, reader):
    due = timezone.localdate().isoformat()
    response = api_as(kam).post(
        FOLLOW_UPS, {"account": account.pk, "owner": reader.pk, "title": "Muster", "due_on": due}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["done"] is False and response.json()["created_by"] == kam.pk
    assert FollowUp.objects.get().owner == reader


def test_follow_up_without_due_date_or_title_is_a_400(kam, account):
    response = api_as(kam).post(FOLLOW_UPS, {"account": account.pk, "owner": kam.pk, "title": ""})
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"due_on"}
    assert not FollowUp.objects.exists()


def test_follow_up_owner_who_cannot_see_the_account_is_a_400(kam, account, outsider):
    response = api_as(kam).post(
        FOLLOW_UPS,
        {"account": account.pk, "owner": outsider.pk, "title": "x",
         "due_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert response.status_code == 400
    assert "owner" in response.json()["errors"]


def test_follow_up_list_filters_open_done_owner_and_account(kam, account, reader, other_account):
    mine = follow_up(account, title="Offen")
    theirs = follow_up(account, title="Vertrieb", owner=reader, days=5)
    closed = follow_up(account, title="Erledigt", days=7)
    services.follow_up_complete(actor=kam, follow_up=closed)
    follow_up(other_account, title="Fremd")
    client = api_as(kam)
    assert ids(client.get(FOLLOW_UPS)) == [mine.pk, theirs.pk, closed.pk]
    assert ids(client.get(FOLLOW_UPS, {"done": "false"})) == [mine.pk, theirs.pk]
    assert ids(client.get(FOLLOW_UPS, {"done": "true"})) == [closed.pk]
    assert ids(client.get(FOLLOW_UPS, {"owner": reader.pk})) == [theirs.pk]
    assert ids(client.get(FOLLOW_UPS, {"account": other_account.pk})) == []


def test_patch_done_true_completes_through_the_service_and_false_reopens(kam, account):
    item = follow_up(account)
    client = api_as(kam)
    response = client.patch(follow_up_url(item), {"done": True})
    assert response.status_code == 200
    data = response.json()
    assert data["done"] is True and data["done_by"] == kam.pk and data["done_at"]
    response = client.patch(follow_up_url(item), {"done": False})
    assert response.json()["done"] is False and response.json()["done_by"] is None


def test_create_a_follow_up_that_is_done_already(kam, account):
    due = timezone.localdate().isoformat()
    response = api_as(kam).post(
        FOLLOW_UPS,
        {"account": account.pk, "owner": kam.pk, "title": "Erledigt", "due_on": due, "done": True},
    )
    assert response.status_code == 201, response.json()
    item = FollowUp.objects.get()
    assert (item.done_by, item.done_at is not None) == (kam, True)


def test_patch_with_a_bad_field_and_done_changes_nothing(kam, account):
    item = follow_up(account, title="Angebot nachfassen")
    response = api_as(kam).patch(follow_up_url(item), {"title": "", "done": True}, format="json")
    assert response.status_code == 400
    item.refresh_from_db()
    assert (item.title, item.done_at) == ("Angebot nachfassen", None)


def test_an_invalid_change_neither_saves_nor_reopens(kam, account, reader):
    item = follow_up(account, title="Alt", owner=kam)
    services.follow_up_complete(actor=kam, follow_up=item)
    item.refresh_from_db()
    with pytest.raises(ValidationError):
        services.follow_up_update(actor=kam, follow_up=item, owner=reader, done=False, title="")
    item.refresh_from_db()
    assert (item.title, item.owner, item.done_at is not None) == ("Alt", kam, True)


def test_owner_who_only_reads_the_account_may_close_their_follow_up(reader, account):
    item = follow_up(account, owner=reader)
    assert api_as(reader).patch(follow_up_url(item), {"done": True}).status_code == 200


def test_reader_may_not_close_someone_elses_follow_up(reader, account):
    item = follow_up(account)
    assert api_as(reader).patch(follow_up_url(item), {"done": True}).status_code == 403
    item.refresh_from_db()
    assert item.done_at is None


def test_follow_up_outsider_gets_404(outsider, account):
    item = follow_up(account)
    client = api_as(outsider)
    assert client.get(follow_up_url(item)).status_code == 404
    assert client.patch(follow_up_url(item), {"done": True}).status_code == 404
    assert ids(client.get(FOLLOW_UPS)) == []


@pytest.mark.parametrize("rows", [3, 15])
def test_follow_up_list_query_count_is_constant(kam, account, django_assert_num_queries, rows):
    for index in range(rows):
        item = follow_up(account, title=f"Punkt {index}", days=index)
        if index % 2:
            services.follow_up_complete(actor=kam, follow_up=item)
    client = api_as(kam)
    with django_assert_num_queries(5):
        response = client.get(FOLLOW_UPS)
    assert len(response.json()["results"]) == rows
