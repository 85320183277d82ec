"""Contracts in Chromium: upload a contract PDF and download it; an outsider gets 404."""

import re

import pytest
from playwright.sync_api import expect

from contracts import services
from tests.factories import PASSWORD, UserFactory, make_account
from users.models import Role

pytestmark = pytest.mark.browser

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def contract(kam, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    account = make_account(owner=kam, name="Hanse Logistik AG")
    return services.contract_create(
        actor=kam,
        account=account,
        number="RV-2026-07",
        title="Rahmenvertrag Logistik",
        kind="framework",
        status="active",
        start_on="2026-01-01",
        end_on="2028-12-31",
    )


def test_upload_a_contract_pdf_download_it_and_outsider_gets_404(
    page, sign_in, kam, contract, browser, live_server, tmp_path
):
    sign_in(kam)
    page.goto(f"/contracts/{contract.pk}/")
    expect(page.get_by_role("heading", level=1, name="Rahmenvertrag Logistik")).to_be_visible()
    documents = page.locator("#documents")
    upload = documents.locator("form", has=page.locator("#id_file"))

    # A text file that claims to be a PDF: refused in place, nothing listed.
    upload.locator("#id_file").set_input_files(
        files=[{"name": "Vertrag.pdf", "mimeType": "application/pdf", "buffer": b"kein PDF"}]
    )
    upload.locator("button[type=submit]").click()
    expect(page.locator("#documents .field-error")).to_have_count(1)
    expect(page.locator("#documents a[download]")).to_have_count(0)

    page.locator("#documents #id_file").set_input_files(
        files=[
            {"name": "Rahmenvertrag 2026.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
        ]
    )
    page.locator("#documents form:has(#id_file) button[type=submit]").click()
    link = page.locator("#documents a[download]", has_text="Rahmenvertrag 2026.pdf")
    expect(link).to_be_visible()
    expect(page.locator("#documents .field-error")).to_have_count(0)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "Rahmenvertrag 2026.pdf"
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == PDF_BYTES

    # The account's Contracts tab and the contract list show it too.
    page.goto(f"/accounts/{contract.account_id}/?tab=contracts")
    expect(page.get_by_test_id("account-contracts")).to_contain_text("RV-2026-07")
    page.goto("/contracts/?status=active")
    expect(page.get_by_test_id("contract-table")).to_contain_text("Rahmenvertrag Logistik")
    page.goto(f"/contracts/{contract.pk}/")

    download_url = link.get_attribute("href")
    assert re.fullmatch(r"/contracts/\d+/documents/\d+/download/", download_url)

    # Someone outside the account's scope: the same URL is a 404, page and API alike.
    outsider = UserFactory(username="aussen1", role=Role.SALES_REP)
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    try:
        other = context.new_page()
        other.goto("/login/")
        other.get_by_label("Benutzername").fill(outsider.username)
        other.get_by_label("Passwort").fill(PASSWORD)
        other.get_by_role("button", name="Anmelden").click()
        other.wait_for_url(lambda url: "/login/" not in url)
        response = other.goto(download_url)
        assert response.status == 404
        api = other.request.get(f"/api/v1{download_url}")
        assert api.status == 404
    finally:
        context.close()
