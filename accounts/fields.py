"""The writable fields of accounts, contacts and yearly figures, declared once (kam.fields).

The services take them as `**fields: Unpack[...]`; forms and serializers hand them over
through `service_fields()`. A key left out is not given (an update keeps the value).
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TypedDict

from accounts.models import Account, Contact, ProductLine
from users.models import User


class AccountFields(TypedDict, total=False):
    name: str
    legal_name: str
    external_id: str | None
    vat_id: str
    parent: Account | None
    industry: str
    customer_type: str
    country: str
    city: str
    region: str
    website: str
    status: str
    tier: str
    owner: User
    individual_requirements: bool


class AccountEditFields(AccountFields, total=False):
    """What the edit page changes: the fields and the product lines, which
    `account_update` takes as an argument of their own."""

    product_lines: Iterable[ProductLine] | None


class ContactFields(TypedDict, total=False):
    """The account is not among them: a contact is created on an account, and moving it
    is an argument of its own (`contact_update(account=...)`)."""

    external_id: str | None
    first_name: str
    last_name: str
    job_title: str
    department: str
    email: str
    phone: str
    mobile: str
    preferred_language: str
    reports_to: Contact | None
    buying_role: str
    influence: str
    attitude: str
    relationship_strength: int | None
    relationship_owner: User | None
    is_active: bool
    left_on: date | None
    legal_basis: str
    consent_on: date | None


class FiguresFields(TypedDict, total=False):
    """One year's values; the year itself is the key of the write, not a field."""

    revenue: Decimal
    contribution_margin: Decimal
    actuals_as_of: date | None
    revenue_target: Decimal | None
    margin_target: Decimal | None
    revenue_potential: Decimal | None


class TeamMemberFields(TypedDict):
    """A user on an account's team (all three given: one row per user and account)."""

    user: User
    role: str
    can_edit: bool
