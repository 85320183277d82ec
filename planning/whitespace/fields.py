"""The writable fields of a whitespace cell, declared once (kam.fields)."""

from decimal import Decimal
from typing import Required, TypedDict

from deals.models import Competitor, Opportunity


class CellFields(TypedDict, total=False):
    """A cell is set as a whole (services.cell_set): the state is needed, a value left out
    is empty. Its business unit and product line are the key of the write."""

    state: Required[str]
    revenue: Decimal | None
    potential: Decimal | None
    opportunity: Opportunity | None
    competitor: Competitor | None
    notes: str
