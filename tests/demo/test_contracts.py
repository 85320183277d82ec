"""Demo contracts: spread over three years, with near deadlines, and idempotent."""

import io

import pypdf

from contracts import demo
from contracts.models import Contract, ContractDocument
from contracts.selectors import contract_list, notice_within


def test_seed_creates_contracts_with_stories_and_is_idempotent(demo_users):
    users = demo_users
    created = Contract.objects.count()
    accounts = Contract.objects.values("account").distinct().count()
    assert accounts == 33
    assert created <= 3 * 33
    everything = contract_list(users["admin"])
    assert notice_within(everything, 90).count() >= 3
    assert everything.filter(status="renegotiation").count() == 1
    years = {c.start_on.year for c in Contract.objects.all()}
    assert len(years) >= 3
    assert 1 <= ContractDocument.objects.count() <= 3
    assert demo.seed(users) == 0
    assert Contract.objects.count() == created
    # Written through the services: every contract has its creation in the history.
    assert Contract.history.filter(history_type="+").count() == created


def test_minimal_pdf_is_accepted_by_the_upload_check():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kam.uploads import validate_upload

    pdf = demo.minimal_pdf("Vertrag KV-001-1")
    assert validate_upload(SimpleUploadedFile("v.pdf", pdf)).content_type == "application/pdf"
    assert pdf.rstrip().endswith(b"%%EOF")
    # A real PDF: a PDF library reads the page and its text.
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert "KV-001-1" in reader.pages[0].extract_text()
