"""Files that cannot be imported as they are, and cells that cannot: each refused with a
message, nothing written."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import Account
from imports.reading import read_table
from tests.imports.conftest import by_row, csv_bytes, run, xlsx_bytes


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def test_a_pdf_named_csv_is_neither_csv_nor_xlsx():
    with pytest.raises(ValidationError) as caught:
        read_table(b"%PDF-1.7\n\x00\x01binary")
    assert caught.value.messages == ["This file is neither a CSV file nor an XLSX workbook."]


def test_a_zip_that_is_no_workbook_is_refused():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<x/>")
    with pytest.raises(ValidationError) as caught:
        read_table(out.getvalue())
    assert caught.value.messages == ["This file is neither a CSV file nor an XLSX workbook."]


def test_a_file_over_the_limit_is_refused(settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        read_table(b"a;b\r\n" + b"x;y\r\n" * 300_000)
    assert caught.value.messages == ["The file is larger than 1 MB."]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_latin1_and_windows_1252_read_umlauts_right(head_of_sales, encoding):
    data = csv_bytes(
        ["External ID;Name;Country", "K-1;Bäckerei Müller;Österreich"], encoding=encoding
    )

    report = run("accounts", data, head_of_sales)

    assert report.counts()["new"] == 1
    account = Account.objects.get(external_id="K-1")
    assert (account.name, account.country) == ("Bäckerei Müller", "Österreich")


def test_a_byte_that_is_no_windows_1252_is_refused_naming_the_encoding():
    with pytest.raises(ValidationError) as caught:
        read_table("Name\r\nM\u00fcller\r\n".encode("latin-1") + b"\x81\r\n")
    assert "Windows-1252" in caught.value.messages[0]


def test_utf8_with_bom_and_comma_separated(head_of_sales):
    data = "\ufeffExternal ID,Name\r\nK-1,Große Straße GmbH\r\n".encode()

    run("accounts", data, head_of_sales)

    assert Account.objects.get(external_id="K-1").name == "Große Straße GmbH"


def test_a_formula_cell_in_xlsx_is_refused(head_of_sales):
    data = xlsx_bytes([["External ID", "Name"], ["K-1", '=HYPERLINK("x")'], ["K-2", "Gut"]])

    report = by_row(run("accounts", data, head_of_sales))

    assert report[2].outcome == "refused"
    assert report[2].errors[0][0] == "Name"
    assert "formula" in report[2].errors[0][1]
    assert list(Account.objects.values_list("external_id", flat=True)) == ["K-2"]


def test_a_formula_cell_in_csv_is_refused_but_an_escaped_one_is_text(head_of_sales):
    data = csv_bytes(["External ID;Name", "K-1;=1+2", "K-2;'=Gleich AG"])

    report = by_row(run("accounts", data, head_of_sales))

    assert report[2].outcome == "refused"
    assert "formula" in report[2].errors[0][1]
    assert Account.objects.get(external_id="K-2").name == "=Gleich AG"


def test_an_unknown_choice_names_the_allowed_values(head_of_sales):
    data = csv_bytes(["External ID;Name;Status", "K-1;Eins;wichtig"])

    outcome = run("accounts", data, head_of_sales).outcomes[0]

    assert outcome.errors[0][0] == "Status"
    assert "“wichtig” is not one of the allowed values" in outcome.errors[0][1]
    assert "key_account" in outcome.errors[0][1]
