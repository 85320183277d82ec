"""Whitespace services and the matrix selector: rules per state, the account boundary, and
totals computed in SQL against hand-computed sums."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import ProductLine
from deals import services as deal_services
from planning.models import WhitespaceCell
from planning.whitespace import selectors, services
from tests.deals.conftest import ensure_default_stages
from tests.deals.helpers import make_opportunity
from tests.factories import make_account

State = WhitespaceCell.State


@pytest.fixture(autouse=True)
def _stages(db):
    ensure_default_stages()


@pytest.fixture
def lines(db):
    return [ProductLine.objects.create(name=name) for name in ("Antriebe", "Sensorik", "Service")]


def cell(account, unit, line, state, **fields):
    return services.cell_set(
        actor=account.owner, account=account, business_unit=unit, product_line=line,
        state=state, **fields,
    )[0]  # fmt: skip


def test_totals_per_row_column_and_overall_match_hand_computed_sums(account, kam, lines):
    antriebe, sensorik, service = lines
    stuttgart = services.unit_create(actor=kam, account=account, name="Werk Stuttgart")
    leipzig = services.unit_create(actor=kam, account=account, name="Werk Leipzig")
    nordtec = deal_services.competitor_create(actor=kam, name="Nordtec AG")
    cell(account, stuttgart, antriebe, State.SOLD, revenue=D("500000"))
    cell(account, stuttgart, sensorik, State.OPEN, potential=D("120000"))
    cell(account, stuttgart, service, State.COMPETITOR, potential=D("80000"), competitor=nordtec)
    cell(account, leipzig, antriebe, State.UNKNOWN, potential=D("40000"))
    cell(account, leipzig, sensorik, State.SOLD, revenue=D("75000.50"))
    # Not relevant: its potential is dropped and never counted.
    cell(account, leipzig, service, State.NOT_RELEVANT, potential=D("999"))

    matrix = selectors.whitespace_matrix(account)
    rows = {row.unit.name: row.totals for row in matrix.rows}
    # Stuttgart: open 120,000 + competitor 80,000; sold 500,000.
    assert (rows["Werk Stuttgart"].potential, rows["Werk Stuttgart"].revenue) == (
        D("200000"), D("500000"),
    )  # fmt: skip
    # Leipzig: unknown 40,000; sold 75,000.50.
    assert (rows["Werk Leipzig"].potential, rows["Werk Leipzig"].revenue) == (
        D("40000"), D("75000.50"),
    )  # fmt: skip
    columns = {line.name: totals for line, totals in matrix.column_totals}
    assert (columns["Antriebe"].potential, columns["Antriebe"].revenue) == (
        D("40000"), D("500000"),
    )  # fmt: skip
    assert (columns["Sensorik"].potential, columns["Sensorik"].revenue) == (
        D("120000"), D("75000.50"),
    )  # fmt: skip
    assert (columns["Service"].potential, columns["Service"].revenue) == (D("80000"), D("0"))
    assert (matrix.totals.potential, matrix.totals.revenue) == (D("240000"), D("575000.50"))


def test_a_missing_cell_is_shown_as_unknown(account, kam, lines):
    services.unit_create(actor=kam, account=account, name="Werk Stuttgart")
    matrix = selectors.whitespace_matrix(account)
    assert [slot.state for slot in matrix.rows[0].slots] == ["unknown"] * 3
    assert all(slot.is_empty for slot in matrix.rows[0].slots)
    assert matrix.totals.potential == 0


def test_inactive_product_lines_are_not_columns_and_not_counted(account, kam, lines):
    unit = services.unit_create(actor=kam, account=account, name="Werk Stuttgart")
    cell(account, unit, lines[0], State.SOLD, revenue=D("100"))
    ProductLine.objects.filter(pk=lines[0].pk).update(active=False)
    matrix = selectors.whitespace_matrix(account)
    assert [line.name for line in matrix.product_lines] == ["Sensorik", "Service"]
    assert matrix.totals.revenue == 0


def test_a_unit_of_another_account_is_refused(account, kam, lines):
    other = make_account(owner=kam, name="Andere AG")
    foreign = services.unit_create(actor=kam, account=other, name="Werk Fremd")
    with pytest.raises(ValidationError) as exc:
        cell(account, foreign, lines[0], State.OPEN)
    assert "business_unit" in exc.value.message_dict
    assert not WhitespaceCell.objects.exists()


def test_an_opportunity_of_another_account_is_refused(account, kam, lines):
    unit = services.unit_create(actor=kam, account=account, name="Werk Stuttgart")
    deal = make_opportunity(account=make_account(owner=kam, name="Andere AG"))
    with pytest.raises(ValidationError) as exc:
        cell(account, unit, lines[0], State.OPEN, opportunity=deal)
    assert "opportunity" in exc.value.message_dict


def test_sold_needs_revenue_and_competitor_needs_a_name(account, kam, lines):
    unit = services.unit_create(actor=kam, account=account, name="Werk Stuttgart")
    with pytest.raises(ValidationError) as exc:
        cell(account, unit, lines[0], State.SOLD)
    assert "revenue" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        cell(account, unit, lines[0], State.COMPETITOR, potential=D("10"))
    assert "competitor" in exc.value.message_dict


def test_a_new_cell_on_an_inactive_product_line_is_refused(account, kam, lines):
    unit = services.unit_create(actor=kam, account=account, name="Werk Stuttgart")
    ProductLine.objects.filter(pk=lines[0].pk).update(active=False)
    lines[0].refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        cell(account, unit, lines[0], State.OPEN)
    assert "product_line" in exc.value.message_dict


def test_setting_a_cell_twice_changes_it_and_keeps_history(account, kam, lines):
    unit = services.unit_create(actor=kam, account=account, name="Werk Stuttgart")
    first = cell(account, unit, lines[0], State.OPEN, potential=D("10"))
    second = cell(account, unit, lines[0], State.SOLD, revenue=D("20"))
    assert first.pk == second.pk and second.potential is None
    assert second.history.count() == 2


def test_unit_names_are_unique_per_account_ignoring_case(account, kam):
    services.unit_create(actor=kam, account=account, name="Werk Stuttgart")
    with pytest.raises(ValidationError) as exc:
        services.unit_create(actor=kam, account=account, name="werk stuttgart")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.unit_create(actor=kam, account=account, name="  ")


def test_outsider_may_not_add_units(account, outsider):
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=outsider, account=account, name="Werk")


def test_linking_an_opportunity_started_from_an_empty_cell_makes_it_open(account, kam, lines):
    unit = services.unit_create(actor=kam, account=account, name="Werk Stuttgart")
    cell(account, unit, lines[0], State.UNKNOWN, potential=D("5000"))
    deal = make_opportunity(account=account)
    linked = services.cell_link_opportunity(
        actor=kam, business_unit=unit, product_line=lines[0], opportunity=deal
    )
    assert (linked.state, linked.opportunity, linked.potential) == (State.OPEN, deal, D("5000"))
    other_deal = make_opportunity(account=make_account(owner=kam, name="Andere AG"))
    with pytest.raises(ValidationError):
        services.cell_link_opportunity(
            actor=kam, business_unit=unit, product_line=lines[1], opportunity=other_deal
        )
