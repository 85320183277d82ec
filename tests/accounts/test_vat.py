"""The VAT ID of an account: stored in one spelling (upper case, no spaces or dots),
checked for the format of its EU member state (a translated error on the page, 400 in
the API), exported and imported under its German and English heading, and the surest
sign of a duplicate customer (page warning, API 409, import warning)."""

import pytest
from django.urls import reverse

from accounts import duplicates, services, vat
from accounts.models import Account
from imports import services as import_services
from tests.accounts.test_api import ACCOUNTS, api_as
from tests.accounts.test_views import account_data
from tests.conftest import client_for
from tests.exports.test_lists import column, exported
from tests.factories import make_account
from tests.imports.conftest import by_row, csv_bytes, run


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("de 123.456.789", "DE123456789"),
        ("ATU 1234 5678", "ATU12345678"),
        ("nl123456789b01", "NL123456789B01"),
        ("GR 123456789", "EL123456789"),
        ("FR-AB-123456789", "FRAB123456789"),
        ("", ""),
    ],
)
def test_a_vat_id_is_stored_in_one_spelling(kam, typed, stored):
    account = services.account_create(actor=kam, name="Kunde", vat_id=typed)
    account.refresh_from_db()
    assert account.vat_id == stored


@pytest.mark.parametrize(
    "bad", ["DE12345678", "DE1234567890", "ATU1234567", "AT12345678", "NL123456789", "XX123"]
)
def test_vat_ids_of_the_wrong_format_are_refused(bad):
    with pytest.raises(Exception, match="USt-IdNr"):
        vat.VatIdValidator()(vat.normalise(bad))


def test_every_eu_member_state_has_a_format():
    member_states = {
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
    }
    assert member_states <= set(vat.FORMATS)


def test_page_saves_the_normalised_vat_id_and_shows_it(kam_client, kam):
    response = kam_client.post(
        reverse("accounts:create"), account_data(kam, vat_id="de 123 456 789")
    )
    assert response.status_code == 302
    account = Account.objects.get(name="Neukunde GmbH")
    assert account.vat_id == "DE123456789"
    page = kam_client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert "USt-IdNr." in page and "DE123456789" in page


def test_page_shows_a_translated_error_for_a_wrong_vat_id(kam_client, kam):
    response = kam_client.post(reverse("accounts:create"), account_data(kam, vat_id="DE 1234"))
    assert response.status_code == 422
    page = response.content.decode()
    assert "Das ist keine gültige USt-IdNr. für DE (zum Beispiel DE123456789)." in page
    assert not Account.objects.exists()


def test_api_answers_400_for_a_wrong_vat_id_and_stores_a_good_one(kam):
    client = api_as(kam)
    bad = client.post(ACCOUNTS, {"name": "Kunde", "vat_id": "US123"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["vat_id"]
    good = client.post(ACCOUNTS, {"name": "Kunde", "vat_id": "atu12345678"}, format="json")
    assert good.status_code == 201
    assert good.json()["vat_id"] == "ATU12345678"


@pytest.fixture
def known(kam):
    return make_account(owner=kam, name="Müller Maschinenbau GmbH", city="Stuttgart")


@pytest.fixture
def with_vat_id(kam, known):
    services.account_update(actor=kam, account=known, vat_id="DE123456789")
    return known


def test_the_same_vat_id_is_the_first_candidate(kam, with_vat_id):
    also_by_name = make_account(owner=kam, name="Anders GmbH", city="Ulm")
    found = duplicates.account_candidates(
        user=kam, name="Anders", city="Ulm", vat_id="de 123 456 789"
    )
    assert [(c.record, c.reasons) for c in found] == [
        (with_vat_id, (duplicates.VAT_ID,)),
        (also_by_name, (duplicates.NAME,)),
    ]


def test_page_warns_of_the_same_vat_id_under_another_name(kam_client, kam, with_vat_id):
    data = account_data(kam, name="MM Holding", city="Berlin", vat_id="DE123456789")
    response = kam_client.post(reverse("accounts:create"), data)
    page = response.content.decode()
    assert 'data-testid="duplicate-warning"' in page
    assert reverse("accounts:detail", args=[with_vat_id.pk]) in page
    assert "gleiche USt-IdNr." in page
    assert Account.objects.count() == 1
    confirmed = kam_client.post(reverse("accounts:create"), data | {"allow_duplicate": "1"})
    assert confirmed.status_code == 302
    assert Account.objects.count() == 2


def test_api_answers_409_for_the_same_vat_id(kam, with_vat_id):
    client = api_as(kam)
    body = {"name": "MM Holding", "city": "Berlin", "vat_id": "DE 123.456.789"}
    response = client.post(ACCOUNTS, body, format="json")
    assert response.status_code == 409
    assert [(c["id"], c["reasons"]) for c in response.json()["candidates"]] == [
        (with_vat_id.pk, ["vat_id"])
    ]
    allowed = client.post(f"{ACCOUNTS}?allow_duplicate=true", body, format="json")
    assert allowed.status_code == 201


def test_import_reads_the_german_heading_and_warns_of_the_same_vat_id(head_of_sales, with_vat_id):
    data = csv_bytes(
        [
            "Externe ID;Name;USt-IdNr.;Ort",
            "K-2;MM Holding;de 123 456 789;Berlin",
            "K-3;Weber Logistik;ATU12345678;Wien",
            "K-4;Falsch AG;DE12;Wien",
        ]
    )
    report = run("accounts", data, head_of_sales, dry_run=True)
    rows = by_row(report)
    assert rows[2].outcome == import_services.NEW
    assert rows[2].warnings == [
        f"Wahrscheinlich eine Dublette von Müller Maschinenbau GmbH (#{with_vat_id.pk}): "
        "gleiche USt-IdNr."
    ]
    assert rows[3].warnings == []
    assert rows[4].outcome == import_services.REFUSED
    assert "USt-IdNr." in str(rows[4].errors)


def test_import_with_the_english_heading_stores_the_normalised_vat_id(head_of_sales):
    data = csv_bytes(["external_id,name,VAT ID", "K-9,Weber Logistik,atu 1234 5678"])
    run("accounts", data, head_of_sales)
    assert Account.objects.get(external_id="K-9").vat_id == "ATU12345678"
    # The same number typed with spaces again is no change.
    again = run("accounts", data, head_of_sales, dry_run=True)
    assert again.outcomes[0].outcome == import_services.UNCHANGED


@pytest.mark.parametrize(("language", "heading"), [("de", "USt-IdNr."), ("en", "VAT ID")])
def test_the_account_export_has_the_vat_id_column(kam, with_vat_id, language, heading):
    kam.language = language
    kam.save(update_fields=["language"])
    rows = exported(client_for(kam), reverse("accounts:list"), {}, "xlsx")
    assert column(rows, heading) == ["DE123456789"]


def test_the_duplicates_page_pairs_accounts_with_the_same_vat_id(head_of_sales, with_vat_id):
    twin = make_account(owner=with_vat_id.owner, name="MM Holding", city="Berlin")
    services.account_update(actor=head_of_sales, account=twin, vat_id="DE123456789")
    assert duplicates.account_pairs() == [(with_vat_id, twin, duplicates.VAT_ID)]
    page = client_for(head_of_sales).get(reverse("accounts:duplicates")).content.decode()
    assert 'data-testid="pair-same-vat-id"' in page
    assert reverse("accounts:merge", args=[with_vat_id.pk, twin.pk]) in page
