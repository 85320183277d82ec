"""The writable fields of opportunities, declared once (kam.fields)."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NotRequired, TypedDict

from accounts.models import Account, ProductLine
from deals.models import Competitor, Stage
from users.models import User


class OpportunityFields(TypedDict, total=False):
    """The account is not among them: an opportunity is created on an account, and moving
    it is an argument of its own (`opportunity_update(account=...)`)."""

    external_id: str | None
    title: str
    description: str
    value: Decimal
    expected_margin: Decimal | None
    stage: Stage | None
    probability: int | None
    expected_close_date: date | None
    next_follow_up_on: date | None
    next_follow_up_action: str
    close_reason: str
    owner: User | None
    lost_to: Competitor | None


class OpportunityEditFields(OpportunityFields, total=False):
    """What the edit page changes: the fields, the account the deal moves to and the
    product lines, which `opportunity_update` takes as arguments of their own."""

    account: Account
    product_lines: Iterable[ProductLine] | None


class CompetitorFields(TypedDict):
    """A company in the competitor register."""

    name: str
    website: NotRequired[str]
    notes: NotRequired[str]


class CompetitorLinkFields(TypedDict, total=False):
    """A competitor on a deal: `competitor` from the register, or `competitor_name` to
    register (or find) one by name."""

    competitor: Competitor | None
    competitor_name: str
    position: str
    notes: str
