"""Bulk upserts by external ID: `POST /api/v1/accounts/bulk/`, `contacts/bulk/`,
`financials/bulk/` answer each row (created, updated, unchanged, refused with its field
errors) through the import's row service, in the caller's scope."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import Account, Contact, YearlyFigures
from tests.factories import make_account
from users.services import api_token_create

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/accounts/bulk/"
CONTACTS = "/api/v1/contacts/bulk/"
FINANCIALS = "/api/v1/financials/bulk/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='ERP')[1]}")
    return client


def test_accounts_are_created_updated_left_alone_or_refused_row_by_row(head_of_sales, kam):
    make_account(owner=kam, name="Alt GmbH", external_id="K-1")
    make_account(owner=kam, name="Gleich AG", external_id="K-2")
    answer = api_as(head_of_sales).post(
        ACCOUNTS,
        {
            "rows": [
                {"external_id": "K-1", "name": "Alt und Neu GmbH"},
                {"external_id": "K-2", "name": "Gleich AG"},
                {"external_id": "K-3", "name": "Neu KG", "owner": kam.username, "tier": "A"},
                {"external_id": "K-4", "name": "Falsch GmbH", "tier": "Z"},
                {"external_id": "K-5", "name": "Feld GmbH", "colour": "blau"},
            ]
        },
        format="json",
    )
    assert answer.status_code == 200
    data = answer.json()
    assert [(r["index"], r["outcome"]) for r in data["results"]] == [
        (0, "updated"),
        (1, "unchanged"),
        (2, "created"),
        (3, "refused"),
        (4, "refused"),
    ]
    assert data["counts"] == {"created": 1, "updated": 1, "unchanged": 1, "refused": 2}
    assert set(data["results"][3]["errors"]) == {"tier"}
    assert data["results"][4]["errors"] == {"colour": ["Unbekanntes Feld."]}  # in her language
    created = Account.objects.get(external_id="K-3")
    assert data["results"][2]["id"] == created.pk
    assert created.owner == kam
    assert Account.objects.get(external_id="K-1").name == "Alt und Neu GmbH"
    assert not Account.objects.filter(external_id__in=["K-4", "K-5"]).exists()


def test_contacts_of_accounts_outside_the_scope_are_refused(kam, other_kam):
    make_account(owner=kam, name="Meins GmbH", external_id="K-10")
    make_account(owner=other_kam, name="Fremd GmbH", external_id="K-20")
    answer = api_as(kam).post(
        CONTACTS,
        [
            {"external_id": "P-1", "account": "K-10", "last_name": "Schäfer"},
            {"external_id": "P-2", "account": "K-20", "last_name": "Huber"},
        ],
        format="json",
    )
    results = answer.json()["results"]
    assert [r["outcome"] for r in results] == ["created", "refused"]
    assert "K-20" in results[1]["errors"]["account"][0]
    assert list(Contact.objects.values_list("external_id", flat=True)) == ["P-1"]


def test_financials_are_matched_on_account_and_year(head_of_sales, kam):
    make_account(owner=kam, name="Zahlen AG", external_id="K-30")
    client = api_as(head_of_sales)
    rows = [{"account": "K-30", "year": 2026, "revenue": 1234567.89}]
    first = client.post(FINANCIALS, {"rows": rows}, format="json").json()
    rows[0]["revenue"] = "2000000.00"
    second = client.post(FINANCIALS, {"rows": rows}, format="json").json()
    assert first["results"][0]["outcome"] == "created"
    assert second["results"][0]["outcome"] == "updated"
    assert first["results"][0]["id"] == second["results"][0]["id"]
    assert YearlyFigures.objects.get().revenue == Decimal("2000000.00")


def test_a_manager_may_not_upsert_accounts(kam):
    answer = api_as(kam).post(
        ACCOUNTS, {"rows": [{"external_id": "K-9", "name": "Nein GmbH"}]}, format="json"
    )
    assert answer.status_code == 403
    assert not Account.objects.exists()


def test_more_than_a_thousand_rows_are_refused_as_a_whole(head_of_sales):
    rows = [{"external_id": f"K-{n}", "name": f"Firma {n}"} for n in range(1001)]
    answer = api_as(head_of_sales).post(ACCOUNTS, {"rows": rows}, format="json")
    assert answer.status_code == 400
    assert "rows" in answer.json()["errors"]
    assert not Account.objects.exists()


def test_the_same_idempotency_key_replays_and_another_body_conflicts(head_of_sales):
    client = api_as(head_of_sales)
    body = {"rows": [{"external_id": "K-40", "name": "Einmal GmbH"}]}
    first = client.post(ACCOUNTS, body, format="json", HTTP_IDEMPOTENCY_KEY="batch-7")
    again = client.post(ACCOUNTS, body, format="json", HTTP_IDEMPOTENCY_KEY="batch-7")
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()  # "created", not "unchanged": it did not run again
    other = {"rows": [{"external_id": "K-41", "name": "Anders GmbH"}]}
    conflict = client.post(ACCOUNTS, other, format="json", HTTP_IDEMPOTENCY_KEY="batch-7")
    assert conflict.status_code == 422
    assert list(Account.objects.values_list("external_id", flat=True)) == ["K-40"]
