"""The status suggestions page: sentences, accept and reject in place, scope, queries."""

import pytest
from django.urls import reverse

from portfolio.models import SuggestionDecision
from tests.conftest import client_for
from tests.factories import make_account
from tests.portfolio.conftest import YEAR, put

pytestmark = pytest.mark.django_db
URL = reverse("portfolio:suggestions")
HTMX = {"HTTP_HX_REQUEST": "true"}


def accept_url(account):
    return reverse("portfolio:suggestion_accept", args=[account.pk]) + f"?year={YEAR}"


def reject_url(account):
    return reverse("portfolio:suggestion_reject", args=[account.pk]) + f"?year={YEAR}"


def test_the_page_lists_each_suggestion_as_a_sentence(portfolio, head_client):
    html = head_client.get(URL, {"year": YEAR}).content.decode()
    bauer = portfolio["bauer"]
    assert f'data-testid="suggestion-{bauer.pk}"' in html
    assert f"25,0 % des Umsatzes in {YEAR}" in html
    assert "Key-Account-Band: 25 bis 50 Prozent des Umsatzes" in html


def test_accepting_in_place_changes_the_status_and_history_names_the_user(portfolio, head_of_sales):
    client = client_for(head_of_sales)
    bauer = portfolio["bauer"]
    response = client.post(accept_url(bauer), **HTMX)
    assert response.status_code == 200
    assert f'data-testid="decided-{bauer.pk}"' in response.content.decode()
    bauer.refresh_from_db()
    assert bauer.status == "key_account"
    assert bauer.history.first().history_user == head_of_sales
    html = client.get(URL, {"year": YEAR}).content.decode()
    assert f'data-testid="suggestion-{bauer.pk}"' not in html
    assert "Standardkunde → Key Account, <strong>angenommen</strong>" in html


def test_rejecting_without_reason_shows_the_error_in_place_and_saves_nothing(portfolio, kam_client):
    bauer = portfolio["bauer"]
    response = kam_client.post(reject_url(bauer), {"reason": ""}, **HTMX)
    assert response.status_code == 422
    assert "Sagen Sie, warum der Vorschlag nicht passt." in response.content.decode()
    assert not SuggestionDecision.objects.exists()
    response = kam_client.post(reject_url(bauer), {"reason": "Einmaliges Projekt"}, **HTMX)
    assert response.status_code == 200
    assert SuggestionDecision.objects.get().reason == "Einmaliges Projekt"


def test_an_outsider_gets_404_and_nothing_changes(portfolio, outsider_client):
    bauer = portfolio["bauer"]
    assert outsider_client.post(accept_url(bauer)).status_code == 404
    bauer.refresh_from_db()
    assert bauer.status == "standard"
    assert "Bauer GmbH" not in outsider_client.get(URL, {"year": YEAR}).content.decode()


def test_a_reader_sees_the_suggestion_without_buttons(portfolio, kam, other_kam):
    from accounts import services as account_services

    account_services.team_member_set(
        actor=kam, account=portfolio["bauer"], user=other_kam, role="sales_rep", can_edit=False
    )
    html = client_for(other_kam).get(URL, {"year": YEAR}).content.decode()
    assert "Bauer GmbH" in html
    assert accept_url(portfolio["bauer"]) not in html


def test_the_list_runs_a_constant_number_of_queries(
    portfolio, kam, head_of_sales, django_assert_num_queries
):
    for number in range(4):
        put(make_account(owner=kam, name=f"Neu {number}", status="prospect"), 1000, 10)
    client = client_for(head_of_sales)
    # session, user, rules, suggestions, decisions
    with django_assert_num_queries(5):
        response = client.get(URL, {"year": YEAR})
    # Bauer and the four new accounts (the Weber group's members are measured together).
    assert response.content.decode().count('data-testid="suggestion-') >= 5
