"""A whitespace cell follows its deal: won → sold with the deal's value, lost → held by
the competitor it was lost to."""

from decimal import Decimal as D

import pytest

from accounts.models import ProductLine
from deals import services as deal_services
from deals.models import Stage
from planning.models import WhitespaceCell
from planning.whitespace import selectors, services
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity

State = WhitespaceCell.State


@pytest.fixture(autouse=True)
def _stages(db):
    ensure_default_stages()


@pytest.fixture
def open_cell(account, kam):
    line = ProductLine.objects.create(name="Sensorik")
    unit = services.unit_create(actor=kam, account=account, name="Werk Nord")
    deal = make_opportunity(account=account, value=D("80000"))
    cell, _created = services.cell_set(
        actor=kam, account=account, business_unit=unit, product_line=line,
        state=State.OPEN, potential=D("120000"), opportunity=deal,
    )  # fmt: skip
    return cell


def test_won_deal_makes_its_cell_sold_with_the_deals_value(account, kam, open_cell):
    deal_services.opportunity_move(
        actor=kam,
        opportunity=open_cell.opportunity,
        stage=Stage.objects.get(key="won"),
        reason="Bester Preis",
    )
    open_cell.refresh_from_db()
    assert open_cell.state == State.SOLD
    assert open_cell.revenue == D("80000")
    assert open_cell.potential is None
    _per_unit, _per_line, total = selectors.matrix_totals(account)
    assert total.potential == D("0")


def test_lost_deal_hands_its_cell_to_the_competitor(account, kam, open_cell):
    rival = deal_services.competitor_create(actor=kam, name="Wettbewerb GmbH")
    deal_services.opportunity_move(
        actor=kam,
        opportunity=open_cell.opportunity,
        stage=Stage.objects.get(key="lost"),
        reason="Preis zu hoch",
        lost_to=rival,
    )
    open_cell.refresh_from_db()
    assert open_cell.opportunity.lost_to == rival
    assert open_cell.state == State.COMPETITOR
    assert open_cell.competitor == rival


def test_lost_to_is_only_for_lost_deals(account, kam):
    rival = deal_services.competitor_create(actor=kam, name="Wettbewerb GmbH")
    deal = make_opportunity(account=account)
    deal = deal_services.opportunity_move(
        actor=kam, opportunity=deal, stage=Stage.objects.get(key="won"), reason="Preis",
        lost_to=rival,
    )  # fmt: skip
    assert deal.lost_to is None
