"""An XLSX export of more rows than EXPORT_XLSX_TASK_ROWS is built by a task: the page
leads to the file's page, the API answers 202 with the link; the file holds the rows of
the user's filtered list within their scope, and only they can download it."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from activities import services as activity_services
from kam.models import ExportFile
from tests.conftest import client_for
from tests.factories import make_account
from users.services import api_token_create


@pytest.fixture
def large(settings, tmp_path):
    settings.EXPORT_XLSX_TASK_ROWS = 2
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def logged(kam, other_kam):
    now = timezone.now()
    mine = make_account(owner=kam, name="Eigene AG")
    for day, subject in enumerate(("Besuch", "Anruf", "Angebot")):
        activity_services.activity_log(
            actor=kam, account=mine, occurred_at=now - timedelta(days=day + 1), subject=subject
        )
    foreign = make_account(owner=other_kam, name="Fremdfirma AG")
    activity_services.activity_log(
        actor=other_kam, account=foreign, occurred_at=now, subject="Geheim"
    )
    return mine


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user, name='ERP')[1]}")
    return client


def workbook_rows(response) -> list[list]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def test_a_large_xlsx_export_is_built_by_a_task_and_downloaded_from_its_page(
    kam, other_kam, logged, large, django_capture_on_commit_callbacks
):
    client = client_for(kam)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(reverse("activities:list"), {"export": "xlsx"})
    job = ExportFile.objects.get(user=kam)
    assert started.status_code == 302
    assert started["Location"] == reverse("export_file", args=[job.pk])
    page = client.get(started["Location"])
    assert page.status_code == 200
    download = reverse("export_download", args=[job.pk])
    assert download in page.content.decode()
    rows = workbook_rows(client.get(download))
    subjects = [row[rows[0].index("Betreff")] for row in rows[1:]]
    assert subjects == ["Besuch", "Anruf", "Angebot"]  # the list's order
    assert "Geheim" not in str(rows)  # within the user's scope only
    # Nobody else gets the file, not even its link.
    assert client_for(other_kam).get(download).status_code == 404
    assert client_for(other_kam).get(started["Location"]).status_code == 404


def test_a_filtered_export_under_the_threshold_is_still_answered_at_once(kam, logged, large):
    response = client_for(kam).get(
        reverse("activities:list"), {"export": "xlsx", "account": logged.pk, "q": "Besuch"}
    )
    assert response.status_code == 200
    assert [row[0] for row in workbook_rows(response)][1:] != []
    assert not ExportFile.objects.exists()


def test_the_api_answers_202_and_the_token_client_follows_the_link_to_the_file(
    kam, other_kam, logged, large, django_capture_on_commit_callbacks
):
    client = token_client(kam)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.get(reverse("api-activity-list"), {"format": "xlsx"})
    assert answer.status_code == 202
    job = ExportFile.objects.get(user=kam)
    assert answer["Location"] == answer.json()["url"]
    state = client.get(answer.json()["url"]).json()
    assert state["status"] == "done" and state["rows"] == 3
    assert state["download"] == answer.json()["download"]
    rows = workbook_rows(client.get(state["download"]))
    assert len(rows) == 4  # heading and the three activities of kam's account
    assert "Geheim" not in str(rows)
    # Nobody else follows it, with a token or signed in.
    stranger = token_client(other_kam)
    assert stranger.get(answer.json()["url"]).status_code == 404
    assert stranger.get(state["download"]).status_code == 404
    assert client_for(other_kam).get(state["download"]).status_code == 404
    assert job.file


def test_export_files_are_deleted_with_their_file_after_the_days_kept(
    kam, logged, large, settings, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    from kam.tasks import purge_export_files

    settings.EXPORT_FILE_DAYS = 7
    client = client_for(kam)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.get(reverse("activities:list"), {"export": "xlsx"})
    old, fresh = ExportFile.objects.filter(user=kam).order_by("pk")
    assert old.file and default_storage.exists(old.file.name)
    ExportFile.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))

    assert purge_export_files() == 1
    assert not default_storage.exists(old.file.name)
    assert list(ExportFile.objects.filter(user=kam)) == [fresh]
    assert client.get(reverse("export_download", args=[old.pk])).status_code == 404
    assert client.get(reverse("export_download", args=[fresh.pk])).status_code == 200
