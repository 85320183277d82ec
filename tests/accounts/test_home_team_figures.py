"""The head of sales' home block "Team figures against target": this year's sums, kept in
the figures cache until figures, accounts, teams or users change."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.home import team_figures
from accounts.models import YearlyFigures
from accounts.selectors import current_year
from activities import services as activity_services
from tests.factories import make_account

pytestmark = pytest.mark.usefixtures("process_cache")


def _figures(revenue, account, year=None):
    return YearlyFigures.objects.create(
        account=account, year=year or current_year(), revenue=revenue, revenue_target=1000,
        contribution_margin=revenue // 10, margin_target=100,
    )  # fmt: skip


def _team_figures(user) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as captured:
        figures = team_figures(user=user)
    return figures, len(captured.captured_queries)


def test_this_years_figures_of_every_account_summed_against_the_targets(
    head_of_sales, kam, other_kam
):
    for owner, revenue in ((kam, 300), (other_kam, 500)):
        account = make_account(owner=owner, name=f"Kunde {revenue}")
        _figures(revenue, account)
        YearlyFigures.objects.create(account=account, year=current_year() - 1, revenue=99_999)

    figures = team_figures(user=head_of_sales)

    assert figures["revenue"] == Decimal("800") and figures["revenue_target"] == Decimal("2000")
    assert figures["revenue_percent"] == Decimal("40")
    assert figures["margin"] == Decimal("80") and figures["margin_percent"] == Decimal("40")


def test_the_sums_come_from_the_cache_until_figures_change(head_of_sales, kam):
    account = make_account(owner=kam)
    row = _figures(300, account)
    first, queries = _team_figures(head_of_sales)
    assert first["revenue"] == Decimal("300") and queries == 1

    again, queries = _team_figures(head_of_sales)
    assert again["revenue"] == Decimal("300") and queries == 0

    # Logging a contact changes no figure: still cached.
    activity_services.activity_log(
        actor=kam, account=account, occurred_at=timezone.now(), subject="Rückruf"
    )
    assert _team_figures(head_of_sales)[1] == 0

    account_services.figures_patch(actor=kam, figures=row, revenue=700)
    changed, queries = _team_figures(head_of_sales)
    assert changed["revenue"] == Decimal("700") and queries == 1


def test_each_scope_has_its_own_sums(head_of_sales, kam, other_kam):
    _figures(300, make_account(owner=kam))
    _figures(500, make_account(owner=other_kam))
    assert team_figures(user=head_of_sales)["revenue"] == Decimal("800")
    assert team_figures(user=kam)["revenue"] == Decimal("300")
    assert team_figures(user=other_kam)["revenue"] == Decimal("500")


def test_a_new_team_member_sees_the_accounts_sums_at_once(kam, other_kam, head_of_sales):
    account = make_account(owner=kam)
    _figures(300, account)
    assert team_figures(user=other_kam)["revenue"] == Decimal("0")
    account_services.team_member_set(
        actor=head_of_sales, account=account, user=other_kam, role="sales_rep", can_edit=False
    )
    assert team_figures(user=other_kam)["revenue"] == Decimal("300")
