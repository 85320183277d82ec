"""The writable fields of customer issues and surveys, declared once (kam.fields)."""

from datetime import date, datetime
from typing import TypedDict

from accounts.models import Contact
from customer_care.models import Department
from users.models import User


class IssueFields(TypedDict, total=False):
    """The account is not among them: an issue is opened on an account and stays with it.
    On create, a status left out is open, an owner left out the recording user, a due date
    left out follows from the severity; on change, a status of None leaves it as it is."""

    title: str
    description: str
    kind: str
    severity: str
    department: Department
    owner: User
    due_on: date | None
    escalated: bool
    status: str | None
    resolution: str
    opened_at: datetime


class SurveyFields(TypedDict, total=False):
    method: str
    nps: int | None
    csat: int | None
    contact: Contact | None
    surveyed_on: date | None
    comment: str
