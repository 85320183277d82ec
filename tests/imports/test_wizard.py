"""The wizard's pages: upload, map, dry run, confirm, progress, report and templates."""

import io
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Account, Contact
from imports.models import ColumnMapping, ImportJob
from tests.conftest import client_for
from tests.factories import make_account
from tests.imports.conftest import csv_bytes


def upload(client, kind: str, data: bytes, name: str = "liste.csv"):
    return client.post(
        reverse("imports:index"),
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def accounts_csv(kam) -> bytes:
    return csv_bytes(
        [
            "Kundennummer;Name;Key Account Manager;Stufe",
            f"K-1;Eins AG;{kam.username};A",
            f"K-2;Zwei AG;{kam.username};Z",
        ]
    )


def test_upload_map_dry_run_confirm_and_report(
    head_of_sales, kam, django_capture_on_commit_callbacks
):
    client = client_for(head_of_sales)

    response = upload(client, "accounts", accounts_csv(kam))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:mapping", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    # "Kundennummer" is no known heading: the user maps it; the others are suggested.
    assert job.mapping == ["", "name", "owner", "tier"]
    assert "Kundennummer" in page

    with django_capture_on_commit_callbacks(execute=True):  # the dry run's task
        response = client.post(
            reverse("imports:mapping", args=[job.pk]),
            {
                "column_0": "external_id",
                "column_1": "name",
                "column_2": "owner",
                "column_3": "tier",
            },
        )
    assert response.status_code == 302
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == "checked"
    assert 'data-outcome="new"' in page and 'data-outcome="refused"' in page
    assert not Account.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):  # the import's task
        response = client.post(reverse("imports:confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    assert list(Account.objects.values_list("external_id", flat=True)) == ["K-1"]

    refused = client.get(reverse("imports:refused_rows", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(refused.content)).active
    rows = list(sheet.values)
    assert rows[0] == ("Kundennummer", "Name", "Key Account Manager", "Stufe", "Fehler")
    assert rows[1][:4] == ("K-2", "Zwei AG", kam.username, "Z")
    assert rows[1][4].startswith("Stufe: ")
    assert len(rows) == 2

    listing = client.get(reverse("imports:index")).content.decode()
    assert "liste.csv" in listing


def test_the_mapping_is_remembered_for_the_next_file(head_of_sales, kam):
    client = client_for(head_of_sales)
    upload(client, "accounts", accounts_csv(kam))
    job = ImportJob.objects.get()
    client.post(
        reverse("imports:mapping", args=[job.pk]),
        {"column_0": "external_id", "column_1": "name", "column_2": "owner", "column_3": "tier"},
    )
    assert ColumnMapping.objects.get(user=head_of_sales).mapping["Kundennummer"] == "external_id"

    upload(client, "accounts", accounts_csv(kam))

    assert ImportJob.objects.first().mapping == ["external_id", "name", "owner", "tier"]


def test_a_mapping_without_a_required_column_is_refused(head_of_sales, kam):
    client = client_for(head_of_sales)
    upload(client, "accounts", accounts_csv(kam))
    job = ImportJob.objects.get()

    response = client.post(reverse("imports:mapping", args=[job.pk]), {"column_1": "name"})

    assert response.status_code == 400
    assert "Diese Pflichtspalten fehlen: externe ID." in response.content.decode()
    job.refresh_from_db()
    assert job.status == "uploaded"


def test_a_file_that_is_no_table_is_refused_on_the_page(head_of_sales):
    response = upload(client_for(head_of_sales), "accounts", b"%PDF-1.4\x00\x00", "liste.csv")

    assert response.status_code == 400
    assert "weder eine CSV-Datei noch eine XLSX-Arbeitsmappe" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_key_account_manager_may_import_contacts_only(kam):
    client = client_for(kam)
    make_account(owner=kam, external_id="K-1")
    page = client.get(reverse("imports:index")).content.decode()
    assert 'value="contacts"' in page and 'value="accounts"' not in page

    response = upload(client, "accounts", csv_bytes(["External ID;Name", "K-9;X"]))
    assert response.status_code == 400
    assert not ImportJob.objects.exists()


def test_sales_rep_and_other_users_jobs_are_404(sales_rep, head_of_sales, admin_user, kam):
    assert client_for(sales_rep).get(reverse("imports:index")).status_code == 404
    upload(client_for(head_of_sales), "accounts", accounts_csv(kam))
    job = ImportJob.objects.get()

    other = client_for(admin_user)
    assert other.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert other.post(reverse("imports:confirm", args=[job.pk])).status_code == 404


def test_progress_partial_refreshes_while_busy(head_of_sales):
    job = ImportJob.objects.create(
        user=head_of_sales, kind="accounts", file_name="x.csv", data=b"a", total=200, done=50,
        status=ImportJob.Status.RUNNING,
    )  # fmt: skip
    response = client_for(head_of_sales).get(
        reverse("imports:detail", args=[job.pk]), headers={"HX-Request": "true"}
    )
    page = response.content.decode()

    assert 'hx-trigger="every 1s"' in page
    assert "50 von 200 Zeilen (25 %)" in page
    assert "<html" not in page


@pytest.mark.parametrize("kind", ["accounts", "contacts", "figures", "opportunities", "contracts"])
def test_template_has_an_example_row_and_explains_every_column(admin_user, kind):
    response = client_for(admin_user).get(reverse("imports:template", args=[kind]))

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    data, columns = workbook.worksheets
    headings = [cell.value for cell in data[1]]
    assert len(list(data.values)) == 2
    explained = [row[0] for row in list(columns.values)[1:]]
    assert explained == headings


def test_a_template_reimports_into_the_dry_run(admin_user):
    # The template's example row names accounts that do not exist: refused by reason,
    # never by an unknown heading.
    response = client_for(admin_user).get(reverse("imports:template", args=["accounts"]))
    upload(client_for(admin_user), "accounts", response.content, "vorlage.xlsx")

    job = ImportJob.objects.get()
    assert "" not in job.mapping


def test_command_imports_and_dry_runs(head_of_sales, kam, tmp_path):
    make_account(owner=kam, external_id="K-1")
    path = tmp_path / "kontakte.csv"
    path.write_bytes(csv_bytes(["External ID;Account;Last name", "P-1;K-1;Schäfer"]))
    out = StringIO()

    call_command(
        "import_data", "contacts", str(path), "--dry-run", "--user", "leitung1", stdout=out
    )
    assert "1 new" in out.getvalue() and not Contact.objects.exists()

    call_command("import_data", "contacts", str(path), "--user", "leitung1", stdout=StringIO())
    out = StringIO()
    call_command("import_data", "contacts", str(path), "--user", "leitung1", stdout=out)
    assert "1 unchanged" in out.getvalue()
    assert Contact.objects.get().last_name == "Schäfer"

    with pytest.raises(CommandError):
        call_command("import_data", "contacts", str(path), "--user", "niemand")


def test_a_dry_run_in_progress_says_nothing_is_written(head_of_sales):
    job = ImportJob.objects.create(
        user=head_of_sales, kind="contacts", file_name="x.csv", data=b"a", total=80,
        status=ImportJob.Status.CHECKING,
    )  # fmt: skip
    page = client_for(head_of_sales).get(reverse("imports:detail", args=[job.pk])).content.decode()

    assert 'hx-trigger="every 1s"' in page
    assert "80 Zeilen werden geprüft; nichts wird gespeichert." in page


def test_the_same_file_again_says_nothing_changes(
    head_of_sales, kam, django_capture_on_commit_callbacks
):
    client = client_for(head_of_sales)
    data = csv_bytes(["Externe ID;Name", "K-1;Eins AG", "K-2;Zwei AG"])
    for _round in range(2):
        upload(client, "accounts", data)
        job = ImportJob.objects.first()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("imports:mapping", args=[job.pk]),
                {"column_0": "external_id", "column_1": "name"},
            )
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("imports:confirm", args=[job.pk]))

    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "0 neu, 0 geändert, 2 unverändert, 0 abgelehnt." in page
    assert "Es ändert sich nichts." in page
    assert Account.objects.count() == 2
