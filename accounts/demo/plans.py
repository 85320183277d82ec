"""The shape of the planned demo data: what `seed.demo_plan` builds for each account
before anything is written."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypedDict

from accounts.demo.companies import AccountSpec


class YearFigures(TypedDict):
    """One year of an account's figures, as `accounts.services.figures_put` takes them."""

    revenue: Decimal
    contribution_margin: Decimal
    revenue_target: Decimal | None
    margin_target: Decimal | None
    revenue_potential: Decimal | None


@dataclass
class ContactPlan:
    first_name: str
    last_name: str
    job_title: str
    department: str
    email: str
    phone: str
    mobile: str
    preferred_language: str
    buying_role: str
    influence: str
    attitude: str
    relationship_strength: int
    relationship_owner: str | None  # key in the users dict
    legal_basis: str
    consent_on: date | None = None
    left_on: date | None = None
    manager: int | None = None  # index in the same account's list
    group_manager: bool = False  # reports to the parent account's decision maker

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class AccountPlan:
    spec: AccountSpec
    contacts: list[ContactPlan] = field(default_factory=list)
    figures: dict[int, YearFigures] = field(default_factory=dict)
    profile: dict[str, str] = field(default_factory=dict)
