"""Win/loss by competitor on constructed deals: counts, value, win rate, reasons, the
period, region and industry filters, the scope, the page and the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from deals import services, win_loss
from deals.models import Stage
from tests.conftest import client_for
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

PAGE = reverse("deals:win_loss")
API = reverse("api-win-loss")


def closed(kam, account, *, key, value, against, reason, days_ago=10, lost_to=None):
    deal = make_opportunity(account=account, stage="negotiation", value=Decimal(value))
    for competitor in against:
        services.opportunity_competitor_set(actor=kam, opportunity=deal, competitor=competitor)
    services.opportunity_move(
        actor=kam,
        opportunity=deal,
        stage=Stage.objects.get(key=key),
        reason=reason,
        closed_on=timezone.localdate() - timedelta(days=days_ago),
        lost_to=lost_to,
    )
    return deal


@pytest.fixture
def register(kam):
    return {
        name: services.competitor_create(actor=kam, name=name)
        for name in ("Nordtec AG", "Kessler Antriebe GmbH", "Vexa Industrial")
    }


@pytest.fixture
def constructed(kam, other_kam, account, register):
    """Nordtec: won twice (30,000 and 20,000 €), lost once (50,000 €, to them); Kessler:
    lost once; Vexa only on an old deal (outside the period) and on another KAM's deal."""
    nordtec, kessler, vexa = register.values()
    south = make_account(owner=kam, name="Süd GmbH", region="Süd", industry="Chemie")
    closed(kam, account, key="won", value="30000", against=[nordtec], reason="Schneller")
    closed(kam, south, key="won", value="20000", against=[nordtec, kessler], reason="Service")
    closed(
        kam, account, key="lost", value="50000", against=[nordtec], reason="Preis", lost_to=nordtec
    )
    closed(kam, south, key="lost", value="7000", against=[kessler], reason="Lieferzeit")
    closed(kam, account, key="won", value="1000", against=[vexa], reason="Alt", days_ago=500)
    foreign = make_account(owner=other_kam, name="Fremdkunde AG")
    closed(other_kam, foreign, key="won", value="999000", against=[vexa], reason="Geheim")
    return register


def by_name(results):
    return {r.competitor.name: r for r in results}


def this_year():
    today = timezone.localdate()
    return {"start": today - timedelta(days=365), "end": today}


def test_counts_value_win_rate_and_reasons_per_competitor(kam, constructed):
    results = by_name(win_loss.win_loss(kam, **this_year()))

    nordtec = results["Nordtec AG"]
    assert (nordtec.won_count, nordtec.won_value) == (2, Decimal("50000"))
    assert (nordtec.lost_count, nordtec.lost_value, nordtec.lost_to_them) == (
        1,
        Decimal("50000"),
        1,
    )
    assert nordtec.win_rate == Decimal("66.7")
    assert {(r.won, r.text) for r in nordtec.reasons} == {
        (True, "Schneller"),
        (True, "Service"),
        (False, "Preis"),
    }
    kessler = results["Kessler Antriebe GmbH"]
    assert (kessler.won_count, kessler.lost_count, kessler.win_rate) == (1, 1, Decimal("50.0"))
    assert "Vexa Industrial" not in results  # its deal is older, the other is out of scope


def test_head_of_sales_sees_every_deal_kam_only_their_own(head_of_sales, kam, constructed):
    everything = by_name(win_loss.win_loss(head_of_sales, **this_year()))
    assert everything["Vexa Industrial"].won_value == Decimal("999000")


def test_filters_by_region_industry_competitor_and_period(kam, constructed):
    south = by_name(win_loss.win_loss(kam, **this_year(), region="Süd"))
    chemistry = by_name(win_loss.win_loss(kam, **this_year(), industry="Chemie"))
    nordtec = constructed["Nordtec AG"]
    only = win_loss.win_loss(kam, **this_year(), competitor_id=nordtec.pk)
    today = timezone.localdate()
    old = by_name(win_loss.win_loss(kam, start=today - timedelta(days=600), end=today))

    assert south["Nordtec AG"].won_count == 1 and south["Nordtec AG"].lost_count == 0
    assert south["Kessler Antriebe GmbH"].lost_count == 1
    assert chemistry.keys() == south.keys()
    assert [r.competitor for r in only] == [nordtec]
    assert old["Vexa Industrial"].won_count == 1


def test_page_lists_competitors_in_scope_and_reasons(kam, constructed):
    html = client_for(kam).get(PAGE).content.decode()

    assert "Nordtec AG" in html and "66,7 %" in html and "Preis" in html
    assert "Geheim" not in html and "999.000" not in html
    assert "Gewonnen" in html and "Gewinnquote" in html


def test_deal_page_links_its_competitor_to_win_loss(kam, account, register):
    deal = make_opportunity(account=account, stage="proposal")
    nordtec = register["Nordtec AG"]
    services.opportunity_competitor_set(actor=kam, opportunity=deal, competitor=nordtec)

    html = client_for(kam).get(reverse("deals:detail", args=[deal.pk])).content.decode()

    assert f'href="{PAGE}?competitor={nordtec.pk}"' in html


def test_api_gives_the_same_figures_and_rejects_a_bad_period(kam, constructed):
    client = client_for(kam)
    data = client.get(API).json()
    rows = {row["competitor_name"]: row for row in data}
    assert Decimal(rows["Nordtec AG"]["win_rate"]) == Decimal("66.7")
    assert Decimal(rows["Nordtec AG"]["lost_value"]) == Decimal("50000")
    assert "Vexa Industrial" not in rows

    today = timezone.localdate()
    bad = client.get(API, {"start": today.isoformat(), "end": (today - timedelta(days=1))})
    assert bad.status_code == 400


def test_page_and_api_queries_do_not_grow_with_competitors(
    kam, account, constructed, django_assert_max_num_queries
):
    client = client_for(kam)
    with CaptureQueriesContext(connection) as page:
        client.get(PAGE)
    with CaptureQueriesContext(connection) as api:
        client.get(API)
    for index in range(4):
        rival = services.competitor_create(actor=kam, name=f"Rivale {index}")
        closed(kam, account, key="lost", value="1000", against=[rival], reason="Preis")
    with django_assert_max_num_queries(len(page.captured_queries)):
        client.get(PAGE)
    with django_assert_max_num_queries(len(api.captured_queries)):
        client.get(API)
