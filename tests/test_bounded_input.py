"""Bounded input: every free text (TEXT_MAX_CHARS) and every list a user can grow
(LIST_MAX_ITEMS) has a limit; the API answers 400 with the field and a clear message,
the page a translated error in place, and nothing is saved."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import TeamMembership
from deals.models import OpportunityCompetitor
from kam.validators import BoundedText
from planning.models import Action
from reviews import services
from reviews.models import AgendaItem, AnnualReview, MarketFigure, Section
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import UserFactory, make_contact
from tests.planning.action_plan_helpers import make_action, make_objective
from users.models import Role

OUR_APPS = {
    "users", "kam", "accounts", "activities", "deals", "contracts", "customer_care",
    "planning", "reviews", "portfolio", "reminders",
}  # fmt: skip
THIS_YEAR = timezone.localdate().year


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def small_limits(settings):
    settings.TEXT_MAX_CHARS = 1000
    settings.LIST_MAX_ITEMS = 3
    return settings


@pytest.fixture
def review(kam, account):
    return services.review_create(actor=kam, account=account, year=THIS_YEAR)


def test_every_free_text_of_our_models_is_bounded():
    """A new text field without the limit fails here (TextFields; CharFields have one)."""
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
        and not any(isinstance(v, BoundedText) for v in field.validators)
    ]
    assert unbounded == []


def test_a_section_text_over_the_limit_is_a_400_and_nothing_is_saved(kam, review, small_limits):
    url = reverse("api-review-section", args=[review.pk, "outlook"])
    response = api(kam).patch(url, {"text": "x" * 1001}, format="json")
    assert response.status_code == 400
    assert "1000" in response.json()["errors"]["text"][0]
    assert api(kam).patch(url, {"text": "x" * 1000}, format="json").status_code == 200
    assert Section.objects.get(review=review, kind="outlook").text == "x" * 1000


def test_a_section_text_over_the_limit_is_refused_on_the_page(
    kam, kam_client, review, small_limits
):
    url = reverse("reviews:section_save", args=[review.pk, "outlook"])
    response = kam_client.post(url, {"outlook-text": "y" * 1001}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "höchstens 1000 Zeichen" in response.content.decode()
    assert Section.objects.get(review=review, kind="outlook").text == ""


def test_the_review_minutes_are_bounded_too(kam, review, small_limits):
    url = reverse("api-review-detail", args=[review.pk])
    response = api(kam).patch(url, {"minutes": "m" * 1001}, format="json")
    assert response.status_code == 400 and "minutes" in response.json()["errors"]
    assert AnnualReview.objects.get(pk=review.pk).minutes == ""


@pytest.mark.parametrize(
    ("route", "related", "body"),
    [
        ("api-review-agenda", "agenda", {"title": "Punkt", "duration_minutes": 10}),
        ("api-review-topics", "topics", {"title": "Thema"}),
        ("api-review-market", "market_data", {"topic": "Segment", "figure": "3 Mio."}),
        ("api-review-projects", "projects", {"area": "product", "title": "Projekt"}),
        ("api-review-agreements", "agreements", {"text": "Angebot senden"}),
    ],
)
def test_a_full_review_list_is_a_400_with_a_clear_message(
    kam, review, small_limits, route, related, body
):
    client = api(kam)
    url = reverse(route, args=[review.pk])
    for _number in range(3):
        assert client.post(url, body, format="json").status_code == 201
    response = client.post(url, body, format="json")
    assert response.status_code == 400
    assert "Höchstens 3 Einträge" in str(response.json()["errors"])
    assert getattr(review, related).count() == 3


def test_a_full_agenda_is_refused_on_the_page(kam_client, review, small_limits):
    url = reverse("reviews:item_add", args=[review.pk, "agenda"])
    for number in range(3):
        body = {"agenda-title": f"Punkt {number}", "agenda-duration_minutes": 10}
        assert kam_client.post(url, body, HTTP_HX_REQUEST="true").status_code == 200
    body = {"agenda-title": "Zu viel", "agenda-duration_minutes": 10}
    response = kam_client.post(url, body, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Diese Liste ist voll" in response.content.decode()
    assert AgendaItem.objects.filter(review=review).count() == 3


def test_copying_last_years_market_data_respects_the_limit(kam, account, small_limits):
    year = THIS_YEAR
    last = services.review_create(
        actor=kam, account=account, year=year - 1, backdate_reason="Nachtrag"
    )
    for number in range(3):
        services.market_figure_save(actor=kam, review=last, topic=f"S{number}", figure="1")
    this = services.review_create(actor=kam, account=account, year=year)
    services.market_figure_save(actor=kam, review=this, topic="Neu", figure="2")
    with pytest.raises(Exception, match="Höchstens 3 Einträge"):
        services.market_data_copy_from_last_year(actor=kam, review=this)
    assert MarketFigure.objects.filter(review=this).count() == 1


def test_too_many_participants_are_a_400(kam, account, review, small_limits):
    contacts = [make_contact(account=account, last_name=f"K{n}") for n in range(4)]
    url = reverse("api-review-detail", args=[review.pk])
    response = api(kam).patch(
        url, {"customer_participants": [c.pk for c in contacts]}, format="json"
    )
    assert response.status_code == 400
    assert "customer_participants" in response.json()["errors"]
    assert not review.customer_participants.exists()


def test_a_full_action_plan_objective_is_a_400(kam, account, small_limits):
    ensure_default_stages()
    objective = make_objective(account, actor=kam)
    for _number in range(3):
        make_action(objective, actor=kam)
    response = api(kam).post(
        "/api/v1/actions/",
        {"objective": objective.pk, "title": "Noch eine", "due_on": f"{THIS_YEAR}-12-01"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "Höchstens 3 Einträge" in str(response.json()["errors"])
    assert Action.objects.filter(objective=objective).count() == 3


def test_a_full_team_is_a_400(kam, account, small_limits):
    url = reverse("api-account-team", args=[account.pk])
    for number in range(3):
        user = UserFactory(username=f"rep{number}", role=Role.SALES_REP)
        body = {"user": user.pk, "role": "sales_rep", "can_edit": False}
        assert api(kam).post(url, body, format="json").status_code == 201
    extra = UserFactory(username="rep9", role=Role.SALES_REP)
    body = {"user": extra.pk, "role": "sales_rep", "can_edit": False}
    response = api(kam).post(url, body, format="json")
    assert response.status_code == 400
    assert "user" in response.json()["errors"]
    assert TeamMembership.objects.filter(account=account).count() == 3


def test_a_full_list_of_competitors_on_a_deal_is_a_400(kam, account, small_limits):
    ensure_default_stages()
    deal = make_opportunity(account=account, actor=kam)
    url = reverse("api-opportunity-competitors", args=[deal.pk])
    for number in range(3):
        body = {"competitor_name": f"Wettbewerber {number}"}
        assert api(kam).post(url, body, format="json").status_code == 201
    response = api(kam).post(url, {"competitor_name": "Noch einer"}, format="json")
    assert response.status_code == 400
    assert "competitor" in response.json()["errors"]
    assert OpportunityCompetitor.objects.filter(opportunity=deal).count() == 3


def test_a_note_over_the_limit_is_a_400(kam, account, small_limits):
    ensure_default_stages()
    deal = make_opportunity(account=account, actor=kam)
    url = reverse("api-opportunity-competitors", args=[deal.pk])
    response = api(kam).post(url, {"competitor_name": "X", "notes": "n" * 1001}, format="json")
    assert response.status_code == 400 and "notes" in response.json()["errors"]
    assert not OpportunityCompetitor.objects.filter(opportunity=deal).exists()


def test_other_growable_lists_are_bounded_the_same_way(kam, account, small_limits):
    """A business case's scenarios and the whitespace matrix's business units."""
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from planning.business_cases import services as case_services
    from planning.whitespace import services as whitespace_services

    case = case_services.business_case_create(actor=kam, account=account, title="Umstellung")
    amounts = {"yearly_volume": Decimal("1000"), "unit_price": Decimal("10")}
    for number in range(3 - case.scenarios.count()):
        case_services.scenario_create(actor=kam, case=case, name=f"Variante {number}", **amounts)
    with pytest.raises(ValidationError, match="Höchstens 3 Einträge"):
        case_services.scenario_create(actor=kam, case=case, name="Zu viel", **amounts)
    assert case.scenarios.count() == 3

    for number in range(3):
        whitespace_services.unit_create(actor=kam, account=account, name=f"Werk {number}")
    with pytest.raises(ValidationError, match="Höchstens 3 Einträge"):
        whitespace_services.unit_create(actor=kam, account=account, name="Werk 9")
