"""The head of sales' home block "Team figures against target": this year's sums."""

from decimal import Decimal

from accounts.home import team_figures
from accounts.models import YearlyFigures
from accounts.selectors import current_year
from tests.factories import make_account


def test_this_years_figures_of_every_account_summed_against_the_targets(
    head_of_sales, kam, other_kam
):
    year = current_year()
    for owner, revenue in ((kam, 300), (other_kam, 500)):
        account = make_account(owner=owner, name=f"Kunde {revenue}")
        YearlyFigures.objects.create(
            account=account, year=year, revenue=revenue, revenue_target=1000,
            contribution_margin=revenue // 10, margin_target=100,
        )  # fmt: skip
        YearlyFigures.objects.create(account=account, year=year - 1, revenue=99_999)

    figures = team_figures(user=head_of_sales)

    assert figures["revenue"] == Decimal("800") and figures["revenue_target"] == Decimal("2000")
    assert figures["revenue_percent"] == Decimal("40")
    assert figures["margin"] == Decimal("80") and figures["margin_percent"] == Decimal("40")
