"""Likely duplicates are named before an account or a contact is created: on the page (a
warning, the user may still save), in the API (409 unless ?allow_duplicate=true) and in
an import's dry run (a warning on the row)."""

import pytest
from django.urls import reverse

from accounts import duplicates
from accounts.models import Account, Contact
from imports import services as import_services
from tests.accounts.test_api import ACCOUNTS, CONTACTS, api_as
from tests.accounts.test_views import account_data, contact_data
from tests.factories import make_account, make_contact
from tests.imports.conftest import by_row, csv_bytes, run


@pytest.fixture
def mueller(kam):
    return make_account(
        owner=kam, name="Müller Maschinenbau GmbH", city="Stuttgart", external_id="K-1"
    )


def test_normalised_name_drops_case_punctuation_and_legal_forms():
    assert duplicates.normalise_name("Müller  Maschinenbau GmbH & Co. KG") == (
        "müller maschinenbau"
    )
    assert duplicates.normalise_name("MÜLLER Maschinenbau AG") == "müller maschinenbau"
    assert duplicates.normalise_name("AG") == "ag"


def test_similar_name_in_the_same_city_is_a_candidate(kam, mueller):
    found = duplicates.account_candidates(user=kam, name="Müller Maschinenbau AG", city="stuttgart")
    assert [(c.record, c.reasons) for c in found] == [(mueller, (duplicates.NAME,))]
    assert not duplicates.account_candidates(
        user=kam, name="Müller Maschinenbau AG", city="Hamburg"
    )
    assert not duplicates.account_candidates(user=kam, name="Weber Logistik", city="Stuttgart")


def test_candidates_outside_the_users_scope_are_never_named(kam, other_kam, mueller):
    assert not duplicates.account_candidates(
        user=other_kam, name="Müller Maschinenbau GmbH", city="Stuttgart", external_id="K-1"
    )
    make_contact(account=mueller, email="anna@mueller.example")
    assert not duplicates.contact_candidates(
        user=other_kam,
        account=make_account(owner=other_kam),
        last_name="Schäfer",
        email="ANNA@mueller.example",
    )


def test_page_warns_with_links_and_keeps_what_was_typed(kam_client, kam, mueller):
    data = account_data(kam, name="Müller Maschinenbau AG", city="Stuttgart", industry="Bau")
    response = kam_client.post(reverse("accounts:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="duplicate-warning"' in page
    assert reverse("accounts:detail", args=[mueller.pk]) in page
    assert 'value="Müller Maschinenbau AG"' in page and 'value="Bau"' in page
    assert Account.objects.count() == 1


def test_page_saves_anyway_when_confirmed(kam_client, kam, mueller):
    data = account_data(kam, name="Müller Maschinenbau AG", city="Stuttgart")
    response = kam_client.post(reverse("accounts:create"), data | {"allow_duplicate": "1"})
    assert response.status_code == 302
    assert Account.objects.filter(name="Müller Maschinenbau AG").exists()


def test_page_without_candidates_saves_at_once(kam_client, kam, mueller):
    response = kam_client.post(
        reverse("accounts:create"), account_data(kam, name="Weber Logistik", city="Stuttgart")
    )
    assert response.status_code == 302


def test_contact_form_warns_of_the_same_email(kam_client, account):
    known = make_contact(account=account, first_name="Anna", last_name="Schäfer", email="a@x.de")
    response = kam_client.post(
        reverse("accounts:contact_create", args=[account.pk]),
        contact_data(first_name="Anne", last_name="Schaefer", email="A@X.DE"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#contact-form"
    page = response.content.decode()
    assert reverse("accounts:contact_detail", args=[known.pk]) in page
    assert "gleiche E-Mail-Adresse" in page
    assert Contact.objects.count() == 1


def test_contact_form_warns_of_the_same_name_at_the_company(kam_client, account):
    make_contact(account=account, first_name="Anna", last_name="Schäfer")
    response = kam_client.post(
        reverse("accounts:contact_create", args=[account.pk]),
        contact_data(first_name="anna", last_name="SCHÄFER", email=""),
    )
    assert "ähnlicher Name im selben Unternehmen" in response.content.decode()
    assert Contact.objects.count() == 1


def test_api_answers_409_with_the_candidates(kam, mueller):
    client = api_as(kam)
    body = {"name": "Müller Maschinenbau AG", "city": "Stuttgart"}
    response = client.post(ACCOUNTS, body, format="json")
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "duplicate"
    assert [(c["id"], c["reasons"]) for c in data["candidates"]] == [(mueller.pk, ["name"])]
    assert data["candidates"][0]["url"].endswith(f"/api/v1/accounts/{mueller.pk}/")
    assert Account.objects.count() == 1


def test_api_creates_with_allow_duplicate(kam, mueller):
    client = api_as(kam)
    body = {"name": "Müller Maschinenbau AG", "city": "Stuttgart"}
    response = client.post(f"{ACCOUNTS}?allow_duplicate=true", body, format="json")
    assert response.status_code == 201
    assert Account.objects.count() == 2


def test_api_contact_create_answers_409_for_the_same_email(kam, account):
    known = make_contact(account=account, email="anna@example.com")
    client = api_as(kam)
    body = {"account": account.pk, "last_name": "Neu", "email": "Anna@Example.com"}
    response = client.post(CONTACTS, body, format="json")
    assert response.status_code == 409
    assert response.json()["candidates"][0]["id"] == known.pk
    assert response.json()["candidates"][0]["reasons"] == ["email"]
    assert client.post(f"{CONTACTS}?allow_duplicate=1", body, format="json").status_code == 201


def test_api_refuses_a_vague_allow_duplicate(kam, mueller):
    response = api_as(kam).post(
        f"{ACCOUNTS}?allow_duplicate=yes please", {"name": "X"}, format="json"
    )
    assert response.status_code == 400
    assert Account.objects.count() == 1


def test_import_dry_run_marks_likely_duplicates_and_refuses_nothing(head_of_sales, mueller):
    data = csv_bytes(
        [
            "external_id;name;city",
            "K-2;Müller Maschinenbau AG;Stuttgart",
            "K-3;Weber Logistik;Stuttgart",
        ]
    )
    report = run("accounts", data, head_of_sales, dry_run=True)
    rows = by_row(report)
    assert [o.outcome for o in report.outcomes] == [import_services.NEW, import_services.NEW]
    assert len(rows[2].warnings) == 1 and "Müller Maschinenbau GmbH" in rows[2].warnings[0]
    assert rows[3].warnings == []
    assert rows[2].as_dict()["warnings"] == rows[2].warnings
    assert Account.objects.count() == 1


def test_import_marks_a_contact_with_a_known_email(head_of_sales, mueller):
    make_contact(account=mueller, email="anna@mueller.example")
    data = csv_bytes(
        ["external_id;account;last_name;email", "P-9;K-1;Schäfer;anna@mueller.example"]
    )
    report = run("contacts", data, head_of_sales, dry_run=True)
    assert report.outcomes[0].outcome == import_services.NEW
    assert len(report.outcomes[0].warnings) == 1
