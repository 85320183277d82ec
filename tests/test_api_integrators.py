"""What an integration engineer relies on: idempotent writes, request ids, incremental
reads with deletions, keyset pages without counts, and rate limits per token."""

import logging
from datetime import timedelta

import pytest
from celery.signals import before_task_publish
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Account, Contact
from accounts.services import account_update, figures_delete, figures_put
from activities.models import Activity
from activities.services import activity_delete
from kam import request_id
from kam.celery import app
from kam.models import IdempotencyKey, Tombstone
from kam.request_id import RequestIdFilter
from kam.tasks import ping, purge_idempotency_keys
from portfolio.services import company_totals_delete, company_totals_put
from tests.activities.conftest import follow_up, log
from tests.deals.helpers import make_opportunity
from tests.factories import make_account, make_contact
from users.services import api_token_create

CONTACTS = "/api/v1/contacts/"
CHANGES = "/api/v1/changes/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='ERP')[1]}")
    return client


def post_with_key(client, path, body, key, **extra):
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key, **extra)


# Idempotency-Key ---------------------------------------------------------------------


def test_a_retried_post_answers_the_same_and_creates_one_record(kam, account):
    client = api_as(kam)
    body = {"account": account.pk, "last_name": "Nachfass"}

    first = post_with_key(client, CONTACTS, body, "7f0c-retry-1")
    again = post_with_key(client, CONTACTS, body, "7f0c-retry-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Content-Type"] == "application/json"
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Contact.objects.filter(last_name="Nachfass").count() == 1


def test_a_retried_patch_is_not_applied_twice(kam, account):
    client = api_as(kam)
    contact = make_contact(account=account, last_name="Alt")
    path = f"{CONTACTS}{contact.pk}/"

    first = client.patch(path, {"last_name": "Neu"}, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    make_contact(account=account, last_name="Später")  # another change meanwhile
    client.patch(path, {"last_name": "Zwischendurch"}, format="json")
    again = client.patch(path, {"last_name": "Neu"}, format="json", HTTP_IDEMPOTENCY_KEY="p-1")

    assert again.json() == first.json()
    contact.refresh_from_db()
    assert contact.last_name == "Zwischendurch"  # the replay changed nothing


def test_the_same_key_with_another_body_is_422_and_changes_nothing(kam, account):
    client = api_as(kam)
    post_with_key(client, CONTACTS, {"account": account.pk, "last_name": "Erst"}, "k-422")

    response = post_with_key(
        client, CONTACTS, {"account": account.pk, "last_name": "Anders"}, "k-422"
    )

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert not Contact.objects.filter(last_name="Anders").exists()


def test_the_same_key_on_another_path_is_422(kam, account):
    client = api_as(kam)
    body = {"account": account.pk, "last_name": "Pfad"}
    post_with_key(client, CONTACTS, body, "k-path")

    response = post_with_key(client, "/api/v1/accounts/", {"name": "Pfad GmbH"}, "k-path")

    assert response.status_code == 422
    assert not Account.objects.filter(name="Pfad GmbH").exists()


def test_a_key_whose_first_request_still_runs_answers_409(kam, account):
    client = api_as(kam)
    body = {"account": account.pk, "last_name": "Parallel"}
    post_with_key(client, CONTACTS, body, "k-busy")
    # As seen while the first request still runs: claimed, no answer stored yet.
    IdempotencyKey.objects.update(status_code=None, body=b"")

    response = post_with_key(client, CONTACTS, body, "k-busy")

    assert response.status_code == 409
    assert response["Retry-After"] == "1"
    assert response.json()["code"] == "idempotency_key_in_use"
    assert Contact.objects.filter(last_name="Parallel").count() == 1


def test_different_users_do_not_share_keys(kam, other_kam, account):
    theirs = make_account(owner=other_kam, name="Fremd AG")

    mine = post_with_key(api_as(kam), CONTACTS, {"account": account.pk, "last_name": "A"}, "k")
    their = post_with_key(
        api_as(other_kam), CONTACTS, {"account": theirs.pk, "last_name": "B"}, "k"
    )

    assert mine.status_code == their.status_code == 201
    assert mine.json()["id"] != their.json()["id"]
    assert IdempotencyKey.objects.filter(key="k").count() == 2


def test_a_key_expires_after_24_hours_and_the_beat_task_purges_it(kam, account):
    client = api_as(kam)
    body = {"account": account.pk, "last_name": "Morgen"}
    # The same contact twice on purpose: past the duplicate warning.
    path = CONTACTS + "?allow_duplicate=true"
    post_with_key(client, path, body, "k-old")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))

    again = post_with_key(client, path, body, "k-old")

    assert again.status_code == 201
    assert not again.has_header("Idempotent-Replayed")
    assert Contact.objects.filter(last_name="Morgen").count() == 2
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_idempotency_keys() == 1
    assert not IdempotencyKey.objects.exists()


def test_a_refused_request_is_replayed_as_refused(kam, account):
    client = api_as(kam)
    first = post_with_key(client, CONTACTS, {"account": account.pk}, "k-400")
    again = post_with_key(client, CONTACTS, {"account": account.pk}, "k-400")

    assert first.status_code == again.status_code == 400
    assert again.json() == first.json()


def test_an_unusable_key_is_a_400(kam, account):
    response = post_with_key(
        api_as(kam), CONTACTS, {"account": account.pk, "last_name": "X"}, "a" * 256
    )

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Contact.objects.filter(last_name="X").exists()


def test_a_request_without_credentials_is_not_stored(db):
    response = post_with_key(APIClient(), CONTACTS, {"last_name": "X"}, "k-anon")

    assert response.status_code == 401
    assert not IdempotencyKey.objects.exists()


# X-Request-ID --------------------------------------------------------------------------


def test_a_sane_request_id_is_echoed_on_api_and_pages(kam, kam_client):
    api = api_as(kam).get("/api/v1/accounts/", HTTP_X_REQUEST_ID="erp-run-42:7")
    page = kam_client.get("/", HTTP_X_REQUEST_ID="erp-run-42:8")
    missing = APIClient().get("/api/v1/nothing-here/", HTTP_X_REQUEST_ID="abc.123")

    assert api["X-Request-ID"] == "erp-run-42:7"
    assert page["X-Request-ID"] == "erp-run-42:8"
    assert missing.status_code == 404
    assert missing["X-Request-ID"] == "abc.123"


@pytest.mark.parametrize("sent", [None, "", "two words", "x" * 129, 'quo"te', "a\tb"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_new_one(kam, sent):
    extra = {} if sent is None else {"HTTP_X_REQUEST_ID": sent}

    first = api_as(kam).get("/api/v1/accounts/", **extra)["X-Request-ID"]
    second = api_as(kam).get("/api/v1/accounts/", **extra)["X-Request-ID"]

    assert first != sent
    assert len(first) == 32 and int(first, 16) >= 0
    assert first != second


def test_log_lines_of_a_request_carry_its_id(kam, caplog):
    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.INFO, logger="kam.request"):
        api_as(kam).get("/api/v1/accounts/", HTTP_X_REQUEST_ID="trace-77")

    lines = [r for r in caplog.records if r.name == "kam.request"]
    assert [r.request_id for r in lines] == ["trace-77"]
    assert "GET /api/v1/accounts/ 200" in lines[0].getMessage()


def test_a_task_queued_by_a_request_carries_its_id_to_the_worker(db):
    published = []

    def spy(headers=None, **kwargs):
        published.append(dict(headers or {}))

    before_task_publish.connect(spy, weak=False)
    app.conf.task_always_eager = False
    token = request_id.current.set("req-9")
    try:
        ping.apply_async()
    finally:
        request_id.current.reset(token)
        app.conf.task_always_eager = True
        before_task_publish.disconnect(spy)

    assert published[-1][request_id.TASK_HEADER] == "req-9"


def test_a_task_logs_the_id_it_was_queued_with(db, caplog):
    caplog.handler.addFilter(RequestIdFilter())

    @app.task(name="tests.log_something")
    def log_something():
        logging.getLogger("tests.task").warning("working")

    log_something.apply(headers={request_id.TASK_HEADER: "req-10"})

    [line] = [r for r in caplog.records if r.name == "tests.task"]
    assert line.request_id == "req-10"
    assert request_id.current.get() == request_id.NONE  # nothing leaks to the next task


# updated_since, ordering=updated_at and /changes/ ----------------------------------------


def test_updated_since_lists_only_rows_changed_since_then(kam, account):
    old = make_contact(account=account, last_name="Alt")
    new = make_contact(account=account, last_name="Neu")
    since = timezone.now() - timedelta(hours=1)
    Contact.objects.filter(pk=old.pk).update(updated_at=since - timedelta(days=1))

    response = api_as(kam).get(CONTACTS, {"updated_since": since.isoformat()})

    assert [row["id"] for row in response.json()["results"]] == [new.pk]


def test_ordering_by_updated_at_sorts_by_the_last_change(kam, account):
    first, second, third = (make_contact(account=account, last_name=n) for n in "CBA")
    now = timezone.now()
    for age, contact in enumerate([second, third, first]):
        Contact.objects.filter(pk=contact.pk).update(updated_at=now - timedelta(hours=age))

    response = api_as(kam).get(CONTACTS, {"ordering": "-updated_at"})

    assert [row["id"] for row in response.json()["results"]] == [second.pk, third.pk, first.pk]


@pytest.mark.parametrize(
    "value", ["gestern", "2026-13-01", "2026-01-01T25:00", "0001-01-01T00:00:00+05:00"]
)
def test_a_malformed_updated_since_is_a_400_naming_the_parameter(kam, account, value):
    response = api_as(kam).get(CONTACTS, {"updated_since": value})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["updated_since"]


def test_every_list_with_updated_at_documents_updated_since(kam):
    schema = api_as(kam).get("/api/v1/schema/", {"format": "json"}).json()
    with_it = {
        path
        for path, item in schema["paths"].items()
        if any(p["name"] == "updated_since" for p in item.get("get", {}).get("parameters", []))
    }

    assert {
        "/api/v1/accounts/",
        "/api/v1/contacts/",
        "/api/v1/activities/",
        "/api/v1/follow-ups/",
        "/api/v1/opportunities/",
        "/api/v1/competitors/",
        "/api/v1/contracts/",
        "/api/v1/issues/",
        "/api/v1/surveys/",
        "/api/v1/objectives/",
        "/api/v1/actions/",
        "/api/v1/account-plans/",
        "/api/v1/business-cases/",
        "/api/v1/coaching-plans/",
        "/api/v1/reviews/",
        "/api/v1/whitespace/units/",
    } <= with_it
    post = schema["paths"]["/api/v1/contacts/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in post["parameters"]]
    assert {"409", "422", "429"} <= set(post["responses"])


def test_an_integration_reads_every_change_since_its_last_run(kam, other_kam, account):
    client = api_as(kam)
    kept = log(account, subject="bleibt")
    gone = log(account, subject="wird gelöscht")
    figures_put(actor=kam, account=account, year=2025, revenue=1000)
    theirs = make_account(owner=other_kam, name="Fremd AG")
    their_activity = log(theirs)
    last_run = timezone.now()
    for model in (Account, Contact, Activity):
        model.objects.update(updated_at=last_run - timedelta(minutes=5))

    # What happens after the last run:
    contact = make_contact(account=account, last_name="Neu")
    account_update(actor=kam, account=account, city="Ulm")
    assert client.delete(f"/api/v1/activities/{gone.pk}/").status_code == 204
    figures_delete(actor=kam, account=account, year=2025)
    api_as(other_kam).delete(f"/api/v1/activities/{their_activity.pk}/")

    since = {"updated_since": last_run.isoformat()}
    accounts = client.get("/api/v1/accounts/", since).json()["results"]
    contacts = client.get(CONTACTS, since).json()["results"]
    activities = client.get("/api/v1/activities/", since).json()["results"]
    changes = client.get(CHANGES, {"since": last_run.isoformat()}).json()["results"]

    assert [row["id"] for row in accounts] == [account.pk]
    assert [row["id"] for row in contacts] == [contact.pk]
    assert activities == []  # `kept` did not change
    assert Activity.objects.filter(pk=kept.pk).exists()
    assert [(row["kind"], row["id"], row["account"]) for row in changes] == [
        ("activity", gone.pk, account.pk),
        ("financials", Tombstone.objects.get(kind="financials").object_id, account.pk),
    ]
    assert changes[0]["deleted_at"] and changes[0]["external_id"] is None
    # The other team's deletion stays theirs:
    assert Tombstone.objects.filter(object_id=their_activity.pk).exists()


def test_changes_before_since_are_left_out(kam, account):
    figures_put(actor=kam, account=account, year=2024, revenue=1)
    figures_delete(actor=kam, account=account, year=2024)
    Tombstone.objects.update(deleted_at=timezone.now() - timedelta(days=2))

    changes = api_as(kam).get(CHANGES, {"since": timezone.now() - timedelta(days=1)})

    assert changes.json()["results"] == []


def test_company_wide_deletions_are_read_only_by_who_sees_every_account(
    kam, head_of_sales, account
):
    company_totals_put(actor=head_of_sales, year=2025, revenue=10**6, contribution_margin=10**5)
    company_totals_delete(actor=head_of_sales, year=2025)

    heads = api_as(head_of_sales).get(CHANGES).json()["results"]
    kams = api_as(kam).get(CHANGES).json()["results"]

    assert [row["kind"] for row in heads] == ["company_totals"]
    assert kams == []


def test_a_malformed_since_is_a_400(kam):
    response = api_as(kam).get(CHANGES, {"since": "letzte Woche"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["since"]


# Keyset pages: constant queries, never a count ------------------------------------------


BIG_LISTS = {
    "/api/v1/activities/": lambda account, n: log(account, subject=f"Nr {n}"),
    "/api/v1/follow-ups/": lambda account, n: follow_up(account, title=f"Aufgabe {n}"),
    "/api/v1/opportunities/": lambda account, n: make_opportunity(account=account),
    CHANGES: lambda account, n: _deleted_activity(account, n),
}


def _deleted_activity(account, n):
    activity_delete(actor=account.owner, activity=log(account, subject=f"weg {n}"))


@pytest.mark.parametrize("url", BIG_LISTS)
def test_keyset_pages_take_the_same_queries_and_never_count(url, kam, account):
    client = api_as(kam)
    client.get(url, {"cursor": ""})  # the token's first use is written once a minute

    def queries_for_a_page() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"cursor": "", "page_size": 2})
        assert response.status_code == 200
        assert "count" not in response.json()
        return [q["sql"] for q in captured.captured_queries]

    for n in range(3):
        BIG_LISTS[url](account, n)
    few = queries_for_a_page()
    for n in range(3, 9):
        BIG_LISTS[url](account, n)
    many = queries_for_a_page()

    assert len(few) == len(many)
    assert not [sql for sql in many if "COUNT(" in sql.upper()]


# Rate limits ---------------------------------------------------------------------------


def test_each_token_has_its_own_budget_and_a_429_says_when_to_retry(kam, account, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "2/min"},
    }
    erp, bi = api_as(kam), api_as(kam)

    answers = [erp.get("/api/v1/accounts/").status_code for _ in range(3)]
    refused = erp.get("/api/v1/accounts/")

    assert answers == [200, 200, 429]
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert bi.get("/api/v1/accounts/").status_code == 200  # another token, another budget


def test_a_number_filter_beyond_the_database_is_a_400(kam, account):
    response = api_as(kam).get("/api/v1/coaching-plans/", {"rep": "5.3e44"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["rep"]
