"""Reads of the whitespace matrix. The totals are computed in SQL (three grouped sums)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, DecimalField, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from accounts.models import Account, ProductLine
from planning.models import BusinessUnit, WhitespaceCell

State = WhitespaceCell.State
# The business still to win: open opportunities, business a competitor holds, and cells
# nobody has looked at yet (missing cells count as unknown, with no potential).
OPEN_STATES = (State.OPEN, State.COMPETITOR, State.UNKNOWN)
AMOUNT = DecimalField(max_digits=18, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=AMOUNT)


@dataclass
class Totals:
    potential: Decimal = Decimal("0")
    revenue: Decimal = Decimal("0")


# A state as text and symbol, never colour alone (missing cells are unknown).
SYMBOLS = {
    State.SOLD: "✔",
    State.OPEN: "◐",
    State.COMPETITOR: "⚑",
    State.NOT_RELEVANT: "–",
    State.UNKNOWN: "?",
}


@dataclass
class Slot:
    """One place in the matrix: a unit and a product line, with its cell if there is one."""

    unit: BusinessUnit
    line: ProductLine
    cell: WhitespaceCell | None

    @property
    def state(self) -> str:
        return self.cell.state if self.cell else State.UNKNOWN

    @property
    def label(self) -> str:
        return str(State(self.state).label)

    @property
    def symbol(self) -> str:
        return SYMBOLS[State(self.state)]

    @property
    def is_empty(self) -> bool:
        """Nothing known yet: a place to start an opportunity."""
        return self.state == State.UNKNOWN and (self.cell is None or not self.cell.opportunity_id)


@dataclass
class Row:
    unit: BusinessUnit
    slots: list[Slot]
    totals: Totals = field(default_factory=Totals)


@dataclass
class Matrix:
    account: Account
    product_lines: list[ProductLine]
    rows: list[Row]
    column_totals: list[tuple[ProductLine, Totals]]
    totals: Totals

    @property
    def units(self) -> list[BusinessUnit]:
        return [row.unit for row in self.rows]

    @property
    def cells(self) -> list[WhitespaceCell]:
        return [slot.cell for row in self.rows for slot in row.slots if slot.cell is not None]


def active_product_lines() -> QuerySet[ProductLine]:
    return ProductLine.objects.filter(active=True).order_by("name", "pk")


def account_cells(account: Account) -> QuerySet[WhitespaceCell]:
    """The account's cells on active product lines."""
    return WhitespaceCell.objects.filter(business_unit__account=account, product_line__active=True)


def _sums() -> dict:
    return {
        "potential": Coalesce(
            Sum(Case(When(state__in=OPEN_STATES, then="potential"), output_field=AMOUNT)), ZERO
        ),
        "revenue": Coalesce(
            Sum(Case(When(state=State.SOLD, then="revenue"), output_field=AMOUNT)), ZERO
        ),
    }


def _totals_by(cells: QuerySet[WhitespaceCell], key: str) -> dict[int, Totals]:
    rows: Iterable[Mapping[str, Any]] = cells.values(key).annotate(**_sums()).order_by()
    return {row[key]: Totals(row["potential"], row["revenue"]) for row in rows}


def matrix_totals(account: Account) -> tuple[dict[int, Totals], dict[int, Totals], Totals]:
    """Totals per business unit, per product line and overall: three queries."""
    cells = account_cells(account)
    per_unit = _totals_by(cells, "business_unit")
    per_line = _totals_by(cells, "product_line")
    overall = cells.aggregate(**_sums())
    return per_unit, per_line, Totals(overall["potential"], overall["revenue"])


def whitespace_matrix(account: Account) -> Matrix:
    """Units (rows) × active product lines (columns) with their cells (opportunity and
    competitor preloaded) and the totals: six queries, whatever the size."""
    lines = list(active_product_lines())
    units = list(BusinessUnit.objects.filter(account=account).order_by("position", "name", "pk"))
    by_key = {
        (cell.business_unit_id, cell.product_line_id): cell
        for cell in account_cells(account).select_related("opportunity", "competitor")
    }
    per_unit, per_line, overall = matrix_totals(account)
    rows = [
        Row(
            unit=unit,
            slots=[Slot(unit, line, by_key.get((unit.pk, line.pk))) for line in lines],
            totals=per_unit.get(unit.pk, Totals()),
        )
        for unit in units
    ]
    column_totals = [(line, per_line.get(line.pk, Totals())) for line in lines]
    return Matrix(account, lines, rows, column_totals, overall)
