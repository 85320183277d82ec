"""The group figures of objectives (actual revenue and margin, last year's revenue, potential,
the subsidiaries' targets, the actuals' day) are read for the listed objectives in one query:
the same values as the group's figures summed per objective in SQL, also for a group whose
subsidiaries have figures in several years and one of which moved to another group.

Holding Hartmann (H) with Süd GmbH (S, below H) and its Werk Ulm (W, below S); Mitte KG (M)
stood below H until this year's move to Otto AG (O). Revenue per year (this year, last year,
the year before):

    H 100.10 / 90.00 / 80.00    S 40.20 / 30.00 / 20.00    W 5.05 / 4.00 / 3.00
    M 60.00 / 50.00 / 45.00     O 7.00 / 6.00 / none
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Max, Sum
from django.utils import timezone

from accounts import hierarchy
from accounts import services as account_services
from accounts.models import YearlyFigures
from planning.action_plan import selectors
from planning.models import Objective
from tests.factories import make_account
from tests.planning.test_action_plan_api import OBJECTIVES, api

YEAR = timezone.localdate().year
D = Decimal
REVENUE = {
    "h": {YEAR: "100.10", YEAR - 1: "90.00", YEAR - 2: "80.00"},
    "s": {YEAR: "40.20", YEAR - 1: "30.00", YEAR - 2: "20.00"},
    "w": {YEAR: "5.05", YEAR - 1: "4.00", YEAR - 2: "3.00"},
    "m": {YEAR: "60.00", YEAR - 1: "50.00", YEAR - 2: "45.00"},
    "o": {YEAR: "7.00", YEAR - 1: "6.00"},
}
# Targets and potentials of this year and last year; None: not set.
TARGETS = {"h": "300.00", "s": "70.00", "w": None, "m": "90.00", "o": "10.00"}
POTENTIALS = {"h": "500.00", "s": None, "w": "20.00", "m": "200.00", "o": None}
AS_OF = {"h": 3, "s": 1, "w": 10, "m": 0, "o": 5}  # days before today


@pytest.fixture
def accounts(head_of_sales):
    h = make_account(owner=head_of_sales, name="Holding Hartmann")
    s = make_account(owner=head_of_sales, name="Süd GmbH", parent=h)
    w = make_account(owner=head_of_sales, name="Werk Ulm", parent=s)
    m = make_account(owner=head_of_sales, name="Mitte KG", parent=h)
    o = make_account(owner=head_of_sales, name="Otto AG")
    found = {"h": h, "s": s, "w": w, "m": m, "o": o}
    today = timezone.localdate()
    for key, years in REVENUE.items():
        for year, revenue in years.items():
            planned = year >= YEAR - 1
            target, potential = TARGETS[key], POTENTIALS[key]
            account_services.figures_put(
                actor=head_of_sales,
                account=found[key],
                year=year,
                revenue=D(revenue),
                contribution_margin=D(revenue) - 1,
                actuals_as_of=today - timedelta(days=AS_OF[key])
                if year == YEAR
                else date(year, 12, 31),
                revenue_target=D(target) if planned and target else None,
                revenue_potential=D(potential) if planned and potential else None,
            )
    account_services.account_update(actor=head_of_sales, account=m, parent=o)
    for account in found.values():
        account.refresh_from_db()
    return found


def _objective(account, year, owner):
    return Objective.objects.create(
        account=account, year=year, kind=Objective.Kind.REVENUE, title=f"Umsatz {year}",
        target_value=D("100"), owner=owner, due_on=date(year, 12, 31),
    )  # fmt: skip


def summed_per_objective(objective: Objective) -> dict:
    """The group figures as with_forecast summed them before: per objective, in SQL, over
    the figures of the group as it stood at the end of the objective's year."""

    def figures(years_back=0):
        return hierarchy.figures_in_group(
            YearlyFigures.objects.filter(year=objective.year - years_back),
            group_id=objective.account_id,
            group_path=objective.account.path,
            year=objective.year,
        ).order_by()

    this_year = figures().aggregate(
        revenue=Sum("revenue"),
        margin=Sum("contribution_margin"),
        potential=Sum("revenue_potential"),
        as_of=Max("actuals_as_of"),
    )
    return {
        "actual_revenue": this_year["revenue"] or D(0),
        "actual_margin": this_year["margin"] or D(0),
        "last_year_revenue": figures(1).aggregate(t=Sum("revenue"))["t"] or D(0),
        "potential": this_year["potential"],
        "subsidiaries_revenue_target": figures()
        .exclude(account_id=objective.account_id)
        .aggregate(t=Sum("revenue_target"))["t"],
        "covered_revenue": figures()
        .filter(revenue_potential__isnull=False)
        .aggregate(t=Sum("revenue"))["t"],
        "figures_as_of": this_year["as_of"],
    }


def test_group_figures_are_the_sums_of_the_group_of_each_objectives_year(
    accounts, head_of_sales, django_assert_max_num_queries
):
    objectives = [
        _objective(accounts[key], year, head_of_sales)
        for key in ("h", "s", "w", "m", "o")
        for year in (YEAR, YEAR - 1)
    ]
    # Every objective of a group of several accounts.
    rows = {row.pk: row for row in selectors.objective_list(head_of_sales)}
    assert len(rows) == len(objectives)
    for objective in objectives:
        row = rows[objective.pk]
        expected = summed_per_objective(row)
        assert {name: getattr(row, name) for name in expected} == expected, row

    # By hand: this year, Hartmann holds Süd and Werk Ulm; Mitte KG moved to Otto AG.
    hartmann = rows[objectives[0].pk]
    assert hartmann.actual_revenue == D("145.35")  # 100.10 + 40.20 + 5.05
    assert hartmann.last_year_revenue == D("124.00")  # 90 + 30 + 4, Mitte KG left out
    assert hartmann.subsidiaries_revenue_target == D("70.00")
    assert hartmann.potential == D("520.00") and hartmann.covered_revenue == D("105.15")
    assert hartmann.figures_as_of == timezone.localdate() - timedelta(days=1)
    # Last year, Mitte KG stood below Hartmann, in its run-rate base as well.
    last_year = rows[objectives[1].pk]
    assert last_year.actual_revenue == D("174.00")  # 90 + 30 + 4 + 50
    assert last_year.last_year_revenue == D("148.00")  # 80 + 20 + 3 + 45
    assert last_year.subsidiaries_revenue_target == D("160.00")  # Süd 70 + Mitte 90
    otto = rows[objectives[8].pk]
    assert (otto.actual_revenue, otto.last_year_revenue) == (D("67.00"), D("56.00"))

    # The API shows the same forecast, with all objectives in a constant number of queries.
    with django_assert_max_num_queries(6):
        items = api(head_of_sales).get(OBJECTIVES).json()["results"]
    forecasts = {item["id"]: item["forecast"] for item in items}
    assert len(forecasts) == len(objectives)
    assert forecasts[hartmann.pk]["actual"] == "145.35"
    assert forecasts[hartmann.pk]["target"] == "170.00"  # 100 own + 70 of Süd
    assert forecasts[last_year.pk]["actual"] == "174.00"
    assert forecasts[last_year.pk]["target"] == "260.00"  # 100 + 70 + 90
    for objective in objectives:
        forecast = selectors.forecast_of(rows[objective.pk])
        assert forecast is not None
        assert forecasts[objective.pk]["actual"] == str(forecast.actual)
        assert forecasts[objective.pk]["run_rate"] == str(forecast.run_rate)
        assert forecasts[objective.pk]["total"] == str(forecast.total)
