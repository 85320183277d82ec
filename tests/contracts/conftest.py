"""Contracts: uploaded files go to a temporary MEDIA_ROOT per test."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from contracts import services

# A minimal PDF as a client would send it: the magic bytes decide, not the name.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"'
            "/></Types>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Vertrag</w:t></w:r></w:p>'
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def pdf_upload(name: str = "Rahmenvertrag.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def stored_files(media_root) -> list:
    folder = media_root / "contracts"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_contract(*, account, actor=None, **fields):
    make_contract.counter += 1
    fields.setdefault("number", f"V-{make_contract.counter:04d}")
    fields.setdefault("title", "Liefervertrag Ersatzteile")
    fields.setdefault("start_on", date(2025, 1, 1))
    fields.setdefault("end_on", date(2027, 12, 31))
    fields.setdefault("annual_value", Decimal("120000"))
    fields.setdefault("status", "active")
    return services.contract_create(actor=actor or account.owner, account=account, **fields)


make_contract.counter = 0


@pytest.fixture
def contract(account):
    return make_contract(account=account, number="RV-2025-01", title="Rahmenvertrag Antriebe")


def de(message: str, **values) -> str:
    """A message as a German-speaking user sees it (the English text until translated)."""
    with translation.override("de"):
        text = gettext(message)
    return text % values if values else text
