"""Webhooks end to end: a change, its outbox message and a real receiver on 127.0.0.1
that verifies the signature with the `standardwebhooks` library."""

import json
import os
import signal
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from standardwebhooks import Webhook

from accounts import services as account_services
from kam import events
from reminders.models import Reminder
from tests.conftest import client_for
from tests.factories import make_account
from tests.webhooks.receiver import receiver
from webhooks import delivery, services, tasks
from webhooks.models import Message


@pytest.fixture
def local_receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # the receiver listens on 127.0.0.1
    with receiver() as state:
        yield state


def register(admin_user, url, *types):
    return services.endpoint_create(
        actor=admin_user, url=url, event_types=list(types or ["account.created"])
    )


def test_receiver_gets_a_signed_delivery_the_library_verifies(
    admin_user, kam, local_receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = register(admin_user, local_receiver.url, "account.created")
    with django_capture_on_commit_callbacks(execute=True):
        account = make_account(owner=kam, name="Signiert GmbH")

    [received] = local_receiver.requests
    payload = Webhook(secret).verify(received.body, received.headers)
    assert payload["type"] == "account.created"
    assert payload["data"]["account_id"] == account.pk
    assert payload["data"]["object"]["name"] == "Signiert GmbH"  # as the API shows it
    assert received.headers["webhook-id"].startswith("msg_")
    message = Message.objects.get(endpoint=endpoint)
    assert message.status == Message.Status.DELIVERED
    [attempt] = message.attempt_log.all()
    assert attempt.status_code == 200 and attempt.response == '{"ok": true}'


def test_only_the_chosen_events_are_sent(
    admin_user, kam, local_receiver, django_capture_on_commit_callbacks
):
    register(admin_user, local_receiver.url, "account.changed")
    with django_capture_on_commit_callbacks(execute=True):
        account = make_account(owner=kam)
        account_services.account_update(actor=kam, account=account, city="Basel")

    assert [json.loads(r.body)["type"] for r in local_receiver.requests] == ["account.changed"]


def test_a_rolled_back_change_sends_nothing(
    admin_user, kam, local_receiver, django_capture_on_commit_callbacks
):
    register(admin_user, local_receiver.url, "account.created")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_account(owner=kam)
        raise RuntimeError("the request failed after the write")

    assert local_receiver.requests == []
    assert not Message.objects.exists()


def test_a_failing_receiver_gets_retries_with_growing_waits_then_is_disabled_and_told(
    admin_user, kam, local_receiver, django_capture_on_commit_callbacks
):
    local_receiver.statuses = [500] * 20
    endpoint, _secret = register(admin_user, local_receiver.url, "account.created")
    with django_capture_on_commit_callbacks(execute=True):
        make_account(owner=kam)
    message = Message.objects.get()
    waits = []
    sent_at = message.attempt_log.get().at
    while True:
        message.refresh_from_db()
        endpoint.refresh_from_db()
        if not endpoint.active or message.status != Message.Status.PENDING:
            break
        waits.append(message.next_attempt_at - sent_at)
        sent_at = message.next_attempt_at
        with django_capture_on_commit_callbacks(execute=True):
            delivery.send_due(now=sent_at)  # time moves on; nothing sleeps

    expected = [timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30)]
    expected += [timedelta(hours=2), timedelta(hours=5), timedelta(hours=10), timedelta(hours=10)]
    for wait, base in zip(waits, expected, strict=True):
        assert base <= wait <= base * 1.2
    assert [a.status_code for a in message.attempt_log.all()] == [500] * 8
    assert message.attempt_log.first().response == "receiver is down"
    assert message.status == Message.Status.FAILED
    # Failing for more than 24 hours without a success: disabled, its administrator told.
    assert not endpoint.active and endpoint.disabled_at is not None
    [notice] = mail.outbox
    assert notice.to == [admin_user.email]
    assert endpoint.url in notice.body
    [bell] = Reminder.objects.filter(recipient=admin_user)
    assert endpoint.url in bell.subject and bell.url == f"/webhooks/{endpoint.pk}/"
    assert endpoint.url in client_for(admin_user).get("/reminders/").content.decode()
    # Activated again and sent again by hand, the message goes out under its own id.
    local_receiver.statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        services.endpoint_update(actor=admin_user, endpoint=endpoint, active=True)
        services.message_redeliver(actor=admin_user, message=message)
    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert len(local_receiver.ids) == 9 and len(set(local_receiver.ids)) == 1


def test_a_thousand_changes_of_one_account_arrive_in_order(
    admin_user, kam, local_receiver, django_capture_on_commit_callbacks
):
    account = make_account(owner=kam)
    register(admin_user, local_receiver.url, "account.changed")
    local_receiver.statuses = [503]  # the first waits for a retry; the rest wait behind it
    # Published as account_update publishes it (a thousand saves through the service take
    # a minute here; the outbox and the delivery are what this test is about).
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _number in range(1000):
            events.publish(events.AccountChanged(account_id=account.pk))
    assert len(local_receiver.requests) == 1
    delivery.send_due(now=timezone.now() + timedelta(seconds=10))
    expected = list(Message.objects.order_by("pk").values_list("msg_id", flat=True))
    assert len(expected) == 1000
    assert local_receiver.ids == [expected[0], *expected]


def test_rotating_the_secret_signs_with_both_for_a_day(
    admin_user, kam, local_receiver, django_capture_on_commit_callbacks
):
    endpoint, old = register(admin_user, local_receiver.url, "account.created")
    new = services.endpoint_rotate_secret(actor=admin_user, endpoint=endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        make_account(owner=kam)
    [received] = local_receiver.requests
    assert Webhook(old).verify(received.body, received.headers)
    assert Webhook(new).verify(received.body, received.headers)
    assert len(received.headers["webhook-signature"].split(" ")) == 2
    endpoint.refresh_from_db()
    assert endpoint.secrets(timezone.now() + timedelta(hours=25)) == [new]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://224.0.0.1/hook",
        "ftp://example.com/hook",
    ],
)
def test_registration_refuses_addresses_inside_the_network(admin_user, url):
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(actor=admin_user, url=url, event_types=["account.created"])
    assert "url" in refused.value.message_dict


def _resolving_to(monkeypatch, address):
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host == "hooks.example.com":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_resolving_to_a_private_address_is_refused(admin_user, monkeypatch):
    _resolving_to(monkeypatch, "192.168.1.20")
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(
            actor=admin_user, url="https://hooks.example.com/x", event_types=["account.created"]
        )
    assert "private" in str(refused.value.message_dict["url"])


def test_a_name_that_moves_to_a_private_address_is_refused_at_delivery(
    admin_user, kam, monkeypatch, django_capture_on_commit_callbacks
):
    _resolving_to(monkeypatch, "93.184.215.14")
    register(admin_user, "https://hooks.example.com/x", "account.created")
    _resolving_to(monkeypatch, "127.0.0.1")
    with django_capture_on_commit_callbacks(execute=True):
        make_account(owner=kam)
    message = Message.objects.get()
    [attempt] = message.attempt_log.all()
    assert attempt.status_code is None
    assert "private" in attempt.error
    assert message.status == Message.Status.PENDING  # retried later, like any failure


def test_only_administrators_register_endpoints(kam, head_of_sales):
    for user in (kam, head_of_sales):
        with pytest.raises(services.PermissionDenied):
            services.endpoint_create(
                actor=user, url="https://example.com/", event_types=["account.created"]
            )


@pytest.fixture
def broker_down(settings):
    """The broker is Redis on a port where nothing listens: queueing fails (quickly)."""
    from kam.celery import app

    def fresh_connections() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    fresh_connections()
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    fresh_connections()


def test_with_the_broker_down_the_change_commits_and_is_delivered_when_it_is_back(
    admin_user, kam, local_receiver, django_capture_on_commit_callbacks, broker_down, caplog
):
    register(admin_user, local_receiver.url, "account.created")
    with django_capture_on_commit_callbacks(execute=True):
        account = make_account(owner=kam)
    assert account.pk is not None
    assert "Could not queue webhooks.tasks.deliver" in caplog.text
    assert local_receiver.requests == []
    assert Message.objects.get().status == Message.Status.PENDING

    tasks.send_due()  # the broker is back: beat's scan runs on a worker
    assert [json.loads(r.body)["data"]["account_id"] for r in local_receiver.requests] == [
        account.pk
    ]
    assert Message.objects.get().status == Message.Status.DELIVERED


WORKER = """
import sys
from datetime import datetime
import django
django.setup()
from webhooks import delivery
delivery.attempt(int(sys.argv[1]), now=datetime.fromisoformat(sys.argv[2]))
"""


def _database_url() -> str:
    """The test database, for the process started below (SQLite file or PostgreSQL)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_during_a_delivery_is_retried_and_recorded_once(
    admin_user, kam, local_receiver
):
    local_receiver.statuses = [503]  # the first attempt fails: the next is a retry
    register(admin_user, local_receiver.url, "account.created")
    make_account(owner=kam)
    message = Message.objects.get()
    later = timezone.now() + timedelta(minutes=1)
    local_receiver.hold_next = True
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kam.settings",
        "DATABASE_URL": _database_url(),
        "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "1",
        "SECRET_KEY": "test-only",
        "DEBUG": "0",
        "KAM_HTTPS": "0",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(message.pk), later.isoformat()], env=env
    )
    try:
        assert local_receiver.held.wait(60), "the worker never sent"
        worker.send_signal(signal.SIGKILL)  # killed while the receiver has the request
        worker.wait(10)
    finally:
        local_receiver.released.set()
        if worker.poll() is None:
            worker.kill()
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING

    delivery.send_due(now=later)  # the task again (acknowledged late) or the beat scan

    message.refresh_from_db()
    assert message.status == Message.Status.DELIVERED
    assert [a.status_code for a in message.attempt_log.all()] == [503, 200]
    assert local_receiver.ids == [message.msg_id] * 3  # one id: the receiver drops repeats
