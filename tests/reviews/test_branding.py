"""The folder's branding page: an administrator sets our name, address, colours and logo
(checked by content, size-limited, kept in the storage); the folder prints them, or the
company name where there is no logo. An installation overrides the folder's templates
block by block."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from reviews import pdf
from reviews.models import FolderBranding
from tests.conftest import client_for
from tests.factories import UserFactory
from users.models import Role

URL = reverse("reviews:branding")


def _png(width: int = 4, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def admin(db):
    return UserFactory(username="brand-admin", role=Role.ADMIN)


def _form(**extra):
    return {
        "company_name": "Brenner Antriebstechnik GmbH",
        "address": "Industriestraße 4\n70565 Stuttgart",
        "primary_colour": "#004488",
        "accent_colour": "#aa3300",
        **extra,
    }


def _pdf_pages(review):
    content, _pages = pdf.render_folder_pdf(review, internal=False, language="de")
    return PdfReader(io.BytesIO(content)).pages


def test_admin_sets_name_address_colours_and_png_logo_on_the_folder(admin, review):
    logo = SimpleUploadedFile("logo.png", _png(), content_type="image/png")
    response = client_for(admin).post(URL, _form(logo=logo))
    assert response.status_code == 302

    row = FolderBranding.objects.get()
    assert row.logo.endswith(".png") and default_storage.exists(row.logo)
    html = pdf.render_folder_html(review, internal=False, language="de")
    assert "#004488" in html and "#aa3300" in html
    cover = _pdf_pages(review)[0]
    text = cover.extract_text()
    assert "Brenner Antriebstechnik GmbH" in text and "70565 Stuttgart" in text
    assert "KAM CRM" not in text
    assert len(cover.images) == 1


def test_without_a_logo_the_cover_shows_the_company_name(
    admin, review, django_capture_on_commit_callbacks
):
    client = client_for(admin)
    client.post(URL, _form(logo=SimpleUploadedFile("l.png", _png(), content_type="image/png")))
    old = FolderBranding.objects.get().logo
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _form(remove_logo="on"))
    assert response.status_code == 302
    assert FolderBranding.objects.get().logo == ""
    cover = _pdf_pages(review)[0]
    assert len(cover.images) == 0
    assert "Brenner Antriebstechnik GmbH" in cover.extract_text()
    assert not default_storage.exists(old)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         "Skripte"),
        ("click.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"></svg>', "Skripte"),
        ("logo.png", b"GIF89a not a png", "SVG- oder PNG"),
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (600 * 1024), "höchstens 512 KB"),
    ],
)  # fmt: skip
def test_bad_logo_is_refused_in_place_and_nothing_changes(admin, name, content, message):
    response = client_for(admin).post(URL, _form(logo=SimpleUploadedFile(name, content)))
    assert response.status_code == 200
    assert message in response.text
    assert not FolderBranding.objects.exists()


def test_safe_svg_logo_is_accepted(admin):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'  # noqa: E501
    response = client_for(admin).post(URL, _form(logo=SimpleUploadedFile("logo.svg", svg)))
    assert response.status_code == 302
    assert FolderBranding.objects.get().logo.endswith(".svg")


def test_bad_colour_is_refused(admin):
    response = client_for(admin).post(URL, _form(primary_colour="red;}"))
    assert response.status_code == 200
    assert not FolderBranding.objects.exists()


def test_key_account_manager_gets_404_and_nothing_changes(kam_client):
    assert kam_client.get(URL).status_code == 404
    assert kam_client.post(URL, _form()).status_code == 404
    assert not FolderBranding.objects.exists()


def test_installation_overrides_the_cover_block(review, settings, tmp_path):
    folder = tmp_path / "reviews" / "print"
    folder.mkdir(parents=True)
    (folder / "folder.html").write_text(
        '{% extends "reviews/print/folder.html" %}'
        '{% block cover %}<section class="cover"><h1>Hausformat Deckblatt</h1></section>'
        "{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    pages = _pdf_pages(review)
    assert "Hausformat Deckblatt" in pages[0].extract_text()
    assert "Kennzahlen" in "\n".join(page.extract_text() for page in pages)


def test_only_administrators_find_the_branding_page_on_the_reviews_page(admin, kam_client):
    assert 'data-testid="branding-link"' in client_for(admin).get(reverse("reviews:list")).text
    assert 'data-testid="branding-link"' not in kam_client.get(reverse("reviews:list")).text
