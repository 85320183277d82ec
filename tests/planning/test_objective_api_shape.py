"""/api/v1/objectives/ builds progress, forecast and adjustments flat, once per row: the
answer is the one the declared nested serializers (which the schema shows) give."""

import json

import pytest
from rest_framework.test import APIClient

from planning.action_plan import selectors
from planning.action_plan.api.serializers import (
    AdjustmentSerializer,
    ForecastSerializer,
    ProgressSerializer,
)
from planning.models import Objective
from tests.planning.action_plan_helpers import (
    YEAR,
    make_action,
    make_objective,
    open_deal,
    set_revenue,
)

pytestmark = pytest.mark.usefixtures("stages")


def test_the_list_answers_as_the_nested_serializers_do(kam, account):
    set_revenue(account, "600000")
    open_deal(account, "200000", 50)
    revenue = make_objective(account)
    make_action(revenue)
    client = APIClient()
    client.force_authenticate(kam)
    changed = client.patch(
        f"/api/v1/objectives/{revenue.pk}/",
        {"target_value": "700000", "due_on": f"{YEAR}-11-30", "reason": "Budgetkürzung"},
    )
    assert changed.status_code == 200

    items = client.get("/api/v1/objectives/").json()["results"]

    assert [item["id"] for item in items] == [revenue.pk]
    objective = selectors.decorate(selectors.objectives_with_details(kam).filter(pk=revenue.pk))[0]
    expected = {
        "progress": ProgressSerializer(objective.progress).data,
        "forecast": ForecastSerializer(objective.forecast).data,
        "adjustments": AdjustmentSerializer(objective.adjustments.all(), many=True).data,
    }
    assert {name: items[0][name] for name in expected} == json.loads(json.dumps(expected))
    assert len(items[0]["adjustments"]) == 2 and items[0]["forecast"]["target"] == "700000.00"
    assert list(items[0]) == [
        "id", "account", "year", "kind", "title", "target_value", "owner", "due_on", "status",
        "progress", "forecast", "adjustments", "created_at", "updated_at",
    ]  # fmt: skip
    assert changed.json() == client.get(f"/api/v1/objectives/{revenue.pk}/").json() | {
        "updated_at": changed.json()["updated_at"]
    }
    assert Objective.objects.count() == 1
