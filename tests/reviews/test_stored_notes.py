"""Texts the product writes and keeps (a version's change list, what a refresh changed)
are read in the reader's language, whoever caused them; proposed topics are written in
the folder's language."""

from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from accounts.models import YearlyFigures
from reviews import notes, services
from reviews.models import Section, Topic
from tests.conftest import client_for
from tests.reviews.conftest import THIS_YEAR
from tests.reviews.helpers import render
from tests.reviews.test_api import api


def _two_versions(review, kam, capture):
    render(review, kam, capture)
    outlook = review.sections.get(kind=Section.Kind.OUTLOOK)
    services.section_update(actor=kam, section=outlook, text="Gemeinsam wachsen")
    return render(review, kam, capture)


def test_german_writer_english_reader_sees_english_changes(
    review, kam, django_capture_on_commit_callbacks
):
    kam.language = "de"
    kam.save(update_fields=["language"])
    with translation.override("de"):
        _two_versions(review, kam, django_capture_on_commit_callbacks)

    kam.language = "en"
    kam.save(update_fields=["language"])
    page = client_for(kam).get(reverse("reviews:detail", args=[review.pk])).text
    assert "First version" in page
    assert "Section edited: Outlook and next year&#x27;s plan" in page
    assert "Erste Version" not in page and "Abschnitt bearbeitet" not in page

    kam.language = "de"
    kam.save(update_fields=["language"])
    page = client_for(kam).get(reverse("reviews:detail", args=[review.pk])).text
    assert "Erste Version" in page and "First version" not in page


def test_refresh_changes_in_the_readers_language_with_its_number_format(review, kam, account):
    YearlyFigures.objects.filter(account=account, year=THIS_YEAR - 1).update(
        revenue=Decimal("1500000")
    )
    with translation.override("de"):
        section = services.section_refresh(
            actor=kam, section=review.sections.get(kind=Section.Kind.FIGURES)
        )
    with translation.override("en"):
        english = notes.render_all(section.changes)
    with translation.override("de"):
        german = notes.render_all(section.changes)
    assert f"Revenue {THIS_YEAR - 1}: 1,480,000 → 1,500,000" in english
    assert f"Umsatz {THIS_YEAR - 1}: 1.480.000 → 1.500.000" in german


def test_api_gives_the_changes_in_the_language_of_the_caller(
    review, kam, django_capture_on_commit_callbacks
):
    with translation.override("de"):
        _two_versions(review, kam, django_capture_on_commit_callbacks)
    response = api(kam).get(
        reverse("api-review-versions", args=[review.pk]), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    changes = [change for version in rows for change in version["changes"]]
    assert "First version" in changes and "Erste Version" not in changes


def test_changes_stored_as_text_before_still_show(review, kam, django_capture_on_commit_callbacks):
    version = render(review, kam, django_capture_on_commit_callbacks)
    version.changes = ["Erste Version"]
    version.save(update_fields=["changes"])
    page = client_for(kam).get(reverse("reviews:detail", args=[review.pk])).text
    assert "Erste Version" in page


def test_proposed_topics_are_written_in_the_folders_language(review, kam):
    review.language = "en"
    review.save(update_fields=["language"])
    Topic.objects.filter(review=review, renegotiate=True).delete()
    with translation.override("de"):
        services.section_refresh(actor=kam, section=review.sections.get(kind=Section.Kind.AGENDA))
    topic = Topic.objects.get(review=review, renegotiate=True)
    assert topic.title.startswith("Renegotiate RV-7")
    assert "Notice deadline" in topic.goal
