"""/api/v1/objectives/ and /api/v1/actions/: forecast and progress from the server,
reasons for adjustments, closed years, scope, filters and query counts."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts import services as account_services
from planning.models import Action, ObjectiveAdjustment
from tests.factories import make_account
from tests.planning.action_plan_helpers import (
    YEAR,
    make_action,
    make_objective,
    open_deal,
    set_revenue,
)

pytestmark = pytest.mark.usefixtures("stages")
OBJECTIVES = "/api/v1/objectives/"
ACTIONS = "/api/v1/actions/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_objective_list_carries_forecast_parts_verdict_and_progress(kam, account):
    set_revenue(account, "600000")
    open_deal(account, "200000", 50)
    open_deal(account, "100000", 25)
    objective = make_objective(account)
    make_action(objective)

    response = api(kam).get(OBJECTIVES)

    assert response.status_code == 200
    item = response.json()["results"][0]
    assert item["id"] == objective.pk
    assert item["forecast"] == {
        "actual": "600000.00",
        "weighted_pipeline": "125000.00",
        "total": "725000.00",
        "target": "800000.00",
        "percent": "90.6",
        "verdict": "at_risk",
        "verdict_label": item["forecast"]["verdict_label"],
        "won_not_invoiced": "0.00",
        "run_rate": "0.00",  # no revenue last year
        "days_to_come": item["forecast"]["days_to_come"],
        "gap": "75000.00",
        "pipeline_needed": "180000.00",
        "target_scope": "own",  # an account without subsidiaries: its own target
        "group_members": 1,
    }
    assert item["progress"]["actions_done"] == 0 and item["progress"]["actions_total"] == 1
    assert item["progress"]["figures_percent"] == "75.0"


def test_objective_filters(kam, account, other_kam):
    other = make_account(owner=kam, name="Zweite GmbH")
    make_objective(account, title="A")
    make_objective(other, kind="relationship", title="B")
    make_objective(account, title="C", year=YEAR + 1, due_on=date(YEAR + 1, 3, 1))
    client = api(kam)

    def titles(**query):
        return {row["title"] for row in client.get(OBJECTIVES, query).json()["results"]}

    assert titles(account=other.pk) == {"B"}
    assert titles(year=YEAR + 1) == {"C"}
    assert titles(kind="relationship") == {"B"}
    assert titles(owner=kam.pk) == {"A", "B", "C"}
    assert titles(owner=other_kam.pk) == set()
    assert titles(status="open") == {"A", "B", "C"}


def test_create_objective(kam, account):
    response = api(kam).post(
        OBJECTIVES,
        {
            "account": account.pk,
            "year": YEAR,
            "kind": "margin",
            "title": "DB halten",
            "target_value": "120000.00",
            "due_on": f"{YEAR}-12-31",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["owner"] == kam.pk
    assert response.json()["forecast"] is None


def test_create_objective_in_a_closed_year_is_a_400(kam, account):
    response = api(kam).post(
        OBJECTIVES,
        {
            "account": account.pk,
            "year": YEAR,
            "kind": "other",
            "title": "Alt",
            "due_on": f"{YEAR - 1}-12-31",
        },
    )
    assert response.status_code == 400
    assert "due_on" in response.json()["errors"]


def test_objective_for_an_account_outside_the_scope_is_a_400(outsider, account):
    response = api(outsider).post(
        OBJECTIVES,
        {"account": account.pk, "year": YEAR, "kind": "other", "title": "X",
         "due_on": f"{YEAR}-12-31"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "account" in response.json()["errors"]


def test_patch_target_without_reason_is_a_400_with_a_field_error(kam, account):
    objective = make_objective(account)
    response = api(kam).patch(f"{OBJECTIVES}{objective.pk}/", {"target_value": "700000"})
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    objective.refresh_from_db()
    assert objective.target_value == Decimal("800000")


def test_patch_target_with_reason_records_the_adjustment(kam, account):
    objective = make_objective(account)
    response = api(kam).patch(
        f"{OBJECTIVES}{objective.pk}/",
        {"target_value": "700000", "due_on": f"{YEAR}-11-30", "reason": "Budgetkürzung"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["target_value"] == "700000.00"
    assert {a["field"] for a in response.json()["adjustments"]} == {"target_value", "due_on"}
    assert ObjectiveAdjustment.objects.filter(reason="Budgetkürzung").count() == 2


def test_outsider_gets_404_on_objectives_and_actions(outsider, account):
    objective = make_objective(account)
    action = make_action(objective)
    client = api(outsider)
    assert client.get(f"{OBJECTIVES}{objective.pk}/").status_code == 404
    assert client.patch(f"{OBJECTIVES}{objective.pk}/", {"title": "X"}).status_code == 404
    assert client.get(f"{ACTIONS}{action.pk}/").status_code == 404
    assert client.patch(f"{ACTIONS}{action.pk}/", {"status": "done"}).status_code == 404
    assert client.get(OBJECTIVES).json()["results"] == []
    assert client.get(ACTIONS).json()["results"] == []
    response = client.post(ACTIONS, {"objective": objective.pk, "title": "X",
                                     "due_on": f"{YEAR}-12-01"})  # fmt: skip
    assert response.status_code == 400


def test_reader_may_read_but_not_change(account, sales_rep):
    account_services.team_member_set(
        actor=account.owner, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    objective = make_objective(account)
    client = api(sales_rep)
    assert client.get(f"{OBJECTIVES}{objective.pk}/").status_code == 200
    assert client.patch(f"{OBJECTIVES}{objective.pk}/", {"title": "X"}).status_code == 403


def test_actions_create_complete_and_filter(kam, account):
    objective = make_objective(account)
    other = make_objective(make_account(owner=kam, name="Zweite"), title="Anderes")
    make_action(other, title="Woanders")
    client = api(kam)

    response = client.post(
        ACTIONS, {"objective": objective.pk, "title": "Termin", "due_on": f"{YEAR}-12-01"}
    )
    assert response.status_code == 201, response.json()
    action_id = response.json()["id"]
    assert response.json()["account"] == account.pk and response.json()["owner"] == kam.pk

    response = client.patch(f"{ACTIONS}{action_id}/", {"status": "done"})
    assert response.status_code == 200
    assert response.json()["done_on"] is not None

    def titles(**query):
        return {row["title"] for row in client.get(ACTIONS, query).json()["results"]}

    assert titles(objective=objective.pk) == {"Termin"}
    assert titles(account=other.account_id) == {"Woanders"}
    assert titles(status="done") == {"Termin"}
    assert titles(owner=kam.pk) == {"Termin", "Woanders"}
    response = client.patch(f"{ACTIONS}{action_id}/", {"status": "open"})
    assert response.json()["done_on"] is None
    assert Action.objects.get(pk=action_id).status == "open"


@pytest.mark.parametrize("count", [3, 12])
def test_list_query_counts_are_constant(kam, account, django_assert_num_queries, count):
    for index in range(count):
        objective = make_objective(account, title=f"Ziel {index}")
        make_action(objective)
    client = api(kam)
    # The first call also records when the token was last used: one query more; the
    # group figures of the page's objectives are one query.
    with django_assert_num_queries(6):
        assert len(client.get(OBJECTIVES).json()["results"]) == count
    with django_assert_num_queries(4):
        assert len(client.get(ACTIONS).json()["results"]) == count


def test_objectives_sort_by_forecast_weakest_first(kam):
    strong, weak, middle = (make_account(owner=kam, name=name) for name in ("A", "B", "C"))
    for account, revenue in [(strong, "790000"), (weak, "100000"), (middle, "500000")]:
        set_revenue(account, revenue)
    objectives = {account: make_objective(account) for account in (strong, weak, middle)}
    # No forecast (a margin objective): first ascending, last descending, on every database.
    margin = make_objective(strong, kind="margin", title="Marge")
    ranked = [objectives[weak].pk, objectives[middle].pk, objectives[strong].pk]

    response = api(kam).get(OBJECTIVES, {"ordering": "forecast"})

    assert [item["id"] for item in response.json()["results"]] == [margin.pk, *ranked]
    assert [item["forecast"]["percent"] for item in response.json()["results"][1:]] == [
        "12.5", "62.5", "98.8",
    ]  # fmt: skip
    descending = api(kam).get(OBJECTIVES, {"ordering": "-forecast"}).json()["results"]
    assert [item["id"] for item in descending] == [*reversed(ranked), margin.pk]
