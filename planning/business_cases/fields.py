"""The writable fields of business cases and their scenarios, declared once (kam.fields)."""

from decimal import Decimal
from typing import TypedDict

from deals.models import Opportunity


class BusinessCaseFields(TypedDict, total=False):
    """The account is not among them: a case is created on an account and stays with it."""

    title: str
    opportunity: Opportunity | None
    horizon_years: int
    discount_rate_pct: Decimal


class ScenarioFields(TypedDict, total=False):
    """On create, a position left out puts the scenario after the last one."""

    name: str
    yearly_volume: Decimal
    unit_price: Decimal
    process_cost: Decimal
    price_change_pct: Decimal
    volume_change_pct: Decimal
    one_off_cost: Decimal
    yearly_saving: Decimal
    margin_pct: Decimal
    position: int
