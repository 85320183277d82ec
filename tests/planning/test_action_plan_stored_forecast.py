"""The stored target forecast: it equals the live with_forecast value after every write the
forecast reads, and it decides which objectives the Plans page, the home block and the
reminder rule list as needing attention, and in which order."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from accounts import services as account_services
from deals import services as deal_services
from deals.models import Stage
from kam import events
from planning import home
from planning.action_plan import selectors, services
from planning.models import Objective
from planning.tasks import refresh_forecasts
from tests.conftest import client_for
from tests.factories import make_account
from tests.planning.action_plan_helpers import (
    HTMX,
    YEAR,
    make_objective,
    open_deal,
    set_revenue,
)

pytestmark = pytest.mark.usefixtures("stages")

PLANS = reverse("planning:plans")


def stored(objective: Objective) -> tuple:
    objective.refresh_from_db()
    return (
        objective.stored_forecast_total,
        objective.stored_forecast_percent,
        objective.stored_forecast_verdict,
    )


def live(objective: Objective) -> tuple:
    row = selectors.with_forecast(Objective.objects.filter(pk=objective.pk)).get()
    if row.verdict is None:
        return (None, None, "")
    return (
        Decimal(row.forecast_total).quantize(Decimal("0.01")),
        Decimal(row.forecast_percent).quantize(Decimal("0.0001")),
        row.verdict,
    )


def percent_of(objective: Objective) -> Decimal:
    return stored(objective)[1].quantize(Decimal("0.1"))


# --- stored equals live after each write ---------------------------------------------------


def test_objective_created_and_updated_through_the_service_is_stored(kam, account):
    set_revenue(account, "600000")
    objective = make_objective(account, target_value=Decimal("800000"))
    assert stored(objective) == live(objective)
    assert stored(objective)[1:] == (Decimal("75.0000"), selectors.OFF_TRACK)

    services.objective_update(
        actor=kam, objective=objective, target_value=Decimal("700000"), reason="Markt schwächer"
    )
    assert stored(objective) == live(objective)
    assert stored(objective)[2] == selectors.AT_RISK

    services.objective_update(actor=kam, objective=objective, kind=Objective.Kind.RELATIONSHIP)
    assert stored(objective) == (None, None, "")  # no forecast for other kinds


def test_figures_of_a_subsidiary_update_the_group_objective_of_the_parent(kam, account):
    subsidiary = make_account(owner=kam, name="Tochter GmbH", parent=account)
    group = make_objective(account, target_value=Decimal("1000000"))
    assert stored(group)[0] == Decimal("0.00")

    set_revenue(subsidiary, "900000")

    assert stored(group) == live(group)
    assert stored(group)[1:] == (Decimal("90.0000"), selectors.AT_RISK)


def test_last_years_figures_update_next_years_run_rate(kam, account, settings):
    settings.FORECAST_RUN_RATE = "last_year"
    objective = make_objective(account, target_value=Decimal("1000000"))
    set_revenue(account, "1200000", year=YEAR - 1)
    assert stored(objective) == live(objective)
    assert stored(objective)[2] == selectors.ON_TRACK


def test_deal_probability_close_date_and_win_update_the_stored_forecast(kam, account, stages):
    objective = make_objective(account, target_value=Decimal("100000"))
    deal = open_deal(account, "100000", 50)
    assert percent_of(objective) == Decimal("50.0")

    deal_services.opportunity_update(actor=kam, opportunity=deal, probability=90)
    assert stored(objective) == live(objective)
    assert percent_of(objective) == Decimal("90.0")

    deal_services.opportunity_update(
        actor=kam, opportunity=deal, expected_close_date=date(YEAR + 1, 2, 1)
    )
    assert stored(objective) == live(objective)
    assert percent_of(objective) == Decimal("0.0")

    deal_services.opportunity_update(
        actor=kam, opportunity=deal, expected_close_date=date(YEAR, 11, 1)
    )
    deal_services.opportunity_move(
        actor=kam, opportunity=deal, stage=stages["won"], reason="Bester Preis"
    )
    assert stored(objective) == live(objective)
    assert stored(objective)[1:] == (Decimal("100.0000"), selectors.ON_TRACK)


def test_a_deal_moved_to_another_account_leaves_the_old_accounts_forecast(kam, account):
    other = make_account(owner=kam, name="Andere AG")
    objective = make_objective(account, target_value=Decimal("100000"))
    deal = open_deal(account, "100000", 80)
    assert percent_of(objective) == Decimal("80.0")

    deal_services.opportunity_update(actor=kam, opportunity=deal, account=other)

    assert stored(objective) == live(objective)
    assert percent_of(objective) == Decimal("0.0")


def test_a_stage_that_starts_counting_as_lost_updates_open_objectives(
    kam, account, django_capture_on_commit_callbacks
):
    objective = make_objective(account, target_value=Decimal("100000"))
    open_deal(account, "100000", 80, stage="negotiation")
    assert percent_of(objective) == Decimal("80.0")

    with django_capture_on_commit_callbacks(execute=True):  # queues the task on commit
        stage = Stage.objects.get(key="negotiation")
        stage.is_lost = True
        stage.save()
        events.publish(events.StagesChanged(stage_id=stage.pk))  # as the stage admin does

    assert stored(objective) == live(objective)
    assert percent_of(objective) == Decimal("0.0")


def test_reparenting_a_subsidiary_moves_its_revenue_between_group_objectives(
    kam, account, settings, django_capture_on_commit_callbacks
):
    new_parent = make_account(owner=kam, name="Neue Holding AG")
    subsidiary = make_account(owner=kam, name="Tochter GmbH", parent=account)
    set_revenue(subsidiary, "500000")
    old_group = make_objective(account, target_value=Decimal("500000"))
    new_group = make_objective(new_parent, target_value=Decimal("500000"))
    assert (percent_of(old_group), percent_of(new_group)) == (Decimal("100.0"), Decimal("0.0"))

    # The refresh waits for the commit (tests otherwise run subscribers at publish,
    # conftest.py), when the subtree's new paths are written.
    settings.EVENTS_RUN_AT_PUBLISH = False
    with django_capture_on_commit_callbacks(execute=True):
        account_services.account_update(actor=kam, account=subsidiary, parent=new_parent)

    assert stored(old_group) == live(old_group)
    assert stored(new_group) == live(new_group)
    assert (percent_of(old_group), percent_of(new_group)) == (Decimal("0.0"), Decimal("100.0"))


# --- after commit, once per transaction ----------------------------------------------------


def test_refresh_runs_once_after_commit_of_the_whole_write(
    kam, account, settings, django_capture_on_commit_callbacks
):
    settings.EVENTS_RUN_AT_PUBLISH = False

    with django_capture_on_commit_callbacks() as callbacks:
        # The figures, the objective and its target in the figures: one refresh.
        set_revenue(account, "400000")
        objective = make_objective(account, target_value=Decimal("800000"))

    batches = [c for c in callbacks if isinstance(c, events.Batch)]
    assert len(batches) == 1 and callbacks[-1] is batches[0]
    assert stored(objective)[2] == ""  # not before the commit
    for callback in callbacks:
        callback()
    assert stored(objective) == live(objective)
    assert stored(objective)[2] == selectors.OFF_TRACK


def test_nightly_task_fixes_a_stale_stored_forecast(kam, kam_client, account):
    set_revenue(account, "100000")
    objective = make_objective(account, title="Veraltetes Ziel", target_value=Decimal("800000"))
    Objective.objects.filter(pk=objective.pk).update(
        stored_forecast_percent=Decimal("120"), stored_forecast_verdict=selectors.ON_TRACK
    )
    assert "Veraltetes Ziel" not in kam_client.get(PLANS, **HTMX).text

    assert refresh_forecasts.delay().get() == 1

    assert stored(objective) == live(objective)
    assert "Veraltetes Ziel" in kam_client.get(PLANS, **HTMX).text


# --- the lists follow the stored verdict -----------------------------------------------------


def test_objective_leaves_the_plans_page_when_its_deals_improve(kam, kam_client, account):
    set_revenue(account, "500000")
    deal = open_deal(account, "500000", 25)
    make_objective(account, title="Knappes Ziel", target_value=Decimal("1000000"))
    assert "Knappes Ziel" in kam_client.get(PLANS, **HTMX).text

    deal_services.opportunity_update(actor=kam, opportunity=deal, probability=100)

    assert "Knappes Ziel" not in kam_client.get(PLANS, **HTMX).text


def test_plans_page_and_home_block_list_the_weakest_stored_forecast_first(kam, kam_client, account):
    for name, revenue in [("Mittel", "850000"), ("Schwach", "100000"), ("Knapp", "940000")]:
        customer = make_account(owner=kam, name=f"{name} GmbH")
        set_revenue(customer, revenue)
        make_objective(customer, title=f"Ziel {name}", target_value=Decimal("1000000"))

    html = kam_client.get(PLANS, **HTMX).text
    positions = [html.index(f"Ziel {name}") for name in ("Schwach", "Mittel", "Knapp")]
    assert positions == sorted(positions)
    block = home.objectives_at_risk(user=kam)["objectives"]
    assert [o.title for o in block] == ["Ziel Schwach", "Ziel Mittel", "Ziel Knapp"]


def test_plans_page_keeps_the_forecast_subqueries_out_of_where_and_order_by(kam, account):
    page = selectors.objectives_needing_attention(kam).filter(year=YEAR)[:51]
    compiler = page.query.get_compiler(connection=connection)
    where_sql, _params = compiler.compile(page.query.where)
    order_sql = " ".join(sql for _expr, (sql, _p, _ref) in compiler.get_order_by())

    for table in ("accounts_yearlyfigures", "deals_opportunity"):
        assert table not in where_sql and table not in order_sql
        assert table in str(page.query)  # the live forecast is still in the SELECT list


@pytest.mark.parametrize("count", [3, 15])
def test_plans_page_query_count_is_constant_with_objectives_listed(
    kam, kam_client, django_assert_num_queries, count
):
    for index in range(count):
        customer = make_account(owner=kam, name=f"Kunde {index}")
        set_revenue(customer, "100000")
        open_deal(customer, "50000", 50)
        make_objective(customer, title=f"Gefährdet {index}")
    # The objectives take three: their ids in attention order, then the forecast of those
    # and their group figures.
    with django_assert_num_queries(10):
        html = kam_client.get(PLANS).text
    assert html.count("Gefährdet ") == count


def test_a_deal_deleted_in_the_admin_leaves_the_stored_forecast(kam, account, admin_user):
    objective = make_objective(account, target_value=Decimal("100000"))
    deal = open_deal(account, "100000", 80, stage="negotiation")
    assert percent_of(objective) == Decimal("80.0")

    response = client_for(admin_user).post(
        reverse("admin:deals_opportunity_delete", args=[deal.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert stored(objective) == live(objective)
    assert percent_of(objective) == Decimal("0.0")
