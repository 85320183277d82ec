"""The demo action plans: objectives of every kind the brief names, actions, adjustments,
a forecast for each revenue objective; running again creates nothing."""

from accounts.models import YearlyFigures
from planning.action_plan import demo, selectors
from planning.models import Action, Objective, ObjectiveAdjustment
from tests.planning.action_plan_helpers import YEAR


def test_demo_action_plans_and_running_again_creates_nothing(demo_users):
    users = demo_users

    objectives = Objective.objects.all()
    created = objectives.count()
    assert created
    assert objectives.values("account").distinct().count() >= 5
    assert set(objectives.values_list("kind", flat=True)) == {
        "revenue", "margin", "new_market", "relationship",
    }  # fmt: skip
    assert set(objectives.values_list("year", flat=True)) == {YEAR}
    for objective in objectives.prefetch_related("actions"):
        assert 2 <= len(objective.actions.all()) <= 4
    assert Action.objects.filter(status="done", done_on__isnull=False).exists()
    assert ObjectiveAdjustment.objects.exclude(reason="").exists()
    rows = selectors.decorate(selectors.objective_list(users["admin"]).filter(kind="revenue"))
    assert all(row.forecast is not None for row in rows)
    # A group objective compares the group with the group's target (own + subsidiaries').
    group_rows = [row for row in rows if row.forecast.target_scope == "group"]
    assert group_rows
    assert any(row.forecast.target > row.target_value for row in group_rows)
    assert not objectives.exclude(account__external_id__startswith="DEMO-").exists()
    assert YearlyFigures.objects.exists()

    assert demo.seed(users) == 0
    assert Objective.objects.count() == objectives.count()
