"""The Plans page at 100,000 accounts: the objectives needing attention are picked by their
stored forecast alone (an index), and the live forecast with its subqueries, the account
and the owner are read for the rows shown only, not for every open objective of the year
joined with every user."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_account
from tests.planning.action_plan_helpers import make_objective, open_deal, set_revenue

pytestmark = pytest.mark.usefixtures("stages")

PLANS = reverse("planning:plans")


def test_plans_page_picks_objectives_without_joins_and_forecasts_only_the_shown(kam, kam_client):
    for index in range(3):
        customer = make_account(owner=kam, name=f"Kunde {index}")
        set_revenue(customer, "100000")
        open_deal(customer, "50000", 50)
        make_objective(customer, title=f"Gefährdet {index}", target_value=Decimal("1000000"))

    with CaptureQueriesContext(connection) as captured:
        html = kam_client.get(PLANS).text

    assert [html.index(f"Gefährdet {n}") > 0 for n in range(3)] == [True] * 3
    objectives = [q["sql"] for q in captured if 'FROM "planning_objective"' in q["sql"]]
    picking = [
        sql
        for sql in objectives
        if "ORDER BY" in sql and "stored_forecast_percent" in sql.split("ORDER BY")[-1]
    ]
    assert len(picking) == 1
    assert "users_user" not in picking[0] and "accounts_yearlyfigures" not in picking[0]
    (forecast,) = [sql for sql in objectives if "accounts_yearlyfigures" in sql]
    assert '"planning_objective"."id" IN (' in forecast  # the picked rows, by id
