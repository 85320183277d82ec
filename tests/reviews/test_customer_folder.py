"""What reaches the customer's folder: nothing internal by default, the manager's choices
per item, the preview on the page, and participants only of the review's account."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from customer_care.models import CustomerIssue, Department, ensure_default_departments
from deals.models import Opportunity
from planning.models import Action, Objective
from reviews import notes, pdf, selectors, services
from reviews.models import FolderVersion, Section
from tests.deals.conftest import ensure_default_stages
from tests.factories import make_account, make_contact
from tests.reviews.conftest import THIS_YEAR
from tests.reviews.test_api import api


def _at(day) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


@pytest.fixture
def live(account, kam):
    """Live data of the twelve months before the meeting: a won and a lost deal, a
    resolved complaint, a resolved risk, an escalated issue, an internal action done four
    times and a joint measure."""
    stages = ensure_default_stages()
    ensure_default_departments()
    department = Department.objects.order_by("position").first()
    day = timezone.localdate() - timedelta(days=30)
    for title, stage in (("Umrüstung Linie 4", "won"), ("Antriebe Linie 6", "lost")):
        Opportunity.objects.create(
            account=account, title=title, value=Decimal("90000"), stage=stages[stage],
            probability=50, owner=kam, closed_on=day,
        )  # fmt: skip
    for title, kind, escalated in (
        ("Lieferung verspätet", CustomerIssue.Kind.COMPLAINT, False),
        ("Risiko: Wettbewerber mit Kampfpreisen", CustomerIssue.Kind.RISK, False),
        ("Hotline nicht erreichbar", CustomerIssue.Kind.COMPLAINT, True),
    ):
        CustomerIssue.objects.create(
            account=account, title=title, kind=kind, escalated=escalated, owner=kam,
            department=department, opened_at=_at(day - timedelta(days=5)),
            due_on=day, resolved_at=_at(day), status=CustomerIssue.Status.RESOLVED,
        )  # fmt: skip
    objective = Objective.objects.create(
        account=account, year=THIS_YEAR, kind=Objective.Kind.OTHER, title="Wachstum",
        owner=kam, due_on=day + timedelta(days=60),
    )  # fmt: skip
    for offset in range(4):
        Action.objects.create(
            objective=objective, title="Rabattstaffel überprüfen", owner=kam, due_on=day,
            status=Action.Status.DONE, done_on=day - timedelta(days=offset),
        )  # fmt: skip
    Action.objects.create(
        objective=objective, title="Gemeinsamer Werksrundgang", owner=kam, due_on=day,
        status=Action.Status.DONE, done_on=day, customer_facing=True,
    )  # fmt: skip


@pytest.fixture
def prepared(review, kam, live):
    for kind in (Section.Kind.RELATIONSHIP, Section.Kind.MEASURES):
        services.section_refresh(actor=kam, section=review.sections.get(kind=kind))
    services.topic_save(
        actor=kam, review=review, title="Preisanpassung Rahmenvertrag",
        goal="Materialkosten weitergeben, höchstens 4 %", renegotiate=True,
    )  # fmt: skip
    review.refresh_from_db()
    return review


INTERNAL = [
    "Antriebe Linie 6",  # lost deal
    "Risiko: Wettbewerber",  # a risk we foresaw
    "Hotline nicht erreichbar",  # escalated
    "Rabattstaffel",  # internal action
    "höchstens 4 %",  # our goal for the negotiation
    "1.400.000",  # the revenue target
    "Zielerreichung",
    "Share of Wallet",
    "Deckungsbeitrag",
]


def test_customer_folder_leaves_out_everything_internal(prepared):
    html = pdf.render_folder_html(prepared, internal=False, language="de")

    for marker in INTERNAL:
        assert marker not in html, marker
    assert "Umrüstung Linie 4" in html  # delivered project
    assert "Lieferung verspätet" in html  # resolved complaint of the customer
    assert "Gemeinsamer Werksrundgang" in html  # joint measure


def test_internal_folder_keeps_everything_once(prepared):
    html = pdf.render_folder_html(prepared, internal=True, language="de")

    for marker in INTERNAL:
        assert marker in html, marker
    # An action done four times is one line.
    assert html.count("Rabattstaffel überprüfen") == 1


# The manager's switches, on the page and in the API ------------------------------------


def _shown_url(review, kind):
    return reverse("reviews:section_shown", args=[review.pk, kind])


def _key(review, kind, title):
    section = review.sections.get(kind=kind)
    return next(c.key for c in selectors.section_items(section) if c.label == title)


def test_page_switch_hides_a_delivered_project_and_the_next_version_says_so(
    prepared, kam, kam_client
):
    services.folder_request(actor=kam, review=prepared)  # the version before the choice
    FolderVersion.objects.update(status=FolderVersion.Status.DONE)
    key = _key(prepared, Section.Kind.MEASURES, "Umrüstung Linie 4")

    response = kam_client.post(
        _shown_url(prepared, "measures"), {"item": key}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response["HX-Trigger"] == "customer-choice"
    assert f'data-testid="shown-{key}"' in response.text
    html = pdf.render_folder_html(prepared, internal=False, language="de")
    assert "Lieferung verspätet" in html
    assert "Umrüstung Linie 4" not in html.split('id="measures"')[1]
    version, _new = services.folder_request(actor=kam, review=prepared)
    assert "Für den Kunden ausgeblendet: Umrüstung Linie 4" in notes.render_all(version.changes)


def test_page_switch_shows_an_internal_action(prepared, kam_client):
    key = _key(prepared, Section.Kind.MEASURES, "Rabattstaffel überprüfen")

    kam_client.post(_shown_url(prepared, "measures"), {"item": key, "shown": "1"})

    html = pdf.render_folder_html(prepared, internal=False, language="de")
    assert "Rabattstaffel überprüfen" in html


def test_whole_section_on_and_off(prepared, kam_client):
    kam_client.post(_shown_url(prepared, "relationship"), {"all": "1"})
    html = pdf.render_folder_html(prepared, internal=False, language="de")
    assert "Antriebe Linie 6" in html  # the lost deal, now chosen for the customer

    kam_client.post(_shown_url(prepared, "relationship"), {"all": "0"})
    html = pdf.render_folder_html(prepared, internal=False, language="de")
    assert "Umrüstung Linie 4" not in html.split('id="relationship"')[1].split("</section>")[0]


def test_choice_survives_a_refresh(prepared, kam, kam_client):
    key = _key(prepared, Section.Kind.MEASURES, "Rabattstaffel überprüfen")
    kam_client.post(_shown_url(prepared, "measures"), {"item": key, "shown": "1"})

    services.section_refresh(actor=kam, section=prepared.sections.get(kind="measures"))

    html = pdf.render_folder_html(prepared, internal=False, language="de")
    assert "Rabattstaffel überprüfen" in html


def test_page_switch_for_an_unknown_item_is_refused(prepared, kam_client):
    response = kam_client.post(_shown_url(prepared, "measures"), {"item": "deal:999999"})

    assert response.status_code == 422
    assert not prepared.sections.get(kind="measures").shown


def test_outsider_cannot_switch_or_preview(prepared, outsider_client):
    key = _key(prepared, Section.Kind.MEASURES, "Rabattstaffel überprüfen")
    response = outsider_client.post(_shown_url(prepared, "measures"), {"item": key, "shown": "1"})
    assert response.status_code == 404
    assert outsider_client.get(reverse("reviews:preview", args=[prepared.pk])).status_code == 404
    assert not prepared.sections.get(kind="measures").shown


def test_api_lists_and_sets_the_customer_items(prepared, kam):
    url = reverse("api-review-section-customer-items", args=[prepared.pk, "measures"])
    client = api(kam)
    items = {item["label"]: item for item in client.get(url).json()}
    assert items["Umrüstung Linie 4"]["shown"] is True
    assert items["Rabattstaffel überprüfen"]["shown"] is False

    response = client.patch(
        url, {"shown": {items["Rabattstaffel überprüfen"]["key"]: True}}, format="json"
    )

    assert response.status_code == 200
    assert {i["label"]: i["shown"] for i in response.json()}["Rabattstaffel überprüfen"]
    html = pdf.render_folder_html(prepared, internal=False, language="de")
    assert "Rabattstaffel überprüfen" in html


def test_api_refuses_unknown_items_with_400(prepared, kam):
    url = reverse("api-review-section-customer-items", args=[prepared.pk, "measures"])

    response = api(kam).patch(url, {"shown": {"action:999999": True}}, format="json")

    assert response.status_code == 400
    assert "shown" in response.json()["errors"]
    assert not prepared.sections.get(kind="measures").shown


def test_action_marked_customer_facing_in_the_api_reaches_the_folder(prepared, kam):
    action = Action.objects.filter(title="Rabattstaffel überprüfen").order_by("-done_on").first()

    response = api(kam).patch(
        f"/api/v1/actions/{action.pk}/", {"customer_facing": True}, format="json"
    )

    assert response.status_code == 200
    services.section_refresh(actor=kam, section=prepared.sections.get(kind="measures"))
    html = pdf.render_folder_html(prepared, internal=False, language="de")
    assert "Rabattstaffel überprüfen" in html


# The preview ---------------------------------------------------------------------------


def test_page_shows_the_preview_and_what_it_leaves_out(prepared, kam_client):
    page = kam_client.get(reverse("reviews:detail", args=[prepared.pk])).text
    assert 'data-testid="preview-frame"' in page
    hidden = page.split('data-testid="hidden-items"')[1].split("</details>")[0]
    assert "Antriebe Linie 6" in hidden
    assert "Rabattstaffel überprüfen" in hidden

    preview = kam_client.get(reverse("reviews:preview", args=[prepared.pk]))

    assert preview.status_code == 200
    assert preview.text == pdf.render_folder_html(prepared, internal=False, language="de")
    assert "Umrüstung Linie 4" in preview.text
    assert "Antriebe Linie 6" not in preview.text
    assert preview["X-Frame-Options"] == "SAMEORIGIN"


# Participants within the review's account scope (the account and its subsidiaries) -----


@pytest.fixture
def subsidiary_review(kam, account):
    child = make_account(owner=kam, name="Müller Service GmbH", parent=account)
    sister = make_account(owner=kam, name="Müller Logistik GmbH", parent=account)
    mine = make_contact(account=child, first_name="Sam", last_name="Service")
    review = services.review_create(
        actor=kam, account=child, year=THIS_YEAR, customer_participants=[mine]
    )
    return review, {
        "mine": mine,
        "boss": make_contact(account=account, first_name="Verena", last_name="Vorstand"),
        "sister": make_contact(account=sister, first_name="Lars", last_name="Lager"),
    }


def test_page_refuses_participants_of_other_accounts(subsidiary_review, kam_client):
    review, people = subsidiary_review
    response = kam_client.post(
        reverse("reviews:edit", args=[review.pk]),
        {
            "review-status": "preparing",
            "review-language": "de",
            "review-customer_participants": [people["mine"].pk, people["sister"].pk],
        },
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 422
    assert "Lars Lager" not in {str(c) for c in review.customer_participants.all()}


def test_api_refuses_participants_of_other_accounts_with_a_translated_400(subsidiary_review, kam):
    review, people = subsidiary_review
    response = api(kam).patch(
        reverse("api-review-detail", args=[review.pk]),
        {"customer_participants": [people["mine"].pk, people["boss"].pk]},
        format="json",
        headers={"Accept-Language": "de"},
    )

    assert response.status_code == 400
    message = " ".join(response.json()["errors"]["customer_participants"])
    assert "kein Ansprechpartner von Müller Service GmbH" in message
    assert list(review.customer_participants.all()) == [people["mine"]]


def test_folder_lists_only_participants_of_the_account_and_its_subsidiaries(
    subsidiary_review,
):
    review, people = subsidiary_review
    # Recorded before the rule: a contact of the parent and one of a sister company.
    review.customer_participants.add(people["boss"], people["sister"])

    for internal in (False, True):
        html = pdf.render_folder_html(review, internal=internal, language="de")
        contacts = html.split('id="contacts"')[1]
        assert "Sam Service" in contacts
        assert "Verena Vorstand" not in html
        assert "Lars Lager" not in html
