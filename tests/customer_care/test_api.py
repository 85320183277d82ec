"""The issues, surveys and departments API: every endpoint, its filters, its errors and
the access scope (a record of an account outside the scope is a 404)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from activities.models import FollowUp
from customer_care.models import CustomerIssue, Department, Survey
from tests.customer_care.conftest import open_issue, record
from tests.factories import make_account, make_contact
from users.services import api_token_create

ISSUES = reverse("api-issue-list")
SURVEYS = reverse("api-survey-list")
DEPARTMENTS = reverse("api-department-list")


def issue_url(issue) -> str:
    return reverse("api-issue-detail", args=[issue.pk])


def survey_url(survey) -> str:
    return reverse("api-survey-detail", args=[survey.pk])


def api_as(user) -> APIClient:
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def kam_api(kam):
    return api_as(kam)


@pytest.fixture
def outsider_api(outsider):
    return api_as(outsider)


@pytest.fixture
def logistics(db):
    return Department.objects.get(key="logistics")


# --- Departments -------------------------------------------------------------------------


def test_departments_lists_the_defaults_read_only(kam_api):
    response = kam_api.get(DEPARTMENTS)
    assert response.status_code == 200
    assert [d["key"] for d in response.json()] == [
        "customer_service", "logistics", "engineering", "quality", "finance", "sales",
    ]  # fmt: skip
    assert kam_api.post(DEPARTMENTS, {"key": "x", "name": "X"}).status_code == 405


def test_department_labels_are_translated_until_renamed(kam_api, kam):
    Department.objects.filter(key="sales").update(name="Vertrieb Innendienst")
    rows = {d["key"]: d for d in kam_api.get(DEPARTMENTS, HTTP_ACCEPT_LANGUAGE="en").json()}
    assert rows["logistics"]["name"] == "Logistics"
    assert rows["sales"]["label"] == "Vertrieb Innendienst"


def test_anonymous_is_refused(db):
    assert APIClient().get(ISSUES).status_code in (401, 403)


# --- Issues ------------------------------------------------------------------------------


def test_create_issue_with_default_due_date_and_owner(kam_api, kam, account, logistics):
    response = kam_api.post(
        ISSUES,
        {"account": account.pk, "title": "Lieferung verspätet", "department": logistics.pk,
         "severity": "critical", "kind": "complaint"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == kam.pk and body["status"] == "open"
    assert body["due_on"] == (timezone.localdate() + timedelta(days=1)).isoformat()
    assert CustomerIssue.objects.get().history.count() == 1


def test_create_issue_errors_are_400_with_field_errors(kam_api, account, logistics, outsider):
    response = kam_api.post(
        ISSUES,
        {"account": account.pk, "title": "", "department": logistics.pk,
         "status": "closed", "owner": outsider.pk},
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {"title", "resolution"} <= set(errors)
    response = kam_api.post(
        ISSUES, {"account": account.pk, "title": "x", "department": logistics.pk,
                 "owner": outsider.pk},
    )  # fmt: skip
    assert response.status_code == 400 and set(response.json()["errors"]) == {"owner"}
    assert not CustomerIssue.objects.exists()


def test_create_issue_on_an_account_outside_the_scope_is_refused(kam_api, other_account, logistics):
    response = kam_api.post(
        ISSUES, {"account": other_account.pk, "title": "x", "department": logistics.pk}
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"account"}
    assert not CustomerIssue.objects.exists()


def test_reader_may_not_create_or_change_issues(reader, account, logistics):
    api = api_as(reader)
    response = api.post(ISSUES, {"account": account.pk, "title": "x", "department": logistics.pk})
    assert response.status_code == 403
    issue = open_issue(account)
    assert api.get(issue_url(issue)).status_code == 200
    assert api.patch(issue_url(issue), {"escalated": True}).status_code == 403


def test_issue_list_filters(kam_api, kam, account, logistics):
    other = make_account(owner=kam, name="Zweite AG")
    quality = Department.objects.get(key="quality")
    a = open_issue(account, severity="high", kind="risk")
    b = open_issue(other, severity="low", department=quality)
    c = open_issue(account, severity="low")
    kam_api.patch(issue_url(c), {"status": "resolved", "resolution": "ok"})
    assert ids(kam_api.get(ISSUES, {"account": account.pk})) == [c.pk, a.pk]
    assert ids(kam_api.get(ISSUES, {"status": "resolved"})) == [c.pk]
    assert ids(kam_api.get(ISSUES, {"status": "unresolved"})) == [b.pk, a.pk]
    assert ids(kam_api.get(ISSUES, {"severity": "high"})) == [a.pk]
    assert ids(kam_api.get(ISSUES, {"kind": "risk"})) == [a.pk]
    assert ids(kam_api.get(ISSUES, {"department": quality.pk})) == [b.pk]
    assert ids(kam_api.get(ISSUES, {"owner": kam.pk})) == [c.pk, b.pk, a.pk]
    assert kam_api.get(ISSUES, {"severity": "urgent"}).status_code == 400


def test_issue_scope_is_404_outside(kam_api, outsider_api, account, head_of_sales):
    issue = open_issue(account)
    assert outsider_api.get(issue_url(issue)).status_code == 404
    assert outsider_api.patch(issue_url(issue), {"title": "x"}).status_code == 404
    assert ids(outsider_api.get(ISSUES)) == []
    assert ids(api_as(head_of_sales).get(ISSUES)) == [issue.pk]
    assert kam_api.get(issue_url(issue)).json()["title"] == "Lieferung verspätet"


def test_patch_issue_status_needs_a_resolution(kam_api, account):
    issue = open_issue(account)
    response = kam_api.patch(issue_url(issue), {"status": "closed"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"resolution"}
    response = kam_api.patch(issue_url(issue), {"status": "closed", "resolution": "Gutschrift"})
    assert response.status_code == 200
    assert response.json()["resolved_at"] is not None
    assert response.json()["account"] == account.pk


def test_the_account_of_an_issue_does_not_change(kam_api, kam, account):
    other = make_account(owner=kam, name="Zweite AG")
    issue = open_issue(account)
    response = kam_api.patch(issue_url(issue), {"account": other.pk, "title": "Neu"})
    assert response.status_code == 200
    issue.refresh_from_db()
    assert issue.account == account and issue.title == "Neu"


@pytest.mark.parametrize("rows", [3, 15])
def test_issue_list_query_count_is_constant(kam_api, kam, account, django_assert_num_queries, rows):
    for number in range(rows):
        open_issue(account, title=f"Fall {number}")
    with django_assert_num_queries(5):
        response = kam_api.get(ISSUES)
    assert len(ids(response)) == rows


# --- Surveys -----------------------------------------------------------------------------


def test_record_a_detractor_survey_creates_a_follow_up_for_the_owner(
    kam_api, kam, account, contact
):
    response = kam_api.post(
        SURVEYS, {"account": account.pk, "contact": contact.pk, "nps": 5, "method": "phone"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["is_detractor"] is True and body["follow_up_created"] is True
    assert body["surveyed_on"] == timezone.localdate().isoformat()
    follow_up = FollowUp.objects.get()
    assert follow_up.owner == kam and follow_up.source == "survey"


def test_record_a_good_survey_creates_no_follow_up(kam_api, account):
    response = kam_api.post(SURVEYS, {"account": account.pk, "nps": 9, "csat": 5})
    assert response.status_code == 201
    assert response.json()["follow_up_created"] is False
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"nps": 11}, {"nps"}),
        ({"csat": 0}, {"csat"}),
        ({}, {"nps", "csat"}),
        ({"nps": 3, "surveyed_on": "2999-01-01"}, {"surveyed_on"}),
    ],
)
def test_invalid_surveys_are_400_and_nothing_is_saved(kam_api, account, data, fields):
    response = kam_api.post(SURVEYS, {"account": account.pk, **data})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == fields
    assert not Survey.objects.exists() and not FollowUp.objects.exists()


def test_survey_contact_from_another_account_is_refused(kam_api, kam, account):
    other = make_account(owner=kam, name="Zweite AG")
    stranger = make_contact(account=other, last_name="Fremd")
    response = kam_api.post(SURVEYS, {"account": account.pk, "contact": stranger.pk, "nps": 3})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"contact"}
    assert not FollowUp.objects.exists()


def test_survey_scope_is_404_outside(kam_api, outsider_api, account, other_account):
    survey = record(account, nps=8)
    assert outsider_api.get(survey_url(survey)).status_code == 404
    assert ids(outsider_api.get(SURVEYS)) == []
    response = outsider_api.post(SURVEYS, {"account": account.pk, "nps": 3})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"account"}
    assert kam_api.get(survey_url(survey)).json()["nps"] == 8
    assert kam_api.delete(survey_url(survey)).status_code == 405


def test_survey_list_filters_by_account(kam_api, kam, account):
    other = make_account(owner=kam, name="Zweite AG")
    mine = record(account, nps=9)
    theirs = record(other, csat=4)
    assert ids(kam_api.get(SURVEYS, {"account": account.pk})) == [mine.pk]
    assert ids(kam_api.get(SURVEYS, {"account": other.pk})) == [theirs.pk]


def test_reader_may_not_record_surveys(reader, account):
    response = api_as(reader).post(SURVEYS, {"account": account.pk, "nps": 2})
    assert response.status_code == 403
    assert not Survey.objects.exists() and not FollowUp.objects.exists()


@pytest.mark.parametrize("rows", [3, 15])
def test_survey_list_query_count_is_constant(
    kam_api, account, contact, django_assert_num_queries, rows
):
    for number in range(rows):
        record(account, nps=7 + number % 4, contact=contact)
    with django_assert_num_queries(7):
        response = kam_api.get(SURVEYS)
    assert len(ids(response)) == rows
