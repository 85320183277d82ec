"""Webhook endpoints through the API: administrators only, the secret shown once, the
delivery log and "send again"."""

import pytest
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from tests.factories import make_account
from tests.webhooks.receiver import receiver
from webhooks.models import Endpoint, Message

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def local_receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    with receiver() as state:
        yield state


def test_an_administrator_registers_an_endpoint_and_sees_the_secret_once(
    admin_user, kam, local_receiver, django_capture_on_commit_callbacks
):
    client = api(admin_user)
    answer = client.post(
        "/api/v1/webhooks/",
        {"url": local_receiver.url, "event_types": ["account.created"], "description": "ERP"},
        format="json",
    )
    assert answer.status_code == 201
    secret = answer.json()["secret"]
    assert secret.startswith("whsec_")
    endpoint_id = answer.json()["id"]
    assert "secret" not in client.get(f"/api/v1/webhooks/{endpoint_id}/").json()

    with django_capture_on_commit_callbacks(execute=True):
        make_account(owner=kam)
    [received] = local_receiver.requests
    assert Webhook(secret).verify(received.body, received.headers)["type"] == "account.created"

    log = client.get(f"/api/v1/webhooks/{endpoint_id}/messages/").json()["results"]
    assert [(m["event_type"], m["status"]) for m in log] == [("account.created", "delivered")]
    assert log[0]["attempts_made"][0]["status_code"] == 200
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/api/v1/webhooks/{endpoint_id}/messages/{log[0]['id']}/redeliver/")
    assert again.status_code == 202
    assert local_receiver.ids == [log[0]["msg_id"]] * 2


def test_rotating_answers_a_new_secret(admin_user):
    client = api(admin_user)
    created = client.post(
        "/api/v1/webhooks/",
        {"url": "https://93.184.215.14/hook", "event_types": ["opportunity.won"]},
        format="json",
    ).json()
    rotated = client.post(f"/api/v1/webhooks/{created['id']}/rotate-secret/").json()
    assert rotated["secret"] != created["secret"]
    endpoint = Endpoint.objects.get()
    assert endpoint.previous_secret == created["secret"]


def test_a_private_address_and_an_unknown_event_are_refused(admin_user):
    answer = api(admin_user).post(
        "/api/v1/webhooks/",
        {"url": "http://10.0.0.1/hook", "event_types": ["account.exploded"]},
        format="json",
    )
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"event_types"}
    answer = api(admin_user).post(
        "/api/v1/webhooks/",
        {"url": "http://10.0.0.1/hook", "event_types": ["account.created"]},
        format="json",
    )
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"url"}
    assert not Endpoint.objects.exists()


def test_others_than_administrators_get_404(admin_user, kam, head_of_sales):
    api(admin_user).post(
        "/api/v1/webhooks/",
        {"url": "https://93.184.215.14/hook", "event_types": ["account.created"]},
        format="json",
    )
    endpoint = Endpoint.objects.get()
    for user in (kam, head_of_sales):
        client = api(user)
        assert client.get("/api/v1/webhooks/").status_code == 404
        assert client.get(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 404
        assert client.delete(f"/api/v1/webhooks/{endpoint.pk}/").status_code == 404
        posted = client.post(
            "/api/v1/webhooks/",
            {"url": "https://93.184.215.14/x", "event_types": ["account.created"]},
            format="json",
        )
        assert posted.status_code == 404
    assert Endpoint.objects.count() == 1


def test_the_endpoint_list_reads_a_constant_number_of_queries(
    admin_user, django_assert_num_queries
):
    client = api(admin_user)
    for number in range(3):
        client.post(
            "/api/v1/webhooks/",
            {"url": f"https://93.184.215.14/{number}", "event_types": ["account.created"]},
            format="json",
        )
    with django_assert_num_queries(2):  # count, page
        data = client.get("/api/v1/webhooks/").json()
    assert len(data["results"]) == 3


def test_the_delivery_log_reads_a_constant_number_of_queries(
    admin_user, kam, settings, django_assert_num_queries
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    client = api(admin_user)
    created = client.post(
        "/api/v1/webhooks/",
        {"url": "http://127.0.0.1:9/closed", "event_types": ["account.created"]},
        format="json",
    ).json()
    for _number in range(3):
        make_account(owner=kam)
    assert Message.objects.count() == 3
    with django_assert_num_queries(4):  # endpoint, count, page, attempts
        data = client.get(f"/api/v1/webhooks/{created['id']}/messages/").json()
    assert len(data["results"]) == 3
