"""The writable fields of company totals and readiness assessments (kam.fields)."""

from decimal import Decimal
from typing import NotRequired, TypedDict


class CompanyTotalsFields(TypedDict):
    """One year's company totals, replaced as a whole (the year is the key)."""

    revenue: Decimal
    contribution_margin: Decimal


class ReadinessFields(TypedDict):
    """The answers to ReadinessAssessment.QUESTIONS (1-5 each), and notes."""

    cross_selling: int
    needs_advice: int
    team_capacity: int
    financial_resources: int
    know_how: int
    travel: int
    management_backing: int
    notes: NotRequired[str]
