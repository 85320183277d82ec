"""kam.uploads: the real type decides, by content; too big or fake files are refused."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kam.uploads import stored_name, validate_upload
from tests.contracts.conftest import PDF_BYTES, de, docx_bytes

MISMATCH = re.escape(
    de("The content of this file does not match its ending “.%(ext)s”.", ext="docx")
)
TOO_LARGE = re.escape(de("The file is larger than %(size)s MB.", size="")[:12])
WRONG_TYPE = re.escape(de("Only these file types can be uploaded: %(types)s.", types="")[:12])


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_real_pdf_is_accepted_with_our_content_type():
    checked = validate_upload(upload("Vertrag.PDF", PDF_BYTES))
    assert checked.extension == "pdf"
    assert checked.content_type == "application/pdf"
    assert checked.size == len(PDF_BYTES)
    assert checked.original_name == "Vertrag.PDF"


def test_real_docx_is_accepted():
    checked = validate_upload(upload("Angebot.docx", docx_bytes()))
    assert checked.content_type.endswith("wordprocessingml.document")


def test_legacy_office_file_is_accepted_by_its_ole_header():
    content = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504
    assert validate_upload(upload("Preise.xls", content)).extension == "xls"


def test_text_file_renamed_to_pdf_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_upload(upload("Vertrag.pdf", b"Nur ein Text, kein PDF."))
    assert exc.value.messages == [de("This file is not a PDF or Office document.")]


def test_pdf_named_docx_is_refused_as_a_mismatch():
    with pytest.raises(
        ValidationError,
        match=re.escape(
            de("The content of this file does not match its ending “.%(ext)s”.", ext="docx")
        ),
    ):
        validate_upload(upload("Vertrag.docx", PDF_BYTES))


def test_zip_without_the_word_main_part_is_not_a_docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/readme.txt", "no document here")
    with pytest.raises(ValidationError):
        validate_upload(upload("Fake.docx", buffer.getvalue()))


def test_oversize_file_is_refused_before_the_content_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    big = upload("Gross.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        validate_upload(big)
    assert exc.value.messages == [de("The file is larger than %(size)s MB.", size="10")]


def test_size_limit_follows_the_setting(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match=TOO_LARGE):
        validate_upload(upload("Vertrag.pdf", PDF_BYTES))


def test_other_file_types_and_empty_files_are_refused():
    with pytest.raises(
        ValidationError,
        match=WRONG_TYPE,
    ):
        validate_upload(upload("script.html", b"%PDF-<html>"))
    with pytest.raises(ValidationError, match=re.escape(de("The file is empty."))):
        validate_upload(upload("leer.pdf", b""))
    with pytest.raises(
        ValidationError,
        match=WRONG_TYPE,
    ):
        validate_upload(upload("Vertrag.pdf", PDF_BYTES), allowed=("docx",))


def test_stored_name_is_random_and_keeps_the_extension():
    first = stored_name("../../etc/Vertrag 2026.PDF", "contracts")
    second = stored_name("../../etc/Vertrag 2026.PDF", "contracts")
    assert first != second
    assert first.startswith("contracts/") and first.endswith(".pdf")
    assert ".." not in first and " " not in first
