"""The import wizard as a head of sales clicks through it, in Chromium: upload a CSV,
map the column whose heading differs, read the dry run, import, see 100 % and download
the refused rows."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from accounts.models import Account

pytestmark = pytest.mark.browser


def test_wizard_upload_map_dry_run_confirm_and_report(page, sign_in, head_of_sales, kam):
    data = (
        "Kundennummer;Name;Key Account Manager;Stufe\r\n"
        f"K-1;Bäcker AG;{kam.username};A\r\n"
        f"K-2;Zwei AG;{kam.username};Z\r\n"
        f"K-3;Drei AG;{kam.username};B\r\n"
    ).encode("cp1252")
    sign_in(head_of_sales)
    page.goto("/imports/")
    page.get_by_label("Was importiert wird").select_option("accounts")
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(
        {"name": "kunden.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_role("button", name="Hochladen und Spalten zuordnen").click()

    page.wait_for_url("**/columns/")
    # The known headings are suggested; the customer number is mapped by hand.
    expect(page.get_by_label("Name", exact=True)).to_have_value("name")
    page.get_by_label("Kundennummer").select_option("external_id")
    page.get_by_role("button", name="Prüfen (Probelauf)").click()

    outcomes = page.get_by_test_id("outcomes")
    expect(outcomes.locator('tr[data-outcome="new"]')).to_have_count(2)
    refused = outcomes.locator('tr[data-outcome="refused"]')
    expect(refused).to_contain_text("Stufe: „Z“ ist keiner der erlaubten Werte")
    assert not Account.objects.exists()

    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("progress-text")).to_have_text("3 von 3 Zeilen (100 %)")
    expect(page.get_by_test_id("summary")).to_contain_text("2 neu")
    assert sorted(Account.objects.values_list("name", flat=True)) == ["Bäcker AG", "Drei AG"]

    with page.expect_download() as download:
        page.get_by_test_id("refused-download").click()
    content = download.value.path().read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.values)
    assert rows[0][-1] == "Fehler"
    assert rows[1][:2] == ("K-2", "Zwei AG") and rows[1][-1].startswith("Stufe:")

    page.goto("/imports/")
    expect(page.get_by_test_id("import-jobs")).to_contain_text("kunden.csv")
