"""Contract writes: validation, permissions, history and documents that are checked first."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services as account_services
from contracts import services
from contracts.models import Contract, ContractDocument
from tests.contracts.conftest import (
    PDF_BYTES,
    de,
    docx_bytes,
    make_contract,
    pdf_upload,
    stored_files,
)
from tests.factories import make_account

DUPLICATE = re.escape(de("This account already has a contract with this number."))
TOO_LARGE = re.escape(de("The file is larger than %(size)s MB.", size="")[:12])


def test_end_before_start_is_refused(account):
    with pytest.raises(ValidationError) as exc:
        make_contract(account=account, start_on=date(2026, 5, 1), end_on=date(2026, 4, 30))
    assert exc.value.message_dict == {"end_on": [de("The end cannot be before the start.")]}
    assert not Contract.objects.exists()


def test_notice_period_must_be_0_to_60_months(account):
    with pytest.raises(ValidationError) as exc:
        make_contract(account=account, notice_period_months=61)
    assert "notice_period_months" in exc.value.message_dict


def test_number_is_unique_per_account_only(account, kam):
    make_contract(account=account, number="RV-1")
    with pytest.raises(
        ValidationError,
        match=DUPLICATE,
    ):
        make_contract(account=account, number="RV-1")
    other = make_account(owner=kam, name="Andere AG")
    assert make_contract(account=other, number="RV-1").pk


def test_auto_renewal_needs_an_end(account):
    with pytest.raises(ValidationError) as exc:
        make_contract(account=account, end_on=None, auto_renewal=True)
    assert "end_on" in exc.value.message_dict


def test_terminating_records_the_date_and_history(account, kam):
    contract = make_contract(account=account, annual_value=Decimal("1000"))
    services.contract_update(actor=kam, contract=contract, status="terminated")
    contract.refresh_from_db()
    assert contract.terminated_on is not None
    assert [h.status for h in contract.history.order_by("history_date")] == [
        "active",
        "terminated",
    ]
    services.contract_update(actor=kam, contract=contract, status="active")
    contract.refresh_from_db()
    assert contract.terminated_on is None


def test_reader_may_not_change_contracts(account, kam, sales_rep):
    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    with pytest.raises(PermissionDenied):
        make_contract(account=account, actor=sales_rep)
    contract = make_contract(account=account)
    with pytest.raises(PermissionDenied):
        services.contract_update(actor=sales_rep, contract=contract, title="Neu")
    with pytest.raises(PermissionDenied):
        services.document_add(actor=sales_rep, contract=contract, uploaded_file=pdf_upload())


def test_outsider_cannot_create_on_an_account_they_cannot_see(account, outsider):
    with pytest.raises(ValidationError) as exc:
        make_contract(account=account, actor=outsider)
    assert "account" in exc.value.message_dict


def test_document_is_stored_under_a_random_name_below_media_contracts(contract, kam, media_root):
    document = services.document_add(
        actor=kam, contract=contract, uploaded_file=pdf_upload("../Rahmen vertrag.pdf")
    )
    assert document.original_name == "Rahmen vertrag.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF_BYTES)
    assert document.uploaded_by == kam
    assert document.file.name.startswith("contracts/")
    assert "Rahmen" not in document.file.name
    path = media_root / document.file.name
    assert path.read_bytes() == PDF_BYTES


def test_docx_is_accepted(contract, kam):
    upload = SimpleUploadedFile("Anlage.docx", docx_bytes(), content_type="application/pdf")
    document = services.document_add(actor=kam, contract=contract, uploaded_file=upload)
    assert document.content_type.endswith("wordprocessingml.document")


def test_fake_pdf_is_refused_and_nothing_is_stored(contract, kam, media_root):
    fake = SimpleUploadedFile("Vertrag.pdf", b"Das ist Text.", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.document_add(actor=kam, contract=contract, uploaded_file=fake)
    assert exc.value.message_dict == {"file": [de("This file is not a PDF or Office document.")]}
    assert stored_files(media_root) == []
    assert not ContractDocument.objects.exists()


def test_oversize_file_is_refused_and_nothing_is_stored(contract, kam, media_root, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("Vertrag.pdf", PDF_BYTES + b" " * 2048)
    with pytest.raises(ValidationError, match=TOO_LARGE):
        services.document_add(actor=kam, contract=contract, uploaded_file=big)
    assert stored_files(media_root) == []


def test_file_is_removed_when_the_row_cannot_be_saved(contract, kam, media_root, monkeypatch):
    def fail(self, *args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(ContractDocument, "save", fail)
    with pytest.raises(RuntimeError):
        services.document_add(actor=kam, contract=contract, uploaded_file=pdf_upload())
    assert stored_files(media_root) == []


@pytest.mark.django_db(transaction=True)
def test_deleting_a_document_removes_the_file(kam, media_root):
    account = make_account(owner=kam)
    contract = make_contract(account=account)
    document = services.document_add(actor=kam, contract=contract, uploaded_file=pdf_upload())
    assert len(stored_files(media_root)) == 1
    services.document_delete(actor=kam, document=document)
    assert stored_files(media_root) == []
    assert not ContractDocument.objects.exists()
