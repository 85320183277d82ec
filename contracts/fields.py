"""The writable fields of contracts, declared once (kam.fields)."""

from datetime import date
from decimal import Decimal
from typing import TypedDict

from users.models import User


class ContractFields(TypedDict, total=False):
    """The account is not among them: a contract is created on an account and stays
    with it."""

    external_id: str | None
    number: str
    title: str
    kind: str
    start_on: date
    end_on: date | None
    notice_period_months: int
    auto_renewal: bool
    renewal_term_months: int
    annual_value: Decimal
    prices_and_terms: str
    status: str
    terminated_on: date | None
    owner: User
