"""An erasure also reaches what was stored around the records: rendered review folders,
import files and reports, reminder subjects and the API's stored answers; and it is
announced like any change of the contact."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts import gdpr
from imports.models import ImportJob
from imports.reading import read_table
from kam import events
from kam.models import IdempotencyKey
from reminders.models import Reminder
from reviews.models import AnnualReview, FolderVersion
from tests.accounts import test_gdpr
from tests.accounts.test_gdpr import EMAIL, FIRST, NAME

pytestmark = pytest.mark.django_db

# A contact named in an activity, a survey, a review and their history.
person = test_gdpr.person


def erase(actor, contact):
    return gdpr.contact_erase(actor=actor, contact=contact, reason="Anfrage vom 1.12.")


def test_rendered_folders_naming_the_person_are_deleted_with_their_pdf(
    head_of_sales, person, django_capture_on_commit_callbacks
):
    review = AnnualReview.objects.get(customer_participants=person)
    name = default_storage.save("folders/test-erasure.pdf", ContentFile(f"%PDF {NAME}".encode()))
    FolderVersion.objects.create(
        review=review, number=1, language="de", status=FolderVersion.Status.DONE, file=name
    )
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        erase(head_of_sales, person)

    assert not FolderVersion.objects.filter(review=review).exists()
    assert not default_storage.exists(name)


def test_import_files_and_reports_keep_no_name(head_of_sales, person, kam):
    csv = f"Externe ID;Vorname;Nachname;E-Mail\nC-1;{FIRST};{NAME};{EMAIL}\n".encode()
    job = ImportJob.objects.create(
        user=kam,
        kind="contacts",
        file_name="kontakte.csv",
        data=csv,
        headings=["Externe ID", "Vorname", "Nachname", "E-Mail"],
        report=[{"row": 2, "outcome": "new", "key": "C-1",
                 "changes": [["Nachname", "", NAME]], "errors": []}],
    )  # fmt: skip

    erase(head_of_sales, person)

    job.refresh_from_db()
    assert NAME not in str(job.report)
    stored = bytes(job.data)
    assert stored.startswith(b"PK")  # written again as a workbook
    table = read_table(stored)
    assert table.rows[0][0] == 2
    cells = [str(cell) for cell in table.rows[0][1]]
    assert cells[0] == "C-1"
    for word in (NAME, FIRST, EMAIL):
        assert word not in str(cells)


def test_reminder_subjects_and_stored_api_answers_are_redacted(head_of_sales, person, kam):
    reminder = Reminder.objects.create(
        rule="contact_silence", object_type="contact", object_id=person.pk,
        due_on=timezone.localdate(), recipient=kam, account=person.account,
        subject=f"Lange nichts von {FIRST} {NAME} gehört", url="/",
        params={"contact": f"{FIRST} {NAME}"},
    )  # fmt: skip
    key = IdempotencyKey.objects.create(
        user=kam, key="k-1", fingerprint="f", status_code=201,
        body=f'{{"name": "{FIRST} {NAME}", "email": "{EMAIL}"}}'.encode(),
    )  # fmt: skip

    erase(head_of_sales, person)

    reminder.refresh_from_db()
    key.refresh_from_db()
    assert NAME not in reminder.subject and reminder.subject.startswith("Lange nichts von")
    assert NAME not in str(reminder.params)
    assert NAME not in bytes(key.body).decode() and EMAIL not in bytes(key.body).decode()


def test_the_erasure_is_published_as_a_change_of_the_contact(head_of_sales, person):
    heard = []
    events.subscribe(events.ContactChanged, heard.append)
    try:
        erase(head_of_sales, person)
    finally:
        events.unsubscribe(events.ContactChanged, heard.append)
    assert events.ContactChanged(contact_id=person.pk, account_id=person.account_id) in heard
