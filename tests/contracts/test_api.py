"""The contracts API: every endpoint, inside and outside the access scope."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from contracts import services
from contracts.models import Contract, ContractDocument
from contracts.terms import add_months
from tests.contracts.conftest import (
    PDF_BYTES,
    de,
    docx_bytes,
    make_contract,
    pdf_upload,
    stored_files,
)
from tests.factories import make_account
from users.services import api_token_create

LIST = reverse("api-contract-list")


def api_as(user) -> APIClient:
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def detail_url(contract) -> str:
    return reverse("api-contract-detail", args=[contract.pk])


def documents_url(contract) -> str:
    return reverse("api-contract-documents", args=[contract.pk])


def document_url(document) -> str:
    return reverse("api-contract-document", args=[document.contract_id, document.pk])


def download_url(document) -> str:
    return reverse("api-contract-document-download", args=[document.contract_id, document.pk])


def numbers(response) -> list[str]:
    return [row["number"] for row in response.json()["results"]]


@pytest.fixture
def api(kam) -> APIClient:
    return api_as(kam)


def test_list_has_the_computed_dates(api, account):
    today = timezone.localdate()
    end = add_months(today + timedelta(days=10), 3)
    make_contract(
        account=account,
        number="A",
        start_on=today - timedelta(days=500),
        end_on=end,
        notice_period_months=3,
        auto_renewal=True,
    )
    response = api.get(LIST)
    assert response.status_code == 200
    row = response.json()["results"][0]
    assert row["notice_deadline"] == add_months(end, -3).isoformat()
    assert row["next_renewal_on"] == end.isoformat()
    assert row["term_end"] == end.isoformat()
    assert row["account"] == account.pk
    assert row["annual_value"] == "120000.00"


def test_list_filters(api, account, kam):
    today = timezone.localdate()
    other = make_account(owner=kam, name="Zweite AG")
    make_contract(account=account, number="S1", kind="service", status="active")
    make_contract(account=account, number="D1", kind="supply", status="draft")
    make_contract(
        account=other,
        number="N1",
        kind="supply",
        start_on=today - timedelta(days=300),
        end_on=add_months(today + timedelta(days=5), 1),
        notice_period_months=1,
    )
    assert numbers(api.get(LIST, {"kind": "service"})) == ["S1"]
    assert numbers(api.get(LIST, {"status": "draft"})) == ["D1"]
    assert numbers(api.get(LIST, {"account": other.pk})) == ["N1"]
    assert numbers(api.get(LIST, {"notice_within": 30})) == ["N1"]
    assert numbers(api.get(LIST, {"ordering": "number"})) == ["D1", "N1", "S1"]
    bad = api.get(LIST, {"notice_within": "soon"})
    assert bad.status_code == 400


def test_outsider_sees_nothing_and_gets_404(account, outsider, kam):
    contract = make_contract(account=account)
    document = services.document_add(actor=kam, contract=contract, uploaded_file=pdf_upload())
    api = api_as(outsider)
    assert api.get(LIST).json()["results"] == []
    assert api.get(LIST, {"account": account.pk}).json()["results"] == []
    for url in [detail_url(contract), documents_url(contract), download_url(document)]:
        response = api.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    assert api.patch(detail_url(contract), {"title": "x"}, format="json").status_code == 404
    assert api.delete(document_url(document)).status_code == 404
    upload = api.post(documents_url(contract), {"file": pdf_upload()}, format="multipart")
    assert upload.status_code == 404
    assert ContractDocument.objects.count() == 1


def test_create_contract(api, account, kam):
    body = {
        "account": account.pk, "number": "API-1", "title": "Servicevertrag", "kind": "service",
        "status": "active", "start_on": "2026-01-01", "end_on": "2026-12-31",
        "notice_period_months": 3, "annual_value": "48000.00",
    }  # fmt: skip
    response = api.post(LIST, body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["owner"] == kam.pk
    assert data["notice_deadline"] == "2026-09-30"
    assert Contract.objects.get(number="API-1").history.count() == 1


def test_create_with_bad_input_gives_field_errors(api, account):
    body = {
        "account": account.pk, "number": "API-2", "title": "Falsch", "start_on": "2026-05-01",
        "end_on": "2026-04-01", "notice_period_months": 61,
    }  # fmt: skip
    response = api.post(LIST, body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["end_on"] == [de("The end cannot be before the start.")]
    assert "notice_period_months" in errors
    assert not Contract.objects.exists()


def test_create_on_an_account_outside_the_scope_is_not_found(account, outsider):
    body = {"account": account.pk, "number": "X", "title": "X", "start_on": "2026-01-01"}
    response = api_as(outsider).post(LIST, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["account"] == [de("Not found.")]


def test_retrieve_and_update(api, contract):
    response = api.get(detail_url(contract))
    assert response.status_code == 200
    assert response.json()["number"] == contract.number
    response = api.patch(detail_url(contract), {"status": "terminated"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "terminated"
    assert response.json()["terminated_on"] == timezone.localdate().isoformat()
    assert response.json()["notice_deadline"] is None
    response = api.patch(detail_url(contract), {"end_on": "2020-01-01"}, format="json")
    assert response.status_code == 400
    assert "end_on" in response.json()["errors"]


def test_reader_gets_403_on_writes(account, kam, sales_rep, contract):
    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    api = api_as(sales_rep)
    assert api.get(detail_url(contract)).status_code == 200
    assert api.patch(detail_url(contract), {"title": "x"}, format="json").status_code == 403
    upload = api.post(documents_url(contract), {"file": pdf_upload()}, format="multipart")
    assert upload.status_code == 403


def test_upload_list_download_and_delete_documents(api, contract, media_root):
    response = api.post(
        documents_url(contract), {"file": pdf_upload("Vertrag.pdf")}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["original_name"] == "Vertrag.pdf"
    assert data["size"] == len(PDF_BYTES)
    docx = SimpleUploadedFile("Anlage.docx", docx_bytes())
    assert api.post(documents_url(contract), {"file": docx}, format="multipart").status_code == 201

    listing = api.get(documents_url(contract)).json()
    assert [d["original_name"] for d in listing] == ["Anlage.docx", "Vertrag.pdf"]
    pdf = ContractDocument.objects.get(original_name="Vertrag.pdf")
    assert listing[1]["download_url"] == download_url(pdf)

    download = api.get(download_url(pdf), HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert 'filename="Vertrag.pdf"' in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"

    assert api.delete(document_url(pdf)).status_code == 204
    assert api.delete(document_url(pdf)).status_code == 404
    assert [d["original_name"] for d in api.get(documents_url(contract)).json()] == ["Anlage.docx"]


def test_fake_or_oversize_upload_is_a_400_and_nothing_is_stored(
    api, contract, media_root, settings
):
    fake = SimpleUploadedFile("Vertrag.pdf", b"hello", content_type="application/pdf")
    response = api.post(documents_url(contract), {"file": fake}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": [de("This file is not a PDF or Office document.")]}
    settings.UPLOAD_MAX_BYTES = 10
    response = api.post(documents_url(contract), {"file": pdf_upload()}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"]["file"][0].startswith(
        de("The file is larger than %(size)s MB.", size="")[:12]
    )
    missing = api.post(documents_url(contract), {}, format="multipart")
    assert missing.status_code == 400
    assert "file" in missing.json()["errors"]
    assert stored_files(media_root) == []
    assert not ContractDocument.objects.exists()


@pytest.mark.parametrize("rows", [3, 15])
def test_list_query_count_does_not_grow_with_rows(kam, django_assert_num_queries, rows):
    api = api_as(kam)
    for index in range(rows):
        account = make_account(owner=kam, name=f"Kunde {index:02d}")
        contract = make_contract(account=account, number=f"N-{index:02d}")
        services.document_add(actor=kam, contract=contract, uploaded_file=pdf_upload())
    # The sixth query finds contracts whose stored dates went stale (normally none).
    with django_assert_num_queries(6):
        response = api.get(LIST)
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 15])
def test_document_list_query_count_is_constant(kam, contract, django_assert_num_queries, rows):
    api = api_as(kam)
    for _ in range(rows):
        services.document_add(actor=kam, contract=contract, uploaded_file=pdf_upload())
    # One of them finds contracts whose stored dates went stale (normally none).
    with django_assert_num_queries(7):
        response = api.get(documents_url(contract))
    assert len(response.json()) == rows
