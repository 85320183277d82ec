"""Requests that used to answer 500 answer a 4xx, in the JSON error format under /api/."""

import pytest
from django.test import Client

from planning.business_cases import services as case_services
from planning.models import BusinessCase
from tests.conftest import client_for


def _json_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"] and body["code"]
    return body


@pytest.fixture
def case(kam, account):
    return case_services.business_case_create(actor=kam, account=account, title="Umstellung")


def test_business_case_put_and_patch_with_account_keep_the_account(kam, account, case):
    client = client_for(kam)
    url = f"/api/v1/business-cases/{case.pk}/"
    body = {"account": account.pk, "title": "Neu", "horizon_years": 5}
    assert client.put(url, body, content_type="application/json").status_code == 200
    assert client.patch(url, body, content_type="application/json").status_code == 200
    case.refresh_from_db()
    assert (case.title, case.horizon_years, case.account_id) == ("Neu", 5, account.pk)


def test_activity_without_kind_is_logged_as_a_meeting(kam, account):
    response = client_for(kam).post(
        "/api/v1/activities/",
        {"account": account.pk, "occurred_at": "2026-11-20T10:00:00+01:00", "subject": "Termin"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "meeting"


def test_download_with_a_text_id_is_a_json_404(kam):
    _json_error(client_for(kam).get("/api/v1/coaching-plans/AAA/materials/0/download/"), 404)
    _json_error(client_for(kam).get("/api/v1/business-cases/AAA/"), 404)


def test_options_on_a_year_of_figures_answers(kam, account):
    response = client_for(kam).options(f"/api/v1/accounts/{account.pk}/financials/2025/")
    assert response.status_code == 200


def test_deeply_nested_json_is_a_400(kam):
    before = BusinessCase.objects.count()
    body = "[" * 100_000 + "]" * 100_000
    response = client_for(kam).post("/api/v1/accounts/", body, content_type="application/json")
    _json_error(response, 400)
    assert BusinessCase.objects.count() == before


def test_nul_in_a_search_is_a_400(kam):
    client = client_for(kam)
    assert client.get("/accounts/search/", {"q": "a\x00b"}).status_code == 400
    _json_error(client.get("/api/v1/accounts/", {"q": "a\x00b"}), 400)


@pytest.mark.parametrize("before", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-12:00"])
def test_timeline_before_far_outside_the_calendar_is_a_400(kam, account, before):
    response = client_for(kam).get(
        f"/activities/account/{account.pk}/", {"before": before}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400


def test_api_body_over_the_limit_is_a_json_400(kam, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client_for(kam).post(
        "/api/v1/accounts/", {"name": "x" * 5000}, content_type="application/json"
    )
    _json_error(response, 400)


def test_anonymous_api_errors_are_json_too():
    _json_error(Client().get("/api/v1/business-cases/AAA/"), 404)
