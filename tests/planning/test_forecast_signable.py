"""Issue 27, forecast: winning a deal never lowers the forecast at any time of day, and
the run-rate covers the days of the year still to come, not whole months."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts import services as account_services
from deals import services as deal_services
from deals.models import Stage
from planning.action_plan import selectors
from tests.factories import make_account
from tests.planning.action_plan_helpers import YEAR, make_objective, open_deal

pytestmark = pytest.mark.usefixtures("stages")


def annotated(user, objective):
    return selectors.decorate(selectors.objective_list(user).filter(pk=objective.pk))[0]


def test_deal_won_after_the_mornings_push_does_not_lower_the_forecast(settings, kam, account):
    settings.FORECAST_RUN_RATE = "none"
    # The ERP's morning push, without a date: the actuals stand at the moment of the push.
    account_services.figures_put(
        actor=kam, account=account, year=YEAR, revenue=Decimal("900"),
        contribution_margin=Decimal("0"),
    )  # fmt: skip
    deal = open_deal(account, "1000", 50)
    objective = make_objective(account, target_value=Decimal("2000"))
    before = annotated(kam, objective).forecast
    assert before.total == Decimal("1400.00")

    # Won in the afternoon of the same day: not in the pushed actuals yet.
    deal_services.opportunity_move(
        actor=kam, opportunity=deal, stage=Stage.objects.get(key="won"), reason="Preis"
    )
    after = annotated(kam, objective).forecast

    assert after.won_not_invoiced == Decimal("1000.00")
    assert after.total == Decimal("1900.00")


def test_deal_won_before_the_push_counts_as_invoiced(settings, kam, account):
    settings.FORECAST_RUN_RATE = "none"
    deal = open_deal(account, "1000", 50)
    deal_services.opportunity_move(
        actor=kam, opportunity=deal, stage=Stage.objects.get(key="won"), reason="Preis"
    )
    # The ERP pushes later the same day, with the deal's invoice in the revenue.
    account_services.figures_put(
        actor=kam, account=account, year=YEAR, revenue=Decimal("1900"),
        contribution_margin=Decimal("0"),
    )  # fmt: skip
    objective = make_objective(account, target_value=Decimal("2000"))
    forecast = annotated(kam, objective).forecast
    assert forecast.won_not_invoiced == Decimal("0.00")
    assert forecast.total == Decimal("1900.00")


def _days_in(year):
    return (date(year, 12, 31) - date(year, 1, 1)).days + 1


def test_run_rate_counts_the_days_left_in_december(settings, kam, account):
    settings.FORECAST_RUN_RATE = "last_year"
    account_services.figures_put(
        actor=kam, account=account, year=YEAR - 1, revenue=Decimal("3650000"),
        contribution_margin=Decimal("0"), actuals_as_of=date(YEAR - 1, 12, 31),
    )  # fmt: skip
    account_services.figures_put(
        actor=kam, account=account, year=YEAR, revenue=Decimal("3400000"),
        contribution_margin=Decimal("0"), actuals_as_of=date(YEAR, 12, 7),
    )  # fmt: skip
    objective = make_objective(account, target_value=Decimal("3650000"))
    forecast = annotated(kam, objective).forecast
    # 8 to 31 December: 24 days of last year's 3.65 M € a year.
    assert forecast.days_to_come == 24
    expected = (Decimal("3650000") * 24 / _days_in(YEAR)).quantize(Decimal("0.01"))
    assert forecast.run_rate == expected
    assert forecast.total == Decimal("3400000.00") + expected


def test_group_objective_compares_the_group_with_the_group_target(settings, kam, account, client):
    settings.FORECAST_RUN_RATE = "none"
    subsidiary = make_account(owner=kam, parent=account, name="Tochter")
    account_services.figures_put(
        actor=kam, account=account, year=YEAR, revenue=Decimal("600"),
        contribution_margin=Decimal("0"),
    )  # fmt: skip
    account_services.figures_put(
        actor=kam, account=subsidiary, year=YEAR, revenue=Decimal("700"),
        contribution_margin=Decimal("0"), revenue_target=Decimal("500"),
    )  # fmt: skip
    # The objective sets the parent's own target (1,000); the group's is 1,000 + 500.
    objective = make_objective(account, target_value=Decimal("1000"))
    row = annotated(kam, objective)
    forecast = row.forecast
    assert forecast.actual == Decimal("1300.00")
    assert forecast.target == Decimal("1500.00")
    assert forecast.target_scope == "group"
    assert forecast.percent == Decimal("86.7")  # not 130 % against the parent's own target
    assert row.progress.figures_percent == Decimal("86.7")
    # The subsidiary's own objective: its own revenue against its own target.
    own = annotated(kam, make_objective(subsidiary, target_value=Decimal("500"))).forecast
    assert (own.actual, own.target, own.target_scope) == (
        Decimal("700.00"), Decimal("500.00"), "own",
    )  # fmt: skip
    client.force_login(kam)
    html = client.get(
        reverse("planning:action_plan_account_section", args=[account.pk]), {"year": YEAR}
    ).text
    assert "Zielwert der Gruppe" in html
