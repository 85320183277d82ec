"""Data requests of a person (GDPR): the export of everything stored about a contact,
and the erasure that keeps the statistics."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Contact
from activities import services as activity_services
from activities.models import Activity, FollowUp
from customer_care import services as care_services
from customer_care.models import Survey
from reviews import services as review_services
from reviews.models import AnnualReview, Section
from tests.conftest import client_for
from tests.factories import make_account, make_contact

NAME = "Quirinius"
FIRST = "Anneliese"
EMAIL = "anneliese.quirinius@example.com"


@pytest.fixture
def person(kam, account):
    """A contact who took part in an activity, answered a survey, attended a review,
    and whose profile changed once; each of their records names them in its free text."""
    contact = make_contact(
        account=account, first_name=FIRST, last_name=NAME, email=EMAIL, phone="+49 711 98765"
    )
    account_services.contact_update(actor=kam, contact=contact, job_title="Leiterin Einkauf")
    activity_services.activity_log(
        actor=kam,
        account=account,
        occurred_at=timezone.now() - timedelta(days=2),
        subject=f"Besuch bei Frau {NAME}",
        notes=f"{FIRST} wünscht ein Angebot, Rückruf unter +49 711 98765.",
        contacts=[contact],
    )
    care_services.survey_record(
        actor=kam, account=account, contact=contact, nps=3, comment=f"{FIRST} {NAME}: zu teuer"
    )
    review = review_services.review_create(
        actor=kam,
        account=account,
        year=timezone.localdate().year,
        meeting_on=timezone.localdate(),
        customer_participants=[contact],
    )
    review_services.review_update(actor=kam, review=review, minutes=f"Frau {NAME} stimmt zu.")
    account_services.figures_put(
        actor=kam, account=account, year=timezone.localdate().year, revenue=Decimal("500000")
    )
    return contact


# --- Export ----------------------------------------------------------------------------


def test_data_export_holds_the_person_and_their_records(kam, person):
    response = client_for(kam).get(
        reverse("accounts:contact_data", args=[person.pk]), {"format": "json"}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = response.json()
    assert data["profile"]["last_name"] == NAME
    assert data["profile"]["email"] == EMAIL
    assert [a["subject"] for a in data["activities"]] == [f"Besuch bei Frau {NAME}"]
    assert [s["nps"] for s in data["surveys"]] == [3]
    assert len(data["reviews"]) == 1
    # Created, then the job title changed: two states of the profile.
    assert [h["job_title"] for h in data["history"]] == ["", "Leiterin Einkauf"]


def test_data_page_is_readable_and_links_the_json(kam, person):
    response = client_for(kam).get(reverse("accounts:contact_data", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Besuch bei Frau {NAME}" in html
    assert "zu teuer" in html
    assert "?format=json" in html
    assert 'data-testid="personal-history"' in html


def test_data_export_through_the_api(kam, person):
    response = client_for(kam).get(reverse("api-contact-personal-data", args=[person.pk]))
    assert response.status_code == 200
    assert response.json()["activities"][0]["subject"] == f"Besuch bei Frau {NAME}"


def test_data_export_names_no_manager_outside_the_scope(kam, other_kam):
    """The KAM of a subsidiary exports a contact whose manager works at the group's parent,
    which the KAM cannot see: neither the profile nor its history names the manager."""
    parent = make_account(owner=other_kam, name="Konzern AG")
    subsidiary = make_account(owner=kam, actor=other_kam, parent=parent)
    manager = make_contact(account=parent, first_name="Gerda", last_name="Geheimrat")
    contact = make_contact(account=subsidiary, actor=other_kam, reports_to=manager)

    mine = client_for(kam).get(reverse("api-contact-personal-data", args=[contact.pk]))
    theirs = client_for(other_kam).get(reverse("api-contact-personal-data", args=[contact.pk]))

    assert mine.status_code == 200 and "Geheimrat" not in mine.text
    assert "Geheimrat" in theirs.text  # the owner of the group sees the manager


def test_outsider_gets_404_for_the_data_export(outsider, person):
    client = client_for(outsider)
    assert client.get(reverse("accounts:contact_data", args=[person.pk])).status_code == 404
    assert client.get(reverse("api-contact-personal-data", args=[person.pk])).status_code == 404


# --- Erasure ---------------------------------------------------------------------------


def erase(client, contact, **data):
    return client.post(reverse("accounts:contact_erase", args=[contact.pk]), data)


def test_erasure_needs_the_confirmation_and_a_reason(head_of_sales, person):
    client = client_for(head_of_sales)
    page = client.get(reverse("accounts:contact_erase", args=[person.pk]))
    assert page.status_code == 200
    response = erase(client, person, reason="Anfrage vom 1.12.")  # not confirmed
    assert response.status_code == 422
    response = erase(client, person, confirm="on", reason="")
    assert response.status_code == 422
    person.refresh_from_db()
    assert person.last_name == NAME and person.erased_at is None


def test_key_account_manager_may_not_erase(kam, person):
    client = client_for(kam)
    assert erase(client, person, confirm="on", reason="x").status_code == 403
    api = client.post(reverse("api-contact-erase", args=[person.pk]), {"reason": "x"})
    assert api.status_code == 403
    person.refresh_from_db()
    assert person.last_name == NAME and person.erased_at is None
    page = client.get(reverse("accounts:contact_detail", args=[person.pk])).content.decode()
    assert reverse("accounts:contact_erase", args=[person.pk]) not in page


def test_after_erasure_the_name_appears_nowhere(kam, head_of_sales, person, account):
    activities_before = Activity.objects.filter(account=account).count()
    response = erase(
        client_for(head_of_sales), person, confirm="on", reason="Anfrage per E-Mail vom 1.12."
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.erased_at is not None and person.email == "" and person.first_name == ""

    client = client_for(kam)
    pages = [
        reverse("accounts:contact_detail", args=[person.pk]),
        reverse("accounts:contact_data", args=[person.pk]),
        reverse("accounts:contact_data", args=[person.pk]) + "?format=json",
        reverse("accounts:contacts"),
        reverse("activities:list"),
        reverse("activities:detail", args=[Activity.objects.get(account=account).pk]),
        reverse("reviews:list"),
        reverse("api-contact-detail", args=[person.pk]),
        reverse("api-contact-list"),
        reverse("api-activity-list"),
        reverse("api-survey-list"),
        reverse("api-review-list"),
        reverse("accounts:contacts") + "?export=csv",
    ]
    pages.append(reverse("accounts:detail", args=[account.pk]))
    for tab in ("contacts", "map", "history"):
        pages.append(reverse("accounts:tab", args=[account.pk, tab]))
    for name in ("activities:account_panel", "customer_care:account_surveys_panel"):
        pages.append(reverse(name, args=[account.pk]))
    for url in pages:
        response = client.get(
            url, headers={"HX-Request": "true"} if "/tab/" in url or "/account/" in url else {}
        )
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        for word in (NAME, FIRST, EMAIL, "98765"):
            assert word.lower() not in body.lower(), (url, word)
    # Search finds nothing by the old name (the search box shows what was typed).
    found = client.get(reverse("accounts:search"), {"q": NAME}).context
    assert not found["contacts"]
    assert not client.get(reverse("accounts:contacts"), {"q": FIRST}).context["page"].object_list
    assert Contact.objects.filter(last_name__icontains=NAME).count() == 0

    # Nor in the stored texts a page, a reminder or a folder rendered later would show.
    stored = [
        *FollowUp.objects.values_list("title", "notes"),
        *FollowUp.history.values_list("title", "notes"),
        *AnnualReview.objects.values_list("minutes", flat=True),
        *AnnualReview.history.values_list("minutes", flat=True),
        *Section.objects.values_list("text", "data"),
        *Activity.history.values_list("subject", "notes"),
        *Contact.history.values_list("first_name", "last_name", "email"),
    ]
    assert FollowUp.objects.filter(account=account).exists()  # the detractor follow-up
    assert NAME.lower() not in str(stored).lower()
    assert FIRST.lower() not in str(stored).lower()

    # The statistics stay: the activity, the survey score, the figures.
    assert Activity.objects.filter(account=account).count() == activities_before
    assert list(Survey.objects.filter(contact=person).values_list("nps", flat=True)) == [3]
    assert account.figures.get(year=timezone.localdate().year).revenue == Decimal("500000")
    assert Activity.objects.get(account=account).contacts.get() == person


def test_erasure_is_recorded_with_who_and_why(head_of_sales, person):
    erase(client_for(head_of_sales), person, confirm="on", reason="Anfrage vom 1.12.")
    latest = Contact.history.filter(id=person.pk).order_by("-history_date").first()
    assert latest.history_user == head_of_sales
    assert latest.erasure_reason == "Anfrage vom 1.12."
    assert latest.erased_at is not None
    history = client_for(head_of_sales).get(
        reverse("accounts:tab", args=[person.account_id, "history"]), headers={"HX-Request": "true"}
    )
    assert "Anfrage vom 1.12." in history.content.decode()


def test_erasure_through_the_api(admin_user, person):
    client = client_for(admin_user)
    url = reverse("api-contact-erase", args=[person.pk])
    assert client.post(url, {"reason": ""}, content_type="application/json").status_code == 400
    response = client.post(url, {"reason": "Anfrage"}, content_type="application/json")
    assert response.status_code == 200
    assert NAME not in response.content.decode()
    person.refresh_from_db()
    assert person.erased_at is not None
    again = client.post(url, {"reason": "Anfrage"}, content_type="application/json")
    assert again.status_code == 400


def test_records_redacted_by_an_erasure_count_as_changed_for_incremental_reads(
    kam, head_of_sales, person
):
    """An integration that mirrors activities with `updated_since` picks up the redacted
    texts, so its copy loses the name too."""
    since = timezone.now()

    erase(client_for(head_of_sales), person, confirm="on", reason="Anfrage vom 1.12.")

    response = client_for(kam).get(
        reverse("api-activity-list"), {"updated_since": since.isoformat()}
    )
    assert response.status_code == 200
    subjects = [row["subject"] for row in response.json()["results"]]
    assert subjects and all(NAME not in subject for subject in subjects)
