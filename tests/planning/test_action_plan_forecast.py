"""Progress and the target forecast: hand-computed examples, and the SQL against the
Python reference."""

from datetime import date
from decimal import Decimal

import pytest

from planning.action_plan import selectors, services
from planning.models import Action, Objective
from tests.factories import make_account
from tests.planning.action_plan_helpers import (
    YEAR,
    make_action,
    make_objective,
    open_deal,
    set_revenue,
)

pytestmark = pytest.mark.usefixtures("stages")


def annotated(user, objective):
    return selectors.decorate(selectors.objective_list(user).filter(pk=objective.pk))[0]


def test_forecast_of_the_hand_computed_example_is_at_risk(kam, account):
    # 600,000 actual + 200,000 × 50 % + 100,000 × 25 % = 725,000 of 800,000 = 90.6 %
    set_revenue(account, "600000")
    open_deal(account, "200000", 50)
    open_deal(account, "100000", 25)
    objective = make_objective(account, target_value=Decimal("800000"))

    forecast = annotated(kam, objective).forecast

    assert forecast.actual == Decimal("600000.00")
    assert forecast.weighted_pipeline == Decimal("125000.00")
    assert forecast.total == Decimal("725000.00")
    assert forecast.target == Decimal("800000.00")
    assert forecast.percent == Decimal("90.6")
    assert forecast.verdict == selectors.AT_RISK
    assert forecast.verdict_label


def test_only_open_deals_of_the_account_closing_in_the_objective_year_count(
    kam, account, other_kam
):
    open_deal(account, "100000", 50)  # counts: 50,000
    open_deal(account, "300000", 90, close=date(YEAR + 1, 1, 10))  # next year
    open_deal(account, "300000", 90, close=date(YEAR - 1, 12, 10))  # last year
    open_deal(account, "400000", 100, stage="won")  # already revenue (pushed after it)
    set_revenue(account, "500000")
    open_deal(account, "400000", 0, stage="lost")
    open_deal(make_account(owner=other_kam), "900000", 90)  # another account
    objective = make_objective(account, target_value=Decimal("1000000"))

    forecast = annotated(kam, objective).forecast

    assert forecast.weighted_pipeline == Decimal("50000.00")
    assert forecast.total == Decimal("550000.00")
    assert forecast.percent == Decimal("55.0")
    assert forecast.verdict == selectors.OFF_TRACK


@pytest.mark.parametrize(
    ("actual", "target", "verdict"),
    [
        ("950000", "1000000", selectors.ON_TRACK),  # exactly 95 %
        ("949999", "1000000", selectors.AT_RISK),
        ("800000", "1000000", selectors.AT_RISK),  # exactly 80 %
        ("799999", "1000000", selectors.OFF_TRACK),
        ("1200000", "1000000", selectors.ON_TRACK),
    ],
)
def test_verdict_thresholds(kam, account, actual, target, verdict):
    set_revenue(account, actual)
    objective = make_objective(account, target_value=Decimal(target))
    assert annotated(kam, objective).forecast.verdict == verdict


def test_thresholds_come_from_the_settings(kam, account, settings):
    settings.FORECAST_ON_TRACK_PERCENT = 90
    set_revenue(account, "600000")
    open_deal(account, "200000", 50)
    open_deal(account, "100000", 25)
    objective = make_objective(account, target_value=Decimal("800000"))
    assert annotated(kam, objective).forecast.verdict == selectors.ON_TRACK


def test_sql_forecast_equals_the_python_reference_for_several_objectives(
    kam, account, other_kam, head_of_sales
):
    second = make_account(owner=kam, name="Zweite GmbH")
    third = make_account(owner=other_kam, name="Dritte AG")
    set_revenue(account, "612345.67")
    set_revenue(second, "10")
    # third has no figures at all
    deals = {
        account.pk: [("200000", 50), ("133333.33", 35), ("999.99", 10)],
        second.pk: [("70000", 60)],
        third.pk: [],
    }
    for target_account in (account, second, third):
        for value, probability in deals[target_account.pk]:
            open_deal(target_account, value, probability)
    objectives = [
        make_objective(account, target_value=Decimal("800000")),
        make_objective(account, target_value=Decimal("700000.50"), title="Zweites Ziel"),
        make_objective(second, target_value=Decimal("40000")),
        make_objective(third, target_value=Decimal("123456.78")),
    ]
    actuals = {account.pk: Decimal("612345.67"), second.pk: Decimal("10"), third.pk: Decimal(0)}

    rows = {
        o.pk: o
        for o in selectors.decorate(
            selectors.objective_list(head_of_sales).filter(pk__in=[o.pk for o in objectives])
        )
    }

    for objective in objectives:
        expected = selectors.forecast_reference(
            actual=actuals[objective.account_id],
            open_deals=[(Decimal(v), p) for v, p in deals[objective.account_id]],
            target=objective.target_value,
        )
        assert rows[objective.pk].forecast == expected


def test_forecast_list_is_two_queries(head_of_sales, account, django_assert_num_queries):
    for index in range(6):
        open_deal(account, "10000", 50)
        make_objective(account, title=f"Ziel {index}")
    # A head of sales sees every account, so the scope adds no query of its own; the group
    # figures of all rows are the second.
    with django_assert_num_queries(2):
        rows = selectors.decorate(selectors.objective_list(head_of_sales).filter(account=account))
    assert len(rows) == 6 and all(row.forecast is not None for row in rows)


def test_objectives_without_revenue_target_have_no_forecast(kam, account):
    objective = make_objective(account, kind=Objective.Kind.RELATIONSHIP, title="Beziehung")
    assert annotated(kam, objective).forecast is None


def test_progress_from_actions_leaves_dropped_ones_out(kam, account):
    objective = make_objective(account, kind=Objective.Kind.NEW_MARKET, title="Markt Polen")
    first, second, third, dropped = (make_action(objective) for _ in range(4))
    services.action_complete(actor=kam, action=first)
    services.action_update(actor=kam, action=dropped, status=Action.Status.DROPPED)

    progress = annotated(kam, objective).progress

    assert (progress.actions_done, progress.actions_total) == (1, 3)
    assert progress.actions_percent == Decimal("33.3")
    assert progress.figures_percent is None
    assert progress.percent == Decimal("33.3")


def test_progress_of_revenue_and_margin_objectives_uses_the_real_figures(kam, account):
    set_revenue(account, "300000", margin="45000")
    revenue = make_objective(account, target_value=Decimal("400000"))
    margin = make_objective(
        account, kind=Objective.Kind.MARGIN, title="DB", target_value=Decimal("60000")
    )

    revenue_progress = annotated(kam, revenue).progress
    margin_progress = annotated(kam, margin).progress

    assert revenue_progress.actual == Decimal("300000.00")
    assert revenue_progress.percent == Decimal("75.0")
    assert margin_progress.actual == Decimal("45000.00")
    assert margin_progress.percent == Decimal("75.0")
    assert margin_progress.actions_percent is None  # no actions yet


def test_figures_of_another_year_do_not_count(kam, account):
    set_revenue(account, "999999", year=YEAR - 1)
    objective = make_objective(account, target_value=Decimal("100000"))
    assert annotated(kam, objective).progress.actual == Decimal("0.00")
