"""The cockpit's and dashboard's figures come from the cache until something changes."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Account
from activities import services as activity_services
from tests.conftest import client_for
from tests.factories import make_account
from tests.portfolio.conftest import YEAR, put

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("process_cache")]


COCKPIT = reverse("portfolio:cockpit")
DASHBOARD = reverse("portfolio:dashboard")


def _queries_with(marker: str, client, url, **params) -> tuple[str, int]:
    """The page, and how many of its queries contain `marker`."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    reads = sum(marker in q["sql"] for q in captured.captured_queries)
    return response.content.decode(), reads


def _figure_queries(client, url, **params) -> tuple[str, int]:
    return _queries_with("accounts_yearlyfigures", client, url, **params)


def test_a_second_view_of_the_cockpit_reads_no_figures(portfolio, head_client):
    first, reads = _figure_queries(head_client, COCKPIT, year=YEAR)
    assert reads > 0
    second, reads = _figure_queries(head_client, COCKPIT, year=YEAR)
    assert reads == 0
    assert "4.350" in second and "60,0 %" in second  # the same HHI and share


def test_saved_figures_show_at_once(portfolio, head_client):
    assert "4.350" in head_client.get(COCKPIT, {"year": YEAR}).content.decode()
    put(portfolio["dorn"], 1_050_000, 5_000)  # Dorn now 1.05 M of 2 M: HHI changes
    html, reads = _figure_queries(head_client, COCKPIT, year=YEAR)
    assert reads > 0
    assert "4.350" not in html


def test_each_key_account_manager_has_their_own_cached_portfolio(portfolio, kam, other_kam):
    mine = client_for(kam).get(COCKPIT, {"year": YEAR}).content.decode()
    theirs = client_for(other_kam).get(COCKPIT, {"year": YEAR}).content.decode()
    assert "Bauer GmbH" in mine and "Bauer GmbH" not in theirs
    assert "Weber Holding AG" in theirs and "Weber Holding AG" not in mine


def test_the_dashboard_is_cached_per_filter(portfolio, head_client):
    _figure_queries(head_client, DASHBOARD, year=YEAR)
    _, reads = _figure_queries(head_client, DASHBOARD, year=YEAR)
    assert reads == 0
    html, reads = _figure_queries(head_client, DASHBOARD, year=YEAR, country="x", tier="A")
    assert reads > 0  # another filter: computed


def test_the_cache_can_be_turned_off(portfolio, head_client, settings):
    settings.VERSIONED_CACHE_SECONDS = 0
    _figure_queries(head_client, COCKPIT, year=YEAR)
    _, reads = _figure_queries(head_client, COCKPIT, year=YEAR)
    assert reads > 0


def test_logging_a_contact_keeps_the_cockpit_but_refreshes_the_dashboard(portfolio, head_client):
    _figure_queries(head_client, COCKPIT, year=YEAR)
    _figure_queries(head_client, DASHBOARD, year=YEAR)
    bauer = portfolio["bauer"]
    activity_services.activity_log(
        actor=bauer.owner, account=bauer, occurred_at=timezone.now(), subject="Rückruf"
    )
    assert _figure_queries(head_client, COCKPIT, year=YEAR)[1] == 0
    assert _figure_queries(head_client, DASHBOARD, year=YEAR)[1] > 0


def test_status_suggestions_are_cached_until_a_decision(portfolio, head_client):
    suggestions = reverse("portfolio:suggestions")
    bauer = portfolio["bauer"]
    html, reads = _figure_queries(head_client, suggestions, year=YEAR)
    assert reads > 0 and f'data-testid="suggestion-{bauer.pk}"' in html
    _, reads = _figure_queries(head_client, suggestions, year=YEAR)
    assert reads == 0
    head_client.post(
        reverse("portfolio:suggestion_reject", args=[bauer.pk]) + f"?year={YEAR}",
        {"reason": "Einmaliges Projekt"},
    )
    html, reads = _figure_queries(head_client, suggestions, year=YEAR)
    assert reads > 0 and f'data-testid="suggestion-{bauer.pk}"' not in html


DRILL = reverse("portfolio:dashboard_accounts")


def _counts(client, **params) -> tuple[str, int]:
    return _queries_with("COUNT(*)", client, DRILL, **params)


def test_a_drill_down_counts_its_accounts_once_until_a_write(kam, head_client):
    silent = [
        make_account(owner=kam, name=f"Stillkunde {n:02d}", status=Account.Status.STANDARD)
        for n in range(26)
    ]
    html, counts = _counts(head_client, metric="no_contact")
    assert counts == 1 and "Seite 1 von 2" in html
    html, counts = _counts(head_client, metric="no_contact", page=2)
    assert counts == 0 and "Stillkunde 25" in html  # the 26th on the second page

    activity_services.activity_log(
        actor=kam, account=silent[0], occurred_at=timezone.now(), subject="Anruf"
    )
    html, counts = _counts(head_client, metric="no_contact")
    assert counts == 1 and "Seite 1 von 1" in html and "Stillkunde 00" not in html


def test_a_new_region_is_offered_in_the_dashboard_filter_at_once(portfolio, head_client):
    assert "Ostwestfalen" not in head_client.get(DASHBOARD).content.decode()
    dorn = portfolio["dorn"]
    account_services.account_update(actor=dorn.owner, account=dorn, region="Ostwestfalen")
    assert "Ostwestfalen" in head_client.get(DASHBOARD).content.decode()


def test_signing_in_keeps_the_figures_cached(portfolio, head_client, kam):
    _figure_queries(head_client, COCKPIT, year=YEAR)
    client_for(kam)  # signs in: saves the user's last_login
    assert _figure_queries(head_client, COCKPIT, year=YEAR)[1] == 0


def test_accounts_that_fell_silent_without_a_signal_are_listed_past_the_cached_count(
    kam, head_client
):
    accounts = [
        make_account(owner=kam, name=f"Kunde {n:02d}", status=Account.Status.STANDARD)
        for n in range(30)
    ]
    Account.objects.filter(pk__in=[a.pk for a in accounts]).update(last_contacted_at=timezone.now())
    html, counts = _counts(head_client, metric="no_contact")
    assert counts == 1 and "Kunde 00" not in html  # counted: none is silent
    # The hourly refresh moves the last contact back without a signal: the cached count
    # (0) is stale, yet every silent account is listed, the second page too.
    Account.objects.filter(pk__in=[a.pk for a in accounts]).update(
        last_contacted_at=timezone.now() - timedelta(days=400)
    )
    html, counts = _counts(head_client, metric="no_contact")
    assert counts == 0 and "Kunde 00" in html and "Kunde 24" in html and "Seite 1 von 2" in html
    html, counts = _counts(head_client, metric="no_contact", page=2)
    assert "Kunde 29" in html and "Seite 2 von 2" in html
