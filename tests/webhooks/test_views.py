"""The webhooks page: administrators register endpoints, see the secret once, read the
delivery log and send a message again; everyone else gets 404."""

import pytest

from tests.conftest import client_for
from tests.factories import make_account
from webhooks.models import Endpoint, Message

pytestmark = pytest.mark.django_db


def test_an_administrator_registers_an_endpoint_and_reads_its_secret_once(admin_user):
    client = client_for(admin_user)
    answer = client.post(
        "/webhooks/",
        {"url": "https://93.184.215.14/hook", "description": "ERP", "event_types": [
            "account.created", "opportunity.won"], "active": "on"},
    )  # fmt: skip
    assert answer.status_code == 201
    endpoint = Endpoint.objects.get()
    assert endpoint.event_types == ["account.created", "opportunity.won"]
    assert endpoint.secret in answer.content.decode()
    page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert endpoint.secret not in page
    assert "ERP" in page


def test_a_private_address_is_refused_on_the_page(admin_user):
    answer = client_for(admin_user).post(
        "/webhooks/", {"url": "http://169.254.169.254/", "event_types": ["account.created"]}
    )
    assert answer.status_code == 400
    assert "private" in answer.content.decode()
    assert not Endpoint.objects.exists()


def test_the_log_shows_each_attempt_and_sends_again(
    admin_user, kam, settings, django_capture_on_commit_callbacks, django_assert_num_queries
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    client = client_for(admin_user)
    client.post("/webhooks/", {"url": "http://127.0.0.1:9/closed", "event_types": [
        "account.created"], "active": "on"})  # fmt: skip
    endpoint = Endpoint.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        for _number in range(3):
            make_account(owner=kam)
    with django_assert_num_queries(5):  # session, user, endpoint, messages, attempts
        page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert page.count("account.created<br>") == 3
    assert "Connection refused" in page or "refused" in page
    message = Message.objects.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/webhooks/{endpoint.pk}/messages/{message.pk}/send-again/")
    assert answer.status_code == 302
    assert message.attempt_log.count() == 2


def test_others_than_administrators_get_404(admin_user, kam, head_of_sales):
    client_for(admin_user).post(
        "/webhooks/", {"url": "https://93.184.215.14/", "event_types": ["account.created"]}
    )
    endpoint = Endpoint.objects.get()
    for user in (kam, head_of_sales):
        client = client_for(user)
        assert client.get("/webhooks/").status_code == 404
        assert client.get(f"/webhooks/{endpoint.pk}/").status_code == 404
        assert client.post(f"/webhooks/{endpoint.pk}/delete/").status_code == 404
        assert client.post(f"/webhooks/{endpoint.pk}/rotate-secret/").status_code == 404
    endpoint.refresh_from_db()
    assert Endpoint.objects.count() == 1
