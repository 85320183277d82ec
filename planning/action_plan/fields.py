"""The writable fields of objectives and actions, declared once (kam.fields)."""

from datetime import date
from decimal import Decimal
from typing import TypedDict

from users.models import User


class ObjectiveFields(TypedDict, total=False):
    """The account and the year are the key of an objective (they do not change); the
    reason for a new target or due date is an argument of its own. No owner: the author."""

    kind: str
    title: str
    target_value: Decimal | None
    owner: User
    due_on: date
    status: str


class ActionFields(TypedDict, total=False):
    """The objective is the key of an action (it does not change); the done date is an
    argument of its own (it goes with the status, see services._apply_status). No owner:
    the author."""

    title: str
    owner: User
    due_on: date
    status: str
    customer_facing: bool
