"""Issue 27: one figure is called forecast (the objective's: actual + won not invoiced +
weighted pipeline + run-rate); the dashboard's actual + weighted pipeline has its own
name; the account header and the opportunities tab say whose open pipeline they show."""

from decimal import Decimal

import pytest
from django.urls import reverse

from portfolio import dashboard
from tests.conftest import client_for
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity

pytestmark = pytest.mark.django_db


def test_the_dashboard_does_not_call_actual_plus_pipeline_a_forecast(portfolio, head_client):
    html = head_client.get(reverse("portfolio:dashboard")).text
    assert 'data-testid="actual-and-pipeline"' in html
    assert "Ist + gewichtete Pipeline" in html
    assert "<dt>Prognose</dt>" not in html
    assert not hasattr(dashboard.Totals, "forecast")


def test_header_and_opportunities_tab_say_whose_pipeline(portfolio, other_kam):
    ensure_default_stages()
    weber, weber_fr = portfolio["weber"], portfolio["weber_fr"]
    make_opportunity(account=weber, stage="proposal", value=Decimal("100000"))
    make_opportunity(account=weber_fr, stage="proposal", value=Decimal("300000"))
    client = client_for(other_kam)
    header = client.get(reverse("accounts:detail", args=[weber.pk])).text
    assert "Offene Pipeline der Gruppe" in header
    panel = client.get(reverse("deals:account_panel", args=[weber.pk]), HTTP_HX_REQUEST="true").text
    assert "Offene Pipeline dieses Kunden" in panel
    # An account without subsidiaries: its own.
    single = client.get(reverse("accounts:detail", args=[weber_fr.pk])).text
    assert "Offene Pipeline dieses Kunden" in single
