"""The board's stage totals sum every deal of the scope: they come from the cache until a
deal, an account, a team or a user changes, per scope and filter."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services as account_services
from tests.conftest import client_for
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

PIPELINE = reverse("deals:pipeline")

pytestmark = pytest.mark.usefixtures("process_cache")


def _board(client, **params) -> tuple[str, int]:
    """The proposal column's HTML, and how many queries summed deal values."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PIPELINE, params)
    assert response.status_code == 200
    html = response.content.decode()
    column = html[html.index('id="stage-proposal"') : html.index('id="stage-negotiation"')]
    sums = sum('SUM("deals_opportunity"."value")' in q["sql"] for q in captured.captured_queries)
    return column, sums


def test_the_totals_are_summed_once_until_a_deal_changes(kam, account, stages):
    client = client_for(kam)
    deal = make_opportunity(account=account, stage="proposal", value=Decimal("100000"))
    column, sums = _board(client)
    assert sums == 1 and "100.000 €" in column
    column, sums = _board(client)
    assert sums == 0 and "100.000 €" in column

    make_opportunity(account=account, stage="proposal", value=Decimal("20000"))
    column, sums = _board(client)
    assert sums == 1 and "120.000 €" in column

    client.post(reverse("deals:move", args=[deal.pk]), {"stage": stages["negotiation"].pk})
    column, _ = _board(client)
    assert "20.000 €" in column and "120.000 €" not in column


def test_each_scope_and_filter_has_its_own_totals(kam, other_kam, head_of_sales, account, stages):
    theirs = make_account(owner=other_kam, name="Nordlicht Logistik")
    make_opportunity(account=account, stage="proposal", value=Decimal("100000"))
    make_opportunity(account=theirs, stage="proposal", value=Decimal("7000"))

    assert "107.000 €" in _board(client_for(head_of_sales))[0]
    assert "100.000 €" in _board(client_for(kam))[0]
    assert "7.000 €" in _board(client_for(other_kam))[0]
    filtered, sums = _board(client_for(head_of_sales), account=theirs.pk)
    assert sums == 1 and "7.000 €" in filtered and "107.000 €" not in filtered


def test_a_new_team_member_sees_the_accounts_deals_in_the_totals_at_once(
    kam, sales_rep, account, stages
):
    make_opportunity(account=account, stage="proposal", value=Decimal("100000"))
    assert "100.000 €" not in _board(client_for(sales_rep))[0]
    account_services.team_member_set(
        actor=kam, account=account, user=sales_rep, role="sales_rep", can_edit=False
    )
    assert "100.000 €" in _board(client_for(sales_rep))[0]


def test_a_filter_that_matches_nothing_has_totals_of_its_own(head_of_sales, account, stages):
    make_opportunity(account=account, stage="proposal", value=Decimal("100000"))
    client = client_for(head_of_sales)
    nothing, _ = _board(client, account=account.pk + 1000)  # no account has this id
    assert "100.000 €" not in nothing
    everything, sums = _board(client)
    assert sums == 1 and "100.000 €" in everything
