"""The head of sales' home block "Biggest deals closing this quarter"."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from deals.home import LIMIT, big_deals_this_quarter, quarter_bounds
from tests.conftest import client_for
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

URL = reverse("home_block", args=["big_deals"])


def test_the_biggest_open_deals_of_the_quarter_first(head_of_sales, account):
    start, end = quarter_bounds(timezone.localdate())
    for n in range(LIMIT + 2):
        make_opportunity(
            account=account,
            title=f"Auftrag {n}",
            value=Decimal(1000 * (n + 1)),
            expected_close_date=start + timedelta(days=n),
        )
    make_opportunity(
        account=account, title="Gewonnen", value=Decimal(10**6), stage="won",
        expected_close_date=start,
    )  # fmt: skip
    make_opportunity(
        account=account, title="Nächstes Quartal", value=Decimal(10**6), expected_close_date=end
    )

    html = client_for(head_of_sales).get(URL, HTTP_HX_REQUEST="true").content.decode()

    shown = [f"Auftrag {n}<" for n in range(LIMIT + 1, 1, -1)]
    assert [html.index(title) for title in shown] == sorted(html.index(t) for t in shown)
    assert "Auftrag 1<" not in html and "Auftrag 0<" not in html
    assert "Gewonnen" not in html and "Nächstes Quartal" not in html
    assert account.name in html


def test_no_deal_of_an_account_outside_the_scope(kam, other_kam, account):
    theirs = make_account(owner=other_kam, name="Fremdfirma")
    start, _end = quarter_bounds(timezone.localdate())
    make_opportunity(account=theirs, title="Fremd", expected_close_date=start)
    mine = make_opportunity(account=account, title="Eigen", expected_close_date=start)

    assert big_deals_this_quarter(user=kam)["deals"] == [mine]
