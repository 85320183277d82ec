"""/api/v1/account-plans/: every endpoint, its filters, its errors and the access scope."""

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.services import team_member_set
from planning.account_plan import services
from planning.account_plan.selectors import plan_list
from planning.models import AccountPlan
from tests.factories import make_account
from users.services import api_token_create

PLANS = reverse("api-account-plan-list")
COPY = reverse("api-account-plan-copy")
Status = AccountPlan.Status


def plan_url(plan) -> str:
    return reverse("api-account-plan-detail", args=[plan.pk])


def review_url(plan) -> str:
    return reverse("api-account-plan-review", args=[plan.pk])


def api_as(user) -> APIClient:
    _token, key = api_token_create(user=user, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def make_plan(account, year, **fields) -> AccountPlan:
    return services.plan_create(actor=account.owner, account=account, year=year, **fields)


# The checks read English messages; the API answers in the user's language.
@pytest.fixture
def kam(kam):
    kam.language = "en"
    kam.save(update_fields=["language"])
    return kam


@pytest.fixture
def kam_api(kam):
    return api_as(kam)


@pytest.fixture
def outsider_api(outsider):
    return api_as(outsider)


def test_anonymous_is_refused(db):
    assert APIClient().get(PLANS).status_code in (401, 403)


def test_list_filters_by_account_year_and_status(kam, kam_api, account):
    other = make_account(owner=kam, name="Zweite AG")
    a25 = make_plan(account, 2025, status=Status.ACTIVE)
    a26 = make_plan(account, 2026)
    o26 = make_plan(other, 2026)

    def ids(**params):
        response = kam_api.get(PLANS, params)
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [a26.pk, o26.pk, a25.pk]  # newest year first, then in creation order
    assert ids(account=account.pk) == [a26.pk, a25.pk]
    assert ids(year=2026) == [a26.pk, o26.pk]
    assert ids(status="active") == [a25.pk]
    assert kam_api.get(PLANS, {"status": "bogus"}).status_code == 400


def test_list_is_newest_year_first_and_sorts_by_account_name_on_request(kam, kam_api):
    zander = make_plan(make_account(owner=kam, name="Zander AG"), 2026)
    adler = make_plan(make_account(owner=kam, name="Adler GmbH"), 2026)
    older = make_plan(make_account(owner=kam, name="Berg KG"), 2025)

    def ids(**params):
        return [row["id"] for row in kam_api.get(PLANS, params).json()["results"]]

    assert ids() == [zander.pk, adler.pk, older.pk]
    assert ids(ordering="account") == [adler.pk, older.pk, zander.pk]


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="plans are PostgreSQL's")
def test_a_page_of_everyones_plans_is_read_from_the_year_index(head_of_sales, account):
    make_plan(account, 2026)
    page = plan_list(head_of_sales).order_by("-year", "pk")[:50]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE planning_accountplan")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = page.explain()
    assert "accountplan_year_idx" in plan
    assert "Sort" not in plan


def test_list_shows_only_plans_within_the_scope(kam, other_kam, kam_api, outsider_api, account):
    mine = make_plan(account, 2026)
    make_plan(make_account(owner=other_kam), 2026)
    assert [row["id"] for row in kam_api.get(PLANS).json()["results"]] == [mine.pk]
    assert outsider_api.get(PLANS).json()["results"] == []


def test_outsider_gets_404_for_a_plan(outsider_api, account):
    plan = make_plan(account, 2026)
    assert outsider_api.get(plan_url(plan)).status_code == 404
    assert outsider_api.patch(plan_url(plan), {"strategies": "x"}).status_code == 404
    response = outsider_api.post(review_url(plan))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    plan.refresh_from_db()
    assert plan.strategies == "" and plan.last_reviewed_at is None


def test_create_and_retrieve(kam, kam_api, account):
    body = {"account": account.pk, "year": 2026, "business_goals": "Umsatz +8 %",
            "strengths": "Service\nQualität"}  # fmt: skip
    response = kam_api.post(PLANS, body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["account_name"] == account.name
    assert data["strengths"] == "Service\nQualität" and data["is_stale"] is False
    assert data["created_by"] == kam.pk
    assert kam_api.get(plan_url(AccountPlan.objects.get())).json()["business_goals"] == (
        "Umsatz +8 %"
    )


def test_create_errors_are_400_with_field_errors(kam_api, account):
    make_plan(account, 2026)
    response = kam_api.post(PLANS, {"account": account.pk, "year": 2026})
    assert response.status_code == 400
    assert response.json()["errors"] == {"year": ["This account already has a plan for 2026."]}
    response = kam_api.post(PLANS, {"account": account.pk, "year": 1990})
    assert response.status_code == 400 and "year" in response.json()["errors"]
    response = kam_api.post(PLANS, {"account": account.pk, "year": 2027, "status": "done"})
    assert response.status_code == 400 and "status" in response.json()["errors"]
    response = kam_api.post(PLANS, {"account": account.pk + 1000, "year": 2026})
    assert response.json()["errors"]["account"] == ["Not found."]


def test_create_on_an_account_outside_the_scope_is_refused(kam_api, other_kam):
    foreign = make_account(owner=other_kam)
    response = kam_api.post(PLANS, {"account": foreign.pk, "year": 2026})
    assert response.status_code == 400
    assert response.json()["errors"]["account"] == ["Not found."]
    assert not AccountPlan.objects.exists()


def test_update_changes_texts_and_status_but_not_account_or_year(kam, kam_api, account):
    old = make_plan(account, 2025, status=Status.ACTIVE)
    plan = make_plan(account, 2026)
    response = kam_api.patch(
        plan_url(plan), {"strategies": "Workshops", "status": "active", "year": 2030}
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["strategies"], data["status"], data["year"]) == ("Workshops", "active", 2026)
    old.refresh_from_db()
    assert old.status == Status.ARCHIVED
    response = kam_api.patch(plan_url(plan), {"status": "done"})
    assert response.status_code == 400 and "status" in response.json()["errors"]


def test_reader_gets_403_on_writes(kam, sales_rep, account):
    team_member_set(actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False)
    plan = make_plan(account, 2025)
    api = api_as(sales_rep)
    assert api.get(plan_url(plan)).status_code == 200
    assert api.patch(plan_url(plan), {"strategies": "x"}).status_code == 403
    assert api.post(review_url(plan)).status_code == 403
    assert api.post(COPY, {"account": account.pk, "year": 2026}).status_code == 403
    assert api.post(PLANS, {"account": account.pk, "year": 2027}).status_code == 403


def test_review_sets_who_and_when(kam, kam_api, account):
    plan = make_plan(account, 2026)
    response = kam_api.post(review_url(plan))
    assert response.status_code == 200
    data = response.json()
    assert data["last_reviewed_by"] == kam.pk and data["last_reviewed_at"]
    assert data["last_reviewed_by_name"] == str(kam)


def test_copy_last_years_plan(kam_api, account):
    make_plan(account, 2025, strategies="Weiter so", threats="Kampfpreise")
    response = kam_api.post(COPY, {"account": account.pk, "year": 2026})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["year"], data["status"]) == (2026, "draft")
    assert (data["strategies"], data["threats"]) == ("Weiter so", "Kampfpreise")
    response = kam_api.post(COPY, {"account": account.pk, "year": 2026})
    assert response.status_code == 400
    assert response.json()["errors"] == {"year": ["This account already has a plan for 2026."]}
    response = kam_api.post(COPY, {"account": account.pk, "year": 2030})
    assert response.json()["errors"] == {"year": ["There is no plan for 2029 to start from."]}


def test_copy_for_an_account_outside_the_scope_is_refused(kam_api, other_kam):
    foreign = make_account(owner=other_kam)
    make_plan(foreign, 2025)
    response = kam_api.post(COPY, {"account": foreign.pk, "year": 2026})
    assert response.status_code == 400
    assert response.json()["errors"]["account"] == ["Not found."]
    assert AccountPlan.objects.count() == 1


@pytest.mark.parametrize("rows", [3, 15])
def test_list_query_count_does_not_grow_with_rows(kam, kam_api, django_assert_num_queries, rows):
    for _ in range(rows):
        account = make_account(owner=kam)
        plan = make_plan(account, 2026)
        services.plan_mark_reviewed(actor=kam, plan=plan)
    with django_assert_num_queries(5):
        response = kam_api.get(PLANS)
    assert response.json()["count"] == rows
