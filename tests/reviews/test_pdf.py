"""The presentation folder, really rendered by WeasyPrint and read back with pypdf."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from accounts.models import YearlyFigures
from contracts.models import Contract
from customer_care.models import CustomerIssue, Department, ensure_default_departments
from reviews import notes, rendering, services
from reviews.models import FolderVersion, Section
from tests.factories import make_account, make_contact
from tests.reviews.conftest import THIS_YEAR
from tests.reviews.helpers import pdf_text, render


def _notes(review, kam, text="Verhandlungsgrenze: 2,5 % Preisanpassung"):
    section = review.sections.get(kind=Section.Kind.NOTES)
    services.section_update(actor=kam, section=section, text=text)


def test_cover_names_the_customer_and_the_year(review, kam, django_capture_on_commit_callbacks):
    version = render(review, kam, django_capture_on_commit_callbacks)
    assert version.status == FolderVersion.Status.DONE
    cover = pdf_text(version)[0]
    assert "Müller Maschinenbau AG" in cover
    assert f"Jahresgespräch {THIS_YEAR}" in cover
    assert version.pages >= 4
    assert len(version.checksum) == 64


def test_key_figure_table_shows_the_accounts_figures(
    review, kam, django_capture_on_commit_callbacks
):
    text = "\n".join(pdf_text(render(review, kam, django_capture_on_commit_callbacks)))
    assert "1.480.000 €" in text  # last year's revenue, German format
    assert "105,7 %" not in text  # attainment is ours: only in the internal version
    internal = render(review, kam, django_capture_on_commit_callbacks, internal=True)
    assert "105,7 %" in "\n".join(pdf_text(internal))  # 1.48 M of 1.4 M


def test_internal_notes_and_margin_absent_from_customer_version(
    review, kam, django_capture_on_commit_callbacks
):
    _notes(review, kam)
    pages = pdf_text(render(review, kam, django_capture_on_commit_callbacks))
    text = "\n".join(pages)
    assert "Verhandlungsgrenze" not in text
    assert "Deckungsbeitrag" not in text
    assert "340.400" not in text  # last year's contribution margin
    assert "INTERN" not in text


def test_internal_version_has_notes_and_is_marked_on_every_page(
    review, kam, django_capture_on_commit_callbacks
):
    _notes(review, kam)
    pages = pdf_text(render(review, kam, django_capture_on_commit_callbacks, internal=True))
    text = "\n".join(pages)
    assert "Verhandlungsgrenze: 2,5 % Preisanpassung" in text
    assert "340.400 €" in text
    assert all("INTERN" in page for page in pages)


def test_english_folder_is_english(review, kam, django_capture_on_commit_callbacks):
    services.review_update(actor=kam, review=review, language="en")
    review.refresh_from_db()
    text = "\n".join(pdf_text(render(review, kam, django_capture_on_commit_callbacks)))
    assert f"Annual review {THIS_YEAR}" in text
    assert "Key figures" in text
    assert "1,480,000 €" in text
    assert "Jahresgespräch" not in text and "Kennzahlen" not in text


def test_german_folder_is_german(review, kam, django_capture_on_commit_callbacks):
    text = "\n".join(pdf_text(render(review, kam, django_capture_on_commit_callbacks)))
    assert "Inhalt" in text and "Kennzahlen" in text and "Seite 2 von" in text
    assert "Key figures" not in text


def test_empty_sections_are_left_out(review, kam, django_capture_on_commit_callbacks):
    text = "\n".join(pdf_text(render(review, kam, django_capture_on_commit_callbacks)))
    assert "Marktdaten" not in text  # no market data entered
    services.market_figure_save(actor=kam, review=review, topic="Marktvolumen", figure="4 Mrd")
    text = "\n".join(pdf_text(render(review, kam, django_capture_on_commit_callbacks)))
    assert "Marktdaten" in text and "Marktvolumen" in text


def test_versions_are_numbered_and_list_changes(review, kam, django_capture_on_commit_callbacks):
    first = render(review, kam, django_capture_on_commit_callbacks)
    section = review.sections.get(kind=Section.Kind.OUTLOOK)
    services.section_update(actor=kam, section=section, text="Gemeinsam wachsen")
    second = render(review, kam, django_capture_on_commit_callbacks)
    assert (first.number, second.number) == (1, 2)
    assert notes.render_all(first.changes) == ["Erste Version"]
    assert any("Ausblick" in change for change in notes.render_all(second.changes))
    assert first.file.name != second.file.name
    assert first.file.storage.exists(first.file.name)


def test_broken_template_marks_the_version_failed(
    review, kam, django_capture_on_commit_callbacks, settings, tmp_path
):
    broken = tmp_path / "templates" / "reviews" / "print"
    broken.mkdir(parents=True)
    (broken / "folder.html").write_text("{% if %}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates", *settings.TEMPLATES[0]["DIRS"]]}
    ]
    version = render(review, kam, django_capture_on_commit_callbacks)
    assert version.status == FolderVersion.Status.FAILED
    # A reason the user can read; the exception itself goes to the log only.
    assert "Fehlers auf unserer Seite" in version.error
    assert "TemplateSyntaxError" not in version.error
    assert not version.file


def test_running_render_is_not_started_twice(review, kam):
    # Without the commit the task has not run: the first version is still queued.
    first, new = services.folder_request(actor=kam, review=review)
    second, again = services.folder_request(actor=kam, review=review)
    assert new and not again
    assert first.pk == second.pk
    assert review.versions.count() == 1


def test_rendering_again_keeps_one_version(review, kam, django_capture_on_commit_callbacks):
    """A redelivered task (its worker died) renders into the same row and file name."""
    version, _new = services.folder_request(actor=kam, review=review)
    FolderVersion.objects.filter(pk=version.pk).update(
        status=FolderVersion.Status.RENDERING, attempts=1
    )
    result = rendering.render_version(version_id=version.pk)
    assert result.status == FolderVersion.Status.DONE
    assert result.attempts == 2
    assert review.versions.count() == 1
    again = rendering.render_version(version_id=version.pk)  # done: left alone
    assert again.attempts == 2 and again.checksum == result.checksum


def test_folder_of_a_group_with_20_subsidiaries_stays_under_2_mb(
    kam, account, django_capture_on_commit_callbacks
):
    """The whole group in one folder: five years of figures, a contract and an escalated
    issue (key events) and a contact per subsidiary, every contact taking part. Really
    rendered by WeasyPrint, read back with pypdf."""
    ensure_default_departments()
    department = Department.objects.order_by("position").first()
    contacts = []
    for number in range(20):
        child = make_account(owner=kam, name=f"Tochter {number:02d} GmbH", parent=account)
        for offset in range(5):
            YearlyFigures.objects.create(
                account=child, year=THIS_YEAR - offset, revenue=Decimal("100000"),
                contribution_margin=Decimal("23000"), revenue_target=Decimal("90000"),
                revenue_potential=Decimal("400000"),
            )  # fmt: skip
        Contract.objects.create(
            account=child, number=f"TV-{number:02d}", title="Liefervertrag",
            start_on=date(THIS_YEAR - 1, 1 + number % 12, 1), annual_value=Decimal("50000"),
            status=Contract.Status.ACTIVE, owner=kam,
        )  # fmt: skip
        opened = datetime(THIS_YEAR - 1, 1 + number % 12, 10, 9, tzinfo=UTC)
        CustomerIssue.objects.create(
            account=child, title=f"Eskalation Werk {number:02d}", opened_at=opened,
            due_on=opened.date() + timedelta(days=5), escalated=True, owner=kam,
            department=department,
        )  # fmt: skip
        contacts.append(
            make_contact(
                account=child,
                first_name="Kontakt",
                last_name=f"Tochter{number:02d}",
                job_title="Leitung Einkauf",
            )  # fmt: skip
        )
    review = services.review_create(
        actor=kam, account=account, year=THIS_YEAR, customer_participants=contacts
    )
    version = render(review, kam, django_capture_on_commit_callbacks)
    assert version.status == FolderVersion.Status.DONE, version.error
    assert version.size < 2 * 1024 * 1024
    with version.file.open("rb") as handle:
        assert len(handle.read()) == version.size
    text = "\n".join(pdf_text(version))
    assert "2.000.000 €" in text  # 20 × 100 000 rolled up, each year
    assert "Tochter19" in text and "Tochter00" in text  # the contact page
    assert "TV-" in text  # key events of the group
    assert "Eskalation Werk" not in text  # escalations stay internal
