"""Every stored file goes through Django's storage API, so the same steps work on the
local folder and on S3-compatible object storage (moto's real S3 API): a contract document
uploaded, downloaded and deleted; a folder rendered, downloaded and deleted with its
version. Outsiders get 404 before any file is touched. With FILE_DOWNLOAD=redirect the
download is a short-lived pre-signed URL of a private bucket."""

import io
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from contracts import services as contract_services
from contracts.models import Contract, ContractDocument
from reviews import rendering
from reviews import services as review_services
from reviews.models import FolderVersion

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
HTMX = {"HTTP_HX_REQUEST": "true"}


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def contract(account, kam):
    return Contract.objects.create(
        account=account,
        number="RV-9",
        title="Rahmenvertrag Ersatzteile",
        start_on=timezone.localdate() - timedelta(days=400),
        status=Contract.Status.ACTIVE,
        owner=kam,
    )


@pytest.fixture
def review(kam, account):
    return review_services.review_create(
        actor=kam,
        account=account,
        year=timezone.localdate().year,
        meeting_on=timezone.localdate(),
        place="Stuttgart",
        customer_participants=[],
    )


def test_contract_document_upload_download_delete(
    backend, kam_client, outsider_client, contract, django_capture_on_commit_callbacks
):
    response = kam_client.post(
        reverse("contracts:document_upload", args=[contract.pk]),
        {"file": SimpleUploadedFile("Rahmenvertrag 2026.pdf", PDF_BYTES)},
        **HTMX,
    )
    assert response.status_code == 200
    document = ContractDocument.objects.get()
    assert backend.names() == [document.file.name]  # stored there, under a random name
    assert document.file.name.startswith("contracts/")

    url = reverse("contracts:document_download", args=[contract.pk, document.pk])
    assert outsider_client.get(url).status_code == 404
    download = kam_client.get(url)
    assert download.status_code == 200
    assert body(download) == PDF_BYTES
    assert 'filename="Rahmenvertrag 2026.pdf"' in download["Content-Disposition"]

    with django_capture_on_commit_callbacks(execute=True):
        deleted = kam_client.post(
            reverse("contracts:document_delete", args=[contract.pk, document.pk]), **HTMX
        )
    assert deleted.status_code == 200
    assert backend.names() == []
    assert kam_client.get(url).status_code == 404


def test_folder_rendered_downloaded_and_deleted_with_its_version(
    backend, kam, kam_client, outsider_client, review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version, _new = review_services.folder_request(actor=kam, review=review)
    version.refresh_from_db()
    assert version.status == FolderVersion.Status.DONE, version.error
    assert backend.names() == [version.file.name]

    url = reverse("reviews:download", args=[review.pk, version.pk])
    assert outsider_client.get(url).status_code == 404
    download = kam_client.get(url)
    assert download.status_code == 200
    assert len(PdfReader(io.BytesIO(body(download))).pages) == version.pages

    with django_capture_on_commit_callbacks(execute=True):
        review_services.version_delete(actor=kam, version=version)
    assert backend.names() == []
    assert kam_client.get(url).status_code == 404


def test_a_folder_rendered_again_replaces_the_file_of_the_killed_attempt(
    backend, kam, review, django_capture_on_commit_callbacks
):
    """A worker killed while writing left a file under the version's name; the next
    attempt writes the whole folder under the same name, and no second file stays."""
    with django_capture_on_commit_callbacks(execute=True):
        version, _new = review_services.folder_request(actor=kam, review=review)
    version.refresh_from_db()
    name = version.file.name
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"%PDF-1.7 half a fi"))
    FolderVersion.objects.filter(pk=version.pk).update(status=FolderVersion.Status.QUEUED)
    again = rendering.render_version(version_id=version.pk)
    assert again.file.name == name
    assert backend.names() == [name]
    with default_storage.open(name, "rb") as handle:
        assert len(PdfReader(io.BytesIO(handle.read())).pages) == again.pages


@pytest.fixture
def redirecting(backend, settings):
    if backend.kind != "s3":
        pytest.skip("pre-signed URLs exist only on object storage")
    settings.FILE_DOWNLOAD = "redirect"
    settings.FILE_URL_SECONDS = 2
    return backend


def _fetch(url: str):
    return urllib.request.urlopen(url, timeout=10)  # noqa: S310 - moto on 127.0.0.1


def test_redirect_download_is_a_short_lived_presigned_url(
    redirecting, kam_client, outsider_client, contract, kam
):
    document = contract_services.document_add(
        actor=kam,
        contract=contract,
        uploaded_file=SimpleUploadedFile("Preisblatt.pdf", PDF_BYTES),
    )
    url = reverse("contracts:document_download", args=[contract.pk, document.pk])
    refused = outsider_client.get(url)
    assert refused.status_code == 404  # the scope first: no URL leaks to an outsider
    assert "Location" not in refused

    answer = kam_client.get(url)
    assert answer.status_code == 302
    location = answer["Location"]
    assert urlsplit(location).hostname == "127.0.0.1"
    # Signed, and valid for FILE_URL_SECONDS only (the object storage enforces it).
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=2&" in location + "&"
    with _fetch(location) as stored:
        assert stored.read() == PDF_BYTES
        assert 'filename="Preisblatt.pdf"' in stored.headers["Content-Disposition"]
        assert stored.headers["Content-Type"] == "application/pdf"

    # The bucket is private: the object's plain address is refused.
    plain = location.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as private:
        _fetch(plain)
    assert private.value.code == 403


def test_redirect_to_a_missing_file_answers_404(redirecting, kam_client, contract, kam):
    document = contract_services.document_add(
        actor=kam, contract=contract, uploaded_file=SimpleUploadedFile("X.pdf", PDF_BYTES)
    )
    default_storage.delete(document.file.name)
    url = reverse("contracts:document_download", args=[contract.pk, document.pk])
    assert kam_client.get(url).status_code == 404
