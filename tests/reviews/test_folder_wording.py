"""The folder's words, numbers and dates in its language, and the review's workflow: held
only once the meeting day has come; the next review date prepares next year's review."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import YearlyFigures
from contracts.models import Contract
from reviews import pdf, services
from reviews.models import AnnualReview, Section
from tests.factories import make_account
from tests.reviews.conftest import THIS_YEAR
from tests.reviews.test_api import api


def _agenda(review, kam):
    services.agenda_item_save(actor=kam, review=review, title="Begrüßung", duration_minutes=10)
    services.project_save(
        actor=kam, review=review, area="logistics", title="Konsignationslager",
        goal="Lieferzeit halbieren", target="48 h",
    )  # fmt: skip


def test_agenda_and_plan_headings_in_german(review, kam):
    _agenda(review, kam)
    html = pdf.render_folder_html(review, internal=False, language="de")
    agenda = html.split('id="agenda"')[1].split("</section>")[0]
    assert "Dauer (Min.)" in agenda
    assert "Protokoll" not in agenda
    plan = html.split('id="outlook"')[1].split("</section>")[0]
    assert "<th>Ziel</th>" in plan and "<th>Messgröße</th>" in plan


def test_agenda_heading_and_dates_in_british_english(review, kam):
    _agenda(review, kam)
    html = pdf.render_folder_html(review, internal=False, language="en")
    assert "Duration (min)" in html
    meeting = review.meeting_on
    assert f"{meeting.day} {meeting.strftime('%b')} {meeting.year}" in html  # en-GB
    assert f"{meeting.strftime('%b')}. {meeting.day}," not in html  # never the US order
    assert meeting.strftime("%m/%d/%Y") not in html


def test_figures_in_german_format(review, kam):
    html = pdf.render_folder_html(review, internal=True, language="de")
    figures = html.split('id="figures"')[1].split("</table>")[0]
    assert "1.480.000 €" in figures  # revenue
    assert "1.400.000 €" in figures  # the target, as money
    assert "105,7 %" in figures  # attainment


def test_figures_and_dates_in_both_languages(review, kam):
    """The same folder in German and in English: money, percentages and the meeting date
    each in its language's own format, never the other's (nor the US date order)."""
    meeting = review.meeting_on
    german = pdf.render_folder_html(review, internal=True, language="de")
    english = pdf.render_folder_html(review, internal=True, language="en")
    de_figures = german.split('id="figures"')[1].split("</table>")[0]
    en_figures = english.split('id="figures"')[1].split("</table>")[0]
    assert "1.480.000 €" in de_figures and "1,480,000 €" not in de_figures
    assert "1,480,000 €" in en_figures and "1.480.000 €" not in en_figures
    assert "105,7 %" in de_figures and "105.7 %" in en_figures
    cover_de = german.split('class="cover"')[1].split("</section>")[0]
    cover_en = english.split('class="cover"')[1].split("</section>")[0]
    with translation.override("de"):
        assert date_format(meeting, "DATE_FORMAT") in cover_de  # "17. Dezember 2026"
    assert f"{meeting.day} {meeting.strftime('%b')} {meeting.year}" in cover_en  # en-GB
    assert meeting.strftime("%b. %-d, %Y") not in cover_en  # never the US order


def test_one_year_of_working_together_is_singular(kam):
    account = make_account(owner=kam, name="Neu AG")
    YearlyFigures.objects.create(account=account, year=THIS_YEAR - 1, revenue=Decimal("1000"))
    # A draft contract of long ago is no start of the relationship.
    Contract.objects.create(
        account=account, number="E-1", title="Entwurf", start_on=date(THIS_YEAR - 8, 1, 1),
        annual_value=Decimal("1"), status=Contract.Status.DRAFT, owner=kam,
    )  # fmt: skip
    with translation.override("de"):
        review = services.review_create(actor=kam, account=account, year=THIS_YEAR)
    text = review.sections.get(kind=Section.Kind.RELATIONSHIP).text
    assert text == f"Kunde seit {THIS_YEAR - 1}: 1 Jahr Zusammenarbeit."


# Workflow ---------------------------------------------------------------------------------


def test_review_cannot_be_held_before_its_meeting(review, kam, kam_client):
    future = timezone.localdate() + timedelta(days=1)
    if future.year != THIS_YEAR:  # the last day of the year: nothing lies after it
        return
    services.review_update(actor=kam, review=review, meeting_on=future)

    page = kam_client.post(
        reverse("reviews:edit", args=[review.pk]),
        {"review-status": "held", "review-language": "de",
         "review-meeting_on": future.isoformat()},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    response = api(kam).patch(
        reverse("api-review-detail", args=[review.pk]), {"status": "held"}, format="json"
    )

    assert page.status_code == 422
    assert "kann nicht vor seinem Termin" in page.text
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    review.refresh_from_db()
    assert review.status == AnnualReview.Status.PREPARING


def test_review_can_be_held_on_its_meeting_day(review, kam):
    services.review_update(actor=kam, review=review, meeting_on=timezone.localdate(), status="held")
    review.refresh_from_db()
    assert review.status == AnnualReview.Status.HELD


def test_next_review_date_prepares_next_years_review(review, kam, contact):
    next_on = date(THIS_YEAR + 1, 11, 17)

    response = api(kam).patch(
        reverse("api-review-detail", args=[review.pk]),
        {"next_review_on": next_on.isoformat()},
        format="json",
    )

    assert response.status_code == 200
    following = AnnualReview.objects.get(account=review.account, year=THIS_YEAR + 1)
    assert following.status == AnnualReview.Status.PREPARING
    assert following.meeting_on == next_on
    assert list(following.customer_participants.all()) == [contact]
    assert following.sections.count() == len(Section.Kind.choices)
    # Setting it again creates nothing new.
    services.review_update(actor=kam, review=review, next_review_on=next_on)
    assert AnnualReview.objects.filter(account=review.account).count() == 2


def test_next_review_in_the_same_year_is_refused(review, kam):
    response = api(kam).patch(
        reverse("api-review-detail", args=[review.pk]),
        {"next_review_on": date(THIS_YEAR, 12, 31).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert AnnualReview.objects.filter(account=review.account).count() == 1
