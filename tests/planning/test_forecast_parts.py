"""The target forecast: actual revenue + won deals not yet invoiced + weighted open pipeline
+ run-rate for the days still to come, for the whole group; one target per account and
year; each objective kind with its unit and progress; the deals behind the pipeline."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import YearlyFigures
from deals import services as deal_services
from deals.models import Stage
from planning.action_plan import selectors, services
from planning.models import Objective
from tests.factories import make_account
from tests.planning.action_plan_helpers import YEAR, make_objective, open_deal

pytestmark = pytest.mark.usefixtures("stages")


@pytest.fixture
def no_run_rate(settings):
    settings.FORECAST_RUN_RATE = "none"


def annotated(user, objective):
    return selectors.decorate(selectors.objective_list(user).filter(pk=objective.pk))[0]


def actuals(account, revenue, *, year=YEAR, as_of=None, potential=None):
    account_services.figures_put(
        actor=account.owner,
        account=account,
        year=year,
        revenue=Decimal(revenue),
        contribution_margin=Decimal("0"),
        actuals_as_of=as_of or date(year, 1, 1),
        revenue_potential=None if potential is None else Decimal(potential),
    )


@pytest.mark.usefixtures("no_run_rate")
def test_winning_a_deal_does_not_lower_the_forecast(kam, account):
    actuals(account, "600000")
    deal = open_deal(account, "168000", 50)
    objective = make_objective(account, target_value=Decimal("1000000"))
    before = annotated(kam, objective).forecast
    assert before.weighted_pipeline == Decimal("84000.00")

    deal_services.opportunity_move(
        actor=kam, opportunity=deal, stage=Stage.objects.get(key="won"), reason="Preis"
    )
    after = annotated(kam, objective).forecast

    assert after.won_not_invoiced == Decimal("168000.00")
    assert after.weighted_pipeline == Decimal("0.00")
    assert after.total == Decimal("768000.00")
    assert after.total > before.total


@pytest.mark.usefixtures("no_run_rate")
def test_won_deals_count_until_the_figures_include_them(kam, account):
    open_deal(account, "50000", 100, stage="won").__class__.objects.update(
        closed_on=date(YEAR, 1, 1),
        closed_at=datetime(YEAR, 1, 1, 12, tzinfo=UTC),
    )  # closed on the day the actuals stand at (its end): invoiced
    actuals(account, "600000", as_of=date(YEAR, 1, 1))
    objective = make_objective(account, target_value=Decimal("1000000"))
    assert annotated(kam, objective).forecast.won_not_invoiced == Decimal("0.00")
    # Without actuals for the year (the ERP sends figures at year end), every won deal of
    # the year counts.
    YearlyFigures.objects.filter(account=account).delete()
    assert annotated(kam, objective).forecast.won_not_invoiced == Decimal("50000.00")


@pytest.mark.parametrize("method", ["last_year", "trailing_year", "none"])
def test_run_rate_for_the_days_still_to_come(settings, kam, account, method):
    settings.FORECAST_RUN_RATE = method
    actuals(account, "4400000", year=YEAR - 1, as_of=date(YEAR - 1, 12, 31))
    actuals(account, "400000", as_of=date(YEAR, 1, 31))
    objective = make_objective(account, target_value=Decimal("4600000"))
    forecast = annotated(kam, objective).forecast
    days = (date(YEAR, 12, 31) - date(YEAR, 1, 31)).days  # 334 in a year of 365 days
    share = Decimal(days) / ((date(YEAR, 12, 31) - date(YEAR, 1, 1)).days + 1)
    expected_run_rate = {
        "last_year": Decimal("4400000") * share,  # 4,026,301.37 in a year of 365 days
        "trailing_year": (Decimal("400000") + Decimal("4400000") * share) * share,
        "none": Decimal(0),
    }[method].quantize(Decimal("0.01"))
    assert forecast.days_to_come == days
    assert forecast.run_rate == expected_run_rate
    assert forecast.total == Decimal("400000.00") + expected_run_rate


def test_january_forecast_without_actuals_is_meaningful(settings, kam, account):
    settings.FORECAST_RUN_RATE = "last_year"
    actuals(account, "4400000", year=YEAR - 1, as_of=date(YEAR - 1, 12, 31))
    objective = make_objective(account, target_value=Decimal("4600000"))
    forecast = annotated(kam, objective).forecast
    assert forecast.days_to_come == (date(YEAR, 12, 31) - date(YEAR, 1, 1)).days + 1
    assert forecast.run_rate == Decimal("4400000.00")
    assert forecast.percent == Decimal("95.7")
    assert forecast.verdict == selectors.ON_TRACK


@pytest.mark.usefixtures("no_run_rate")
def test_group_objective_rolls_up_its_subsidiaries(kam, account):
    subsidiary = make_account(owner=kam, parent=account, name="Tochter")
    grandchild = make_account(owner=kam, parent=subsidiary, name="Enkelin")
    actuals(account, "100000")
    actuals(subsidiary, "200000")
    open_deal(grandchild, "100000", 50)
    objective = make_objective(account, target_value=Decimal("1000000"))
    forecast = annotated(kam, objective).forecast
    assert forecast.actual == Decimal("300000.00")
    assert forecast.weighted_pipeline == Decimal("50000.00")
    # The subsidiary's own objective covers what is below it only.
    own = make_objective(subsidiary, target_value=Decimal("1000000"))
    assert annotated(kam, own).forecast.actual == Decimal("200000.00")


def test_the_revenue_objective_sets_the_figures_target(kam, account):
    actuals(account, "100000")
    objective = make_objective(account, target_value=Decimal("4247824"))
    figures = YearlyFigures.objects.get(account=account, year=YEAR)
    assert figures.revenue_target == Decimal("4247824")
    services.objective_update(
        actor=kam, objective=objective, target_value=Decimal("4617200"), reason="Neues Budget"
    )
    figures.refresh_from_db()
    assert figures.revenue_target == Decimal("4617200")
    # An objective for a year without figures creates the row with the target.
    make_objective(
        account, year=YEAR + 1, due_on=date(YEAR + 1, 12, 31), target_value=Decimal("5000000")
    )
    assert YearlyFigures.objects.get(account=account, year=YEAR + 1).revenue_target == Decimal(
        "5000000"
    )


def test_share_of_wallet_objective_has_percent_and_progress(kam, account, kam_client):
    actuals(account, "300000", potential="1000000")
    objective = make_objective(
        account, kind=Objective.Kind.SHARE_OF_WALLET, target_value=Decimal("60")
    )
    progress = annotated(kam, objective).progress
    assert progress.actual == Decimal("30.0")  # share of wallet in %
    assert progress.figures_percent == Decimal("50.0")
    html = kam_client.get(
        reverse("planning:action_plan_account_section", args=[account.pk]), {"year": YEAR}
    ).text
    target = html.split('data-testid="target"')[1].split("</span>")[0]
    assert "%" in target and "€" not in target
    assert 'data-testid="figures-progress"' in html


@pytest.mark.usefixtures("no_run_rate")
def test_section_lists_the_deals_the_gap_and_the_pipeline_still_needed(kam, account, kam_client):
    actuals(account, "600000")
    open_deal(account, "200000", 50).__class__.objects.filter(value=Decimal("200000")).update(
        title="Rahmenvertrag Antriebe"
    )
    open_deal(account, "100000", 25)
    make_objective(account, target_value=Decimal("800000"))
    objective = annotated(kam, Objective.objects.get())
    assert objective.forecast.gap == Decimal("75000.00")  # 800,000 − 725,000
    # At the average probability of the open deals (125,000 of 300,000 = 41.7 %).
    assert objective.forecast.pipeline_needed == Decimal("180000.00")
    html = kam_client.get(
        reverse("planning:action_plan_account_section", args=[account.pk]), {"year": YEAR}
    ).text
    deals = html.split('data-testid="forecast-deals"')[1].split("</table>")[0]
    assert "Rahmenvertrag Antriebe" in deals
    assert 'data-testid="forecast-gap"' in html
    assert 'data-testid="forecast-needed"' in html


def test_api_shows_every_part_of_the_forecast(settings, kam, account):
    from tests.accounts.test_api import api_as

    settings.FORECAST_RUN_RATE = "none"
    actuals(account, "600000")
    make_objective(account, target_value=Decimal("800000"))
    data = api_as(kam).get("/api/v1/objectives/").json()
    forecast = data["results"][0]["forecast"] if "results" in data else data[0]["forecast"]
    for part in (
        "actual",
        "won_not_invoiced",
        "weighted_pipeline",
        "run_rate",
        "days_to_come",
        "total",
        "gap",
        "pipeline_needed",
    ):
        assert part in forecast, part
